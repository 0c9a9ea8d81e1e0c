"""The chapters' architecture diagrams: they fit a phone, nothing overlaps or is clipped, highlights show."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from book.chapters import diagrams

DRAWINGS = {
    "architecture": lambda: diagrams.architecture(),
    "architecture, positional encoding": lambda: diagrams.architecture(("positional encoding",)),
    "architecture, decoder": lambda: diagrams.architecture(
        ("decoder", "masked self-attention", "cross-attention")
    ),
    "architecture, everything": lambda: diagrams.architecture(diagrams.PARTS),
    "position_wise_feed_forward": lambda: diagrams.position_wise_feed_forward(),
    "qkv_projections": lambda: diagrams.qkv_projections(),
    "score_matrix": lambda: diagrams.score_matrix(),
    "score_matrix, three words": lambda: diagrams.score_matrix(("the", "cat", "sat")),
    "heads_split_concat": lambda: diagrams.heads_split_concat(),
    "heads_split_concat, 16 heads": lambda: diagrams.heads_split_concat(512, 16),
    "residual_paths": lambda: diagrams.residual_paths(),
    "causal_step": lambda: diagrams.causal_step(),
    "causal_step, step 2": lambda: diagrams.causal_step(step=2),
    "teacher_forcing": lambda: diagrams.teacher_forcing(),
}

# The widest each figure may be with its default arguments, in inches. The site shows them at 90 dpi,
# scaled down to a phone's ~358 px: a 6.4 in figure's 9 pt text is then about 7 px tall, too small.
MAX_WIDTH = {
    diagrams.architecture: 5.6,
    diagrams.position_wise_feed_forward: 4.6,
    diagrams.qkv_projections: 4.4,
    diagrams.score_matrix: 5.4,
    diagrams.heads_split_concat: 6.4,
    diagrams.residual_paths: 5.4,
    diagrams.causal_step: 5.1,
    diagrams.teacher_forcing: 5.6,
}


def shown_texts(fig: Figure) -> list[Text]:
    """Every text artist that puts ink on the rendered figure."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.fixture(autouse=True)
def no_figure_left_open():
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "a test left a figure open"


@pytest.mark.parametrize("name", DRAWINGS)
def test_diagram_fits_a_phone_and_nothing_overlaps_or_is_clipped(name: str) -> None:
    fig = DRAWINGS[name]()
    try:
        assert isinstance(fig, Figure)
        assert fig.get_figwidth() <= 6.4
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        texts = shown_texts(fig)
        assert len(texts) >= 5
        for text in texts:
            assert text.get_fontsize() >= 9, text.get_text()
        # a 1 px margin on every side tolerates texts that merely touch
        boxes = [t.get_window_extent(renderer).expanded(1, 1).padded(-1) for t in texts]
        frame = fig.bbox
        for text, box in zip(texts, boxes, strict=True):
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1, f"clipped left or right: {text.get_text()!r}"
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1, f"clipped at top or bottom: {text.get_text()!r}"
        for i, (a, box_a) in enumerate(zip(texts, boxes, strict=True)):
            for b, box_b in zip(texts[i + 1 :], boxes[i + 1 :], strict=True):
                assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"
        pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
        assert (pixels < 245).any(axis=-1).mean() > 0.02  # there is a picture, not a blank card
    finally:
        plt.close(fig)


@pytest.mark.parametrize("draw", MAX_WIDTH, ids=lambda draw: draw.__name__)
def test_diagram_is_no_wider_than_its_phone_width(draw) -> None:
    fig = draw()
    width = fig.get_figwidth()
    plt.close(fig)
    assert width <= MAX_WIDTH[draw] + 1e-9, f"{draw.__name__} is {width:.2f} in wide"


def test_figure_one_labels_its_boxes_at_10_pt_and_nothing_below_9() -> None:
    fig = diagrams.architecture(diagrams.PARTS)
    texts = shown_texts(fig)
    plt.close(fig)
    notes = {"Positional\nencoding", "memory", "you are\nhere"}  # the small print beside the boxes
    assert {t.get_text() for t in texts} >= notes
    for text in texts:
        assert text.get_fontsize() >= (9 if text.get_text() in notes else 10), text.get_text()


def part_patches(fig: Figure) -> dict[str, list]:
    """The patches of figure 1 tagged with the part they draw, by part."""
    found: dict[str, list] = {}
    for patch in fig.findobj(Patch):
        if (patch.get_gid() or "").startswith("part:"):
            found.setdefault(patch.get_gid().removeprefix("part:"), []).append(patch)
    return found


def test_every_part_of_figure_one_is_drawn_and_plain_without_a_highlight() -> None:
    fig = diagrams.architecture()
    parts = part_patches(fig)
    plt.close(fig)
    assert set(parts) == set(diagrams.PARTS)
    assert len(parts["add & norm"]) == 5 and len(parts["feed-forward"]) == 2
    assert all((p.get_alpha() or 1.0) == 1.0 for patches in parts.values() for p in patches)


def test_a_highlight_is_thicker_and_everything_else_faded() -> None:
    fig = diagrams.architecture(("positional encoding",))
    parts = part_patches(fig)
    plt.close(fig)
    chosen = parts.pop("positional encoding")
    others = [p for patches in parts.values() for p in patches]
    assert len(chosen) == 4  # a circled + and a sinusoid icon at each stack's entry
    assert min(p.get_linewidth() for p in chosen) > max(p.get_linewidth() for p in others)
    assert all((p.get_alpha() or 1.0) == 1.0 for p in chosen)
    assert all(p.get_alpha() < 1.0 for p in others)


def test_a_highlighted_stack_keeps_its_boxes_unfaded() -> None:
    fig = diagrams.architecture(("decoder",))
    parts = part_patches(fig)
    plt.close(fig)
    assert parts["decoder"][0].get_linewidth() > parts["encoder"][0].get_linewidth()
    assert parts["masked self-attention"][0].get_alpha() == 1.0
    assert parts["self-attention"][0].get_alpha() < 1.0


def test_an_unknown_part_is_refused_with_the_list_of_parts() -> None:
    with pytest.raises(ValueError, match="'attention'") as error:
        diagrams.architecture(("attention",))
    assert all(part in str(error.value) for part in diagrams.PARTS)


def test_heads_must_divide_d_model() -> None:
    with pytest.raises(ValueError, match="512") as error:
        diagrams.heads_split_concat(512, 7)
    assert "7" in str(error.value)


def test_causal_step_refuses_a_step_past_the_words() -> None:
    with pytest.raises(ValueError, match="0 to 3") as error:
        diagrams.causal_step(step=9)
    assert "9" in str(error.value)


def test_the_same_call_draws_the_same_picture() -> None:
    pictures = []
    for _ in range(2):
        fig = diagrams.causal_step(step=1)
        fig.canvas.draw()
        pictures.append(np.asarray(fig.canvas.buffer_rgba()).copy())
        plt.close(fig)
    assert np.array_equal(*pictures)
