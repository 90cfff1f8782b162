"""The book's one matplotlib style, and the plots every chapter draws the same way.

Figures have an opaque white background so that they read the same in the website's light
and dark themes, and use the Okabe-Ito colours, which stay distinct under colour blindness.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib as mpl
import numpy as np

from ._checks import points, real_array, same_shape

# Okabe & Ito, "Color Universal Design" (2008): distinguishable under common colour blindness.
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

BOOK_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.grid": True,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.fontsize": 10,
    "legend.framealpha": 0.9,
    "lines.linewidth": 2.0,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "font.size": 11,
    "figure.constrained_layout.use": True,
}


def use_book_style() -> None:
    """Apply the book's style to every figure drawn from now on."""
    mpl.rcParams.update(BOOK_STYLE)


def axes_through_origin(ax, xlabel: str = "$x$", ylabel: str = "") -> None:
    """Move the left and bottom spines to x = 0 and y = 0 and label the axes at their ends.

    The y label sits just right of the top of the y-axis, where it cannot collide with a title.
    """
    ax.spines["left"].set_position(("data", 0))
    ax.spines["bottom"].set_position(("data", 0))
    ax.spines["right"].set_visible(False)
    ax.spines["top"].set_visible(False)
    ax.set_xlabel(xlabel, loc="right")
    if ylabel:
        ax.annotate(
            ylabel, xy=(0, 1), xycoords=("data", "axes fraction"), xytext=(6, -2),
            textcoords="offset points", ha="left", va="top",
        )


def plot_with_derivative(
    ax,
    x: Sequence[float],
    y: Sequence[float],
    dy: Sequence[float],
    name: str,
    *,
    legend_loc: str | None = "upper left",
    jumps: Sequence[float] = (),
) -> None:
    """Draw a function (solid) and its derivative (dashed) on ``ax``, with axes through 0.

    ``name`` is the function's name in the labels, e.g. ``"relu"`` gives ``relu(x)`` and
    ``relu'(x)``. ``jumps`` lists the points of ``x`` where the derivative jumps (a kink of the
    function): the dashed curve is broken there, so that no vertical line suggests values the
    derivative does not take, and its value at the jump (``dy`` there) is drawn as a dot.
    ``legend_loc=None`` draws no legend, for a figure that has one legend for all its panels.
    """
    x = points(x, "x")
    y, dy = real_array(y, "y").astype(float), real_array(dy, "dy").astype(float)
    same_shape(y, "y", x, "x")
    same_shape(dy, "dy", x, "x")
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    jumps = real_array(jumps, "jumps").astype(float).ravel()
    at_jump = np.isin(x, jumps)
    missing = [float(j) for j in jumps if not np.any(x == j)]
    if missing:
        raise ValueError(f"jumps must be points of x, but x does not contain {missing[0]}")
    ax.plot(x, y, color=PALETTE[0], label=f"{name}$(x)$")
    ax.plot(x, np.where(at_jump, np.nan, dy), color=PALETTE[1], linestyle="--", label=f"{name}$'(x)$")
    if at_jump.any():
        ax.plot(x[at_jump], dy[at_jump], "o", color=PALETTE[1], markersize=6,
                label=f"{name}$'$ at the kink")
    axes_through_origin(ax)
    if legend_loc is not None:
        ax.legend(loc=legend_loc)


def plot_layer_norms(
    ax,
    norms: dict[str, Sequence[float]],
    *,
    title: str,
    ylabel: bool = True,
    linestyles: Sequence[str] = ("-",),
) -> None:
    """One line per entry of ``norms`` (label: a gradient norm per layer, input side first),
    on a log scale, as the chapters on vanishing gradients draw them."""
    if not norms:
        raise ValueError("norms must have at least one entry")
    counts = {len(values) for values in norms.values()}
    if len(counts) != 1 or counts.pop() < 2:
        raise ValueError("every entry of norms must list the same number (at least 2) of layers")
    layers = np.arange(1, len(next(iter(norms.values()))) + 1)
    for k, (label, values) in enumerate(norms.items()):
        ax.semilogy(layers, values, "o", linestyle=linestyles[k % len(linestyles)], markersize=3,
                    color=PALETTE[k % len(PALETTE)], label=label)
    ax.set(xlabel="layer (1 = next to the input)", title=title,
           xticks=layers[::max(1, len(layers) // 5)])
    if ylabel:
        ax.set_ylabel("norm of the weight gradient")
    ax.legend(fontsize=9)
