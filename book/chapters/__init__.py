"""What the chapters use to show the Transformer, and nothing the Transformer needs.

- ``setup``: ``start_chapter``, run at the top of every chapter (seeds, threads, print precision, plot style).
- ``source``: ``show_source``, the package's own code shown in a chapter.
- ``explorable``: sliders that work on the static site without a kernel.
- ``translate_box``: the live box that translates a reader's sentence (chapters 1 and 9).
- ``plotting``: attention and similarity heatmaps, and the head-study strips.
- ``similarity``: the cosine similarity of a sentence's vectors (chapters 1 and 2).
- ``prose``: counts as phrases that read right for every value ("both sentences", "none of the eight"), and
  ``Quotes``, the values a chapter's text quotes (``{eval}`quote.bleu```).
- ``heads``: what a trained translator's heads do on the coreference sentences (chapters 5 and 9).
- ``diagrams``: the architecture drawn with boxes and arrows (figure 1, attention step by step, masks).
"""
