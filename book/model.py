"""The whole encoder-decoder Transformer, assembled from its parts (chapter 9; chapter 1 uses it whole)."""

import torch
from torch import nn

from book.attention import AttentionMaps, MultiHeadAttention
from book.config import TransformerConfig
from book.decoder import Decoder, DecoderCache
from book.embeddings import TokenEmbedding
from book.encoder import Encoder
from book.masks import causal_mask, padding_mask, target_mask
from book.normalization import LayerNorm
from book.positional import PositionalEncoding


class Generator(nn.Module):
    """The final linear layer and log-softmax: decoder states -> log-probabilities of the next word."""

    def __init__(self, d_model: int, vocab_size: int) -> None:
        super().__init__()
        self.proj = nn.Linear(d_model, vocab_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (batch, tgt_len, d_model) -> (batch, tgt_len, vocab)."""
        return self.proj(x).log_softmax(dim=-1)


class Transformer(nn.Module):
    """Encoder-decoder Transformer (Vaswani et al. 2017, figure 1).

    Token ids in, log-probabilities of each next target word out. Padding (``config.pad_id``)
    and causal masks are built from the token ids.
    """

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.config = config
        self.src_embed = TokenEmbedding(config.src_vocab, config.d_model)
        if config.share_embeddings:
            self.tgt_embed = self.src_embed
        else:
            self.tgt_embed = TokenEmbedding(config.tgt_vocab, config.d_model)
        self.positional = PositionalEncoding(
            config.d_model,
            config.max_len,
            config.dropout,
            config.positions,
        )
        self.encoder = Encoder(config)
        self.decoder = Decoder(config)
        self.generator = Generator(config.d_model, config.tgt_vocab)
        if config.share_embeddings:
            self.generator.proj.weight = self.tgt_embed.lookup.weight
        self._init_weights()

    @torch.no_grad()
    def _init_weights(self) -> None:
        """Every weight matrix but the embeddings starts Xavier-uniform;
        the embeddings (and learned positions) keep their own."""
        embeddings = {
            id(self.src_embed.lookup.weight),
            id(self.tgt_embed.lookup.weight),
            id(self.positional.table),
        }
        for parameter in self.parameters():
            if parameter.dim() > 1 and id(parameter) not in embeddings:
                nn.init.xavier_uniform_(parameter)

    def encode(self, src: torch.Tensor, attention: AttentionMaps | None = None) -> torch.Tensor:
        """src (batch, src_len) token ids -> memory (batch, src_len, d_model)."""
        x = self.positional(self.src_embed(src))
        return self.encoder(x, padding_mask(src, self.config.pad_id), attention)

    def decode(
        self,
        memory: torch.Tensor,
        src: torch.Tensor,
        tgt: torch.Tensor,
        cache: DecoderCache | None = None,
        attention: AttentionMaps | None = None,
    ) -> torch.Tensor:
        """memory (batch, src_len, d_model), src (batch, src_len), tgt (batch, tgt_len).

        Returns the decoder's output states (batch, tgt_len, d_model).
        With a ``cache``, ``tgt`` holds only the new positions: earlier ones are read from the cache.
        """
        start = 0 if cache is None else cache.length
        if cache is None:
            tgt_mask = target_mask(tgt, self.config.pad_id)
        elif tgt.size(1) == 1:
            tgt_mask = None  # one new position may see every cached one
        else:
            tgt_mask = causal_mask(start + tgt.size(1), tgt.device)[:, :, start:, :]
        x = self.positional(self.tgt_embed(tgt), start=start)
        src_mask = padding_mask(src, self.config.pad_id)
        return self.decoder(x, memory, src_mask, tgt_mask, cache, attention)

    def forward(
        self, src: torch.Tensor, tgt: torch.Tensor, attention: AttentionMaps | None = None
    ) -> torch.Tensor:
        """src (batch, src_len), tgt (batch, tgt_len) -> log-probabilities (batch, tgt_len, tgt_vocab).

        Pass an empty ``AttentionMaps()`` as ``attention`` to collect every layer's weights.
        """
        memory = self.encode(src, attention)
        return self.generator(self.decode(memory, src, tgt, attention=attention))

    def new_cache(self) -> DecoderCache:
        """An empty key/value cache for generating one word at a time."""
        return DecoderCache(self.config.layers)


def parameter_count(module: nn.Module) -> int:
    """How many numbers the parameters of ``module`` hold, a tensor shared by two layers counted once."""
    return sum(parameter.numel() for parameter in module.parameters())


def set_fused(model: nn.Module, fused: bool) -> None:
    """Switch attention and layer norm between PyTorch's fused kernels and the book's step-by-step code."""
    for module in model.modules():
        if isinstance(module, MultiHeadAttention | LayerNorm):
            module.fused = fused
