"""Plots every chapter shares: attention and similarity heatmaps, readable on light and dark pages."""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from book.chapters.similarity import cosine_matrix

# Plots have no background of their own, so they sit on the page in light and in dark mode, drawn in an ink
# that reads on both: #767676 has a contrast of 4.5:1 on white and 4.0:1 on the site's dark background
# (#14181e). Colours that carry data (colormaps, lines) are the plots' own.
INK = "#767676"
STYLE = {
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "auto",  # the figure's own: none for a plot, white for a diagram
    "text.color": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.edgecolor": INK,
    "legend.edgecolor": INK,
    "figure.dpi": 90,
    "font.size": 10,
}


def use_book_style() -> None:
    """Apply the book's matplotlib style (call once at the top of a chapter)."""
    plt.rcParams.update(STYLE)


def attention_heatmap(
    weights: torch.Tensor | np.ndarray,
    queries: Sequence[str],
    keys: Sequence[str],
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """Draw one head's weights (q_len, k_len): a row per query word, a column per key word."""
    weights = np.asarray(weights.detach().cpu() if isinstance(weights, torch.Tensor) else weights)
    if weights.shape != (len(queries), len(keys)):
        raise ValueError(
            f"weights: expected shape ({len(queries)}, {len(keys)}) for the given words, got {weights.shape}"
        )
    if ax is None:
        size = (0.45 * len(keys) + 1.8, 0.4 * len(queries) + 1.2)
        _, ax = plt.subplots(figsize=size, layout="constrained")
    image = ax.imshow(weights, cmap="Blues", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(keys)), keys, rotation=60, ha="right")
    ax.set_yticks(range(len(queries)), queries)
    ax.set_xlabel("key (attended to)")
    ax.set_ylabel("query (attending)")
    if title:
        ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, fraction=0.05)
    return ax.figure


def similarity_heatmap(vectors: torch.Tensor, words: Sequence[str], title: str) -> Figure:
    """The cosine similarity of every pair of a sentence's vectors (seq, d_model), a row and a column per
    word: red where two vectors point the same way, blue where they are opposite."""
    if len(vectors) != len(words):
        raise ValueError(
            f"vectors: expected {len(words)} rows, one per word, got shape {tuple(vectors.shape)}"
        )
    fig, ax = plt.subplots(figsize=(5, 4.2), layout="constrained")
    similarity = cosine_matrix(vectors).detach().cpu().numpy()
    image = ax.imshow(similarity, cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks(range(len(words)), words, rotation=60, ha="right")
    ax.set_yticks(range(len(words)), words)
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, fraction=0.05, label="cosine similarity")
    return fig


def study_strips(
    study: dict, names: Sequence[str], labels: Sequence[str], thresholds: Sequence[float]
) -> Figure:
    """One row per finding: a dot per training run of the head study, the shipped model as a diamond.

    ``study`` is ``book.chapters.heads.load_study()``; ``names`` are keys of its runs' findings with values
    between 0 and 1, drawn with their ``labels`` and a dashed line at each finding's threshold.
    """
    fig, ax = plt.subplots(figsize=(6.4, 0.55 * len(names) + 1.2), layout="constrained")
    for row, name in enumerate(names):
        values = [run[name] for run in study["runs"]]
        ax.scatter(values, [row] * len(values), s=36, color="#2471a3", alpha=0.7, zorder=3)
        ax.scatter([study["shipped"][name]], [row], s=70, marker="D", color="#c0392b", zorder=4)
        ax.plot([thresholds[row]] * 2, [row - 0.35, row + 0.35], color="#666666", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(names)), labels)
    ax.invert_yaxis()
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("value in each training run (dashed: the finding's threshold)")
    ax.scatter([], [], s=36, color="#2471a3", label=f"{len(study['runs'])} training runs, one seed each")
    ax.scatter([], [], s=70, marker="D", color="#c0392b", label="the shipped translator")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncols=2, fontsize=8, frameon=False)
    return fig
