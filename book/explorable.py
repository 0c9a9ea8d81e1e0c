"""Explorables that work without a kernel: every state drawn ahead, switched in the browser.

Each frame (a matplotlib figure, an HTML string or any widget) is drawn when the notebook runs and
stored in an ipywidgets ``Stack``; a slider picks the frame through a ``jslink``, which runs in the
browser. So the published page stays interactive with no Python behind it, and the same widget
works in a live notebook.
"""

import io
from collections.abc import Callable, Iterable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

Frame = Figure | str | widgets.Widget


def as_widget(frame: Frame) -> widgets.Widget:
    """A figure becomes a PNG image (and is closed), a string becomes HTML, a widget stays itself."""
    if isinstance(frame, Figure):
        buffer = io.BytesIO()
        frame.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
        plt.close(frame)
        return widgets.Image(value=buffer.getvalue(), format="png")
    if isinstance(frame, str):
        return widgets.HTML(frame)
    if isinstance(frame, widgets.Widget):
        return frame
    raise TypeError(
        f"a frame must be a matplotlib Figure, an HTML string or a widget, got {type(frame).__name__}"
    )


class Explorable(widgets.VBox):
    """A slider over labelled, pre-drawn frames. Its text form names the control and the frames."""

    def __init__(self, frames: dict[str, Frame], description: str, value: str | None = None) -> None:
        if not frames:
            raise ValueError("an explorable needs at least one frame")
        labels = list(frames)
        index = labels.index(value) if value is not None else 0
        slider = widgets.SelectionSlider(
            options=labels,
            index=index,
            description=description,
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(36em, 100%)"),
        )
        stack = widgets.Stack([as_widget(frame) for frame in frames.values()], selected_index=index)
        widgets.jslink((slider, "index"), (stack, "selected_index"))
        super().__init__([slider, stack])
        self.slider, self.stack = slider, stack

    def __repr__(self) -> str:
        labels = self.slider.options
        return (
            f"Explorable {self.slider.description!r}: {len(labels)} frames, {labels[0]!r} .. {labels[-1]!r}"
        )


def explorable(
    draw: Callable[..., Frame], values: Iterable, description: str, label: str = "{}", value=None
) -> Explorable:
    """Draw ``draw(v)`` for every v in ``values`` now, and let a slider switch between them.

    ``label`` formats each value for the slider, e.g. ``"layer {}"``; ``value`` is the one shown first.
    Frames may themselves be explorables, which gives a second control (for example layer, then head).
    """
    values = list(values)
    frames = {label.format(v): draw(v) for v in values}
    first = None if value is None else label.format(value)
    return Explorable(frames, description, first)
