"""The book builds offline with warnings as errors, and its pages load in a real browser.

The build runs from scratch into a temporary folder (an incremental build would not repeat the
warnings of unchanged pages). The browser check drives Debian's Chromium with Playwright over
loopback and refuses every request to another host, so a page that needs the internet fails.
"""

from __future__ import annotations

import functools
import http.server
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
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_every_citation_and_footnote_resolves(built_site):
    """Each footnote reference (a {footcite}) points at a footnote on the same page."""
    reference = re.compile(r'<a class="footnote-reference[^"]*" href="#([^"]+)"')
    for page in page_paths():
        html = (built_site / page).read_text(encoding="utf-8")
        for target in set(reference.findall(html)):
            assert f'id="{target}"' in html, f"{page}: footnote {target} has no definition"
        assert "footcite" not in re.sub(r'"[^"]*"', "", html), f"{page}: an unrendered footcite"


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

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
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
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        math_count = page.locator(".math").count()
        if math_count:
            # MathJax typesets after load: every math element gets an mjx-container.
            page.wait_for_function(
                "n => document.querySelectorAll('mjx-container').length >= n", arg=math_count,
                timeout=20_000,
            )
            assert page.locator("mjx-merror").count() == 0, "MathJax reports a TeX error"
            too_wide = page.evaluate(
                """() => Array.from(document.querySelectorAll('mjx-container[display="true"]'))
                  .filter(m => m.scrollWidth > m.parentElement.clientWidth + 1)
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
        visit.page.wait_for_function("document.querySelectorAll('mjx-container').length > 20")
        assert visit.page.locator("mjx-container").count() > 20


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
    assert (built_site / "_static" / "plotly.min.js").stat().st_size > 1_000_000
    figures = 0
    for page in page_paths():
        html = (built_site / page).read_text(encoding="utf-8")
        loads = html.count("_static/plotly.min.js")
        assert loads == (1 if page in interactive else 0), page
        figures += html.count('class="plotly-graph-div')
        assert "plotly.js v" not in html  # the library itself is never inlined
    assert figures >= 5


@pytest.mark.browser
def test_every_slider_changes_the_plotted_data(browser, site_url, built_site):
    for page_path in pages_with_interactive_figures(built_site):
        with PageVisit(browser, f"{site_url}/{page_path}") as visit:
            page = visit.page
            ids = page.eval_on_selector_all(".nonlin-interactive", "divs => divs.map(d => d.id)")
            assert ids, page_path
            for div_id in ids:
                page.wait_for_selector(f"#{div_id} .main-svg", timeout=20_000)
                page.locator(f"#{div_id}").scroll_into_view_if_needed()
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
            local_plotly = [u for u in visit.requested if u.endswith("/_static/plotly.min.js")]
            assert len(local_plotly) == 1, local_plotly
            assert not visit.foreign and not visit.failed and not visit.console_errors
