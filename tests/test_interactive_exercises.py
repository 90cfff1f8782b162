"""nonlin.interactive and nonlin.exercises."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nonlin import activations as act
from nonlin.exercises import EXERCISES, check
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


# ---------------------------------------------------------------------------------------------
# exercises
# ---------------------------------------------------------------------------------------------

RIGHT = {
    "ch1-regions": 22,
    "ch2-leaky-by-hand": [-0.2, -0.1, 0.0, 1.0, 2.0],
    "ch2-silu-minimum": -1.2785,
    "ch3-silu-derivative": lambda x: act.sigmoid(x) * (1 + x * (1 - act.sigmoid(x))),
    "ch4-capacitance": 2.4e-3,
    "ch5-kaiming-std": np.sqrt(2 / 512),
    "ch6-zero-fraction": 0.5,
    "ch7-bytes": 8e6,
}
WRONG = {
    "ch1-regions": 21,
    "ch2-leaky-by-hand": [0.0, 0.0, 0.0, 1.0, 2.0],
    "ch2-silu-minimum": -0.278,
    "ch3-silu-derivative": lambda x: act.sigmoid(x),
    "ch4-capacitance": 2.4e-4,
    "ch5-kaiming-std": 1 / 512,
    "ch6-zero-fraction": 0.9,
    "ch7-bytes": 4e6,
}


def test_every_exercise_has_a_right_and_a_wrong_answer_here():
    assert set(RIGHT) == set(EXERCISES) == set(WRONG)


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_right_answers_pass_and_wrong_ones_get_a_hint_not_the_solution(exercise, capsys):
    assert check(exercise, RIGHT[exercise]) is True
    assert capsys.readouterr().out.strip() == "Correct."
    assert check(exercise, WRONG[exercise]) is False
    said = capsys.readouterr().out
    assert said.startswith("Not yet.") and "Hint:" in said
    expected = EXERCISES[exercise].expected
    if not callable(expected):
        for number in np.atleast_1d(expected):
            if number not in (0.0, 1.0, 2.0):  # digits that appear in any sentence
                assert f"{number:g}" not in said and repr(float(number)) not in said


def test_no_answer_yet_and_a_crashing_function(capsys):
    assert check("ch1-regions", None) is False
    assert "No answer yet" in capsys.readouterr().out
    assert check("ch3-silu-derivative", lambda x: 1 / 0) is False
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert check("ch3-silu-derivative", lambda x: 1.0) is False
    assert "returned shape ()" in capsys.readouterr().out
    assert check("ch2-leaky-by-hand", [1, 2]) is False
    assert "Expected 5 numbers" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("exercise", "answer", "error", "message"),
    [
        ("ch9-nothing", 1, ValueError, "exercise must be one of"),
        ("ch1-regions", "22", TypeError, "answer must be a number for exercise 'ch1-regions', got str"),
        ("ch1-regions", True, TypeError, "got bool"),
        ("ch3-silu-derivative", 3.0, TypeError, "answer must be a function"),
        ("ch2-leaky-by-hand", ["a", "b"], TypeError, "answer must be an array of numbers"),
    ],
)
def test_bad_calls_are_refused(exercise, answer, error, message):
    with pytest.raises(error, match=message):
        check(exercise, answer)
