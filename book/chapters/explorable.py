"""Explorables that work without a kernel: every state drawn ahead, switched in the browser.

Each frame (a matplotlib figure, an HTML string or any widget) is drawn when the notebook runs and
stored in an ipywidgets ``Stack``; a slider picks the frame through a ``jslink``, which runs in the
browser, and the frame's label is written out in full between them. So the published page stays
interactive with no Python behind it, and the same widget works in a live notebook.

Some widgets cannot be drawn ahead (free text typed by the reader, a training run): ``live_only`` shows
such a widget with the output it stored when the chapter ran, and a note that says how to run it live.
"""

import html
import io
from collections.abc import Callable, Iterable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

Frame = Figure | str | widgets.Widget


def figure_words(figure: Figure) -> str:
    """What a figure's own words say it shows: its title, and each plot's title and axis labels (colour bars
    left out), e.g. ``"Attention of head 1 (query (attending) against key (attended to))"``."""
    parts = [figure.get_suptitle()]
    for ax in figure.axes:
        if ax.get_label() == "<colorbar>":
            continue
        axes = " against ".join(label for label in (ax.get_ylabel(), ax.get_xlabel()) if label)
        parts.append(f"{ax.get_title()} ({axes})" if axes else ax.get_title())
    return "; ".join(part.strip() for part in parts if part.strip())


def alt_text(frame: Frame, alt: str) -> str:
    """What a frame shows, for readers who do not see it: ``alt``, then a figure's own words."""
    words = figure_words(frame) if isinstance(frame, Figure) else ""
    return ". ".join(part for part in (alt, words) if part)


def as_widget(frame: Frame) -> widgets.Widget:
    """A figure becomes an image (and is closed), a string becomes HTML, a widget stays itself.

    The image is a lossless WebP: the same pixels as a PNG in under half its bytes.
    """
    if isinstance(frame, Figure):
        buffer = io.BytesIO()
        frame.savefig(buffer, format="webp", dpi=90, bbox_inches="tight", pil_kwargs={"lossless": True})
        plt.close(frame)
        return widgets.Image(value=buffer.getvalue(), format="webp")
    if isinstance(frame, str):
        return widgets.HTML(frame)
    if isinstance(frame, widgets.Widget):
        return frame
    raise TypeError(
        f"a frame must be a matplotlib Figure, an HTML string or a widget, got {type(frame).__name__}"
    )


# JupyterLab marks every widget that no kernel is connected to with a red broken-chain icon, as it draws a
# saved notebook's widgets before anything runs. An explorable needs no kernel (its links run in the
# browser), so it hides the mark on its own parts with this rule, which a hidden child carries.
NO_KERNEL_NEEDED = (
    "<style>.explorable.jupyter-widgets-disconnected::before,"
    " .explorable .jupyter-widgets-disconnected::before { display: none; }</style>"
)


class Explorable(widgets.VBox):
    """A slider over labelled, pre-drawn frames, with the label of the frame shown written out in full.

    Children, in order: ``slider``; ``readout``, a Stack of the labels as HTML, which wrap where a
    slider's own readout (hidden here) is a narrow fixed width that cuts long labels; ``stack``, the
    frames; and ``style_rule``, hidden, which keeps JupyterLab from marking the explorable as disconnected
    (``NO_KERNEL_NEEDED``). ``link`` ties the frames and ``readout_link`` the readout to the slider's
    index, in the browser. The CSS classes ``explorable``, ``explorable-readout`` and ``explorable-frames``
    name the parts for the site's tests. Its text form, shown where no widget can be, says how to get the
    slider.
    """

    def __init__(self, frames: dict[str, Frame], description: str, value: str | None = None) -> None:
        if not frames:
            raise ValueError("an explorable needs at least one frame")
        labels = list(frames)
        if value is not None and value not in frames:
            raise ValueError(f"value {value!r} is not one of the frames {labels}")
        index = labels.index(value) if value is not None else 0
        slider = widgets.SelectionSlider(
            options=labels,
            index=index,
            description=description,
            readout=False,
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(36em, 100%)"),
        )
        readout = widgets.Stack([widgets.HTML(html.escape(label)) for label in labels], selected_index=index)
        # Each frame's text for readers who do not see it, as the Stack's titles (which a Stack never shows;
        # the site gives them to its images as alt text). An image widget's own tooltip would break its view.
        titles = [alt_text(frame, f"{description}: {label}") for label, frame in frames.items()]
        stack = widgets.Stack(
            [as_widget(frame) for frame in frames.values()], selected_index=index, titles=titles
        )
        readout.add_class("explorable-readout")
        stack.add_class("explorable-frames")
        style_rule = widgets.HTML(NO_KERNEL_NEEDED, layout=widgets.Layout(display="none"))
        super().__init__([slider, readout, stack, style_rule])
        self.add_class("explorable")
        self.slider, self.readout, self.stack, self.style_rule = slider, readout, stack, style_rule
        self.link = widgets.jslink((slider, "index"), (stack, "selected_index"))
        self.readout_link = widgets.jslink((slider, "index"), (readout, "selected_index"))

    def __repr__(self) -> str:
        labels = self.slider.options
        count = f"{len(labels)} pictures" if len(labels) > 1 else "1 picture"
        shown = labels[0] if len(labels) == 1 else f"{labels[0]} … {labels[-1]}"
        return f"Slider {self.slider.description!r} over {count} ({shown}): run the notebook to explore it."


def explorable(
    draw: Callable[..., Frame], values: Iterable, description: str, label: str = "{}", value=None
) -> Explorable:
    """Draw ``draw(v)`` for every v in ``values`` now, and let a slider switch between them.

    ``label`` formats each value for the slider, e.g. ``"layer {}"``; ``value`` is the one shown first.
    Frames may themselves be explorables, which gives a second control (for example layer, then head).
    """
    values = list(values)
    labels = [label.format(v) for v in values]
    if len(set(labels)) < len(labels):
        raise ValueError(f"label {label!r} gives several values the same name: {labels}")
    frames = {name: draw(v) for name, v in zip(labels, values, strict=True)}
    first = None if value is None else label.format(value)
    return Explorable(frames, description, first)


LIVE_NOTE = (
    "<div class='live-only-note' style='border-left: 4px solid #d97706; padding: 0.3em 0.8em; "
    "margin: 0.4em 0;'><b>Needs a running Python kernel.</b> {note} On the published site this widget "
    "shows what it displayed when the chapter was run; to use it, open the chapter in Colab or Binder "
    "(the rocket button at the top of the page) or run the notebook in Jupyter.</div>"
)


class LiveOnly(widgets.VBox):
    """A widget that needs a kernel, under a note saying how to run it live.

    Its text form, shown where no widget can be, is the note and how to get the widget.
    """

    def __init__(self, widget: widgets.Widget, note: str) -> None:
        if not isinstance(widget, widgets.Widget):
            raise TypeError(f"live_only needs an ipywidgets widget, got {type(widget).__name__}")
        super().__init__([widgets.HTML(LIVE_NOTE.format(note=html.escape(note))), widget])
        self.note, self.widget = note, widget

    def __repr__(self) -> str:
        return f"{self.note} Run the notebook to use it: it needs a running Python kernel."


def live_only(widget: widgets.Widget, note: str) -> LiveOnly:
    """Show ``widget`` (which needs Python to respond) with a note on how to use it live.

    ``note`` says what the widget does, e.g. ``"Type an English sentence and press Translate."``.
    Fill the widget's output before displaying it (for example translate a default sentence), so the
    published page shows a meaningful result.
    """
    return LiveOnly(widget, note)
