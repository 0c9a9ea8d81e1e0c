"""Explorables keep every frame and link the slider to them, and to their labels written out in full, in the
browser; live-only widgets carry a note."""

import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from PIL import Image

from book.chapters.explorable import Explorable, explorable, live_only


def draw_line(slope: int) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, slope])
    return fig


def test_every_value_gets_a_frame_in_order() -> None:
    widget = explorable(draw_line, [1, 2, 3], "slope", label="slope {}", value=2)
    assert isinstance(widget, Explorable)
    assert widget.slider.options == ("slope 1", "slope 2", "slope 3")
    assert len(widget.stack.children) == 3
    assert all(isinstance(frame, widgets.Image) and frame.value for frame in widget.stack.children)
    assert widget.slider.index == widget.stack.selected_index == 1
    assert plt.get_fignums() == []  # figures are closed once drawn
    assert (
        repr(widget) == "Slider 'slope' over 3 pictures (slope 1 … slope 3): run the notebook to explore it."
    )


def test_frames_are_lossless_webp_with_text_saying_what_they_show() -> None:
    def draw(slope: int) -> plt.Figure:
        fig = draw_line(slope)
        fig.axes[0].set(title=f"a line of slope {slope}", xlabel="x", ylabel="y")
        return fig

    png = io.BytesIO()
    draw(3).savefig(png, format="png", dpi=90, bbox_inches="tight")
    widget = explorable(draw, [2, 3], "slope", label="slope {}")
    frame = widget.stack.children[1]
    assert frame.format == "webp"
    with Image.open(io.BytesIO(frame.value)) as webp, Image.open(png) as reference:
        assert webp.format == "WEBP" and webp.size == reference.size
        assert webp.convert("RGBA").tobytes() == reference.convert("RGBA").tobytes()  # lossless
    assert len(frame.value) < 0.7 * len(png.getvalue())
    assert frame.tooltip is None  # a tooltip on an image breaks its view in ipywidgets 8
    assert widget.stack.titles[1] == "slope: slope 3. a line of slope 3 (y against x)"  # the site's alt text
    plt.close("all")


def test_slider_drives_the_frames_in_the_browser() -> None:
    widget = explorable(lambda n: f"<b>{n}</b>", range(4), "n")
    assert widget.children == (widget.slider, widget.readout, widget.stack, widget.style_rule)
    assert widget.link.source == (widget.slider, "index")
    assert widget.link.target == (widget.stack, "selected_index")
    assert widget.stack.children[2].value == "<b>2</b>"
    assert "explorable" in widget._dom_classes and "explorable-frames" in widget.stack._dom_classes


def test_the_label_shown_is_written_out_in_full_and_follows_the_slider() -> None:
    long = "encoder, from the pronoun to the referent & <its> adjective"
    widget = explorable(str, ["short", long], "view", value=long)
    assert widget.slider.readout is False  # the slider's own readout is a fixed width that cuts labels
    assert widget.slider.description == "view"  # the slider's accessible name
    labels = [label.value for label in widget.readout.children]
    assert labels == ["short", "encoder, from the pronoun to the referent &amp; &lt;its&gt; adjective"]
    assert widget.readout.selected_index == widget.slider.index == 1
    assert widget.readout_link.source == (widget.slider, "index")
    assert widget.readout_link.target == (widget.readout, "selected_index")
    assert "explorable-readout" in widget.readout._dom_classes
    assert repr(explorable(str, [1], "x")) == "Slider 'x' over 1 picture (1): run the notebook to explore it."


def test_nested_explorables_give_two_controls() -> None:
    widget = explorable(
        lambda layer: explorable(lambda head: f"{layer}.{head}", range(2), "head"), range(3), "layer"
    )
    assert len(widget.stack.children) == 3
    assert all(isinstance(inner, Explorable) for inner in widget.stack.children)


def test_bad_input_is_reported() -> None:
    with pytest.raises(ValueError, match="at least one frame"):
        explorable(draw_line, [], "slope")
    with pytest.raises(ValueError, match="same name"):
        explorable(str, [0.11, 0.12], "x", label="{:.1f}")
    with pytest.raises(ValueError, match="not one of the frames"):
        explorable(str, [1, 2], "x", value=5)
    with pytest.raises(TypeError, match="got int"):
        explorable(lambda v: v, [1], "x")


def test_live_only_shows_the_widget_under_a_note() -> None:
    button = widgets.Button(description="Translate")
    widget = live_only(button, "Type a sentence & press Translate.")
    assert widget.children[1] is button
    note = widget.children[0].value
    assert "Type a sentence &amp; press Translate." in note and "Colab or Binder" in note
    assert repr(widget) == (
        "Type a sentence & press Translate. Run the notebook to use it: it needs a running Python kernel."
    )
    with pytest.raises(TypeError, match="ipywidgets widget"):
        live_only("not a widget", "note")
