"""Make the course's pages fast on a phone (issue 18): less to download and less to run.

1. Math is typeset at build time by KaTeX (``katex_render.cjs`` on Node, KaTeX installed by
   ``npm ci`` in tools/npm from its lock file; ``make book`` does that). The page carries the
   finished HTML (and MathML for screen readers) plus KaTeX's 23 KB stylesheet, instead of
   MathJax typesetting every equation in the reader's browser. A TeX error fails the build.
2. The theme's Font Awesome JavaScript (1.5 MB, render-blocking on every page) is dropped, and
   with it the preloads of three icon fonts; the icons are drawn by CSS and a font (6).
3. The scripts Sphinx and the theme put in ``<head>`` are deferred (they wait for the
   DOMContentLoaded event anyway); sphinx-thebe's stylesheet, unused, is dropped, and so are
   sphinx-design's tabs script on pages without tabs and its stylesheet on pages without its
   components.
4. Every ``<img>`` gets its width and height (no layout shift), ``decoding="async"``, and
   ``loading="lazy"`` unless it is a page's first image and stands before its first section
   heading (in this book every image is below a phone's first screen: up to 59 KB each that a
   slow network fetched before the page's first paint).
5. ``_static/perf.css``: the browser lays out a chapter's sections only when they come near the
   screen (``content-visibility: auto``), and images keep their aspect ratio.
6. Font Awesome's stylesheet and font are cut down at build time to the icons the site shows
   (``_static/icons.css``, 6 KB gzipped, the font inline), in place of 100 KB of CSS and a
   150 KB font.
7. Nothing makes the browser lay out a whole chapter when it loads (which cost 1.7 s of a
   phone's CPU each, and undid 5): the theme's check of which code blocks scroll, and
   Bootstrap's ScrollSpy, are replaced in the site's copy of the theme's script by lazy versions
   (``scroll_tabstops.js``, ``scroll_spy.js``); code blocks and outputs carry ``tabindex="0"``
   in the HTML until measured, so a scrolling one is always reachable by keyboard.

8. The stylesheets in ``<head>`` (a dozen, one of which @imports another) are one file with the
   same rules in the same order (``_static/site-<hash>.css``), and
9. so are the deferred scripts in ``<head>`` (six; ``_static/site-<hash>.js``): a phone on a
   slow network waits for every render-blocking request before its first paint, and each one
   costs it round trips. sphinx-togglebutton's script and stylesheet are dropped from pages
   with nothing to toggle (all of them: solutions are <details> blocks).

10. The theme's light or dark mode is settled in ``<head>``, before the page is drawn. The
   theme's inline script there sets ``data-theme="auto"`` when the reader has chosen nothing,
   and its script then replaces "auto" by "light" or "dark" once the page is parsed: a change of
   an attribute of ``<html>`` restyles every element (0.5 s of a phone's CPU on chapter 4, the
   longest task of its load). The inline script now computes the same value at once, as the
   theme's script does: the chosen mode, or the system's preference when the mode is "auto".

11. Code is highlighted with fewer elements. Pygments wraps every name and every punctuation
   mark in a ``<span>`` whose colour, in both of the theme's styles, is the colour of the code
   block around it: a fifth of a chapter's 20,000 elements, each one parsed, styled and laid
   out on the phone. Those spans are unwrapped (their text stays); which token classes this
   applies to is read from the built ``pygments.css``, so a style that gives names a colour of
   their own keeps their spans.

12. The search page's index (``searchindex.js``, 100 KB and growing with the book) is deferred:
   Sphinx's search waits for it (``Search.setIndex`` runs a query that came first), so the page
   is drawn without waiting for it.

plotly.js is loaded lazily by ``course_html.py``. tests/test_book.py checks each of these.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import io
import json
import logging as std_logging
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
KATEX_DIR = ROOT / "tools" / "npm" / "node_modules" / "katex"
WORKER = Path(__file__).with_name("katex_render.cjs")
KATEX_CSS = "katex/katex.min.css"


# ---------------------------------------------------------------------------------------------
# 1. Math typeset at build time by KaTeX
# ---------------------------------------------------------------------------------------------


class KaTeX:
    """One Node process per build process, fed one equation per line."""

    def __init__(self):
        self.process = None
        self.lock = threading.Lock()

    def render(self, tex: str, display: bool) -> str:
        with self.lock:
            if self.process is None:
                node = shutil.which("node")
                if node is None or not (KATEX_DIR / "package.json").exists():
                    raise RuntimeError(
                        "the book typesets its math with KaTeX at build time, which needs Node 18+ "
                        "and `npm ci` in tools/npm (`make book` runs it)"
                    )
                self.process = subprocess.Popen(
                    [node, str(WORKER), str(KATEX_DIR)], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1,
                )
            self.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self.process.stdin.flush()
            answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise ValueError(answer["error"])
        return answer["html"]

    def close(self):
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=30)
            self.process = None


KATEX = KaTeX()


def _typeset(translator, node, tex: str, display: bool) -> str:
    try:
        return KATEX.render(tex, display)
    except ValueError as error:
        logger.warning("KaTeX cannot typeset %r: %s", tex, error, location=node)
        return html_lib.escape(tex)


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_typeset(self, node, node.astext(), display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node):
    """As sphinx.ext.mathjax writes display math (number, permalink, blank-line parts), typeset."""
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    tex = node.astext()
    if not node.get("nowrap"):
        parts = [part for part in tex.split("\n\n") if part.strip()]
        if len(parts) > 1:  # several equations, one per line, aligned as Sphinx aligns them
            tex = r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}"
    self.body.append(_typeset(self, node, tex, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def copy_katex(app, exception):
    """KaTeX's stylesheet (font-display: swap) and its woff2 fonts, the only format still needed."""
    if exception is not None or app.builder.format != "html":
        return
    KATEX.close()
    target = Path(app.outdir) / "_static" / "katex"
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    css = (KATEX_DIR / "dist" / "katex-swap.min.css").read_text(encoding="utf-8")
    css = re.sub(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', "", css)
    (target / "katex.min.css").write_text(css, encoding="utf-8")
    for font in (KATEX_DIR / "dist" / "fonts").glob("*.woff2"):
        shutil.copyfile(font, target / "fonts" / font.name)


# ---------------------------------------------------------------------------------------------
# 2, 3. Lighter <head>
# ---------------------------------------------------------------------------------------------


def _has_toggles(body: str) -> bool:
    """Whether sphinx-togglebutton has anything to do on the page (its selector, with the
    default ``.toggle, .admonition.dropdown``; the course uses <details> instead)."""
    for classes in re.findall(r'class="([^"]*)"', body):
        names = classes.split()
        if "toggle" in names or ("admonition" in names and "dropdown" in names):
            return True
    return False


TOGGLE_SETTING = re.compile(r"\b(?:toggleHint\w*|togglebuttonSelector|toggleOpenOnPrint)\s*=")


def _is_togglebutton(script) -> bool:
    """sphinx-togglebutton's script, and the inline settings it reads, none used elsewhere.
    Where it has nothing to do, it still costs a phone a request and CPU (Lighthouse's mobile
    run attributed 0.7 to 1.5 s tasks to it on chapters 1 and 4)."""
    name = getattr(script, "filename", "") or ""
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return name.endswith("togglebutton.js") or bool(TOGGLE_SETTING.search(body))


SPHINX_DESIGN_CLASS = re.compile(r'class="(?:[^"]* )?sd-')


def adjust_assets(app, pagename, templatename, context, doctree):
    """Defer the head's scripts, drop unused CSS, add KaTeX's CSS where there is math."""
    from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

    if "script_files" in context and pagename != "search":  # search.html runs searchtools.js at once
        scripts = []
        for script in context["script_files"]:
            attributes = dict(getattr(script, "attributes", {}))
            if getattr(script, "filename", "") and not {"async", "defer"} & attributes.keys():
                attributes["defer"] = "defer"
                script = _JavaScript(script.filename, priority=script.priority, **attributes)
            scripts.append(script)
        if "sd-tab-set" not in context.get("body", ""):  # sphinx-design's tabs script, where no tabs
            scripts = [s for s in scripts if not (getattr(s, "filename", "") or "").endswith("design-tabs.js")]
        context["script_files"] = scripts
    if "script_files" in context and not _has_toggles(context.get("body", "")):
        context["script_files"] = [s for s in context["script_files"] if not _is_togglebutton(s)]
    if "css_files" in context:
        css = [c for c in context["css_files"] if "sphinx-thebe" not in getattr(c, "filename", "")]
        if not _has_toggles(context.get("body", "")):
            css = [c for c in css if "togglebutton" not in getattr(c, "filename", "")]
        if not SPHINX_DESIGN_CLASS.search(context.get("body", "")):  # 48 KB of rules for its components
            css = [c for c in css if "sphinx-design" not in getattr(c, "filename", "")]
        if 'class="katex' in context.get("body", ""):
            css.append(_CascadingStyleSheet(f"_static/{KATEX_CSS}", priority=500, rel="stylesheet",
                                            type="text/css"))
        context["css_files"] = css


# The theme writes these from its templates, not through Sphinx's asset lists.
FONTAWESOME_JS = re.compile(r'\s*<script src="[^"]*_static/vendor/fontawesome/[^"]*/all\.min\.js[^"]*"></script>')
FONT_PRELOAD = re.compile(
    r'\s*<link rel="preload" as="font" type="font/woff2" crossorigin href="[^"]*fontawesome[^"]*" />')
IMG = re.compile(r"<img\b[^>]*>")


def _image_size(path: Path) -> tuple[int, int] | None:
    if path.suffix.lower() == ".svg":
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        w, h = re.search(r'\bwidth="([\d.]+)', head), re.search(r'\bheight="([\d.]+)', head)
        return (round(float(w[1])), round(float(h[1]))) if w and h else None
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def _size_images(page: Path, html: str) -> str:
    count = 0
    # only an image in the chapter's lead (before its first <h2>) can be on a phone's first screen;
    # one further down, fetched at once, takes the network from the page's text and stylesheet
    article = html.find("<article")
    first_heading = html.find("<h2", article) if article >= 0 else -1
    lead_end = first_heading if first_heading >= 0 else len(html)

    def fix(match):
        nonlocal count
        tag = match.group(0)
        count += 1
        src = re.search(r'\bsrc="([^"]+)"', tag)
        extra = []
        if src and not src[1].startswith(("data:", "http:", "https:")) and " width=" not in tag:
            image = (page.parent / html_lib.unescape(src[1])).resolve()
            size = _image_size(image) if image.is_file() else None
            if size:
                extra.append(f'width="{size[0]}" height="{size[1]}"')
        if " loading=" not in tag and (count > 1 or match.start() > lead_end):
            extra.append('loading="lazy"')
        if " decoding=" not in tag:
            extra.append('decoding="async"')
        if not extra:
            return tag
        end = "/>" if tag.endswith("/>") else ">"
        return tag[: -len(end)].rstrip() + " " + " ".join(extra) + " " + end

    return IMG.sub(fix, html)


# ---------------------------------------------------------------------------------------------
# 6. Font Awesome: only the icons the site shows
# ---------------------------------------------------------------------------------------------

FONTAWESOME_CSS = re.compile(r'href="([^"]*_static/)vendor/fontawesome/[^"]*/css/all\.min\.css[^"]*"')
ICON_CLASS = re.compile(r'class="[^"]*"')
ICON_RULE = re.compile(r'^((?:\.fa-[a-z0-9-]+:(?::)?(?:before|after),?)+)\{content:"\\([0-9a-f]+)"\}$')
CSS_ESCAPE = re.compile(r'"\\([ef][0-9a-f]{3})"')
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
SOLID_FAMILIES = ("Font Awesome\\ 6 Free", "Font Awesome\\ 5 Free")


def _css_blocks(css: str) -> list[str]:
    """The top-level rules of a stylesheet (an @-rule with nested rules is one block)."""
    blocks, depth, start = [], 0, 0
    for i, char in enumerate(css):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks.append(css[start:i + 1].strip())
                start = i + 1
    return blocks


def subset_icons(outdir: Path, pages: dict[Path, str]) -> str | None:
    """Font Awesome's stylesheet (100 KB) and solid font (150 KB) cut down to the icons in use.

    An icon is in use if a page's class names name it (``fa-bars``) or a stylesheet of the site
    draws its code point (the theme's admonition icons). The result, ``_static/icons.css``, keeps
    every Font Awesome rule except the unused icons, and carries the solid font's subset inline
    (a few KB as WOFF), so the icons need no further request. Returns its name, or None if the
    theme has no Font Awesome.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    std_logging.getLogger("fontTools").setLevel(std_logging.WARNING)  # not its INFO lines in the log

    found = sorted((outdir / "_static" / "vendor" / "fontawesome").glob("*/css/all.min.css"))
    if not found:
        return None
    source = found[-1]
    fonts = source.parent.parent / "webfonts"
    css = source.read_text(encoding="utf-8")
    notice = css[: css.index("*/") + 2]
    used_classes = set()
    for html in pages.values():
        for attribute in ICON_CLASS.findall(html):
            used_classes.update(re.findall(r"\bfa-[a-z0-9-]+", attribute))
    codepoints = set()
    for sheet in (outdir / "_static").rglob("*.css"):
        if "fontawesome" in sheet.parts or sheet.name == "icons.css":
            continue
        text = sheet.read_text(encoding="utf-8", errors="replace")
        codepoints.update(int(c, 16) for c in CSS_ESCAPE.findall(text))
        codepoints.update(ord(c) for c in PRIVATE_USE.findall(text))
    kept = [notice]
    for block in _css_blocks(css[len(notice):]):
        rule = ICON_RULE.match(block)
        if rule:
            selectors = [sel for sel in rule[1].split(",") if sel.split(":")[0][1:] in used_classes]
            if selectors:
                kept.append(",".join(selectors) + '{content:"\\' + rule[2] + '"}')
                codepoints.add(int(rule[2], 16))
            continue
        if block.startswith("@font-face"):
            # the solid style, by the names the theme's stylesheets use (no other style is shown)
            if "font-weight:900" in block and any(f"font-family:{f};" in block for f in SOLID_FAMILIES):
                kept.append(re.sub(r"src:[^;}]+", "src:url(__SOLID__) format(\"woff\")", block))
            continue
        kept.append(block)
    font = TTFont(fonts / "fa-solid-900.ttf")
    options = subset.Options()
    options.flavor = "woff"  # WOFF 1 (zlib): WOFF 2 would need the brotli package
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    data = io.BytesIO()
    font.flavor = "woff"
    font.save(data)
    uri = "data:font/woff;base64," + base64.b64encode(data.getvalue()).decode("ascii")
    text = "\n".join(kept).replace("__SOLID__", uri) + "\n"
    (outdir / "_static" / "icons.css").write_text(text, encoding="utf-8")
    logger.info("Font Awesome subset: %d icons, icons.css %d bytes", len(codepoints), len(text))
    return "icons.css?v=" + hashlib.sha256(text.encode()).hexdigest()[:8]


# ---------------------------------------------------------------------------------------------
# 7. The theme's tab stops on scrolling code, set lazily
# ---------------------------------------------------------------------------------------------

THEME_SCRIPT = "scripts/pydata-sphinx-theme.js"
THEME_TAB_STOPS = re.compile(
    r'function (\w+)\(\)\{const e=\(\)=>\{document\.querySelectorAll\("pre, \.nboutput > \.output_area, '
    r'\.cell_output > \.output, \.jp-RenderedHTMLCommon"\).*?,e\(\)\}', re.S)
LAZY_TAB_STOPS = Path(__file__).with_name("scroll_tabstops.js")
SCROLL_SPY = Path(__file__).with_name("scroll_spy.js")
BOOTSTRAP_SPY = re.compile(r'(<body[^>]*?) data-bs-spy="scroll"')
PRE = re.compile(r"<pre(?=[\s>])(?![^>]*\btabindex=)")
OUTPUT = re.compile(r'(<div class="output [^"]*")(?![^>]*\btabindex=)')


def patch_theme_script(outdir: Path) -> None:
    """In the site's copy of the theme's script, replace the function that measures every code
    block on load (``addTabStopsToScrollableElements``) by ``scroll_tabstops.js``, and append
    ``scroll_spy.js``, which stands in for Bootstrap's ScrollSpy (removed from <body>)."""
    path = outdir / "_static" / THEME_SCRIPT
    if not path.exists():
        return
    script = path.read_text(encoding="utf-8")
    if "course_perf: lazy tab stops" in script:
        return
    lazy = LAZY_TAB_STOPS.read_text(encoding="utf-8")
    lazy = lazy[lazy.index("*/") + 2:].strip()  # the function, without its opening comment
    name_and_body = lazy.replace("function ()", "", 1)
    patched, count = THEME_TAB_STOPS.subn(
        lambda m: f"function {m[1]}()/* course_perf: lazy tab stops */{name_and_body}", script)
    if count != 1:
        logger.warning("course_perf: the theme's addTabStopsToScrollableElements was not found in %s "
                       "(pydata-sphinx-theme changed?); update THEME_TAB_STOPS", path)
        return
    patched = re.sub(r"\n//# sourceMappingURL=.*", "", patched)  # the map is of the original
    path.write_text(patched + "\n" + SCROLL_SPY.read_text(encoding="utf-8"), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# 8. One stylesheet per page
# ---------------------------------------------------------------------------------------------

STYLESHEET_LINK = re.compile(r'[ \t]*<link\b(?=[^>]*\brel="stylesheet")[^>]*>[ \t]*\n?')
HREF = re.compile(r'\bhref="([^"]+)"')
CSS_IMPORT = re.compile(r'@import\s+(?:url\(\s*)?([\'"])([^\'"]+)\1\s*\)?\s*;')
CSS_URL = re.compile(r'url\(\s*([\'"]?)([^\'")]+)\1\s*\)')
CSS_NOISE = re.compile(r'/\*# sourceMappingURL=[^*]*\*/|@charset\s+"[^"]*"\s*;')


def _inline_css(path: Path, static: Path, seen: frozenset = frozenset()) -> str:
    """A stylesheet's text with its @imports inlined and its url()s relative to ``_static/``."""
    if path in seen:
        return ""
    text = CSS_NOISE.sub("", path.read_text(encoding="utf-8"))

    def url(match):
        target = match[2].strip()
        if target.startswith(("data:", "http:", "https:", "/", "#")):
            return match[0]
        resolved = (path.parent / target.split("?")[0].split("#")[0]).resolve()
        return f'url("{Path(os.path.relpath(resolved, static)).as_posix()}")'

    text = CSS_URL.sub(url, text)
    return CSS_IMPORT.sub(lambda m: _inline_css((path.parent / m[2]).resolve(), static, seen | {path}), text)


def bundle_stylesheets(outdir: Path, page: Path, html: str, bundles: dict[tuple, str]) -> str:
    """Replace the stylesheets a page's <head> links (a dozen, from Sphinx, the theme and its
    extensions, one of which @imports another) by one file with the same rules in the same
    order: a phone on a slow network waits for every render-blocking stylesheet before the first
    paint, and each one costs it round trips. Pages that link the same sheets share the file."""
    end = html.find("</head>")
    if end < 0:
        return html
    head = html[:end]
    static = (outdir / "_static").resolve()
    links = [(m, HREF.search(m[0])) for m in STYLESHEET_LINK.finditer(head)]
    local = [(m, h[1]) for m, h in links if h and not h[1].startswith(("http:", "https:", "//"))]
    if len(local) < 2:
        return html
    files = tuple((page.parent / html_lib.unescape(href).split("?")[0]).resolve() for _, href in local)
    if not all(f.is_file() for f in files):
        return html
    if files not in bundles:
        css = "\n".join(f"/* {f.relative_to(static).as_posix()} */\n{_inline_css(f, static)}" for f in files)
        name = "site-" + hashlib.sha256(css.encode()).hexdigest()[:10] + ".css"
        (static / name).write_text(css, encoding="utf-8")
        bundles[files] = name
    href = Path(os.path.relpath(static / bundles[files], page.parent.resolve())).as_posix()
    first = local[0][0]
    new_head = head[: first.start()] + f'    <link rel="stylesheet" href="{href}" />\n'
    position = first.end()
    for match, _href in local[1:]:
        new_head += head[position: match.start()]
        position = match.end()
    new_head += head[position:]
    return new_head + html[end:]


# ---------------------------------------------------------------------------------------------
# 9. One deferred script per page
# ---------------------------------------------------------------------------------------------

DEFERRED_SCRIPT = re.compile(r'[ \t]*<script defer="defer" src="([^"]+)"></script>[ \t]*\n?')
SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*")


def bundle_scripts(outdir: Path, page: Path, html: str, bundles: dict[tuple, str]) -> str:
    """Replace the deferred scripts of a page's <head> (six from Sphinx and the theme's
    extensions) by one file with the same code in the same order. Deferred scripts run one
    after the other once the page is parsed, so one file runs as they did; a phone fetches it
    in one request instead of six. The bundle starts with an empty statement, so that the
    "use strict" at the top of a file (doctools.js, sphinx_highlight.js) cannot apply to the
    files after it, which were written without it. Those two then run without strict mode,
    which changes nothing for code that runs without error in it (the browser tests fail on
    any console error)."""
    end = html.find("</head>")
    if end < 0:
        return html
    head = html[:end]
    found = [m for m in DEFERRED_SCRIPT.finditer(head) if not m[1].startswith(("http:", "https:", "//"))]
    if len(found) < 2:
        return html
    static = (outdir / "_static").resolve()
    files = tuple((page.parent / html_lib.unescape(m[1]).split("?")[0]).resolve() for m in found)
    if not all(f.is_file() for f in files):
        return html
    if files not in bundles:
        parts = [";"]
        for f in files:
            code = SOURCE_MAP.sub("", f.read_text(encoding="utf-8")).rstrip()
            parts.append(f"/* {f.relative_to(static).as_posix()} */\n{code}\n;")
        js = "\n".join(parts) + "\n"
        name = "site-" + hashlib.sha256(js.encode()).hexdigest()[:10] + ".js"
        (static / name).write_text(js, encoding="utf-8")
        bundles[files] = name
    href = Path(os.path.relpath(static / bundles[files], page.parent.resolve())).as_posix()
    new_head = head[: found[0].start()] + f'    <script defer="defer" src="{href}"></script>\n'
    position = found[0].end()
    for match in found[1:]:
        new_head += head[position: match.start()]
        position = match.end()
    new_head += head[position:]
    return new_head + html[end:]


# ---------------------------------------------------------------------------------------------
# 10. Light or dark mode settled in <head>
# ---------------------------------------------------------------------------------------------

THEME_AUTO = 'document.documentElement.dataset.theme = localStorage.getItem("theme") || "auto";'
# pydata-sphinx-theme's setColorMode: a mode other than light, dark or auto counts as auto, and
# auto shows the system's preference
THEME_SETTLED = (
    'var courseMode = localStorage.getItem("mode");'
    ' if (courseMode !== "light" && courseMode !== "dark") courseMode = "auto";'
    ' document.documentElement.dataset.theme = courseMode === "auto"'
    ' ? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light") : courseMode;'
)


def settle_color_mode(page: Path, html: str) -> str:
    """In the theme's inline script in <head>, compute the theme the theme's script will set."""
    end = html.find("</head>")
    if end < 0:
        return html
    if THEME_SETTLED in html[:end]:  # a page an earlier build rewrote, not written again since
        return html
    if THEME_AUTO not in html[:end]:
        logger.warning("course_perf: the theme's colour-mode line was not found in %s "
                       "(pydata-sphinx-theme changed?); update THEME_AUTO", page)
        return html
    return html[:end].replace(THEME_AUTO, THEME_SETTLED, 1) + html[end:]


# ---------------------------------------------------------------------------------------------
# 11. No <span> for code tokens drawn in the code block's own colour
# ---------------------------------------------------------------------------------------------

PYGMENTS_RULE = re.compile(r'html\[data-theme="(light|dark)"\] \.highlight(?: \.([\w-]+))? \{([^}]*)\}')
HIGHLIGHTED_PRE = re.compile(r'(<div class="highlight"><pre[^>]*>)(.*?)(</pre>)', re.S)


def plain_token_classes(outdir: Path) -> set[str]:
    """The token classes whose only declaration, in the light and in the dark style, is the
    colour the code block has anyway (e.g. ``n``, names, and ``p``, punctuation)."""
    path = outdir / "_static" / "pygments.css"
    if not path.exists():
        return set()
    block: dict[str, str] = {}
    tokens: dict[str, dict[str, str]] = {}
    for theme, token, declarations in PYGMENTS_RULE.findall(path.read_text(encoding="utf-8")):
        if token:
            tokens.setdefault(token, {})[theme] = declarations.strip()
        else:
            colour = re.search(r"(?:^|;)\s*color:\s*([^;]+?)\s*(?:;|$)", declarations)
            if colour:
                block[theme] = colour[1]
    if set(block) != {"light", "dark"}:
        return set()
    return {token for token, rules in tokens.items()
            if all(rules.get(theme, "").rstrip(";").strip() == f"color: {block[theme]}" for theme in block)}


def unwrap_plain_tokens(html: str, plain: set[str]) -> str:
    if not plain:
        return html
    span = re.compile(r'<span class="(?:' + "|".join(map(re.escape, sorted(plain))) + r')">([^<]*)</span>')
    return HIGHLIGHTED_PRE.sub(lambda m: m[1] + span.sub(r"\1", m[2]) + m[3], html)


def rewrite_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = {page: page.read_text(encoding="utf-8") for page in outdir.rglob("*.html")}
    icons = subset_icons(outdir, pages)
    patch_theme_script(outdir)
    plain = plain_token_classes(outdir)
    bundles: dict[tuple, str] = {}
    for page, html in pages.items():
        new = FONT_PRELOAD.sub("", FONTAWESOME_JS.sub("", html))
        if icons:
            new = FONTAWESOME_CSS.sub(lambda m: f'href="{m[1]}{icons}"', new)
        new = _size_images(page, new)
        # Tab stops on whatever may scroll (the theme's script unsets them lazily where not)
        new = OUTPUT.sub(r'\1 tabindex="0"', PRE.sub('<pre tabindex="0"', new))
        new = BOOTSTRAP_SPY.sub(r"\1", new, count=1)  # scroll_spy.js does its job
        new = bundle_stylesheets(outdir, page, new, bundles)
        new = bundle_scripts(outdir, page, new, bundles)
        new = settle_color_mode(page, new)
        new = unwrap_plain_tokens(new, plain)
        if page.name == "search.html" and page.parent == outdir:  # 12.
            new = new.replace('<script src="searchindex.js"></script>',
                              '<script defer="defer" src="searchindex.js"></script>', 1)
        if new != html:
            page.write_text(new, encoding="utf-8")


def setup(app):
    app.add_html_math_renderer("katex", (visit_math, None), (visit_displaymath, None))
    app.config.html_math_renderer = "katex"
    app.add_css_file("perf.css")
    app.connect("html-page-context", adjust_assets, priority=900)
    app.connect("build-finished", copy_katex)
    app.connect("build-finished", rewrite_pages, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
