"""Interactive figures: a plotly figure with a slider over precomputed steps.

Every step is computed in Python beforehand and stored in the figure as a plotly *frame*, so
moving the slider needs no kernel: it works on the book's static website and in JupyterLab.
:func:`show` emits two representations of the same figure:

* ``application/vnd.plotly.v1+json``: plotly's own format, which JupyterLab renders with the
  extension that ships inside the plotly package;
* ``text/html``: a ``<div>`` and a short script calling ``Plotly.newPlot``. It does *not*
  contain plotly.js: the website loads it from its own ``_static/`` folder
  (``book/_ext/course_html.py`` puts it there and adds it to the pages that need it).

On the website the figure is accessible: the plot carries ``role="img"`` and a description
(:func:`describe`); below it an ``<input type="range">`` with a label moves through the same
frames with the keyboard (arrow keys, Home, End) and stays in step with plotly's own slider,
which only a mouse or finger can move; and the plot takes the theme's colours when the site is
in dark mode (``data-theme="dark"`` on ``<html>``), also when the reader switches mode.

Element ids come from the figure's name, not from random numbers, so that the saved outputs
are the same on every run and nbval can compare them.
"""

from __future__ import annotations

import html as html_lib
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


def slider_steps(figure) -> tuple[str, list[str], list[str]]:
    """The slider's label, the frame name of every step, and the figure's title at every step."""
    if not figure.layout.sliders:
        raise ValueError("figure must have a slider (make it with slider_figure)")
    slider = figure.layout.sliders[0]
    label = (slider.currentvalue.prefix or "").removesuffix(" = ")
    names = [step.label for step in slider.steps]
    titles = []
    for frame in figure.frames:
        title = frame.layout.title.text if frame.layout and frame.layout.title else None
        titles.append(title or figure.layout.title.text or "")
    return label, names, titles


def describe(figure) -> str:
    """What the figure shows, in words, for a screen reader (the plot's ``aria-label``)."""
    label, names, _ = slider_steps(figure)
    traces = [trace.name for trace in figure.data if trace.name]
    xlabel = figure.layout.xaxis.title.text or "x"
    ylabel = figure.layout.yaxis.title.text or "y"
    return (f"Interactive line chart of {ylabel} against {xlabel}: {', '.join(traces)}. "
            f"The curves change with {label}, from {names[0]} to {names[-1]} in {len(names)} steps; "
            f"the {label} slider below the chart moves through them with the arrow keys.")


# The figure's script: draw it, bind the keyboard slider to plotly's frames (both ways), and
# follow the site's light or dark mode. __NAME__, __FIGURE__ and the others are filled in.
_SCRIPT = """<script>
(function () {
  var id = "nonlin-__NAME__", frames = __FRAMES__, titles = __TITLES__, label = __LABEL__;
  var figure = __FIGURE__;
  figure.config = {responsive: true, displayModeBar: false};
  var range = document.getElementById(id + "-range"), shown = document.getElementById(id + "-value");
  function sync(i) {
    range.value = i;
    range.setAttribute("aria-valuetext", label + " = " + frames[i]);
    shown.textContent = titles[i] || (label + " = " + frames[i]);
  }
  function colours() {
    var dark = document.documentElement.getAttribute("data-theme") === "dark";
    var css = getComputedStyle(document.documentElement);
    var paper = dark ? (css.getPropertyValue("--pst-color-background").trim() || "#14181e") : "white";
    var text = dark ? (css.getPropertyValue("--pst-color-text-base").trim() || "#ced6dd") : "#444444";
    var grid = dark ? "#3a424d" : "#eeeeee", axis = dark ? "#9ba5b0" : "#444444";
    return {"paper_bgcolor": paper, "plot_bgcolor": paper, "font.color": text,
            "xaxis.gridcolor": grid, "yaxis.gridcolor": grid,
            "xaxis.zerolinecolor": axis, "yaxis.zerolinecolor": axis,
            "sliders[0].bgcolor": dark ? "#4a535e" : "#f8fafc",
            "sliders[0].bordercolor": dark ? "#9ba5b0" : "#bec8d9",
            "sliders[0].activebgcolor": dark ? "#c5ccd4" : "#dbdde0",
            "sliders[0].tickcolor": axis, "sliders[0].font.color": text,
            "sliders[0].currentvalue.font.color": text};
  }
  function draw() {
    Plotly.newPlot(id, figure).then(function (div) {
      Plotly.relayout(div, colours());
      div.on("plotly_sliderchange", function (event) { sync(event.step._index); });
      new MutationObserver(function () { Plotly.relayout(div, colours()); })
        .observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
    });
  }
  range.addEventListener("input", function () {
    var i = Number(range.value);
    sync(i);
    Plotly.animate(id, [frames[i]], {mode: "immediate", frame: {duration: 0, redraw: true},
                                     transition: {duration: 0}});
  });
  sync(0);
  if (window.Plotly) { draw(); } else { window.addEventListener("load", draw); }
})();
</script>"""


def mime_bundle(figure, name: str) -> dict:
    """The two representations :func:`show` displays (see the module's docstring)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name must be lower-case letters, digits and hyphens, got {name!r}")
    label, frames, titles = slider_steps(figure)
    # plotly's encoder writes numeric arrays as compact base64, and escapes "/" as \u002f, so
    # that the payload cannot close the script tag; the other strings are escaped the same way.
    payload = figure.to_json()
    height = int(figure.layout.height or 420)
    div_id = f"nonlin-{name}"
    script = _SCRIPT
    for key, value in (("__NAME__", name), ("__FRAMES__", _js(frames)), ("__TITLES__", _js(titles)),
                       ("__LABEL__", _js(label)), ("__FIGURE__", payload)):
        script = script.replace(key, value, 1)
    html = (
        f'<div id="{div_id}" class="plotly-graph-div nonlin-interactive" role="img" '
        f'aria-label="{html_lib.escape(describe(figure), quote=True)}" '
        f'style="height:{height}px; width:100%;"></div>\n'
        f'<div class="nonlin-slider-keys"><label for="{div_id}-range">{html_lib.escape(label)}</label>'
        f'<input type="range" id="{div_id}-range" min="0" max="{len(frames) - 1}" step="1" value="0">'
        f'<output id="{div_id}-value" for="{div_id}-range"></output></div>\n'
        + script
    )
    return {PLOTLY_MIME: json.loads(payload), "text/html": html}


def _js(value) -> str:
    """``value`` as a JavaScript literal that cannot close a script tag."""
    return json.dumps(value).replace("/", "\\u002f").replace("<", "\\u003c")


def show(figure, name: str) -> None:
    """Display an interactive figure in a notebook (and so, on the website)."""
    from IPython.display import display

    display(mime_bundle(figure, name), raw=True)
