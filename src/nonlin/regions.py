"""Linear pieces and regions of ReLU networks, counted from the weights, and networks built by hand.

A ReLU network here is a list of affine layers (see ``nonlin.affine``) with ReLU between
consecutive layers and none after the last. Such a network computes a continuous piecewise
linear function; these helpers find its pieces from the weights, not from a plot. The regions
of one layer with two inputs are counted two independent ways: by the formula 1 + lines +
crossing points, and by the distinct on/off patterns at points that meet every region.
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
    intervals whose slopes differ by at most ``rtol * max(1, largest |slope|)`` form one piece:
    relative to the largest slope when it is 1 or more, an absolute ``rtol`` when every slope
    is smaller. A kink whose change of slope is within that tolerance is therefore not counted
    (with ``rtol = 1e-9``, relu(x) * 1e-10 gives one piece, not two). The network must have one
    input and one output.
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
    """The number of linear pieces of a one-variable ReLU network on [lo, hi].

    Pieces are merged as in ``linear_pieces``, with its default ``rtol``.
    """
    return len(linear_pieces(layers, lo, hi))


def zaslavsky_max_regions(n_hyperplanes: int, dim: int) -> int:
    """Most regions n hyperplanes can cut R^dim into: sum of C(n, i) for i = 0..dim.

    Reached exactly when the hyperplanes are in general position: the classical count (Steiner,
    1826, for lines in the plane; Buck, 1943, for any dimension), which Zaslavsky's (1975)
    formula for the regions of any arrangement contains as a special case. For the units of one
    ReLU layer with random weights, general position holds with probability 1.
    """
    n = integer(n_hyperplanes, "n_hyperplanes", 0)
    d = integer(dim, "dim", 1)
    return sum(math.comb(n, i) for i in range(d + 1))


def _lines_2d(weights: Any, biases: Any) -> tuple[np.ndarray, np.ndarray]:
    """The (n, 2) weights and (n,) biases of one ReLU layer with 2 inputs, checked."""
    W = finite_real_array(weights, "weights")
    b = finite_real_array(biases, "biases")
    if W.ndim != 2 or W.shape[1] != 2:
        raise ValueError(f"weights must have shape (n, 2), got {W.shape}")
    if b.shape != (W.shape[0],):
        raise ValueError(f"biases must have shape ({W.shape[0]},), got {b.shape}")
    if np.any(np.all(W == 0, axis=1)):
        raise ValueError("a row of weights is zero: that unit has no boundary line")
    # Two units with the same boundary line (proportional rows of [W b]) make one cut, not two.
    norm = np.linalg.norm(W, axis=1)
    i, j = np.triu_indices(W.shape[0], 1)
    parallel = np.abs(W[i, 0] * W[j, 1] - W[i, 1] * W[j, 0]) <= 1e-12 * norm[i] * norm[j]
    offset_i = b[i] / norm[i]  # signed distance of line i from the origin, along W[i]
    offset_j = np.sign(np.sum(W[i] * W[j], axis=1)) * b[j] / norm[j]  # of line j, along W[i]
    same = parallel & (np.abs(offset_i - offset_j) <= 1e-12 * np.maximum(1.0, np.abs(offset_i)))
    if np.any(same):
        k = np.argmax(same)
        raise ValueError(f"units {i[k]} and {j[k]} have the same boundary line")
    return W, b


def _box(box: Any) -> tuple[float, float, float, float]:
    """(x_min, x_max, y_min, y_max), checked: four finite numbers with min < max."""
    if isinstance(box, (str, bytes)) or not isinstance(box, (tuple, list)) or len(box) != 4:
        raise TypeError("box must be a tuple (x_min, x_max, y_min, y_max)")
    x0, x1 = _interval(box[0], box[1])
    y0, y1 = _interval(box[2], box[3])
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1)):
        raise ValueError("box must be finite; pass box=None for the whole plane")
    return x0, x1, y0, y1


def _distances_to_other_lines(
    P: np.ndarray, i: np.ndarray, j: np.ndarray, W: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Distance from each crossing point P[k] of lines i[k] and j[k] to every other line.

    Raises if a third line passes through a crossing point (within rounding of that point):
    the arrangement is then not in general position.
    """
    distance = np.abs(P @ W.T + b) / np.linalg.norm(W, axis=1)  # (crossings, lines)
    distance[np.arange(len(P)), i] = np.inf
    distance[np.arange(len(P)), j] = np.inf
    tolerance = 1e-9 * np.maximum(1.0, np.linalg.norm(P, axis=1))
    if np.any(distance <= tolerance[:, None]):
        raise ValueError("three or more lines meet in one point: not in general position")
    return distance


