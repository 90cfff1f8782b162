"""The book builds offline with warnings as errors, and its pages load in a real browser.

The build runs from scratch into a temporary folder (an incremental build would not repeat the
warnings of unchanged pages). The browser check drives Debian's Chromium with Playwright over
loopback and refuses every request to another host, so a page that needs the internet fails.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from notebook_rules import ROOT, toc_files

# axe-core, the accessibility engine Lighthouse uses, as the pinned axe-playwright-python ships it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Experimental in axe, so off unless asked for; Lighthouse runs it (the search button failed it).
AXE_EXTRA_RULES = {"label-content-name-mismatch": {"enabled": True}}
PHONE = {"width": 390, "height": 844}

# Console messages that are not errors of the site, each with the reason it is allowed.
CONSOLE_ALLOW = [
    # (none yet: any console error fails the check)
]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, cwd=ROOT,
    )
    log = result.stdout + result.stderr
    if result.returncode != 0:
        problems = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
        pytest.fail("jupyter-book build failed:\n" + "\n".join(problems[-30:] or log.splitlines()[-30:]))
    return out / "_build" / "html"


def page_paths() -> list[str]:
    return [f"{f}.html" for f in toc_files()]


def site_pages() -> list[str]:
    """Every page a reader can reach: the book's, the search page and the index."""
    return [*page_paths(), "search.html", "genindex.html"]


def test_book_builds_with_warnings_as_errors(built_site):
    assert (built_site / "index.html").exists()
    for page in page_paths():
        assert (built_site / page).exists(), f"{page} was not built"


def test_site_needs_no_other_host(built_site):
    """No page loads a script, style, font or math renderer from a CDN, and no invented URLs."""
    external_load = re.compile(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:)?//', re.I)
    for page in [*page_paths(), "search.html"]:
        html = (built_site / page).read_text(encoding="utf-8")
        assert not external_load.search(html), f"{page} loads something from another host"
        assert "executablebooks/jupyter-book" not in html, f"{page} links the template's repository"
    assert (built_site / "_static" / "katex" / "katex.min.css").exists()


def test_every_citation_and_footnote_resolves(built_site):
    """Each footnote reference (a {footcite}) points at a footnote on the same page."""
    reference = re.compile(r'<a class="footnote-reference[^"]*" href="#([^"]+)"')
    for page in page_paths():
        html = (built_site / page).read_text(encoding="utf-8")
        for target in set(reference.findall(html)):
            assert f'id="{target}"' in html, f"{page}: footnote {target} has no definition"
        assert "footcite" not in re.sub(r'"[^"]*"', "", html), f"{page}: an unrendered footcite"


