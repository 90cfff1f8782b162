"""Self-checking exercises: ``check(exercise, answer)`` says whether an answer is right.

An answer is a number, an array or a function, depending on the exercise. A wrong answer
gets a hint, never the solution; the worked solutions stay in the chapters, hidden behind a
toggle. (The expected values below are, of course, readable by anyone who opens this file.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import activations as act
from ._checks import one_of, real_number


@dataclass(frozen=True)
class Exercise:
    """What a correct answer is, and what to say when it is not.

    ``kind`` is "number", "array" or "function". For "function", ``expected`` is a reference
    function and the answer is compared with it on ``grid`` (start, stop, points).
    """

    kind: str
    expected: Any
    hint: str
    rtol: float = 1e-6
    atol: float = 1e-12
    grid: tuple[float, float, int] = (-6.0, 6.0, 241)


EXERCISES: dict[str, Exercise] = {
    "ch1-regions": Exercise(
        "number", 22,
        "n lines in general position cut the plane into 1 + n + C(n, 2) regions (Steiner, 1826)."),
    "ch2-swish-minimum": Exercise(
        "array", np.array([-0.6392323, -0.1392323]),
        "Substitute u = 2x: how is x * sigma(2x) related to SiLU(u) = u sigma(u)? Then use "
        "SiLU's minimum.", rtol=1e-3),
    "ch2-dead-bias": Exercise(
        "number", -0.8,
        "The unit is dead when w.x + b <= 0 at every point of the square: where on the square "
        "is w.x largest? And what slope does PyTorch use where w.x + b is exactly 0?"),
    "ch3-silu-derivative": Exercise(
        "function", act.silu_grad,
        "Product rule on x * sigma(x), with sigma' = sigma (1 - sigma). Your function must "
        "accept a numpy array.", rtol=1e-9, atol=1e-12),
    "ch4-capacitance": Exercise(
        "number", 2.4e-3, "C = I / (2 f dV) with I = 12 V / 100 ohm; answer in farads.", rtol=0.02),
    "ch5-kaiming-std": Exercise(
        "number", 0.0625, "Kaiming: std = gain / sqrt(fan_in), with gain = sqrt(2) for ReLU.",
        rtol=1e-3),
    "ch6-zero-fraction": Exercise(
        "number", 0.5, "At initialisation a unit's input is roughly symmetric about 0.", rtol=0.1),
    "ch7-bytes": Exercise(
        "number", 8_000_000, "Each float32 is 4 bytes, and each element is read once and written once."),
}


def _is_right(spec: Exercise, answer: Any, exercise: str) -> tuple[bool, str]:
    """(correct, extra explanation) for an answer of the right kind."""
    if spec.kind == "number":
        value = real_number(answer, f"answer to {exercise!r}", allow_inf=True)
        return math.isclose(value, spec.expected, rel_tol=spec.rtol, abs_tol=spec.atol), ""
    if spec.kind == "array":
        try:
            value = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"answer must be an array of numbers for exercise {exercise!r}") from None
        if value.shape != spec.expected.shape:
            return False, f"Expected {spec.expected.size} numbers in a 1-d array, got shape {value.shape}."
        return bool(np.allclose(value, spec.expected, rtol=spec.rtol, atol=spec.atol)), ""
    if not callable(answer):
        raise TypeError(f"answer must be a function for exercise {exercise!r}, got {type(answer).__name__}")
    x = np.linspace(*spec.grid)
    try:
        value = np.asarray(answer(x), dtype=float)
    except Exception as error:  # the learner's code: report, do not crash
        return False, f"Your function raised {type(error).__name__}: {error}."
    if value.shape != x.shape:
        return False, f"Your function returned shape {value.shape} for an input of shape {x.shape}."
    return bool(np.allclose(value, spec.expected(x), rtol=spec.rtol, atol=spec.atol)), ""


def check(exercise: str, answer: Any) -> bool:
    """Print whether ``answer`` solves ``exercise`` (with a hint if not); return True if it does."""
    one_of(exercise, "exercise", sorted(EXERCISES))
    if answer is None:
        print("No answer yet: write yours in place of None and run the cell again.")
        return False
    spec = EXERCISES[exercise]
    correct, extra = _is_right(spec, answer, exercise)
    if correct:
        print("Correct.")
    else:
        print(" ".join(filter(None, ["Not yet.", extra, f"Hint: {spec.hint}"])))
    return correct
