"""nonlin.plotting: the book style and the shared plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nonlin  # noqa: E402
from nonlin.plotting import (  # noqa: E402
    PALETTE,
    axes_through_origin,
    plot_layer_norms,
    plot_with_derivative,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_with_derivative_draws_two_named_curves_on_axes_through_the_origin():
    nonlin.plotting.use_book_style()
    fig, ax = plt.subplots()
    x = np.linspace(-2, 2, 5)
    plot_with_derivative(ax, x, np.maximum(x, 0), (x > 0).astype(float), "relu")
    solid, dashed = ax.get_lines()
    np.testing.assert_array_equal(solid.get_ydata(), np.maximum(x, 0))
    assert dashed.get_linestyle() == "--"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["relu$(x)$", "relu$'(x)$"]
    assert ax.spines["left"].get_position() == ("data", 0)
    assert ax.spines["bottom"].get_position() == ("data", 0)
    assert ax.get_xlabel() == "$x$"


def test_plot_with_derivative_breaks_the_derivative_at_a_jump_and_marks_its_value():
    x = np.linspace(-1, 1, 5)  # contains 0
    dy = (x > 0).astype(float)  # relu', 0 at the kink
    _, ax = plt.subplots()
    plot_with_derivative(ax, x, np.maximum(x, 0), dy, "relu", jumps=[0.0])
    solid, dashed, dot = ax.get_lines()
    drawn = dashed.get_ydata()
    assert np.isnan(drawn[2]) and np.array_equal(drawn[[0, 1, 3, 4]], dy[[0, 1, 3, 4]])
    # no segment of the dashed line joins the two sides of the jump
    finite_neighbours = np.isfinite(drawn[:-1]) & np.isfinite(drawn[1:])
    assert np.all(np.abs(np.diff(drawn))[finite_neighbours] == 0)
    np.testing.assert_array_equal(dot.get_xydata(), [[0.0, 0.0]])
    assert dot.get_marker() == "o" and dot.get_linestyle() == "None"


def test_plot_with_derivative_without_jumps_or_legend_draws_two_unbroken_curves():
    x = np.linspace(-1, 1, 5)
    _, ax = plt.subplots()
    plot_with_derivative(ax, x, np.tanh(x), 1 - np.tanh(x) ** 2, "tanh", legend_loc=None)
    assert ax.get_legend() is None and len(ax.get_lines()) == 2
    assert np.all(np.isfinite(ax.get_lines()[1].get_ydata()))
    assert [line.get_label() for line in ax.get_lines()] == ["tanh$(x)$", "tanh$'(x)$"]


def test_plot_with_derivative_refuses_a_jump_that_is_not_a_point_of_x():
    _, ax = plt.subplots()
    x = np.linspace(-1, 1, 4)  # no 0 among them
    with pytest.raises(ValueError, match="jumps must be points of x, but x does not contain 0.0"):
        plot_with_derivative(ax, x, x, x, "f", jumps=[0.0])
    with pytest.raises(TypeError, match="jumps must be a real"):
        plot_with_derivative(ax, x, x, x, "f", jumps="0")


@pytest.mark.parametrize(
    ("x", "y", "dy", "name", "message"),
    [
        (np.zeros((2, 2)), np.zeros(4), np.zeros(4), "f", "x must be a 1-d array"),
        (np.zeros(1), np.zeros(1), np.zeros(1), "f", "at least 2 points"),
        (np.zeros(3), np.zeros(4), np.zeros(3), "f", "y has shape"),
        (np.zeros(3), np.zeros(3), np.zeros(2), "f", "dy has shape"),
        (np.zeros(3), np.zeros(3), np.zeros(3), "", "name must be a non-empty string"),
    ],
)
def test_plot_with_derivative_refuses_bad_input(x, y, dy, name, message):
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=message):
        plot_with_derivative(ax, x, y, dy, name)


def test_plot_layer_norms_draws_one_labelled_line_per_entry_on_a_log_scale():
    fig, ax = plt.subplots()
    norms = {"sigmoid": [1e-6, 1e-3, 1.0], "relu": [0.5, 0.7, 1.0]}
    plot_layer_norms(ax, norms, title="at the start", linestyles=("-", "--"))
    assert ax.get_yscale() == "log" and ax.get_title() == "at the start"
    assert [line.get_label() for line in ax.get_lines()] == ["sigmoid", "relu"]
    assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "--"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    assert ax.get_ylabel() == "norm of the weight gradient"
    assert ax.get_xlabel() == "layer (1 = next to the input)"


@pytest.mark.parametrize("norms", [{}, {"a": [1.0]}, {"a": [1.0, 2.0], "b": [1.0, 2.0, 3.0]}])
def test_plot_layer_norms_refuses_bad_input(norms):
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="norms must"):
        plot_layer_norms(ax, norms, title="t")


def test_axes_through_origin_labels_the_y_axis_beside_its_top():
    _, ax = plt.subplots()
    axes_through_origin(ax, ylabel="$f(x)$")
    assert [t.get_text() for t in ax.texts] == ["$f(x)$"]


def test_book_style_draws_on_an_opaque_white_background_in_the_palettes_colours():
    """Rendered, not read back from rcParams: the saved PNG's corner is opaque white (so the
    figure reads the same in the site's dark theme) and a first line is the palette's blue."""
    import io

    nonlin.plotting.use_book_style()
    fig, ax = plt.subplots(figsize=(2, 2), dpi=50)
    ax.plot([0, 1], [0, 1], linewidth=8)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    pixels = plt.imread(io.BytesIO(buffer.getvalue()))
    np.testing.assert_array_equal(pixels[0, 0], [1.0, 1.0, 1.0, 1.0])
    blue = np.array([int(PALETTE[0][i:i + 2], 16) / 255 for i in (1, 3, 5)])
    distances = np.abs(pixels[..., :3] - blue).max(axis=-1)
    assert distances.min() < 0.02  # the line is drawn in PALETTE[0]
