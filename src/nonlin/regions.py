"""Linear pieces and regions of ReLU networks, counted exactly, and networks built by hand.

A ReLU network here is a list of affine layers (see ``nonlin.affine``) with ReLU between
consecutive layers and none after the last. Such a network computes a continuous piecewise
linear function; these helpers find its pieces from the weights, not from a plot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from ._checks import finite_real_array, increasing_points, integer, real_number, same_shape
from .affine import Layer, as_layers


@dataclass(frozen=True)
class Piece:
    """On ``start < x < end`` the network computes ``slope * x + intercept``."""

    start: float
    end: float
    slope: float
    intercept: float


def _interval(lo: Any, hi: Any) -> tuple[float, float]:
    lo = real_number(lo, "lo", allow_inf=True)
    hi = real_number(hi, "hi", allow_inf=True)
    if not lo < hi:
        raise ValueError(f"need lo < hi, got lo={lo}, hi={hi}")
    return lo, hi


def _inside(a: float, c: float) -> float:
    """A point strictly inside (a, c), which may be infinite on either side."""
    if math.isinf(a) and math.isinf(c):
        return 0.0
    if math.isinf(a):
        return c - max(1.0, abs(c))
    if math.isinf(c):
        return a + max(1.0, abs(a))
    return 0.5 * (a + c)


def linear_pieces(
    layers: Iterable[Sequence[Any]], lo: float = -math.inf, hi: float = math.inf,
    *, rtol: float = 1e-9,
) -> list[Piece]:
    """The maximal intervals of [lo, hi] on which a ReLU network of one variable is affine.

    Walks the network layer by layer: on each interval every unit's input is an affine
    function of x, so its sign can change only at that function's root; splitting there and
    fixing each unit's on/off state gives the next layer's affine functions. Neighbouring
    intervals whose slopes agree (to ``rtol`` relative to the largest slope) form one piece.
    The network must have one input and one output.
    """
    checked = as_layers(layers)
    if checked[0][0].shape[1] != 1:
        raise ValueError(
            f"linear_pieces needs a network of one variable: layers[0] takes "
            f"{checked[0][0].shape[1]} inputs, not 1"
        )
    if checked[-1][0].shape[0] != 1:
        raise ValueError(
            f"linear_pieces needs one output: the last layer gives {checked[-1][0].shape[0]}"
        )
    lo, hi = _interval(lo, hi)
    W0, b0 = checked[0]
    # Each entry: (start, end, A, C) with the current layer's pre-activations A * x + C.
    intervals = [(lo, hi, W0[:, 0].copy(), b0.copy())]
    for W, b in checked[1:]:
        split = []
        for start, end, A, C in intervals:
            with np.errstate(divide="ignore", invalid="ignore"):
                roots = -C / A
            cuts = np.unique(roots[(A != 0) & (roots > start) & (roots < end)])
            edges = [start, *cuts.tolist(), end]
            for a, c in zip(edges[:-1], edges[1:]):
                on = (A * _inside(a, c) + C) > 0  # which units pass their input on (a, c)
                split.append((a, c, W @ (A * on), W @ (C * on) + b))
        intervals = split
    slopes = np.array([A[0] for _, _, A, _ in intervals])
    tol = rtol * max(1.0, float(np.max(np.abs(slopes))))
    pieces: list[Piece] = []
    for start, end, A, C in intervals:
        if pieces and abs(pieces[-1].slope - A[0]) <= tol:
            last = pieces[-1]
            pieces[-1] = Piece(last.start, end, last.slope, last.intercept)
        else:
            pieces.append(Piece(start, end, float(A[0]), float(C[0])))
    return pieces


def count_linear_pieces(
    layers: Iterable[Sequence[Any]], lo: float = -math.inf, hi: float = math.inf
) -> int:
    """The number of linear pieces of a one-variable ReLU network on [lo, hi]."""
    return len(linear_pieces(layers, lo, hi))


def zaslavsky_max_regions(n_hyperplanes: int, dim: int) -> int:
    """Most regions n hyperplanes can cut R^dim into: sum of C(n, i) for i = 0..dim.

    Reached exactly when the hyperplanes are in general position (Zaslavsky, 1975); for the
    units of one ReLU layer with random weights that happens with probability 1.
    """
    n = integer(n_hyperplanes, "n_hyperplanes", 0)
    d = integer(dim, "dim", 1)
    return sum(math.comb(n, i) for i in range(d + 1))


def count_regions_2d(
    weights: Any, biases: Any, box: tuple[float, float, float, float] | None = None
) -> int:
    """Regions into which the lines w_j . x + b_j = 0 (one ReLU layer, 2-d input) cut a box.

    ``weights`` has shape (n, 2), ``biases`` shape (n,); ``box`` is (x_min, x_max, y_min,
    y_max), or None for the whole plane. Adding a line that crosses the box splits one region
    for every segment it is cut into, so regions = 1 + (lines crossing the box) + (crossing
    points inside the box). That holds when no three lines meet in a point, which is checked.
    """
    W = finite_real_array(weights, "weights")
    b = finite_real_array(biases, "biases")
    if W.ndim != 2 or W.shape[1] != 2:
        raise ValueError(f"weights must have shape (n, 2), got {W.shape}")
    if b.shape != (W.shape[0],):
        raise ValueError(f"biases must have shape ({W.shape[0]},), got {b.shape}")
    if np.any(np.all(W == 0, axis=1)):
        raise ValueError("a row of weights is zero: that unit has no boundary line")
    if box is not None:
        x0, x1 = _interval(box[0], box[1])
        y0, y1 = _interval(box[2], box[3])
        corners = np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]])
        side = corners @ W.T + b
        crossing = np.flatnonzero((side.max(axis=0) > 0) & (side.min(axis=0) < 0))
    else:
        crossing = np.arange(W.shape[0])
    points, pairs = [], []
    for i_pos, i in enumerate(crossing):
        for j in crossing[i_pos + 1:]:
            det = W[i, 0] * W[j, 1] - W[i, 1] * W[j, 0]
            if det == 0:
                continue  # parallel lines never cross
            p = np.linalg.solve(W[[i, j]], -b[[i, j]])
            if box is None or (x0 < p[0] < x1 and y0 < p[1] < y1):
                points.append(p)
                pairs.append((i, j))
    if points:
        # No third line may pass through a crossing point (within rounding of that point).
        P = np.array(points)
        distance = np.abs(P @ W.T + b) / np.linalg.norm(W, axis=1)
        distance[np.arange(len(pairs)), [i for i, _ in pairs]] = np.inf
        distance[np.arange(len(pairs)), [j for _, j in pairs]] = np.inf
        tolerance = 1e-9 * np.maximum(1.0, np.linalg.norm(P, axis=1))
        if np.any(distance <= tolerance[:, None]):
            raise ValueError("three or more lines meet in one point: not in general position")
    return 1 + len(crossing) + len(points)


def sawtooth_layers(depth: int) -> list[Layer]:
    """A ReLU network of ``depth`` hidden layers of 2 units with 2**depth pieces on [0, 1].

    Each hidden layer computes the tent map t(x) = 2 relu(x) - 4 relu(x - 1/2), which is 2x
    on [0, 1/2] and 2 - 2x on [1/2, 1]; composing it ``depth`` times doubles the number of
    teeth every time (Telgarsky, 2016).
    """
    depth = integer(depth, "depth", 1)
    first = (np.array([[1.0], [1.0]]), np.array([0.0, -0.5]))
    middle = (np.array([[2.0, -4.0], [2.0, -4.0]]), np.array([0.0, -0.5]))
    last = (np.array([[2.0, -4.0]]), np.array([0.0]))
    return [first] + [middle] * (depth - 1) + [last]


def relu_interpolant(knots_x: Any, knots_y: Any) -> list[Layer]:
    """A one-hidden-layer ReLU network through the points (knots_x[i], knots_y[i]).

    With k + 1 knots it has k hidden units, relu(x - knots_x[i]) for i < k, whose output
    weights are the changes of slope, so between the knots it equals the straight-line
    interpolant. Left of the first knot it is constant; right of the last it keeps the last
    slope.
    """
    x = increasing_points(knots_x, "knots_x")
    y = finite_real_array(knots_y, "knots_y")
    same_shape(y, "knots_y", x, "knots_x")
    slopes = np.diff(y) / np.diff(x)
    changes = np.diff(slopes, prepend=0.0)
    hidden = (np.ones((x.size - 1, 1)), -x[:-1])
    output = (changes.reshape(1, -1), np.array([y[0]]))
    return [hidden, output]
