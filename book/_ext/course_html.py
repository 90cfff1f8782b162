"""Fixes and additions to the HTML that Jupyter Book 1.x writes for this course's offline site.

1. Jupyter Book always enables sphinx-thebe, which adds an inline script declaring
   ``const THEBE_JS_URL`` on every ``env-before-read-docs`` event; in a build that event can
   fire more than once, and the second declaration is a SyntaxError in the browser. The course
   has no live-code button (``launch_buttons.thebe`` is false in _config.yml), so its scripts
   are removed from every page.
2. Interactive figures (``nonlin.interactive``) call ``Plotly.newPlot`` but do not carry
   plotly.js. This extension copies the plotly.min.js that ships in the pinned plotly package
   into the site's ``_static/`` once, and loads it on the pages that have such a figure.

tests/test_book.py fails on any console error or request to another host, so a regression in
either shows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PLOTLY_JS = "plotly.min.js"


def _is_thebe(script) -> bool:
    name = getattr(script, "filename", "") or str(script)
    body = getattr(script, "attributes", {}).get("body", "")
    return "sphinx-thebe" in name or "THEBE_JS_URL" in body


def adjust_scripts(app, pagename, templatename, context, doctree):
    if "script_files" not in context:
        return
    scripts = [s for s in context["script_files"] if not _is_thebe(s)]
    if "plotly-graph-div" in context.get("body", ""):
        scripts.append(f"_static/{PLOTLY_JS}")
    context["script_files"] = scripts


def copy_plotly(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    import plotly

    source = Path(plotly.__file__).parent / "package_data" / PLOTLY_JS
    shutil.copyfile(source, Path(app.outdir) / "_static" / PLOTLY_JS)


def setup(app):
    app.connect("html-page-context", adjust_scripts)
    app.connect("build-finished", copy_plotly)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