def test_pages_are_light_for_a_phone(built_site):
    """Issue 18 (book/_ext/course_perf.py): what would make a page slow on a phone is absent."""
    head_script = re.compile(r'<script(?![^>]*\b(?:defer|async)\b)[^>]*\bsrc="([^"]+)"')
    for page in [*page_paths(), "search.html"]:
        path = built_site / page
        html = path.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        for src in head_script.findall(head):  # a script that blocks the first paint stays small
            size = (path.parent / src.split("?")[0]).stat().st_size
            assert size <= 100_000, f"{page}: render-blocking {src} is {size} bytes"
        assert "fontawesome" not in "".join(re.findall(r"<script[^>]*>", html)), f"{page}: icon JavaScript"
        assert not re.search(r"<script[^>]*mathjax|window\.MathJax", html, re.I), f"{page}: MathJax loaded"
        for img in re.findall(r"<img\b[^>]*>", html):  # sized (no layout shift) and decoded off-thread
            assert re.search(r'\bwidth="\d+" height="\d+"', img) and 'decoding="async"' in img, f"{page}: {img[:120]}"
        lazy = re.findall(r"<img\b[^>]*>", html)[1:]
        assert all('loading="lazy"' in img for img in lazy), f"{page}: an image below the first is not lazy"
        after_heading = html[html.find("<h2", max(html.find("<article"), 0)):] if "<h2" in html else ""
        assert all('loading="lazy"' in img for img in re.findall(r"<img\b[^>]*>", after_heading)), \
            f"{page}: an image below the first section heading is not lazy"
        # one deferred script file in <head> (course_perf.py bundles them; search.html runs its own)
        if page != "search.html":
            deferred = re.findall(r'<script\b[^>]*\bdefer\b[^>]*\bsrc="[^"]+"', head)
            assert len(deferred) <= 1, f"{page}: {len(deferred)} deferred scripts in <head>"
        # one stylesheet: each render-blocking one costs a phone round trips before the first paint
        sheets = re.findall(r'<link\b[^>]*\brel="stylesheet"[^>]*>', head)
        assert len(sheets) == 1, f"{page}: {len(sheets)} stylesheets in <head>"
        css = (path.parent / re.search(r'href="([^"?]+)', sheets[0])[1]).read_text(encoding="utf-8")
        assert "@import" not in css, f"{page}: the stylesheet imports another (one more round trip)"
        if 'class="math' in html:  # math typeset at build time, with KaTeX's stylesheet
            assert 'class="katex"' in html and ".katex{" in css, page
        # sphinx-design's stylesheet (48 KB) only where one of its components is
        if not re.search(r'class="(?:[^"]* )?sd-', html):
            assert "sphinx-design" not in css, f"{page}: sphinx-design's stylesheet with none of its components"
        # sphinx-togglebutton's script, which costs a phone's CPU, only where something toggles
        if not re.search(r'class="(?:[^"]* )?toggle(?: [^"]*)?"', html):
            assert "togglebutton" not in head, f"{page}: sphinx-togglebutton with nothing to toggle"
        # a slider figure's data is a file fetched with plotly.js, not part of the page
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S):
            assert len(script) <= 20_000, f"{page}: an inline script of {len(script)} characters"
        # icons from a build-time subset (_static/icons.css), not Font Awesome's 100 KB stylesheet
        assert "vendor/fontawesome" not in head, f"{page}: Font Awesome's whole stylesheet"
        # Bootstrap's ScrollSpy lays out the whole chapter on load (scroll_spy.js stands in)
        assert 'data-bs-spy="scroll"' not in html, f"{page}: Bootstrap's ScrollSpy"
        # every code block reachable by keyboard before the lazy check of whether it scrolls
        assert not re.search(r"<pre(?=[\s>])(?![^>]*\btabindex=)", html), f"{page}: a <pre> without tabindex"
        # no element for a name or a punctuation mark in code (a fifth of a chapter's elements)
        assert not re.search(r'<span class="[np]">', html), f"{page}: code keeps <span> elements for names"
    theme_script = (built_site / "_static" / "scripts" / "pydata-sphinx-theme.js").read_text(encoding="utf-8")
    # the theme's own check measures every code block on load (a forced layout of the page)
    assert "course_perf: lazy tab stops" in theme_script, "the theme's script is not the patched copy"


# ---------------------------------------------------------------------------------------------
# The real browser
# ---------------------------------------------------------------------------------------------


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        message = "Chromium is not installed (Debian: apt-get install chromium); browser check not run"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + ", and under CI=true the browser check is required")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


class PageVisit:
    """Open one page and record every problem a reader would meet."""

    def __init__(self, browser, url: str, *, width: int = 1280, height: int = 900, color_scheme: str = "light",
                 init_script: str | None = None):
        # color_scheme sets prefers-color-scheme, which the theme follows (default_mode: auto)
        self.context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme)
        if init_script:  # runs in each page before the page's own scripts
            self.context.add_init_script(init_script)
        self.page = self.context.new_page()
        self.host = urlparse(url).netloc
        self.foreign, self.failed, self.console_errors, self.requested = [], [], [], []
        self.context.route("**/*", self._only_loopback)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.console_errors.append(f"page error: {e}"))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _only_loopback(self, route):
        url = route.request.url
        self.requested.append(url)
        if url.startswith(("data:", "blob:")) or urlparse(url).netloc == self.host:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _console(self, msg):
        if msg.type == "error" and not any(allowed in msg.text for allowed, _ in CONSOLE_ALLOW):
            self.console_errors.append(msg.text)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("page_path", page_paths())
