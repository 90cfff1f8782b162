"""nonlin.interactive: slider figures with precomputed frames."""

from __future__ import annotations

import html as html_lib
import json
import re

import numpy as np
import pytest

from nonlin import activations as act
from nonlin.interactive import describe, frame_data, mime_bundle, slider_figure, slider_steps

X = np.linspace(-2, 2, 41)


CURVES = np.stack([np.stack([act.leaky_relu(X, s), act.leaky_relu_grad(X, s)]) for s in (0.0, 0.5, 1.0)])


def figure():
    return slider_figure(X, CURVES, [0.0, 0.5, 1.0], names=["f", "f'"], slider_label="slope",
                         xlabel="x", ylabel="y", titles=["a", "b", "c"], background=[("ReLU", act.relu(X))])


def test_slider_figure_stores_every_step_as_a_frame():
    fig = figure()
    assert len(fig.frames) == 3 and len(fig.layout.sliders[0].steps) == 3
    assert [f.traces for f in fig.frames] == [(1, 2)] * 3  # the background trace never moves
    for step in range(3):
        for trace in range(2):
            np.testing.assert_allclose(frame_data(fig, step, trace), CURVES[step, trace], rtol=1e-6)
    assert list(fig.layout.sliders[0].steps[1].args[0]) == ["0.5"]


def test_rounding_noise_around_zero_is_stored_as_zero_so_two_cpus_store_the_same_bytes():
    # Two CPUs that compute sin(pi) = 1.2e-16 and -2.4e-16 (say) must store the same figure.
    x = np.array([0.0, np.pi / 2, np.pi])
    one, other = np.sin(x), np.sin(x) * np.array([1.0, 1.0, -2.0])
    stored = [frame_data(slider_figure(x, [[y]], [1], names=["sin"], slider_label="k", xlabel="x",
                                       ylabel="y"), 0, 0) for y in (one, other)]
    assert stored[0].tobytes() == stored[1].tobytes()
    np.testing.assert_array_equal(stored[0], [0.0, 1.0, 0.0])
    assert not np.signbit(stored[1]).any()  # -0.0 becomes 0.0
    # A small value that is not noise (1e-9 of the largest) is kept, to float32 precision.
    small = frame_data(slider_figure(x, [[[1e-9, 1.0, 0.5]]], [1], names=["s"], slider_label="k",
                                     xlabel="x", ylabel="y"), 0, 0)
    assert small[0] == np.float32(1e-9)


def test_bundle_is_deterministic_small_and_carries_no_plotly_js():
    first, second = mime_bundle(figure(), "leaky-demo"), mime_bundle(figure(), "leaky-demo")
    assert first == second
    html = first["text/html"]
    assert 'id="nonlin-leaky-demo"' in html and "Plotly.newPlot" in html
    assert len(html) < 30_000 and "plotly.js v" not in html and "</script>" not in html[:-10]
    spec = first["application/vnd.plotly.v1+json"]
    assert json.loads(json.dumps(spec)) == spec and len(spec["frames"]) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"curves": CURVES[:, :, :10]}, r"curves must have shape \(steps, traces, 41\)"),
        ({"values": [1, 2]}, "values has 2 entries but curves has 3 steps"),
        ({"names": ["f"]}, "names has 1 entries but curves has 2 traces"),
        ({"titles": ["a"]}, "titles has 1 entries"),
        ({"curves": CURVES * np.nan}, "curves must be finite"),
    ],
)
def test_slider_figure_refuses_inconsistent_input(kwargs, message):
    arguments = {"x": X, "curves": CURVES, "values": [0, 1, 2], "names": ["f", "g"],
                 "slider_label": "s", "xlabel": "x", "ylabel": "y", **kwargs}
    with pytest.raises(ValueError, match=message):
        slider_figure(arguments.pop("x"), arguments.pop("curves"), arguments.pop("values"), **arguments)


def test_bundle_names_must_be_safe_for_html_ids():
    with pytest.raises(ValueError, match="name must be lower-case"):
        mime_bundle(figure(), "Bad Name")



def test_keyboard_slider_is_labelled_and_spans_every_frame():
    html = mime_bundle(figure(), "leaky-demo")["text/html"]
    # The <label> is bound to the range input by id (a screen reader announces "slope").
    assert '<label for="nonlin-leaky-demo-range">slope</label>' in html
    range_input = re.search(r'<input type="range" id="nonlin-leaky-demo-range"[^>]*>', html)
    assert range_input, "no range input with the id the label names"
    # One position per frame, starting at the first (a wrong max leaves steps unreachable).
    assert 'min="0"' in range_input[0] and 'max="2"' in range_input[0] and 'value="0"' in range_input[0]
    # The script animates to the frames by the names the slider steps use, in their order.
    frames = json.loads(re.search(r"frames = (\[[^\]]*\])", html)[1])
    assert frames == [step.label for step in figure().layout.sliders[0].steps] == ["0.0", "0.5", "1.0"]
    assert json.loads(re.search(r"titles = (\[[^\]]*\])", html)[1]) == ["a", "b", "c"]
    assert "Plotly.animate(id, [frames[i]]" in html and 'addEventListener("input"' in html
    assert 'on("plotly_sliderchange"' in html  # the mouse slider moves the keyboard one too
    assert 'attributeFilter: ["data-theme"]' in html  # restyled when the site changes mode


def test_plot_has_an_image_role_and_a_description_of_what_it_shows():
    html = mime_bundle(figure(), "leaky-demo")["text/html"]
    div = re.search(r'<div id="nonlin-leaky-demo"[^>]*>', html)[0]
    assert 'role="img"' in div
    label = html_lib.unescape(re.search(r'aria-label="([^"]*)"', div)[1])
    assert label == describe(figure())
    # Axes, every trace (the fixed one too), the slider's name, range and number of steps.
    for words in ("y against x", "ReLU, f, f'", "slope", "from 0.0 to 1.0 in 3 steps"):
        assert words in label, (words, label)


def test_slider_steps_reads_label_frames_and_titles_back():
    assert slider_steps(figure()) == ("slope", ["0.0", "0.5", "1.0"], ["a", "b", "c"])
    untitled = slider_figure(X, CURVES, [0, 1, 2], names=["f", "g"], slider_label="s", xlabel="x", ylabel="y")
    assert slider_steps(untitled) == ("s", ["0", "1", "2"], ["", "", ""])


def test_text_from_the_figure_cannot_break_the_page():
    # A quote in a name must not end the aria-label; "</script>" in a title must not end the script.
    fig = slider_figure(X, CURVES, [0, 1, 2], names=['say "f"', "g"], slider_label="s<1", xlabel="x",
                        ylabel="y", titles=["</script><b>", "b", "c"])
    html = mime_bundle(fig, "quotes")["text/html"]
    assert html.count("</script>") == 1 and html.endswith("</script>")
    assert "&quot;f&quot;" in html and '<label for="nonlin-quotes-range">s&lt;1</label>' in html


def test_a_figure_without_a_slider_is_refused():
    import plotly.graph_objects as go

    with pytest.raises(ValueError, match="figure must have a slider"):
        mime_bundle(go.Figure(), "plain")
