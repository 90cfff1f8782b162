"""nonlin.exercises: right answers pass, wrong ones get a hint, bad calls are refused."""

from __future__ import annotations

import numpy as np
import pytest

from nonlin import activations as act
from nonlin.exercises import EXERCISES, check

RIGHT = {
    "ch1-regions": 22,
    "ch2-swish-minimum": [-1.2785 / 2, -0.2785 / 2],  # from the printed SiLU minimum, rounded
    "ch2-dead-bias": -0.8,
    "ch3-silu-derivative": lambda x: act.sigmoid(x) * (1 + x * (1 - act.sigmoid(x))),
    "ch4-capacitance": 2.4e-3,
    "ch5-kaiming-std": np.sqrt(2 / 512),
    "ch6-zero-fraction": 0.5,
    "ch7-bytes": 8e6,
}


WRONG = {
    "ch1-regions": 21,
    "ch2-swish-minimum": [-1.2785, -0.2785],  # SiLU's own minimum, not Swish's with beta = 2
    "ch2-dead-bias": -2.0,  # dead, but not the largest such bias
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


def test_the_regions_hint_gives_the_chapters_credit(capsys):
    # Chapter 1 credits the count 1 + n + C(n, 2) to Steiner (1826); Zaslavsky's theorem is the
    # general case, for any arrangement.
    check("ch1-regions", 21)
    said = capsys.readouterr().out
    assert "Steiner" in said and "Zaslavsky" not in said


def test_no_answer_yet_and_a_crashing_function(capsys):
    assert check("ch1-regions", None) is False
    assert "No answer yet" in capsys.readouterr().out
    assert check("ch3-silu-derivative", lambda x: 1 / 0) is False
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert check("ch3-silu-derivative", lambda x: 1.0) is False
    assert "returned shape ()" in capsys.readouterr().out
    assert check("ch2-swish-minimum", [1, 2, 3]) is False
    assert "Expected 2 numbers" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("exercise", "answer", "error", "message"),
    [
        ("ch9-nothing", 1, ValueError, "exercise must be one of"),
        ("ch1-regions", "22", TypeError, "answer to 'ch1-regions' must be a real number, got str"),
        ("ch1-regions", True, TypeError, "got bool"),
        ("ch3-silu-derivative", 3.0, TypeError, "answer must be a function"),
        ("ch2-swish-minimum", ["a", "b"], TypeError, "answer must be an array of numbers"),
    ],
)
def test_bad_calls_are_refused(exercise, answer, error, message):
    with pytest.raises(error, match=message):
        check(exercise, answer)

