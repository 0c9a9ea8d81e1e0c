"""Architecture diagrams the chapters draw with the book's own code: boxes and arrows, on a white card.

Every function returns a ``Figure`` and neither shows nor saves it. The pictures are laid out in inches
(one data unit is one inch of the figure), so a 10 pt label is about 0.14 units tall wherever it sits.
"""

import functools
import math
from collections.abc import Callable, Sequence
from typing import ParamSpec

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextToPath

from book.chapters.plotting import STYLE

PARTS: tuple[str, ...] = (
    "encoder",
    "decoder",
    "input embedding",
    "output embedding",
    "positional encoding",
    "self-attention",
    "masked self-attention",
    "cross-attention",
    "feed-forward",
    "add & norm",
    "linear",
    "softmax",
)

# The diagrams are drawings on a white card, as in the paper, in light and dark mode alike: their pale fills
# and dark ink need a light ground.
INK = "#222222"
DIAGRAM_STYLE = {
    **STYLE,
    "figure.facecolor": "white",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
}
ACCENT = "#c0392b"
FADE = 0.35  # alpha of every box that is not highlighted, when something is
LABEL, SMALL = 10, 9  # font sizes: box labels, notes
# (pale fill, strong fill) per kind of box, the pale ones as in the paper's figure 1
FILLS = {
    "attention": ("#fde2c4", "#f39c4a"),
    "feed-forward": ("#cfe3f5", "#5dade2"),
    "norm": ("#f6f0c2", "#e6cf3a"),
    "embedding": ("#f5d0dc", "#e8839f"),
    "output": ("#e2d5f0", "#a98bd8"),
    "input": ("#d5ecd4", "#7dc67a"),
    "plain": ("#ffffff", "#f1948a"),
    "frame": ("#f4f4f4", "#fbe3e0"),
    "head": ("#f9c68e", "#e67e22"),  # every other head, to tell neighbours apart
}

P = ParamSpec("P")


