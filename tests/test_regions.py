"""nonlin.regions: linear pieces, region counts, the sawtooth and the interpolant, against
brute force and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nonlin import affine, regions
from nonlin.activations import relu


def random_layers(rng, sizes):
    return [(rng.standard_normal((m, n)), rng.standard_normal(m)) for n, m in zip(sizes, sizes[1:])]


def assert_pieces_describe_the_network(layers, pieces, lo, hi, rng):
    """The pieces tile [lo, hi], the network is affine on each as stated, and neighbours differ."""
    assert pieces[0].start == lo and pieces[-1].end == hi
    for left, right in zip(pieces, pieces[1:]):
        assert left.end == right.start and left.end < right.end
        assert not math.isclose(left.slope, right.slope, rel_tol=1e-9, abs_tol=1e-12)
    for p in pieces:
        a = p.start if math.isfinite(p.start) else min(p.end, 0.0) - 10
        c = p.end if math.isfinite(p.end) else max(p.start, 0.0) + 10
        x = a + (c - a) * rng.uniform(0.01, 0.99, 20)
        y = affine.forward(layers, x, relu)[:, 0]
        np.testing.assert_allclose(y, p.slope * x + p.intercept, rtol=1e-8, atol=1e-8)


@given(
    widths=st.lists(st.integers(1, 6), min_size=0, max_size=4),
    seed=st.integers(0, 2**32 - 1),
    interval=st.sampled_from([(-math.inf, math.inf), (-2.0, 3.0), (0.0, 1.0)]),
)
def test_pieces_are_exactly_the_affine_stretches_of_random_networks(widths, seed, interval):
    rng = np.random.default_rng(seed)
    layers = random_layers(rng, [1, *widths, 1])
    pieces = regions.linear_pieces(layers, *interval)
    assert_pieces_describe_the_network(layers, pieces, *interval, rng)


@pytest.mark.parametrize("width", [1, 2, 5, 17])
def test_one_hidden_layer_of_width_k_has_k_plus_1_pieces_for_random_weights(width):
    rng = np.random.default_rng(width)
    assert regions.count_linear_pieces(random_layers(rng, [1, width, 1])) == width + 1


@pytest.mark.parametrize("depth", range(1, 9))
def test_the_sawtooth_has_2_to_the_depth_pieces_on_the_unit_interval(depth):
    layers = regions.sawtooth_layers(depth)
    assert len(layers) == depth + 1 and all(W.shape[0] <= 2 for W, _ in layers)
    pieces = regions.linear_pieces(layers, 0, 1)
    assert len(pieces) == 2**depth
    assert {abs(p.slope) for p in pieces} == {2.0**depth}  # every tooth is equally steep
    assert_pieces_describe_the_network(layers, pieces, 0.0, 1.0, np.random.default_rng(0))


def test_the_scalar_relu_model_has_one_kink_at_minus_one_third():
    pieces = regions.linear_pieces([(3, 1), (2, 2)])
    assert [(p.slope, p.intercept) for p in pieces] == [(0.0, 2.0), (6.0, 4.0)]
    assert pieces[0].end == pytest.approx(-1 / 3)


@pytest.mark.parametrize(
    ("layers", "lo", "hi", "error", "message"),
    [
        ([(np.ones((3, 2)), np.ones(3)), (np.ones((1, 3)), np.ones(1))], -1, 1, ValueError,
         "one variable: layers\\[0\\] takes 2 inputs"),
        ([(np.ones((3, 1)), np.ones(3)), (np.ones((2, 3)), np.ones(2))], -1, 1, ValueError,
         "needs one output"),
        ([(1, 0)], 1, 1, ValueError, "need lo < hi"),
        ([(1, 0)], float("nan"), 1, ValueError, "lo must be a number, got nan"),
        ([(1, 0)], "a", 1, TypeError, "lo must be a real number, got str"),
    ],
)
def test_linear_pieces_refuses_bad_input(layers, lo, hi, error, message):
    with pytest.raises(error, match=message):
        regions.linear_pieces(layers, lo, hi)


@pytest.mark.parametrize(
    ("n", "dim", "expected"), [(0, 2, 1), (1, 2, 2), (2, 2, 4), (3, 2, 7), (4, 3, 15), (5, 1, 6)]
)
def test_zaslavsky_values(n, dim, expected):
    assert regions.zaslavsky_max_regions(n, dim) == expected


@pytest.mark.parametrize(("n", "dim"), [(-1, 2), (2, 0), (1.5, 2), (True, 2)])
def test_zaslavsky_refuses_bad_counts(n, dim):
    with pytest.raises((TypeError, ValueError), match="n_hyperplanes|dim"):
        regions.zaslavsky_max_regions(n, dim)


def brute_force_regions(W, b, box, n=1500):
    """Distinct on/off patterns of the units on an n x n grid: a lower bound that converges."""
    xs = np.linspace(box[0], box[1], n)
    ys = np.linspace(box[2], box[3], n)
    X, Y = np.meshgrid(xs, ys)
    on = (np.stack([X.ravel(), Y.ravel()], axis=1) @ W.T + b) > 0
    return len(np.unique(np.packbits(on, axis=1), axis=0))


COUNTS = [regions.count_regions_2d, regions.count_regions_by_sampling]


@pytest.mark.parametrize("seed", range(4))
def test_region_counts_in_a_box_match_a_brute_force_count(seed):
    rng = np.random.default_rng(seed)
    W, b = rng.standard_normal((6, 2)), rng.standard_normal(6) * 0.5
    box = (-1.0, 1.0, -1.0, 1.0)
    brute = brute_force_regions(W, b, box)
    assert [count(W, b, box) for count in COUNTS] == [brute, brute]


@given(
    n=st.integers(1, 12),
    seed=st.integers(0, 2**32 - 1),
    box=st.sampled_from([None, (-1.0, 1.0, -1.0, 1.0), (0.0, 3.0, -0.5, 0.5)]),
)
def test_the_formula_and_the_on_off_patterns_give_the_same_count(n, seed, box):
    rng = np.random.default_rng(seed)
    W, b = rng.standard_normal((n, 2)), rng.standard_normal(n)
    assert regions.count_regions_2d(W, b, box) == regions.count_regions_by_sampling(W, b, box)


@pytest.mark.parametrize("n", [1, 3, 8, 20, 64])
def test_random_lines_reach_zaslavskys_maximum_on_the_whole_plane(n):
    rng = np.random.default_rng(n)
    W, b = rng.standard_normal((n, 2)), rng.standard_normal(n)
    assert regions.count_regions_by_sampling(W, b) == regions.zaslavsky_max_regions(n, 2)


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize(
    ("W", "b", "box", "expected"),
    [
        ([[1, 0], [1, 0]], [0, -1], None, 3),  # x = 0 and x = 1
        ([[1, 0], [-2, 0]], [1, 2], None, 3),  # x = -1 and x = 1, opposite orientations
        ([[1, 0], [0, 1]], [0, 0], None, 4),  # the two axes
        ([[1, 0], [0, 1]], [0, 0], (0.5, 1.0, 0.5, 1.0), 1),  # a box inside one quadrant
        ([[1, 0], [1, 1]], [0, 0.3], None, 4),  # a direction with a zero component
        ([[1, 0], [0, 1], [1, 1]], [0, 0, 0.5], None, 7),
        ([[1, 0], [0, 1], [1, 1]], [0, 0, 0.5], (-1.0, 1.0, -1.0, 1.0), 7),
        ([[1, 0], [0, 1], [1, 1]], [0, 0, 0.5], (0.0, 1.0, 0.0, 1.0), 1),
        ([[1, 0]], [5], (-1.0, 1.0, -1.0, 1.0), 1),  # a line that misses the box
    ],
)
def test_region_counts_of_small_arrangements(count, W, b, box, expected):
    assert count(W, b, box) == expected


@pytest.mark.parametrize("count", COUNTS)
def test_region_counts_refuse_degenerate_arrangements_and_bad_input(count):
    with pytest.raises(ValueError, match="general position"):
        count([[1, 0], [0, 1], [1, 1]], [0, 0, 0])  # all through the origin
    with pytest.raises(ValueError, match="units 0 and 1 have the same boundary line"):
        count([[1, 0], [2, 0]], [1, 2])  # x = -1 twice
    with pytest.raises(ValueError, match="units 1 and 2 have the same boundary line"):
        count([[0, 1], [1, 0], [-2, 0]], [0, 1, -2])  # x = -1 twice, facing opposite ways
    with pytest.raises(ValueError, match="shape"):
        count(np.ones((3, 3)), np.ones(3))
    with pytest.raises(ValueError, match="no boundary line"):
        count([[0, 0]], [1])
    with pytest.raises(ValueError, match="biases must be finite"):
        count([[1, 0]], [np.nan])
    with pytest.raises(TypeError, match="weights must be a real-valued array, got <U1"):
        count([["a", "b"]], [1])
    with pytest.raises(TypeError, match="box must be a tuple"):
        count([[1, 0]], [0], (0, 1, 0))
    with pytest.raises(ValueError, match="need lo < hi"):
        count([[1, 0]], [0], (1, 0, 0, 1))
    with pytest.raises(ValueError, match="box must be finite"):
        count([[1, 0]], [0], (0, np.inf, 0, 1))


def test_relu_interpolant_passes_through_the_knots_and_is_straight_between():
    x = np.array([-1.0, 0.0, 0.5, 2.0])
    y = np.array([1.0, -1.0, 3.0, 0.0])
    layers = regions.relu_interpolant(x, y)
    assert layers[0][0].shape == (3, 1)  # one unit per segment
    np.testing.assert_allclose(affine.forward(layers, x, relu)[:, 0], y, atol=1e-12)
    grid = np.linspace(-1, 2, 301)
    np.testing.assert_allclose(affine.forward(layers, grid, relu)[:, 0], np.interp(grid, x, y), atol=1e-12)
    assert regions.count_linear_pieces(layers, -1, 2) == 3


@pytest.mark.parametrize("k", [2, 8, 32, 128])
def test_interpolating_sin_meets_the_h_squared_over_8_bound(k):
    x = np.linspace(0, 2 * np.pi, k + 1)
    grid = np.linspace(0, 2 * np.pi, 20001)
    error = np.abs(affine.forward(regions.relu_interpolant(x, np.sin(x)), grid, relu)[:, 0] - np.sin(grid))
    assert error.max() <= (2 * np.pi / k) ** 2 / 8


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ([0.0], [0.0], "at least 2 points"),
        ([0.0, 1.0], [0.0], "knots_y has shape"),
        ([0.0, 0.0], [0.0, 1.0], "strictly increasing"),
        ([0.0, np.inf], [0.0, 1.0], "finite"),
    ],
)
def test_relu_interpolant_refuses_bad_knots(x, y, message):
    with pytest.raises(ValueError, match=message):
        regions.relu_interpolant(x, y)


@pytest.mark.parametrize("depth", [0, -1])
def test_sawtooth_needs_a_positive_depth(depth):
    with pytest.raises(ValueError, match="depth must be an integer >= 1"):
        regions.sawtooth_layers(depth)

