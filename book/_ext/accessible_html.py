"""Accessibility and readability fixes to the HTML that Jupyter Book 1.x writes for the course.

Each fix answers a finding of axe-core (or Lighthouse) on the built site; tests/test_book.py runs
axe-core on every page in light and dark mode, so a regression shows. Most are small edits of
the written pages (``build-finished``), each idempotent, so that an incremental build gives the
same pages:

1. The search button's ``aria-label="Search"`` hides its visible text ("Search Ctrl+K")
   from its accessible name (axe: label-content-name-mismatch): the label is dropped, so the
   name is the visible text.
2. The primary sidebar (the course's title and the search button) is in no landmark (axe:
   region): it becomes a navigation landmark.
3. The summary of a collapsed code cell (``hide-input``) carries ``aria-label="Toggle hidden
   content"`` while it shows "Show code cell source": the label is dropped.
4. pandas writes empty ``<th>`` cells (the corner above the index, the blanks beside a named
   index); a header cell with no text is no header (axe: empty-table-header), so they become
   ``<td>``. A header that is only math (KaTeX) has its text in MathML, which is not visible,
   and its visible HTML hidden from screen readers, so it counts as empty too: in a header the
   visible HTML is read instead of the MathML (the same letters, for a table's short math).
5. sphinxcontrib-bibtex marks each entry of the reference list ``role="doc-biblioentry"``,
   deprecated in ARIA 1.2 and not allowed inside ``role="list"``: each becomes a listitem.
6. The theme and Jupyter Book each add a viewport tag: only the first is kept.
7. Every figure image opens full size on tap: it is wrapped in a link to its own file, so a
   reader on a phone can read text that is too small in the column.
8. A display equation and a table that are wider than a phone's screen scroll (course.css);
   a scrolling region must be reachable by keyboard (axe: scrollable-region-focusable), so
   they get ``tabindex="0"``.
9. Search snippets are cut from the pages' HTML, where math is still TeX source: on the search
   page a small script turns math into plain text before the snippet is cut.

And, while the page is written (``html-page-context``):

10. Every page gets a ``<meta name="description">``: its first paragraph of prose, shortened.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes

SITE_DESCRIPTION = (
    "An open course with code you can run: why neural networks need nonlinear activations, "
    "how the common ones are built, and how PyTorch exposes them."
)
DESCRIPTION_LENGTH = 155

SEARCH_BUTTON = re.compile(r'(<button class="btn search-button-field[^>]*?) aria-label="Search"')
SIDEBAR = re.compile(r'<div class="bd-sidebar-primary bd-sidebar"(?! role)')
TOGGLE_SUMMARY = '<summary aria-label="Toggle hidden content">'
EMPTY_TH = re.compile(r"<th((?:\s[^>]*)?)>(?:\s|&nbsp;|&#160;)*</th>")
HEADER_CELL = re.compile(r"<th\b[^>]*>.*?</th>", re.S)
BIBLIOENTRY = 'role="doc-biblioentry"'
VIEWPORT = re.compile(r'\s*<meta name="viewport"[^>]*>')
# An image from the build's _images/ folder that is not already the content of a link.
FIGURE = re.compile(r'(?<!full size">)(<img\b[^>]*?\bsrc="([^"]*_images/[^"]+)"[^>]*>)')
SCROLLABLE = re.compile(r'<div class="(pst-scrollable-table-container|math notranslate nohighlight)"(?! tabindex)')

# Search snippets: Sphinx's searchtools.js cuts them from each result page's HTML text
# (Search.htmlToText). Math there is TeX (MathJax typesets it only in the browser) or, if
# rendered at build time, KaTeX's MathML and HTML together; either reads badly. The script
# below replaces each math element by a plain-text reading before the text is taken.
SEARCH_SCRIPT = r"""<script>
/* accessible_html.py: search snippets show math as plain text, not as TeX source. */
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  var GREEK = {alpha: "α", beta: "β", gamma: "γ", delta: "δ", varepsilon: "ε", epsilon: "ε",
    eta: "η", theta: "θ", lambda: "λ", mu: "μ", pi: "π", sigma: "σ", tau: "τ", phi: "φ",
    omega: "ω", Delta: "Δ", Phi: "Φ", Sigma: "Σ", ell: "ℓ", infty: "∞", pm: "±", cdot: "·",
    times: "×", le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠", neq: "≠", approx: "≈",
    to: "→", partial: "∂", nabla: "∇", sum: "∑", prod: "∏", int: "∫", in: "∈", sqrt: "√"};
  function plain(tex) {
    var s = tex.replace(/^\s*\\[\[(]|\\[\])]\s*$/g, "");
    for (var i = 0; i < 4; i++) {
      s = s.replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, "($1)/($2)");
    }
    s = s.replace(/\\(left|right|big|Big|bigg|Bigg)\b/g, "")
      .replace(/\\(mathrm|operatorname|text|mathbf|mathit|mathcal|textrm|textbf)\{([^{}]*)\}/g, "$2")
      .replace(/\\[,;:! ]/g, " ").replace(/\\\\/g, "; ").replace(/&/g, "")
      .replace(/\\([A-Za-z]+)/g, function (m, name) { return GREEK[name] || name; })
      .replace(/[{}]/g, "").replace(/\s+/g, " ");
    return s.trim();
  }
  var original = Search.htmlToText;
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".katex").forEach(function (k) {
      var mathml = k.querySelector("math");
      if (mathml) mathml.querySelectorAll("annotation").forEach(function (a) { a.remove(); });
      k.replaceWith(doc.createTextNode(mathml ? mathml.textContent : ""));
    });
    doc.querySelectorAll(".math").forEach(function (m) {
      m.replaceWith(doc.createTextNode(" " + plain(m.textContent) + " "));
    });
    return original.call(Search, doc.documentElement.outerHTML, anchor);
  };
});
</script>
"""


def fix_page(text: str, is_search_page: bool = False) -> str:
    """The page's HTML with every fix above applied (applying it twice changes nothing)."""
    text = SEARCH_BUTTON.sub(r"\1", text)
    text = SIDEBAR.sub('<div class="bd-sidebar-primary bd-sidebar" role="navigation" aria-label="Course"', text)
    text = text.replace(TOGGLE_SUMMARY, "<summary>")
    text = EMPTY_TH.sub(r"<td\1></td>", text)
    text = HEADER_CELL.sub(_math_header_readable, text)
    text = text.replace(BIBLIOENTRY, 'role="listitem"')
    first_viewport = VIEWPORT.search(text)
    if first_viewport:
        end = first_viewport.end()
        text = text[:end] + VIEWPORT.sub("", text[end:])
    text = FIGURE.sub(r'<a class="nonlin-full-size" href="\2" title="Open the figure full size">\1</a>', text)
    text = SCROLLABLE.sub(r'<div class="\1" tabindex="0"', text)
    if is_search_page and "accessible_html.py: search snippets" not in text:
        text = text.replace("</body>", SEARCH_SCRIPT + "</body>", 1)
    return text