def count_regions_2d(
    weights: Any, biases: Any, box: tuple[float, float, float, float] | None = None
) -> int:
    """Regions into which the lines w_j . x + b_j = 0 (one ReLU layer, 2-d input) cut a box.

    ``weights`` has shape (n, 2), ``biases`` shape (n,); ``box`` is (x_min, x_max, y_min,
    y_max), or None for the whole plane. Adding a line that crosses the box splits one region
    for every segment it is cut into, so regions = 1 + (lines crossing the box) + (crossing
    points inside the box). That holds when no two lines coincide and no three meet in a
    point, which is checked.
    """
    W, b = _lines_2d(weights, biases)
    if box is not None:
        x0, x1, y0, y1 = _box(box)
        corners = np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]])
        side = corners @ W.T + b
        crossing = np.flatnonzero((side.max(axis=0) > 0) & (side.min(axis=0) < 0))
    else:
        crossing = np.arange(W.shape[0])
    i, j = (crossing[k] for k in np.triu_indices(crossing.size, 1))
    det = W[i, 0] * W[j, 1] - W[i, 1] * W[j, 0]
    i, j = i[det != 0], j[det != 0]  # parallel lines never cross
    pair = np.stack([W[i], W[j]], axis=1)
    P = np.linalg.solve(pair, -np.stack([b[i], b[j]], axis=1)[:, :, None])[:, :, 0]
    if box is not None:
        inside = (x0 < P[:, 0]) & (P[:, 0] < x1) & (y0 < P[:, 1]) & (P[:, 1] < y1)
        P, i, j = P[inside], i[inside], j[inside]
    _distances_to_other_lines(P, i, j, W, b)  # refuses three lines through one point
    return 1 + len(crossing) + len(P)


def count_regions_by_sampling(
    weights: Any, biases: Any, box: tuple[float, float, float, float] | None = None
) -> int:
    """The regions of ``count_regions_2d`` counted a second way: distinct on/off patterns.

    Each region is the set of points where the units have one on/off pattern, so the number of
    distinct patterns at points that meet every region is the number of regions. Such points
    are, inside the box: a point in each of the four corners around every crossing point of two
    lines (close enough that no other line comes between), and a point on each segment into
    which the lines cut the box's edges. A region with no such segment lies inside the box, and
    its corners are crossing points. For the whole plane (``box=None``) the box is taken large
    enough to hold every crossing point and a point of every line, so that it meets every
    region. No formula for the count is used. The same arrangements are refused as by
    ``count_regions_2d``.
    """
    W, b = _lines_2d(weights, biases)
    norm = np.linalg.norm(W, axis=1)
    i, j = np.triu_indices(W.shape[0], 1)
    crossing = np.abs(W[i, 0] * W[j, 1] - W[i, 1] * W[j, 0]) > 0
    i, j = i[crossing], j[crossing]
    pair = np.stack([W[i], W[j]], axis=1)  # (crossings, 2, 2): the two lines of each crossing
    P = np.linalg.solve(pair, -np.stack([b[i], b[j]], axis=1)[:, :, None])[:, :, 0]
    if box is None:
        feet = -(b / norm**2)[:, None] * W  # the point of each line nearest the origin
        known = np.vstack([P, feet])
        low, high = known.min(axis=0) - 1.0, known.max(axis=0) + 1.0
        x0, x1, y0, y1 = low[0], high[0], low[1], high[1]
    else:
        x0, x1, y0, y1 = _box(box)
    samples = []
    # On each edge of the box, the midpoints between consecutive places where lines cross it,
    # moved into the box by less than their distance to any line (a line along the edge aside).
    size = min(x1 - x0, y1 - y0)
    for fixed, inward, lo, hi, axis in [(y0, 1, x0, x1, 0), (y1, -1, x0, x1, 0),
                                        (x0, 1, y0, y1, 1), (x1, -1, y0, y1, 1)]:
        other = 1 - axis
        along = W[:, axis]
        with np.errstate(divide="ignore", invalid="ignore"):
            cuts = -(b + W[:, other] * fixed) / along
        cuts = np.sort(cuts[(along != 0) & (cuts > lo) & (cuts < hi)])
        edges = np.concatenate([[lo], cuts, [hi]])
        point = np.empty((edges.size - 1, 2))
        point[:, axis], point[:, other] = 0.5 * (edges[:-1] + edges[1:]), fixed
        distance = np.abs(point @ W.T + b) / norm
        on_edge = (along == 0) & (np.abs(W[:, other] * fixed + b) <= 1e-12 * norm * max(1.0, abs(fixed)))
        distance[:, on_edge] = np.inf
        point[:, other] += inward * 0.5 * np.minimum(distance.min(axis=1, initial=np.inf), size)
        samples.append(point)
    # Around each crossing p inside the box, one point in each of the four corners between its
    # two lines: p + t d, with d solving pair @ d = (+-1, +-1), and t small enough that p + t d
    # is nearer to p than any other line and than the box's edges.
    inside = (P[:, 0] > x0) & (P[:, 0] < x1) & (P[:, 1] > y0) & (P[:, 1] < y1)
    P, pair, i, j = P[inside], pair[inside], i[inside], j[inside]
    if len(P):
        distance = _distances_to_other_lines(P, i, j, W, b)
        to_edge = np.min([P[:, 0] - x0, x1 - P[:, 0], P[:, 1] - y0, y1 - P[:, 1]], axis=0)
        clearance = np.minimum(distance.min(axis=1), to_edge)
        signs = np.array([[1.0, 1.0, -1.0, -1.0], [1.0, -1.0, 1.0, -1.0]])
        D = np.linalg.solve(pair, np.broadcast_to(signs, (len(P), 2, 4)))  # (crossings, 2, 4)
        t = 0.5 * clearance[:, None] / np.linalg.norm(D, axis=1)  # (crossings, 4)
        samples.append((P[:, :, None] + t[:, None, :] * D).transpose(0, 2, 1).reshape(-1, 2))
    on = (np.vstack(samples) @ W.T + b) > 0  # one row of on/off states per sample point
    patterns = np.ascontiguousarray(np.packbits(on, axis=1))
    return len(np.unique(patterns.view(f"V{patterns.shape[1]}")))


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
