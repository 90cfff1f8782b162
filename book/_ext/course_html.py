"""Fixes and additions to the HTML that Jupyter Book 1.x writes for this course's offline site.

1. Jupyter Book always enables sphinx-thebe, which adds an inline script declaring
   ``const THEBE_JS_URL`` on every ``env-before-read-docs`` event; in a build that event can
   fire more than once, and the second declaration is a SyntaxError in the browser. The course
   has no live-code button (``launch_buttons.thebe`` is false in _config.yml), so its scripts
   are removed from every page.
2. Interactive figures (``nonlin.interactive``) call ``Plotly.newPlot`` but do not carry
   plotly.js. This extension copies plotly.js's official *basic* bundle (scatter, bar and pie
   traces: all the course draws; 1.2 MB instead of the full bundle's 4.7 MB) into the site's
   ``_static/`` once, and inlines ``book/_static/lazy-plotly.js`` in the pages that have such a
   figure: the library is fetched only when a figure comes near the screen. The bundle comes
   from npm (tools/npm, pinned by its lock file, installed by ``make book``), and must be the
   plotly.js version that the pinned plotly Python package embeds; the build checks both that
   and that every figure's traces are of a type the bundle draws.

3. A slider figure's data (the curves at every step: up to 100 KB of a page's script) is moved
   out of the page into ``_static/figures/<id>.<hash>.json``; the figure's script keeps a
   stand-in ``{"nonlinSource": url}``, and ``lazy-plotly.js`` fetches the file together with
   plotly.js, when the figure comes near the screen. The page itself, which a phone must
   download before its first paint, is that much smaller.

tests/test_book.py fails on any console error or request to another host, so a regression in
either shows.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
PLOTLY_JS = "plotly-basic.min.js"
PLOTLY_SOURCE = ROOT / "tools" / "npm" / "node_modules" / "plotly.js-basic-dist-min" / PLOTLY_JS
BASIC_TRACES = {"scatter", "bar", "pie"}  # what the basic bundle draws (its README)
LOADER = ROOT / "book" / "_static" / "lazy-plotly.js"
TRACE_TYPE = re.compile(r'"type":\s*"([a-z0-9]+)"')


def _is_thebe(script) -> bool:
    name = getattr(script, "filename", "") or str(script)
    body = getattr(script, "attributes", {}).get("body", "")
    return "sphinx-thebe" in name or "THEBE_JS_URL" in body


def adjust_scripts(app, pagename, templatename, context, doctree):
    from sphinx.builders.html._assets import _JavaScript

    if "script_files" not in context:
        return
    scripts = [s for s in context["script_files"] if not _is_thebe(s)]
    body = context.get("body", "")
    if "plotly-graph-div" in body:
        unknown = {t for t in TRACE_TYPE.findall(body) if t in TRACE_NAMES} - BASIC_TRACES
        if unknown:
            logger.warning("%s: plotly traces %s are not in plotly.js's basic bundle", pagename, sorted(unknown))
        loader = LOADER.read_text(encoding="utf-8").replace("__PLOTLY_JS__", PLOTLY_JS)
        loader = loader[loader.index("*/") + 2:].strip()  # the code without its opening comment
        scripts.append(_JavaScript("", body=loader, priority=100))
    context["script_files"] = scripts


def plotly_versions() -> tuple[str, str]:
    """The plotly.js version inside the plotly Python package, and the basic bundle's."""
    from plotly.offline import get_plotlyjs_version

    if not PLOTLY_SOURCE.exists():
        raise RuntimeError(f"{PLOTLY_SOURCE} is missing: run `npm ci` in tools/npm (`make book` does)")
    header = PLOTLY_SOURCE.read_text(encoding="utf-8")[:300]
    bundle = re.search(r"plotly\.js \(basic - minified\) v([\d.]+)", header)
    return get_plotlyjs_version(), bundle[1] if bundle else "unknown"


def check_plotly(app):
    embedded, bundle = plotly_versions()
    if embedded != bundle:
        logger.warning("tools/npm has plotly.js-basic-dist-min %s but the plotly package embeds "
                       "plotly.js %s: pin %s in tools/npm/package.json", bundle, embedded, embedded)


def copy_plotly(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    shutil.copyfile(PLOTLY_SOURCE, Path(app.outdir) / "_static" / PLOTLY_JS)


# The line of a figure's script (nonlin.interactive._SCRIPT) that holds the whole figure as JSON.
FIGURE_LINE = re.compile(r'^(  var figure = )(\{.*\});$', re.M)
FIGURE_ID = re.compile(r'var id = "(nonlin-[a-z0-9-]+)"')


def externalize_figures(app, exception):
    """Move every slider figure's JSON out of its page into a file of its own (3. above)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    folder = outdir / "_static" / "figures"
    for page in outdir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "var figure = {" not in html:
            continue

        def move(match, page=page, html=html):
            ids = FIGURE_ID.findall(html[: match.start()])
            data = match[2]
            json.loads(data)  # the line is the figure's JSON, as nonlin.interactive wrote it
            name = f"{ids[-1] if ids else 'figure'}.{hashlib.sha256(data.encode()).hexdigest()[:8]}.json"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(data, encoding="utf-8")
            url = Path(os.path.relpath(folder / name, page.parent)).as_posix()
            return match[1] + json.dumps({"nonlinSource": url}) + ";"

        new, count = FIGURE_LINE.subn(move, html)
        if count:
            page.write_text(new, encoding="utf-8")


# every trace type plotly.js knows (so that "type" keys of axes, sliders etc. are ignored)
TRACE_NAMES = {
    "bar", "barpolar", "box", "candlestick", "carpet", "choropleth", "choroplethmap",
    "choroplethmapbox", "cone", "contour", "contourcarpet", "densitymap", "densitymapbox",
    "funnel", "funnelarea", "heatmap", "histogram", "histogram2d", "histogram2dcontour", "icicle",
    "image", "indicator", "isosurface", "mesh3d", "ohlc", "parcats", "parcoords", "pie", "sankey",
    "scatter", "scatter3d", "scattercarpet", "scattergeo", "scattergl", "scattermap",
    "scattermapbox", "scatterpolar", "scatterpolargl", "scattersmith", "scatterternary", "splom",
    "streamtube", "sunburst", "surface", "table", "treemap", "violin", "volume", "waterfall",
}


def setup(app):
    app.connect("builder-inited", check_plotly)
    app.connect("html-page-context", adjust_scripts)
    app.connect("build-finished", copy_plotly)
    app.connect("build-finished", externalize_figures)  # before course_perf's rewrite (priority 900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