def _math_header_readable(match) -> str:
    cell = match.group(0)
    if 'class="katex' not in cell:
        return cell
    cell = cell.replace('<span class="katex-html" aria-hidden="true">', '<span class="katex-html">')
    return cell.replace('<span class="katex-mathml">', '<span class="katex-mathml" aria-hidden="true">')


def fix_written_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in outdir.rglob("*.html"):
        if "_static" in path.relative_to(outdir).parts:
            continue
        text = path.read_text(encoding="utf-8")
        fixed = fix_page(text, is_search_page=path.relative_to(outdir).as_posix() == "search.html")
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def page_description(doctree) -> str:
    """The first paragraph of prose on the page, on one line, cut at a word near 155 characters."""
    if doctree is None:
        return SITE_DESCRIPTION
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(a, (nodes.admonition, nodes.table, nodes.footnote, nodes.citation,
                              nodes.literal_block, nodes.container)) for a in _ancestors(paragraph)):
            continue
        text = " ".join(paragraph.astext().replace("$", "").split())
        if len(text) < 40:
            continue
        if len(text) > DESCRIPTION_LENGTH:
            text = text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return text
    return SITE_DESCRIPTION


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def add_description(app, pagename, templatename, context, doctree):
    if 'name="description"' in context.get("metatags", ""):
        return
    description = html.escape(page_description(doctree), quote=True)
    context["metatags"] = context.get("metatags", "") + f'\n<meta name="description" content="{description}" />'


def setup(app):
    app.connect("html-page-context", add_description)
    app.connect("build-finished", fix_written_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