def test_page_loads_offline_with_images_and_math(browser, site_url, page_path):
    with PageVisit(browser, f"{site_url}/{page_path}") as visit:
        page = visit.page
        # images below the first are loading="lazy": fetch them all now, to see that each one loads
        page.evaluate("Promise.all(Array.from(document.images).map(i => { i.loading = 'eager';"
                      " return i.decode().catch(() => null); }))")
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        math_count = page.locator(".math").count()
        if math_count:
            # KaTeX typeset every equation at build time (book/_ext/course_perf.py).
            assert page.locator(".math .katex").count() == math_count, "math left as TeX source"
            assert page.locator(".katex-error").count() == 0, "KaTeX reports a TeX error"
            too_wide = page.evaluate(
                """() => Array.from(document.querySelectorAll('div.math .katex-display > .katex'))
                  .filter(m => m.scrollWidth > m.closest('div.math').clientWidth + 1)
                  .map(m => m.textContent.slice(0, 50))"""
            )
            assert not too_wide, f"display math wider than the text column: {too_wide}"
        assert not visit.foreign, f"requests to other hosts: {visit.foreign}"
        assert not visit.failed, f"failed requests: {visit.failed}"
        assert not broken, f"images that did not load: {broken}"
        assert not visit.console_errors, f"console errors: {visit.console_errors}"
        # headless Chromium does not fetch the icon itself; a reader's browser does
        icon = page.evaluate("document.querySelector('link[rel~=\"icon\"]')?.href ?? null")
        assert icon and page.request.get(icon).status == 200, f"no site icon: {icon}"


@pytest.mark.browser
def test_pages_with_math_render_it(browser, site_url):
    """At least the chapter pages have math, and it is rendered (not left as TeX source)."""
    with PageVisit(browser, f"{site_url}/notebooks/02_activation_functions.html") as visit:
        assert visit.page.locator(".math .katex-html").count() > 20  # drawn by KaTeX's HTML
        assert visit.page.locator(".math .katex-mathml math").count() > 20  # read by screen readers
        fraction = visit.page.locator(".katex-html .mfrac").first.bounding_box()
        assert fraction and fraction["height"] > 20, "a fraction is not typeset on two levels"
        assert not [u for u in visit.requested if "mathjax" in u.lower()], "no math script is needed"


@pytest.mark.browser
def test_search_finds_a_chapter(browser, site_url):
    with PageVisit(browser, f"{site_url}/search.html?q=sigmoid") as visit:
        results = visit.page.locator("#search-results ul.search li a")
        results.first.wait_for(timeout=20_000)
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any("activation_functions" in h for h in hrefs), hrefs
        assert not visit.foreign and not visit.console_errors


@pytest.mark.browser
@pytest.mark.parametrize("page_path", [p for p in page_paths() if p.startswith("notebooks/")])
def test_exercise_solutions_stay_hidden_until_opened(browser, site_url, page_path):
    with PageVisit(browser, f"{site_url}/{page_path}") as visit:
        solutions = visit.page.locator("details.solution")
        assert solutions.count() >= 1
        first = solutions.first
        body = first.locator("p").first
        assert not body.is_visible(), "a solution is visible before the reader opens it"
        first.locator("summary").click()
        assert body.is_visible()


def pages_with_interactive_figures(built_site) -> list[str]:
    return [p for p in page_paths() if "plotly-graph-div" in (built_site / p).read_text(encoding="utf-8")]


def test_plotly_js_is_served_once_by_the_site_and_only_where_needed(built_site):
    interactive = pages_with_interactive_figures(built_site)
    assert len(interactive) >= 3, interactive  # chapters 1, 2 and 4 have sliders
    # plotly.js's basic bundle (book/_ext/course_html.py), not the 4.7 MB full one
    assert 1_000_000 < (built_site / "_static" / "plotly-basic.min.js").stat().st_size < 2_000_000
    figures = 0
    for page in page_paths():
        html = (built_site / page).read_text(encoding="utf-8")
        loads = html.count('source = root + "_static/plotly-basic.min.js"')  # the lazy loader
        assert loads == (1 if page in interactive else 0), page
        assert not re.search(r"<script[^>]+src=\"[^\"]*plotly", html), f"{page}: plotly loaded up front"
        figures += html.count('class="plotly-graph-div')
        sources = re.findall(r'var figure = \{"nonlinSource": "([^"]+)"\};', html)
        assert len(sources) == html.count('class="plotly-graph-div'), f"{page}: a figure's data in the page"
        for source in sources:  # the figure's data, moved out of the page (course_html.py)
            figure = json.loads((built_site / page).parent.joinpath(source).read_text(encoding="utf-8"))
            assert figure["data"] and figure["frames"] and figure["layout"]["sliders"], source
        assert "plotly.js v" not in html  # the library itself is never inlined
    assert figures >= 5


