"""nonlin.interactive: slider figures with precomputed frames."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nonlin import activations as act
from nonlin.interactive import frame_data, mime_bundle, slider_figure

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

