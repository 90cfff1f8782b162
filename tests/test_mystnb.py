"""nonlin._mystnb: the website renders an interactive figure from its HTML, never its JSON."""

from __future__ import annotations

from types import SimpleNamespace

from nonlin._mystnb import PlotlyJSONForJupyterLabOnly
from nonlin.interactive import PLOTLY_MIME


def test_the_plotly_json_is_never_preferred_and_renders_as_nothing():
    assert PlotlyJSONForJupyterLabOnly.handle_mime(None, SimpleNamespace(mime_type=PLOTLY_MIME), False) == []
    html = SimpleNamespace(mime_type="text/html")
    assert PlotlyJSONForJupyterLabOnly.handle_mime(None, html, False) is None  # myst-nb's own renderer