@pytest.mark.browser
def test_every_slider_changes_the_plotted_data(browser, site_url, built_site):
    for page_path in pages_with_interactive_figures(built_site):
        with PageVisit(browser, f"{site_url}/{page_path}") as visit:
            page = visit.page
            ids = page.eval_on_selector_all(".nonlin-interactive", "divs => divs.map(d => d.id)")
            assert ids, page_path
            # plotly.js is fetched only when a figure comes near the screen (1000 px, lazy-plotly.js)
            first = page.evaluate(f"document.getElementById('{ids[0]}').getBoundingClientRect().top")
            if first > 900 + 1200:
                assert not [u for u in visit.requested if "plotly" in u], f"{page_path}: plotly.js loaded early"
            for div_id in ids:
                page.locator(f"#{div_id}").scroll_into_view_if_needed()
                page.wait_for_selector(f"#{div_id} .main-svg", timeout=20_000)
                # What is drawn: the SVG path of the last (moving) trace, and the data behind it.
                read = (f"() => [document.querySelector('#{div_id} .scatterlayer .trace:last-child path.js-line')"
                        f".getAttribute('d'), JSON.stringify(document.getElementById('{div_id}').data.at(-1).y)]"
                        ".join('|')")
                before = page.evaluate(read)
                rail = page.locator(f"#{div_id} .slider-rail-touch-rect").bounding_box()
                page.mouse.click(rail["x"] + 0.85 * rail["width"], rail["y"] + rail["height"] / 2)
                page.wait_for_function(f"before => ({read})() !== before", arg=before, timeout=10_000)
                after = page.evaluate(read).split("|")
                assert all(a != b for a, b in zip(after, before.split("|"))), "path and data must both change"
            local_plotly = [u for u in visit.requested if u.endswith("/_static/plotly-basic.min.js")]
            assert len(local_plotly) == 1, local_plotly
            assert not visit.foreign and not visit.failed and not visit.console_errors



# ---------------------------------------------------------------------------------------------
# Accessible and readable (issue 18; book/_ext/accessible_html.py, book/_static/course.css)
# ---------------------------------------------------------------------------------------------


