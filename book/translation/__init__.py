"""The translation pipeline: from sentence pairs to a trained translator, and how good it is (chapter 9).

It knows no grammar: it reads ``Pair`` lists, whether the generated corpus (``book.corpus``) wrote them
or ``load_tsv`` read them from a file of your own.

- ``pairs``: the pair and corpus types, tab-separated files.
- ``tokenizer``: words to tokens and back, the vocabulary (chapter 2 first uses it).
- ``batching``: pairs to padded tensors, in batches sized in tokens.
- ``training``: label smoothing, Adam with warm-up, checkpoint averaging (the paper's section 5).
- ``decoding``: greedy and beam search with the key/value cache, and the attention behind a translation
  (chapter 8).
- ``evaluation``: exact match, BLEU, il/elle accuracy, the quality goals.
- ``checkpoint``: saving and loading a trained translator safely.
- ``translator``: text in, text out (chapter 1 uses the shipped one).
- ``cli``: ``python -m book.translation``, which trains and saves a translator with its scores.
"""
