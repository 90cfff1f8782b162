"""Interactive figures: a plotly figure with a slider over precomputed steps.

Every step is computed in Python beforehand and stored in the figure as a plotly *frame*, so
moving the slider needs no kernel: it works on the book's static website and in JupyterLab.
:func:`show` emits two representations of the same figure:

* ``application/vnd.plotly.v1+json``: plotly's own format, which JupyterLab renders with the
  extension that ships inside the plotly package;
* ``text/html``: a ``<div>`` and a short script calling ``Plotly.newPlot``. It does *not*
  contain plotly.js: the website loads it once from its own ``_static/plotly.min.js``
  (``book/_ext/course_html.py`` puts it there and adds it to the pages that need it).

Element ids come from the figure's name, not from random numbers, so that the saved outputs
are the same on every run and nbval can compare them.
"""

from __future__ import annotations

import json
import re
from typing import Sequence

import numpy as np

from ._checks import finite_real_array, points
from .plotting import PALETTE

PLOTLY_MIME = "application/vnd.plotly.v1+json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DASHES = ("solid", "dash", "dot", "dashdot")


def slider_figure(
    x,
    curves,
    values: Sequence,
    *,
    names: Sequence[str],
    slider_label: str,
    xlabel: str,
    ylabel: str,
    titles: Sequence[str] | None = None,
    yrange: tuple[float, float] | None = None,
    background: Sequence[tuple[str, np.ndarray]] = (),
    height: int = 420,
):
    """A line chart whose curves change with a slider.

    ``curves`` has shape (steps, traces, len(x)): the y values of every trace at every slider
    step. ``values`` labels the steps on the slider; ``names`` labels the traces; ``titles``
    (one per step) replaces the figure title as the slider moves. ``background`` adds fixed
    curves, given as (name, y) pairs, drawn in grey behind the others.
    """
    import plotly.graph_objects as go

    x = _for_display(points(x, "x"))
    curves = finite_real_array(curves, "curves")
    scale = float(np.max(np.abs(curves), initial=0.0))  # see _for_display
    curves = _for_display(curves, scale)
    if curves.ndim != 3 or curves.shape[2] != x.size:
        raise ValueError(f"curves must have shape (steps, traces, {x.size}), got {curves.shape}")
    steps, traces = curves.shape[:2]
    if len(values) != steps:
        raise ValueError(f"values has {len(values)} entries but curves has {steps} steps")
    if len(names) != traces:
        raise ValueError(f"names has {len(names)} entries but curves has {traces} traces")
    if titles is not None and len(titles) != steps:
        raise ValueError(f"titles has {len(titles)} entries but curves has {steps} steps")

    fixed = [
        go.Scatter(x=x, y=_for_display(y, scale), name=name, mode="lines",
                   line={"color": "#999999", "width": 1})
        for name, y in background
    ]
    moving = list(range(len(fixed), len(fixed) + traces))

    def lines(step):
        return [
            go.Scatter(x=x, y=curves[step, k], name=names[k], mode="lines",
                       line={"color": PALETTE[k % len(PALETTE)], "dash": DASHES[k % len(DASHES)], "width": 2.5})
            for k in range(traces)
        ]

    labels = [str(v) for v in values]
    # A frame carries only what changes: the y values (x stays as the first step set it).
    frames = [
        go.Frame(name=labels[i], data=[go.Scatter(y=curves[i, k]) for k in range(traces)], traces=moving,
                 layout={"title": {"text": titles[i]}} if titles is not None else {})
        for i in range(steps)
    ]
    slider = {
        "active": 0,
        "currentvalue": {"prefix": f"{slider_label} = "},
        "pad": {"t": 55},
        "steps": [
            {"label": labels[i], "method": "animate",
             "args": [[labels[i]], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                    "transition": {"duration": 0}}]}
            for i in range(steps)
        ],
    }
    figure = go.Figure(data=fixed + lines(0), frames=frames)
    figure.update_layout(
        template="none",
        height=height,
        margin={"l": 60, "r": 20, "t": 80, "b": 40},
        title={"text": titles[0] if titles is not None else "", "x": 0.01, "xanchor": "left", "y": 0.97},
        xaxis={"title": {"text": xlabel}, "zeroline": True, "zerolinecolor": "#444444"},
        yaxis={"title": {"text": ylabel}, "zeroline": True, "zerolinecolor": "#444444",
               **({"range": list(yrange)} if yrange is not None else {})},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        sliders=[slider],
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"size": 13},
    )
    return figure


def _for_display(values, scale: float | None = None) -> np.ndarray:
    """``values`` as float32, with every value below 1e-12 times ``scale`` (by default the
    largest magnitude among them) set to 0.

    Two CPUs can compute the same curve with different last bits (a vectorised exp, another
    BLAS kernel). Rounding to float32 hides such differences, except in values that should be
    0 and come out as rounding noise (1e-17, or -1e-17 on the other CPU); zeroing them makes
    the stored figure, which nbval compares, the same bytes on both. Adding 0.0 turns -0.0
    into 0.0.
    """
    v = np.asarray(values, dtype=np.float64)
    if scale is None:
        scale = float(np.max(np.abs(v), initial=0.0))
    return (np.where(np.abs(v) < 1e-12 * scale, 0.0, v) + 0.0).astype(np.float32)


def frame_data(figure, step: int, trace: int) -> np.ndarray:
    """The y values of one moving trace at one slider step, as the figure stores them."""
    y = figure.frames[step].data[trace].y
    return np.asarray(y, dtype=np.float64)


def mime_bundle(figure, name: str) -> dict:
    """The two representations :func:`show` displays (see the module's docstring)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name must be lower-case letters, digits and hyphens, got {name!r}")
    # plotly's encoder writes numeric arrays as compact base64, and escapes "/" as \u002f, so
    # that the payload cannot close the script tag.
    payload = figure.to_json()
    height = int(figure.layout.height or 420)
    html = (
        f'<div id="nonlin-{name}" class="plotly-graph-div nonlin-interactive" '
        f'style="height:{height}px; width:100%;"></div>\n'
        "<script>\n(function () {\n"
        f"  var figure = {payload};\n"
        "  figure.config = {responsive: true, displayModeBar: false};\n"
        f'  var draw = function () {{ Plotly.newPlot("nonlin-{name}", figure); }};\n'
        '  if (window.Plotly) { draw(); } else { window.addEventListener("load", draw); }\n'
        "})();\n</script>"
    )
    return {PLOTLY_MIME: json.loads(payload), "text/html": html}


def show(figure, name: str) -> None:
    """Display an interactive figure in a notebook (and so, on the website)."""
    from IPython.display import display

    display(mime_bundle(figure, name), raw=True)