def contrast(colour: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted([luminance(colour), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_links_in_the_text_keep_their_contrast_on_grey(built_site):
    """A link in the text reaches 4.5:1 on the theme's grey surfaces too (a footnote reference
    of chapter 5 measured 4.34:1 against one in Lighthouse's desktop run): course.css."""
    css = (built_site / "_static" / "course.css").read_text(encoding="utf-8")
    light = re.search(r"\n\.bd-article a:not\(\.headerlink\) \{\s*color: (#[0-9a-f]{6})", css)
    dark = re.search(r'\nhtml\[data-theme="dark"\] \.bd-article a:not\(\.headerlink\) \{\s*color: (#[0-9a-f]{6})', css)
    assert light and dark, "course.css does not set the colour of links in the text"
    # the theme's surfaces (pydata-sphinx-theme 0.15: --pst-color-surface, light and dark)
    assert contrast(light[1], "#f3f4f5") >= 4.5 and contrast(light[1], "#ffffff") >= 4.5
    assert contrast(dark[1], "#29313d") >= 4.5 and contrast(dark[1], "#14181e") >= 4.5


def test_the_back_to_top_button_keeps_its_contrast(built_site):
    """The theme's "Back to top" button, shown after a scroll, had white on orange at 2.45:1."""
    css = (built_site / "_static" / "course.css").read_text(encoding="utf-8")
    rule = re.search(r'\n#pst-back-to-top,\nhtml\[data-theme="dark"\] #pst-back-to-top \{\s*'
                     r"background-color: (#[0-9a-f]{6});\s*color: (#[0-9a-f]{6});", css)
    assert rule, "course.css does not set the colours of the back-to-top button in both themes"
    assert contrast(rule[2], rule[1]) >= 4.5


def test_every_page_has_one_viewport_and_a_description(built_site):
    descriptions = {}
    for page in site_pages():
        html = (built_site / page).read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        viewports = head.count('name="viewport"')
        assert viewports == 1, f"{page}: {viewports} viewport tags"
        found = re.findall(r'<meta name="description" content="([^"]*)"', head)
        assert len(found) == 1 and 40 <= len(found[0]) <= 160, f"{page}: meta description {found}"
        descriptions[page] = found[0]
        assert "doc-biblioentry" not in html, f"{page}: deprecated ARIA role doc-biblioentry"
        # an empty header cell (pandas' corner above the index) is no header
        assert not re.search(r"<th(\s[^>]*)?>(\s|&nbsp;|&#160;)*</th>", html), f"{page}: empty <th>"
    chapters = [descriptions[p] for p in page_paths()]
    assert len(set(chapters)) == len(chapters), "two pages share a description"


# Scroll a figure into view until plotly.js (fetched near the screen) has drawn it; sections
# below the screen may take their real height only when shown, moving the figure on the way.
DRAWN = """id => { const d = document.getElementById(id); d.scrollIntoView({block: "center"});
                    return d.querySelector(".main-svg") !== null; }"""


def draw(page, div_id: str) -> None:
    page.wait_for_function(DRAWN, arg=div_id, polling=250, timeout=20_000)


def settle(page) -> None:
    """Let a page finish what it does after load: lay out every section and draw every slider
    figure, and give the theme's debounced scripts (tab stops on scrolling code, 300 ms) time."""
    # content-visibility: auto skips drawing what is off screen; show it all, so that every
    # element is checked, as a reader who scrolls meets it
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    for div_id in page.eval_on_selector_all(".nonlin-interactive", "divs => divs.map(d => d.id)"):
        draw(page, div_id)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(700)


def axe_violations(page) -> list[dict]:
    import axe_playwright_python

    page.evaluate((Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "rules": AXE_EXTRA_RULES,
               "resultTypes": ["violations"]}
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}")
        for node in v["nodes"][:4]:
            summary = " ".join(node["failureSummary"].split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:240]}")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark", "phone"])
@pytest.mark.parametrize("page_path", site_pages())
def test_axe_finds_no_violation(browser, site_url, page_path, mode):
    """axe-core at WCAG 2.1 AA and its best practices: in light mode, in dark mode (the theme
    follows prefers-color-scheme), and on a 390 px phone screen."""
    size = PHONE if mode == "phone" else {}
    scheme = "dark" if mode == "dark" else "light"
    with PageVisit(browser, f"{site_url}/{page_path}", color_scheme=scheme, **size) as visit:
        page = visit.page
        assert page.evaluate("document.documentElement.dataset.theme") == scheme, "the theme ignored the mode"
        settle(page)
        violations = axe_violations(page)
        assert not violations, f"axe-core, {page_path} in {mode} mode:\n" + describe_violations(violations)


# Elements that must stay within the text column on a phone, or scroll inside a box that does.
CUT_OFF = """() => {
  const article = document.querySelector("article.bd-article");
  const right = article.getBoundingClientRect().right + 1;
  const scrolls = el => { for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if ((o === "auto" || o === "scroll") && a.getBoundingClientRect().right <= right) return true; }
    return false; };
  return Array.from(article.querySelectorAll("h1, h2, h3, h4, .katex, table, img, .plotly-graph-div, pre"))
    .filter(el => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > right && !scrolls(el))
    .map(el => el.tagName + " " + el.textContent.trim().slice(0, 60));
}"""

# Boxes that scroll sideways, and whether each shows the cue (the edge shadow of course.css).
SCROLL_BOXES = """() => Array.from(document.querySelectorAll(
    "article div.math, article .pst-scrollable-table-container, article .cell_output .output.text_html"))
  .filter(b => b.scrollWidth > b.clientWidth + 1)
  .map(b => [b.textContent.trim().slice(0, 50), getComputedStyle(b).backgroundImage.includes("gradient"),
             b.tabIndex >= 0])"""


