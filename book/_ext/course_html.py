"""A fix to the HTML that Jupyter Book 1.x writes, for this course's offline site.

Jupyter Book always enables sphinx-thebe, which adds an inline script declaring
``const THEBE_JS_URL`` on every ``env-before-read-docs`` event; in a build that event can fire
more than once, and the second declaration is a SyntaxError in the browser. The course has no
live-code button (``launch_buttons.thebe`` is false in _config.yml), so its scripts are dead
weight: this extension removes them from every page. tests/test_book.py fails on any console
error, so a regression shows.
"""

from __future__ import annotations


def _is_thebe(script) -> bool:
    name = getattr(script, "filename", "") or str(script)
    body = getattr(script, "attributes", {}).get("body", "")
    return "sphinx-thebe" in name or "THEBE_JS_URL" in body


def drop_thebe_scripts(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", drop_thebe_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
