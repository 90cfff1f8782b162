"""Lighthouse on every page of the built book, mobile and desktop: `make audit`.

Serves the site over loopback with gzip, as a static host would, and runs the pinned Lighthouse
(tools/audit/package.json, installed by `make audit` with `npm ci`) with Debian's Chromium on
each page the table of contents lists, with Lighthouse's mobile preset (its default: a slow 4G
network and a 4x slower CPU, simulated) and its desktop preset. Prints the four category scores
per page as a Markdown table. A measurement, not a test: scores move a few points between runs,
more when the machine is busy.

    python tools/audit.py [SITE]    SITE: a built site (default _build/html; build it first)
    options: --pages intro,02 (only pages whose path contains one of these), --presets mobile,
             --reports DIR (keep Lighthouse's JSON reports, to read its diagnostics)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tools" / "audit" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = "--no-sandbox --headless --disable-gpu --disable-background-networking --disable-component-update"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESSIBLE = {".html", ".js", ".css", ".svg", ".json", ".txt", ".map", ".inv", ".ttf"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it (each file compressed once)."""

    cache: dict[str, bytes] = {}

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in COMPRESSIBLE or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        key = str(path)
        if key not in self.cache:
            self.cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self.cache[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def toc_pages() -> list[str]:
    """The pages _toc.yml lists, in order (as the Makefile and the tests read it)."""
    text = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    return [f"{name}.html" for name in re.findall(r"^\s*(?:root|-?\s*file):\s*(\S+)", text, re.M)]


def lighthouse(url: str, preset: str, out: Path) -> dict[str, int]:
    command = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}"]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {}
    for name in CATEGORIES:
        score = report["categories"][name]["score"]
        scores[name] = "–" if score is None else round(100 * score)
    audits = report["audits"]
    scores["fcp"] = audits["first-contentful-paint"]["displayValue"]
    scores["lcp"] = audits["largest-contentful-paint"]["displayValue"]
    scores["tbt"] = audits["total-blocking-time"]["displayValue"]
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "_build" / "html"))
    parser.add_argument("--pages", default="", help="comma-separated parts of page paths to audit")
    parser.add_argument("--presets", default="mobile,desktop")
    parser.add_argument("--json", help="also write every score to this file")
    parser.add_argument("--reports", help="keep each Lighthouse report (JSON) in this folder")
    args = parser.parse_args()
    site = Path(args.site)
    if not (site / "index.html").exists():
        sys.exit(f"no built site in {site}: run `make book` first")
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` in tools/audit (`make audit` does)")
    pages = toc_pages()
    if args.pages:
        pages = [p for p in pages if any(part in p for part in args.pages.split(","))]
    presets = args.presets.split(",")
    server, base = serve(site)
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for page in pages:
                for preset in presets:
                    report = Path(args.reports or tmp) / f"{page.replace('/', '_')}.{preset}.json"
                    report.parent.mkdir(parents=True, exist_ok=True)
                    scores = lighthouse(f"{base}/{page}", preset, report)
                    results[(page, preset)] = scores
                    print(f"  {page} ({preset}): {scores}", file=sys.stderr, flush=True)
    finally:
        server.shutdown()
    print("| page | preset | performance | accessibility | best practices | SEO | FCP | LCP | TBT |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for (page, preset), s in results.items():
        print(f"| {page} | {preset} | {s['performance']} | {s['accessibility']} | "
              f"{s['best-practices']} | {s['seo']} | {s['fcp']} | {s['lcp']} | {s['tbt']} |")
    if args.json:
        Path(args.json).write_text(json.dumps({f"{p} {k}": v for (p, k), v in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