@pytest.mark.browser
@pytest.mark.parametrize("page_path", page_paths())
def test_readable_on_a_phone(browser, site_url, page_path):
    with PageVisit(browser, f"{site_url}/{page_path}", **PHONE) as visit:
        page = visit.page
        settle(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
        cut_off = page.evaluate(CUT_OFF)
        assert not cut_off, f"cut off on a 390 px screen (wider than the column, and no scrolling): {cut_off}"
        for text, cue, focusable in page.evaluate(SCROLL_BOXES):
            assert cue, f"a box scrolls sideways without a visible cue: {text}"
            assert focusable, f"a box scrolls sideways but cannot be reached by keyboard: {text}"
        # Figure text is small on a phone: every figure opens full size on tap.
        unlinked = page.evaluate(
            """() => Array.from(document.querySelectorAll("article img")).filter(i =>
                 !(i.closest("a") && new URL(i.closest("a").href).pathname === new URL(i.src).pathname))
               .map(i => i.src)""")
        assert not unlinked, f"figures that do not open full size: {unlinked}"
        alts = page.evaluate("Array.from(document.querySelectorAll('article img')).map(i => i.alt)")
        for alt in alts:  # written with the figure (cell metadata), not the file's hash
            assert len(alt) >= 40 and not re.fullmatch(r"[0-9a-f]{20,}.*", alt), f"alt text: {alt!r}"


ACTIVE_IS = "([id, step]) => document.getElementById(id)._fullLayout.sliders[0].active === step"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_without_spans_for_names_looks_the_same(browser, site_url, scheme):
    """course_perf.py (11) drops the <span> around names and punctuation in code, because its
    colour is the code block's: a name put back in its span shows the same colour as the block,
    and keywords and strings keep theirs."""
    with PageVisit(browser, f"{site_url}/notebooks/01_why_nonlinearity.html", color_scheme=scheme) as visit:
        colours = visit.page.evaluate("""() => {
            const pre = document.querySelector('div.highlight pre');
            const colour = cls => {
                const s = document.createElement('span'); s.className = cls; s.textContent = 'x';
                pre.appendChild(s); const c = getComputedStyle(s).color; s.remove(); return c; };
            return {block: getComputedStyle(pre).color,
                    n: colour('n'), p: colour('p'), k: colour('k'), s2: colour('s2')};
        }""")
    assert colours["n"] == colours["block"] and colours["p"] == colours["block"], colours
    assert colours["k"] != colours["block"] and colours["s2"] != colours["block"], colours  # highlighting still on


# Every change of <html data-theme>, with the page's readyState when it happened ("loading" while
# the inline script in <head> runs; "interactive" once the theme's deferred script runs).
RECORD_THEME_CHANGES = """
window.themeChanges = [];
new MutationObserver(records => records.forEach(r => r.target === document.documentElement &&
    window.themeChanges.push([r.oldValue, r.target.dataset.theme, document.readyState])))
  .observe(document, {subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["data-theme"]});
"""


@pytest.mark.browser
@pytest.mark.parametrize("scheme, stored_mode, expected", [
    ("light", None, "light"), ("dark", None, "dark"), ("light", "dark", "dark"), ("dark", "light", "light"),
    ("dark", "auto", "dark"), ("dark", "nonsense", "dark")])
def test_the_colour_mode_is_settled_before_the_page_is_drawn(browser, site_url, scheme, stored_mode, expected):
    """A change of <html data-theme> after the page is parsed restyles every element: the theme's
    script did it on every first visit ("auto" to "light"), 0.5 s of a phone's CPU on chapter 4
    (book/_ext/course_perf.py, 10). The inline script in <head> now sets the final value."""
    store = f"localStorage.setItem('mode', {stored_mode!r});" if stored_mode else "localStorage.clear();"
    with PageVisit(browser, f"{site_url}/notebooks/04_diode_rectifier.html", color_scheme=scheme,
                   init_script=store + RECORD_THEME_CHANGES) as visit:
        page = visit.page
        assert page.evaluate("document.documentElement.dataset.theme") == expected
        changes = page.evaluate("window.themeChanges")
        late = [c for c in changes if c[2] != "loading" and c[0] != c[1]]
        assert not late, f"data-theme changed after the page was parsed ([old, new, readyState]): {changes}"


@pytest.mark.browser
def test_sliders_work_with_the_keyboard_and_follow_dark_mode(browser, site_url, built_site):
    # colours as the browser computes them (plotly keeps "white", the theme a hex code)
    rgb = ("c => { const e = document.createElement('i'); e.style.color = c; document.body.append(e);"
           " const r = getComputedStyle(e).color; e.remove(); return r; }")
    read = f"""id => {{ const d = document.getElementById(id), rgb = {rgb};
        return [JSON.stringify(d.data.at(-1).y), d._fullLayout.sliders[0].active, rgb(d._fullLayout.paper_bgcolor),
                document.getElementById(id + "-range").value, document.getElementById(id + "-value").textContent,
                rgb(getComputedStyle(document.documentElement).getPropertyValue("--pst-color-background"))]; }}"""
    paper_is = f"([id, colour]) => ({rgb})(document.getElementById(id)._fullLayout.paper_bgcolor) === colour"
    white = "rgb(255, 255, 255)"
    for page_path in pages_with_interactive_figures(built_site):
        with PageVisit(browser, f"{site_url}/{page_path}", color_scheme="dark") as visit:
            page = visit.page
            for div_id in page.eval_on_selector_all(".nonlin-interactive", "divs => divs.map(d => d.id)"):
                draw(page, div_id)
                background = page.evaluate(read, div_id)[-1]
                assert background != white
                # dark mode: the plot's paper is the page's background, not white
                page.wait_for_function(paper_is, arg=[div_id, background], timeout=10_000)
                data, active, paper, value, shown, background = page.evaluate(read, div_id)
                assert (active, value) == (0, "0")
                steps = page.evaluate(f"document.getElementById('{div_id}').layout.sliders[0].steps.length")
                titles = page.evaluate(f"document.getElementById('{div_id}')._transitionData._frames.map("
                                       "f => f.layout && f.layout.title ? f.layout.title.text : '')")
                range_input = page.locator(f"#{div_id}-range")
                assert page.get_by_label(page.locator(f"label[for='{div_id}-range']").inner_text()).count() >= 1
                range_input.focus()  # reached by keyboard: a native range input
                page.keyboard.press("End")
                page.wait_for_function(ACTIVE_IS, arg=[div_id, steps - 1], timeout=10_000)
                data_end, active, _, value, shown, _ = page.evaluate(read, div_id)
                assert data_end != data and value == str(steps - 1), "End must show the last frame"
                assert not titles[-1] or shown == titles[-1], (shown, titles[-1])
                page.keyboard.press("ArrowLeft")
                page.wait_for_function(ACTIVE_IS, arg=[div_id, steps - 2], timeout=10_000)
                # the mouse slider moves the keyboard one: click the rail's start (scrolled to first,
                # as a reader would: sections above change height when first laid out, perf.css)
                page.locator(f"#{div_id} .slider-rail-touch-rect").scroll_into_view_if_needed()
                rail = page.locator(f"#{div_id} .slider-rail-touch-rect").bounding_box()
                page.mouse.click(rail["x"] + 2, rail["y"] + rail["height"] / 2)
                page.wait_for_function(f"document.getElementById('{div_id}-range').value === '0'", timeout=10_000)
                # switching the site to light mode restyles the plot
                page.evaluate("document.documentElement.dataset.theme = 'light'")
                page.wait_for_function(paper_is, arg=[div_id, white], timeout=10_000)
                page.evaluate("document.documentElement.dataset.theme = 'dark'")
            assert not visit.console_errors, visit.console_errors


@pytest.mark.browser
def test_search_snippets_show_math_as_text_not_tex(browser, site_url):
    with PageVisit(browser, f"{site_url}/search.html?q=derivative") as visit:
        snippets = visit.page.locator("#search-results p.context")
        snippets.first.wait_for(timeout=20_000)
        visit.page.wait_for_timeout(1500)  # snippets arrive one by one
        texts = [snippets.nth(i).inner_text() for i in range(snippets.count())]
        tex = [t for t in texts if re.search(r"\\[a-zA-Z]+|\\\(|\\\[|\^\{|_\{", t)]
        assert texts and not tex, f"search snippets with TeX source: {tex[:3]}"
