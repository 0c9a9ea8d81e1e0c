"""Attention, Built: every component of the Transformer, written once.

The components sit at the top of the package, one module per idea, named as the chapters name them:
``config`` (chapter 2), ``embeddings`` (2), ``encoder`` (2), ``feedforward`` (2), ``attention`` (3 to 5,
and 8 for its cache), ``masks`` (4, 8), ``positional`` (6), ``normalization`` (7), ``decoder`` (8),
``model`` (1, 9), ``shapes`` (the shape checks every component makes) and ``reference`` (the same
components in ``torch.nn``, holding the same weights, which every chapter compares against).

Around them, four parts, each depending only on the components and the parts before it:

- ``book.translation``: the translation pipeline, from sentence pairs to a trained translator and its
  scores (chapter 9); it knows no grammar.
- ``book.corpus``: the generated English/French corpus the translator learns from (chapter 9), and the
  coreference sentence chapters 5 and 9 study.
- ``book.chapters``: what the chapters use to show the Transformer (sliders, plots, source listings, the
  head analysis), which the Transformer itself never needs.
- ``book.coursework``: the exercises' checks, the students' edition and the grader.
"""
