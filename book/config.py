"""Model sizes: the paper's base configuration and small ones that train on a laptop CPU (chapters 2, 9)."""

from dataclasses import asdict, dataclass, replace

POSITIONS = ("sinusoidal", "learned", "none")
"""How the model knows word order: the paper's fixed sinusoids (section 3.5), a learned vector per position
(its table 3, row E), or nothing at all (attention alone cannot tell "dog bites man" from "man bites dog")."""


@dataclass(frozen=True)
class TransformerConfig:
    """Every number that decides the shape of a Transformer.

    The sizes default to the paper's base model (Vaswani et al. 2017, table 3): d_model 512, 8 heads,
    d_ff 2048, 6 encoder and 6 decoder layers, residual dropout 0.1, and a vocabulary of 37,000 tokens
    (its English-German byte-pair vocabulary, section 5.1). ``share_embeddings`` ties the source and
    target embeddings and the generator's weight into one matrix, as the paper does (section 3.4);
    ``CONFIGS["base"]`` sets it. ``norm_first`` moves each layer norm before its sublayer (pre-norm;
    the paper's is after the residual sum), ``positions`` is one of ``POSITIONS``.
    """

    src_vocab: int = 37000
    tgt_vocab: int = 37000
    d_model: int = 512
    heads: int = 8
    d_ff: int = 2048
    layers: int = 6
    dropout: float = 0.1
    max_len: int = 256
    pad_id: int = 0
    norm_first: bool = False
    share_embeddings: bool = False
    positions: str = "sinusoidal"

    def __post_init__(self) -> None:
        if self.d_model % self.heads != 0:
            raise ValueError(
                f"d_model ({self.d_model}) must be divisible by heads ({self.heads}): "
                f"each head gets d_model / heads dimensions"
            )
        if self.positions not in POSITIONS:
            raise ValueError(f"positions must be one of {POSITIONS}, got {self.positions!r}")
        if self.share_embeddings and self.src_vocab != self.tgt_vocab:
            raise ValueError(
                "share_embeddings needs one vocabulary for both languages, "
                f"got src_vocab={self.src_vocab} and tgt_vocab={self.tgt_vocab}"
            )

    @property
    def d_k(self) -> int:
        """Dimensions of one head's queries, keys and values (64 in the paper)."""
        return self.d_model // self.heads

    def with_vocab(self, src_vocab: int, tgt_vocab: int) -> "TransformerConfig":
        """The same sizes with other vocabulary sizes."""
        return replace(self, src_vocab=src_vocab, tgt_vocab=tgt_vocab)

    def to_dict(self) -> dict:
        """Plain data, for checkpoints and JSON."""
        return asdict(self)


CONFIGS: dict[str, TransformerConfig] = {
    "base": TransformerConfig(share_embeddings=True),  # the paper's base model
    "small": TransformerConfig(d_model=128, heads=4, d_ff=512, layers=2, dropout=0.1),
    # The book's translator: no dropout on its noise-free data, one vocabulary shared by
    # source embedding, target embedding and output projection.
    "translator": TransformerConfig(
        d_model=128, heads=4, d_ff=512, layers=2, dropout=0.0, share_embeddings=True
    ),
    # Half as wide: the size chapter 9 trains and the shipped model has (benchmarks/bench_translator.py
    # measures what it reaches in two minutes).
    "translator-small": TransformerConfig(
        d_model=64, heads=4, d_ff=256, layers=2, dropout=0.0, share_embeddings=True
    ),
    "tiny": TransformerConfig(d_model=32, heads=4, d_ff=64, layers=2, dropout=0.0, max_len=64),
}


def get_config(name: str, **overrides) -> TransformerConfig:
    """A named configuration (a key of CONFIGS, e.g. "base"), with any field overridden."""
    if name not in CONFIGS:
        raise ValueError(f"unknown configuration {name!r}; choose one of {sorted(CONFIGS)}")
    return replace(CONFIGS[name], **overrides)
