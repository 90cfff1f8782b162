"""A myst-nb plugin: on the website, interactive figures come from their text/html output.

``nonlin.interactive.show`` emits each figure twice: as text/html (for the static site) and
as application/vnd.plotly.v1+json (for JupyterLab's plotly extension). myst-nb does not know
the second type and would warn about it; this plugin tells it to render that copy as nothing
and never to prefer it. Registered under the ``myst_nb.mime_renderers`` entry point in
pyproject.toml.
"""

from __future__ import annotations

from .interactive import PLOTLY_MIME


class PlotlyJSONForJupyterLabOnly:
    mime_priority_overrides = [("*", PLOTLY_MIME, None)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        return [] if data.mime_type == PLOTLY_MIME else None