def _styled(draw: Callable[P, Figure]) -> Callable[P, Figure]:
    """Build the figure under the book's style, whatever style the caller has set."""

    @functools.wraps(draw)
    def styled(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with plt.rc_context(DIAGRAM_STYLE):
            return draw(*args, **kwargs)

    return styled


def _canvas(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of width x height inches whose axes fill it, one data unit per inch, axes turned off."""
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def _text(ax: Axes, x: float, y: float, text: str, size: int = SMALL, **style: object) -> None:
    """A text centred on (x, y) unless ``style`` says otherwise (ha, va, color, ...); none if empty."""
    if text:
        ax.text(x, y, text, **{"ha": "center", "va": "center", "fontsize": size, **style})


_MEASURE = TextToPath()


def _width(text: str, size: int = SMALL) -> float:
    """How wide ``text`` is in inches at ``size`` points (its widest line), as drawn in the current style."""
    prop = FontProperties(size=size)
    lines = text.split("\n")
    return max(_MEASURE.get_text_width_height_descent(t, prop, ismath="$" in t)[0] for t in lines) / 72


def _look_style(kind: str, look: str) -> dict:
    """Fill, edge and alpha of a patch whose look is "plain", "here" (highlighted) or "faded"."""
    here = look == "here"
    return {
        "facecolor": FILLS[kind][here],
        "edgecolor": ACCENT if here else INK,
        "linewidth": 2.8 if here else 1.0,
        "alpha": FADE if look == "faded" else 1.0,
    }


def _box(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    kind: str,
    look: str = "plain",
    gid: str | None = None,
    size: int = LABEL,
) -> None:
    """A rounded box centred on (x, y), w by h inches, its label in the middle."""
    corner = (x - w / 2, y - h / 2)
    style = _look_style(kind, look)
    ax.add_patch(FancyBboxPatch(corner, w, h, "round,pad=0,rounding_size=0.06", gid=gid, zorder=2, **style))
    _text(ax, x, y, text, size, alpha=0.5 if look == "faded" else 1.0)


def _arrow(ax: Axes, *points: tuple[float, float], head: bool = True, **style: object) -> None:
    """An arrow through the given points (a straight one for two points), its head at the last."""
    style = {"color": INK, "linewidth": 1.1, "zorder": 1, "arrowstyle": "-|>" if head else "-", **style}
    ax.add_patch(FancyArrowPatch(path=Path(points), mutation_scale=11, **style))


def _matrix(
    ax: Axes,
    x: float,
    y: float,
    rows: int,
    cols: int,
    label: str,
    shape_text: str,
    kind: str = "plain",
    cell: tuple[float, float] = (0.12, 0.12),
    row_labels: Sequence[str] = (),
) -> tuple[float, float, float, float]:
    """A grid of rows x cols cells centred on (x, y), ``label`` above, ``shape_text`` below, words left.

    Returns the grid's (left, bottom, right, top).
    """
    w, h = cols * cell[0], rows * cell[1]
    left, bottom, top = x - w / 2, y - h / 2, y + h / 2
    for r in range(rows):
        for c in range(cols):
            corner = (left + c * cell[0], top - (r + 1) * cell[1])
            ax.add_patch(Rectangle(corner, *cell, facecolor=FILLS[kind][0], edgecolor="#666666", lw=0.6))
    ax.add_patch(Rectangle((left, bottom), w, h, fill=False, edgecolor=INK, linewidth=1.1))
    _text(ax, x, top + 0.06, label, LABEL, va="bottom")
    _text(ax, x, bottom - 0.06, shape_text, va="top")
    for r, word in enumerate(row_labels):
        _text(ax, left - 0.07, top - (r + 0.5) * cell[1], word, ha="right")
    return left, bottom, left + w, top


def _here(ax: Axes, x: float, y: float, ha: str) -> None:
    """The small "you are here" label beside a highlighted part."""
    _text(ax, x, y, "you are\nhere", ha=ha, color=ACCENT, fontweight="bold")


def _check_parts(highlight: Sequence[str]) -> frozenset[str]:
    """The highlighted parts as a set; one name alone counts as one part, not as its letters."""
    names = (highlight,) if isinstance(highlight, str) else tuple(highlight)
    for name in names:
        if name not in PARTS:
            raise ValueError(f"unknown part {name!r}; the parts are: {', '.join(PARTS)}")
    return frozenset(names)


def _look(part: str, chosen: frozenset[str], stack: str = "") -> str:
    """How a part is drawn: highlighted, plain (nothing chosen, or inside a chosen stack), or faded."""
    if part in chosen:
        return "here"
    return "plain" if not chosen or stack in chosen else "faded"


# The two stacks of figure 1: column centre, side of the skips and margin labels (-1 left, 1 right),
# the text under the column, its embedding, and its sublayers (part, label, kind), bottom to top.
_STACKS = {
    "encoder": (
        1.725,
        -1,
        "Inputs",
        "input embedding",
        (
            ("self-attention", "Multi-head attention", "attention"),
            ("feed-forward", "Feed forward", "feed-forward"),
        ),
    ),
    "decoder": (
        3.825,
        1,
        "Outputs (shifted right)",
        "output embedding",
        (
            ("masked self-attention", "Masked multi-head\nattention", "attention"),
            ("cross-attention", "Multi-head attention", "attention"),
            ("feed-forward", "Feed forward", "feed-forward"),
        ),
    ),
}
_BOX_W, _GAP, _FRAME_BOTTOM = 1.55, 0.24, 1.55


def _stack(ax: Axes, stack: str, chosen: frozenset[str], here: list[tuple[float, float, str]]) -> dict:
    """Draw one column of figure 1 up to the top of its N x frame; returns the heights of its parts.

    Appends the spots for the "you are here" labels of its highlighted parts to ``here``.
    """
    c, side, bottom_text, embedding, sublayers = _STACKS[stack]
    arrows = {"alpha": 1.0 if not chosen or stack in chosen else 0.5}
    margin = (c + side * (_BOX_W / 2 + 0.35), "right" if side < 0 else "left")  # outside the frame
    _text(ax, c, 0.22, bottom_text, LABEL)
    _arrow(ax, (c, 0.33), (c, 0.6), **arrows)
    look = _look(embedding, chosen)
    _box(ax, c, 0.75, _BOX_W, 0.3, embedding.capitalize(), "embedding", look, f"part:{embedding}")
    if look == "here":
        here.append((margin[0], 0.75, margin[1]))
    # the positional encoding: a sinusoid icon beside a circled +
    look = _look("positional encoding", chosen)
    ink = {"alpha": 0.5 if look == "faded" else 1.0}
    _arrow(ax, (c, 0.9), (c, 1.2), **arrows)
    icon = c + side * 0.42
    for x, r in ((c, 0.1), (icon, 0.13)):
        ax.add_patch(
            Circle((x, 1.3), r, gid="part:positional encoding", zorder=3, **_look_style("plain", look))
        )
    _text(ax, c, 1.3, "+", LABEL, zorder=4, **ink)
    wave = [(icon - 0.09 + 0.18 * k / 20, 1.3 + 0.06 * math.sin(2 * math.pi * k / 20)) for k in range(21)]
    ax.plot(*zip(*wave, strict=True), color=INK, linewidth=1.0, zorder=4, **ink)
    _arrow(ax, (icon - side * 0.13, 1.3), (c + side * 0.1, 1.3), **arrows)
    _text(ax, icon + side * 0.2, 1.3, "Positional\nencoding", ha=margin[1], **ink)
    if look == "here":
        here.append((c - side * 0.16, 1.3, "left" if side < 0 else "right"))
    # the N x frame and its sublayers, each followed by an Add & norm, with a skip around it
    y, boxes = _FRAME_BOTTOM + 0.2, []
    for part, text, kind in sublayers:
        h = 0.46 if "\n" in text else 0.3
        boxes += [
            (part, text, kind, y + h / 2, h),
            ("add & norm", "Add & norm", "norm", y + h + _GAP + 0.15, 0.3),
        ]
        y += h + 0.3 + 2 * _GAP
    top = y - _GAP + 0.15
    corner = (c - _BOX_W / 2 - (0.3 if side < 0 else 0.1), _FRAME_BOTTOM)
    frame_style = _look_style("frame", _look(stack, chosen))
    frame = FancyBboxPatch(
        corner, _BOX_W + 0.4, top - _FRAME_BOTTOM, "round,pad=0,rounding_size=0.12", **frame_style
    )
    frame.set(gid=f"part:{stack}", zorder=0)
    ax.add_patch(frame)
    tab = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"}
    _text(ax, c + side * (_BOX_W / 2 + 0.12), top, "N×", LABEL, fontweight="bold", bbox=tab, zorder=5)
    _arrow(ax, (c, 1.4), (c, boxes[0][3] - boxes[0][4] / 2), **arrows)
    heights = {"top": top}
    for i, (part, text, kind, y, h) in enumerate(boxes):
        look = _look(part, chosen, stack)
        _box(ax, c, y, _BOX_W, h, text, kind, look, f"part:{part}")
        heights[part] = y
        if look == "here":
            here.append((margin[0], y, margin[1]))
        last = i + 1 == len(boxes)
        end = top + 0.12 if last else boxes[i + 1][3] - boxes[i + 1][4] / 2
        _arrow(ax, (c, y + h / 2), (c, end), head=not last, **arrows)
        if part != "add & norm":  # the skip: from below the sublayer, around it, into its Add & norm
            branch, skip, norm_y = y - h / 2 - _GAP / 2, c + side * (_BOX_W / 2 + 0.15), boxes[i + 1][3]
            _arrow(ax, (c, branch), (skip, branch), (skip, norm_y), (c + side * _BOX_W / 2, norm_y), **arrows)
    if stack in chosen:
        here.append((margin[0], (_FRAME_BOTTOM + top) / 2, margin[1]))
    return heights


@_styled
def architecture(highlight: Sequence[str] = ()) -> Figure:
    """The paper's figure 1, redrawn bottom to top: the encoder on the left, the decoder on the right.

    ``highlight`` names parts from ``PARTS``: those are drawn with a thick accent edge and a strong fill,
    every other box faded, and each gets a "you are here" label where one fits. Highlighting "encoder"
    or "decoder" marks that stack's frame and keeps its boxes unfaded.
    """
    chosen = _check_parts(highlight)
    fig, ax = _canvas(5.6, 7.0)
    here: list[tuple[float, float, str]] = []
    encoder, decoder = (_stack(ax, name, chosen, here) for name in _STACKS)
    arrows = {"alpha": 1.0 if not chosen else 0.5}
    for name, (c, *_) in _STACKS.items():
        _text(ax, c, 6.78, name.capitalize(), 11, fontweight="bold")
    # the memory: from the top of the encoder into the side of the decoder's cross-attention
    c_enc, c_dec, lane = _STACKS["encoder"][0], _STACKS["decoder"][0], 2.775
    rise, cross = encoder["top"] + 0.12, decoder["cross-attention"]
    _arrow(ax, (c_enc, rise), (lane, rise), (lane, cross), (c_dec - _BOX_W / 2, cross), **arrows)
    _text(ax, (c_enc + lane) / 2 + 0.1, rise + 0.06, "memory", va="bottom")
    # above the decoder: Linear, Softmax, the output probabilities
    y = decoder["top"] + 0.12
    for part in ("linear", "softmax"):
        look = _look(part, chosen)
        _arrow(ax, (c_dec, y), (c_dec, y + 0.14), **arrows)
        _box(ax, c_dec, y + 0.29, _BOX_W, 0.3, part.capitalize(), "output", look, f"part:{part}")
        if look == "here":
            here.append((c_dec + _BOX_W / 2 + 0.35, y + 0.29, "left"))
        y += 0.44
    _arrow(ax, (c_dec, y), (c_dec, y + 0.14), **arrows)
    _text(ax, c_dec, y + 0.26, "Output probabilities", LABEL)
    placed: list[tuple[float, float]] = []
    for x, y, ha in here:  # a label only where it fits: a two-line label needs 0.32 in of height
        if all(abs(x - px) > 0.6 or abs(y - py) > 0.32 for px, py in placed):
            _here(ax, x, y, ha)
            placed.append((x, y))
    return fig


@_styled
def position_wise_feed_forward(
    d_model: int = 512, d_ff: int = 2048, words: Sequence[str] = ("je", "suis", "étudiant")
) -> Figure:
    """The feed-forward sublayer, one column per word: d_model numbers up to d_ff (ReLU) and back.

    Each word's vector is a tall bar; the d_ff bar is as many times wider as d_ff is larger (at most 6).
    The same W1, b1, W2, b2 serve every column and no arrow joins two columns: positions never mix here.
    """
    wide, cell = max(1, min(6, round(d_ff / d_model))), (0.14, 0.1)
    rows = (  # bar centre height, bar width in cells, label at the left of the row
        (0.95, 1, f"input $x$\nd_model = {d_model}"),
        (2.3, wide, f"ReLU($xW_1 + b_1$)\nd_ff = {d_ff}"),
        (3.65, 1, f"output FFN($x$)\nd_model = {d_model}"),
    )
    half, weights_w = wide * cell[0] / 2, _width("$W_1, b_1$")  # half the widest bar, a weights label
    column = max(2 * half + 0.45, weights_w + 0.3, max(_width(word, LABEL) for word in words) + 0.2)
    first = 0.1 + max(_width(text) for *_, text in rows) + 0.12 + half  # the first column's centre
    last = first + column * (len(words) - 1)
    note = "the same $W_1, b_1, W_2, b_2$ at every position:\npositions never mix"
    width = max(last + max(half, 0.08 + weights_w), (first + last + _width(note)) / 2) + 0.12
    fig, ax = _canvas(width, 4.75)
    for y, _, text in rows:
        _text(ax, first - half - 0.12, y, text, ha="right")
    for i, word in enumerate(words):
        c = first + column * i
        _text(ax, c, 0.2, word, LABEL)
        _arrow(ax, (c, 0.31), (c, 0.5))
        for y, cols, _ in rows:
            _matrix(ax, c, y, 8, cols, "", "", "feed-forward" if cols > 1 else "embedding", cell)
        for low, high, weights in ((0.95, 2.3, "$W_1, b_1$"), (2.3, 3.65, "$W_2, b_2$")):
            _arrow(ax, (c, low + 0.45), (c, high - 0.45))
            _text(ax, c + 0.08, (low + high) / 2, weights, ha="left")
    ax.plot([first, first, last, last], [4.15, 4.23, 4.23, 4.15], color=INK, linewidth=1.0)
    _text(ax, (first + last) / 2, 4.3, note, va="bottom")
    return fig


@_styled
def qkv_projections(
    words: Sequence[str] = ("Thinking", "Machines"), d_model: int = 512, d_k: int = 64
) -> Figure:
    """X (a row per word) times each of the weight matrices W^Q, W^K, W^V gives Q, K and V.

    One product per line. The matrices are in proportion where it reads: d_model is 8 cells, d_k 2, and
    the sides that multiply have the same length.
    """
    n = len(words)
    fig, ax = _canvas(4.4, 4.8)
    wide, tall = 0.11, 0.2  # a cell of X is narrow (d_model of them) and tall enough for its word
    for i, (name, kind) in enumerate((("Q", "output"), ("K", "attention"), ("V", "feed-forward"))):
        y = 0.75 + 1.45 * (2 - i)
        _matrix(ax, 1.45, y, n, 8, "$X$", f"{n} × {d_model}", "input", (wide, tall), words)
        _text(ax, 2.1, y, "×", 12)
        _matrix(ax, 2.55, y, 8, 2, f"$W^{name}$", f"{d_model} × {d_k}", kind, (0.14, wide))
        _text(ax, 3.0, y, "=", 12)
        _matrix(ax, 3.45, y, n, 2, f"${name}$", f"{n} × {d_k}", kind, (0.14, tall))
    _text(ax, 2.2, 4.65, "row i of $Q$, $K$ and $V$ belongs to word i")
    return fig


@_styled
def score_matrix(words: Sequence[str] = ("Thinking", "Machines"), d_k: int = 64) -> Figure:
    """Scaled dot-product attention as a chain of matrices, in two rows.

    Top: Q (n x d_k) times K transposed (d_k x n) gives the n x n scores, a row per query word and a
    column per key word. Below them: divided by sqrt(d_k) and softmaxed along each row, the weights,
    which times V give Z (n x d_k).
    """
    n = len(words)
    label_w = max(_width(word) for word in words)  # the widest word at 9 pt
    cell, thin = (max(0.55, label_w + 0.07, _width(f"$q_{n}\\cdot k_{n}$") + 0.12), 0.3), 0.13
    q_left = 0.08 + label_w + 0.07
    k_left = q_left + 4 * thin + 0.28
    grid_left = k_left + n * thin + 0.38  # the scores, and the weights under them
    grid_x, right = grid_left + n * cell[0] / 2, grid_left + n * cell[0]
    height = 2 * n * cell[1] + 2.4
    fig, ax = _canvas(right + 8 * thin + 0.76, height)
    top, low = height - 0.5 - n * cell[1] / 2, 0.5 + n * cell[1] / 2
    # the scores' rows line up with Q's, whose words name them; the weights have the words again
    q = _matrix(ax, q_left + 2 * thin, top, n, 4, "$Q$", f"{n} × {d_k}", "output", (thin, cell[1]), words)
    _text(ax, q[2] + 0.14, top, "·", 14)
    k = _matrix(
        ax, k_left + n * thin / 2, top, 4, n, "$K^{\\top}$", f"{d_k} × {n}", "attention", (thin, thin)
    )
    _text(ax, k[2] + 0.19, top, "=", 12)
    for y, name, kind in ((top, "scores", "plain"), (low, "weights", "norm")):
        grid = _matrix(ax, grid_x, y, n, n, "", f"{name}: {n} × {n}", kind, cell, words if y == low else ())
        for j, word in enumerate(words):
            key_x = grid[0] + (j + 0.5) * cell[0]
            _text(ax, key_x, grid[3] + 0.05, word, va="bottom")
            for i in range(n if name == "scores" else 0):
                _text(ax, key_x, grid[3] - (i + 0.5) * cell[1], f"$q_{i + 1}\\cdot k_{j + 1}$")
    _arrow(ax, (grid_x, top - n * cell[1] / 2 - 0.3), (grid_x, low + n * cell[1] / 2 + 0.25))
    step = f"÷ √{d_k} = {math.sqrt(d_k):g}, then softmax\nalong each row:\neach row sums to 1"
    _text(ax, grid_x + 0.12, (top + low) / 2 - 0.02, step, ha="left")
    _text(ax, 0.08, (top + low) / 2 - 0.02, "rows: the query words\ncolumns: the key words", ha="left")
    _text(ax, right + 0.14, low, "·", 14)
    v = _matrix(
        ax, right + 0.28 + 2 * thin, low, n, 4, "$V$", f"{n} × {d_k}", "feed-forward", (thin, cell[1])
    )
    _text(ax, v[2] + 0.19, low, "=", 12)
    _matrix(ax, v[2] + 0.38 + 2 * thin, low, n, 4, "$Z$", f"{n} × {d_k}", "feed-forward", (thin, cell[1]))
    return fig


@_styled
def heads_split_concat(d_model: int = 512, heads: int = 8) -> Figure:
    """Multi-head attention: X goes to every head, each head's Z_i is n x d_k, the Z_i side by side make
    one n x d_model matrix, and W^O maps it to the output, of X's shape.

    All heads are drawn when there are at most 8; else the first three, a gap, and the last three.
    """
    if heads < 1 or d_model % heads != 0:
        raise ValueError(
            f"d_model = {d_model} is not divisible by heads = {heads}: each head needs d_k = d_model / heads"
        )
    d_k = d_model // heads
    shown = list(range(heads)) if heads <= 8 else [0, 1, 2, None, heads - 3, heads - 2, heads - 1]
    fig, ax = _canvas(6.4, 6.1)
    middle, column, segment = 3.2, 0.77, min(0.24, 1.92 / heads)  # segment: a head's slot in the concat
    projections = f"$W^Q_i, W^K_i, W^V_i$ ({d_model} × {d_k})"
    _text(
        ax,
        middle,
        5.9,
        f"{heads} heads, each with its own {projections}: $d_k$ = {d_model} / {heads} = {d_k}",
    )
    x = _matrix(ax, middle, 5.4, 2, 16, "", f"$X$: n × {d_model}", "input")
    concat_left = middle - heads * segment / 2
    for k, head in enumerate(shown):
        c = middle + (k - (len(shown) - 1) / 2) * column
        if head is None:
            _text(ax, c, 4.0, "…", 14)
            continue
        i, tone = head + 1, "attention" if head % 2 == 0 else "head"
        _arrow(ax, (middle, x[1] - 0.28), (c, 4.8))
        _text(ax, c, 4.68, f"head {i}")
        _box(ax, c, 4.2, 0.7, 0.6, f"$W^Q_{{{i}}}$\n$W^K_{{{i}}}$\n$W^V_{{{i}}}$", "plain", size=SMALL)
        _arrow(ax, (c, 3.9), (c, 3.72))
        _box(ax, c, 3.55, 0.7, 0.3, "attention", tone, size=SMALL)
        _arrow(ax, (c, 3.4), (c, 3.22))
        z = _matrix(ax, c, 3.05, 2, 2, "", "", tone)
        _text(ax, z[0] - 0.05, 3.05, f"$Z_{{{i}}}$", ha="right")
        slot = concat_left + (head + 0.5) * segment
        _arrow(ax, (c, z[1] - 0.05), (slot, 2.3))
        _matrix(ax, slot, 2.17, 2, 1, "", "", tone, (segment, 0.12))
    concat = f"concat: {heads} × {d_k} = {d_model}\n(each $Z_i$ is n × {d_k})"
    _text(ax, concat_left + heads * segment + 0.12, 2.17, concat, ha="left")
    _text(ax, concat_left - 0.12, 2.17, f"n × {d_model}", ha="right")
    _arrow(ax, (middle, 2.0), (middle, 1.0))
    _text(ax, middle + 0.12, 1.5, f"× $W^O$ ({d_model} × {d_model})", ha="left")
    _matrix(ax, middle, 0.82, 2, 16, "", f"output: n × {d_model}, the shape of $X$", "output")
    return fig


def _residual_panel(ax: Axes, c: float, pre_norm: bool) -> None:
    """One panel of ``residual_paths``, centred on c: x at the bottom, the output at the top, the skip on
    the left (the sublayers' column sits a little right of c, so that the drawing with its skip is
    centred)."""
    if pre_norm:
        title, formula, note = "Pre-norm", "x + Sublayer(LayerNorm(x))", "reaches\nthe output untouched"
        steps = ("LayerNorm", "Sublayer", "+")
    else:
        title, formula, note = (
            "Post-norm (the paper)",
            "LayerNorm(x + Sublayer(x))",
            "passes\nthrough LayerNorm",
        )
        steps = ("Sublayer", "+", "LayerNorm")
    _text(ax, c, 4.05, title, LABEL, fontweight="bold")
    _text(ax, c, 3.78, formula)
    _text(ax, c, 0.2, f"the identity path {note}", color=ACCENT)
    c += 0.15
    _text(ax, c, 0.62, "x", 11, fontstyle="italic")
    _text(ax, c, 3.3, "output", LABEL)
    identity = {"color": ACCENT, "linewidth": 2.4}
    _arrow(ax, (c, 0.75), (c, 0.86), head=False, **identity)
    ax.add_patch(Circle((c, 0.86), 0.035, color=ACCENT, zorder=3))
    below = 0.86  # where the previous step ends
    for k, step in enumerate(steps):
        y = 1.2 + 0.7 * k
        on_path = steps.index("+") < k  # the identity path runs on from (+) upwards
        if step == "+":
            ax.add_patch(Circle((c, y), 0.12, facecolor="white", edgecolor=INK, linewidth=1.0, zorder=2))
            _text(ax, c, y, "+", LABEL, zorder=3)
            skip = c - 0.75
            _arrow(ax, (c, 0.86), (skip, 0.86), (skip, y), (c - 0.12, y), **identity)
            _text(ax, skip - 0.08, (0.86 + y) / 2, "identity path", ha="right", rotation=90, color=ACCENT)
            start, end = y - 0.12, y + 0.12
        else:
            kind = "norm" if step == "LayerNorm" else "attention"
            _box(ax, c, y, 1.05, 0.34, step, kind, "here" if on_path else "plain")
            start, end = y - 0.17, y + 0.17
        _arrow(ax, (c, below), (c, start), **(identity if on_path else {}))
        below = end
    _arrow(ax, (c, below), (c, 3.18), **identity)


@_styled
def residual_paths() -> Figure:
    """Post-norm (the paper's) and pre-norm residual sublayers side by side, the identity path drawn thick:
    in post-norm it goes through the LayerNorm, in pre-norm it reaches the output untouched."""
    fig, ax = _canvas(5.3, 4.25)
    _residual_panel(ax, 1.325, pre_norm=False)
    _residual_panel(ax, 3.975, pre_norm=True)
    ax.plot([2.65, 2.65], [0.1, 4.15], color="#bbbbbb", linewidth=1.0)
    return fig


_WHITE = {"facecolor": "white", "edgecolor": "none", "pad": 1}  # behind a text on a hatched cell


def _mask_cell(
    ax: Axes, corner: tuple[float, float], size: tuple[float, float], masked: bool, **style: object
) -> None:
    """One cell of the causal mask: hatched where masked, filled where allowed."""
    fill = {"hatch": "///", "facecolor": "white"} if masked else {"facecolor": FILLS["feed-forward"][0]}
    ax.add_patch(Rectangle(corner, *size, edgecolor="#999999", linewidth=0.6, **{**fill, **style}))


@_styled
def causal_step(
    words: Sequence[str] = ("<bos>", "je", "suis", "étudiant"), step: int | None = None
) -> Figure:
    """The decoder's causal mask: a row per query position, a column per key position.

    A query may look at keys up to its own position (filled cells); the later ones are masked (hatched):
    their scores are set to -inf before the softmax. With ``step`` (0-based), that row is highlighted
    and the others faded, and a caption says which words that position sees.
    """
    n = len(words)
    if step is not None and not 0 <= step < n:
        raise ValueError(f"step must be in the range 0 to {n - 1} for {n} words, got {step}")
    cell = (min(0.7, 3.6 / n), min(0.36, 2.9 / n))
    left, bottom = 1.2, 1.15
    fig, ax = _canvas(left + n * cell[0] + 1.05, bottom + n * cell[1] + 0.75)
    top = bottom + n * cell[1]
    for i, query in enumerate(words):
        y = top - (i + 0.5) * cell[1]
        ink = {"alpha": FADE if step is not None and i != step else 1.0}
        strong = {"color": ACCENT, "fontweight": "bold"} if i == step else {}
        _text(ax, left - 0.08, y, query, ha="right", **ink, **strong)
        for j in range(n):
            corner = (left + j * cell[0], y - cell[1] / 2)
            if i == step and j <= i:
                _mask_cell(ax, corner, cell, False, facecolor=FILLS["feed-forward"][1])
            else:
                _mask_cell(ax, corner, cell, j > i, **ink)
            if j > i:
                _text(ax, corner[0] + cell[0] / 2, y, "−∞", bbox=_WHITE, **ink)
    ax.add_patch(
        Rectangle((left, bottom), n * cell[0], n * cell[1], fill=False, edgecolor=INK, linewidth=1.1)
    )
    for j, key in enumerate(words):
        _text(ax, left + (j + 0.5) * cell[0], top + 0.06, key, va="bottom")
    _text(ax, left + n * cell[0] / 2, top + 0.4, "key position (attended to)")
    _text(ax, 0.18, (bottom + top) / 2, "query position", rotation=90)
    caption = "each row: the keys that one query position may look at"
    if step is not None:
        y = top - (step + 1) * cell[1]
        ax.add_patch(Rectangle((left, y), n * cell[0], cell[1], fill=False, ec=ACCENT, lw=2.8, zorder=4))
        _here(ax, left + n * cell[0] + 0.12, y + cell[1] / 2, "left")
        caption = f"step {step}: '{words[step]}' sees {', '.join(words[: step + 1])}"
    _text(ax, 0.15, 0.85, caption, LABEL, ha="left", color=INK if step is None else ACCENT)
    legend = ("allowed: key position ≤ query position", "masked: set to −∞ before softmax (weight 0)")
    for k, text in enumerate(legend):
        y = 0.5 - 0.3 * k
        _mask_cell(ax, (0.15, y - 0.09), (0.3, 0.18), masked=k == 1)
        _text(ax, 0.55, y, text, ha="left")
    return fig


def _tokens(
    ax: Axes, x: float, y: float, slots: Sequence[float], words: Sequence[str], kind: str
) -> list[float]:
    """A row of word boxes starting at x, one per slot (its width in inches); returns their centres."""
    centres = [x + sum(slots[:k]) + slot / 2 for k, slot in enumerate(slots)]
    for c, slot, word in zip(centres, slots, words, strict=True):
        _box(ax, c, y, slot - 0.08, 0.3, word, kind, size=SMALL)
    return centres


@_styled
def teacher_forcing(
    source: Sequence[str] = ("I", "am", "a", "student"), target: Sequence[str] = ("je", "suis", "étudiant")
) -> Figure:
    """Training with teacher forcing: the encoder reads the source, the decoder reads the target shifted
    right (<bos> first) and predicts, at every position at once, the next target word (<eos> last).

    Each word's box is as wide as its word needs; a decoder position's three boxes (input, prediction,
    label) share one width."""
    shifted, labels = ["<bos>", *target], [*target, "<eos>"]
    predictions = [f"$\\hat{{y}}_{{{k + 1}}}$" for k in range(len(shifted))]
    enc_slots = [max(0.46, _width(word) + 0.18) for word in source]
    dec_slots = [
        max(0.46, *(_width(w) + 0.18 for w in ws)) for ws in zip(shifted, predictions, labels, strict=True)
    ]
    shifted_note = "decoder input: the target shifted right"
    # short sentences: wider, so that "Encoder" fits its box and the note under the decoder its width
    enc_slots = [w * max(1.0, (_width("Encoder", LABEL) + 0.3) / sum(enc_slots)) for w in enc_slots]
    dec_slots = [w * max(1.0, (_width(shifted_note) + 0.05) / sum(dec_slots)) for w in dec_slots]
    gap = 0.7
    scale = min(1.0, 6.1 / (sum(enc_slots) + gap + sum(dec_slots)))  # long sentences: narrower
    enc_slots, dec_slots, gap = [w * scale for w in enc_slots], [w * scale for w in dec_slots], gap * scale
    enc_w, dec_w = sum(enc_slots), sum(dec_slots)
    fig, ax = _canvas(0.15 + enc_w + gap + dec_w + 0.15, 3.8)
    enc_x, dec_x = 0.15, 0.15 + enc_w + gap
    for c in _tokens(ax, enc_x, 0.6, enc_slots, source, "input"):
        _arrow(ax, (c, 0.75), (c, 1.1))
    _text(ax, enc_x + enc_w / 2, 0.2, "source")
    _box(ax, enc_x + enc_w / 2, 1.35, enc_w - 0.08, 0.5, "Encoder", "plain")
    _box(ax, dec_x + dec_w / 2, 1.35, dec_w - 0.08, 0.5, "Decoder", "plain")
    _arrow(ax, (enc_x + enc_w - 0.04, 1.35), (dec_x + 0.04, 1.35))
    _text(ax, enc_x + enc_w + gap / 2, 1.42, "memory", va="bottom")
    _text(ax, dec_x + dec_w / 2, 0.2, shifted_note)
    inputs = _tokens(ax, dec_x, 0.6, dec_slots, shifted, "embedding")
    _tokens(ax, dec_x, 2.2, dec_slots, predictions, "output")
    _tokens(ax, dec_x, 2.95, dec_slots, labels, "norm")
    for c in inputs:
        _arrow(ax, (c, 0.75), (c, 1.1))
        _arrow(ax, (c, 1.6), (c, 2.05))
        _arrow(ax, (c, 2.8), (c, 2.35), arrowstyle="<|-|>")
    for y, text in ((2.95, "label"), (2.575, "cross-entropy"), (2.2, "prediction")):
        _text(ax, dec_x - 0.12, y, text, ha="right")
    _text(
        ax,
        fig.get_figwidth() / 2,
        3.55,
        "cross-entropy at every position, all in one pass",
        LABEL,
        color=ACCENT,
    )
    return fig
