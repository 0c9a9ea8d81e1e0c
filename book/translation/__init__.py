"""The translation pipeline: from sentence pairs to a trained translator, and how good it is (chapter 9).

It knows no grammar and imports nothing of the generated corpus (``book.corpus``): it reads ``Pair``
lists, whether the corpus wrote them or ``load_tsv`` read them from a file of your own. The command that
trains a translator on either, ``python -m book.train``, sits above both.

- ``pairs``: the pair and corpus types, tab-separated files.
- ``tokenizer``: words to tokens and back, the vocabulary (chapter 2 first uses it).
- ``batching``: pairs to padded tensors, in batches sized in tokens.
- ``training``: the training loop: label smoothing, Adam with warm-up, checkpoint averaging (the paper's
  section 5), and the settings that switch each on or off.
- ``distributed``: training on several processes (torchrun); ``resume``: a run's state, to continue it.
- ``decoding``: greedy and beam search with the key/value cache, and the attention behind a translation
  (chapter 8).
- ``evaluation``: exact match, BLEU, il/elle accuracy, the quality goals; ``reader_set``: the yardstick on
  everyday English, sentences with every French a teacher would accept.
- ``checkpoint``: saving and loading a trained translator safely.
- ``translator``: text in, text out (chapter 1 uses the shipped one).
"""
