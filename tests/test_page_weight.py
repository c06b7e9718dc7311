"""scripts/page-weight measures exactly the bytes of each page and of the CSS and JS it loads."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import zlib
from pathlib import Path

from conftest import ROOT


def _load_script():
    loader = importlib.machinery.SourceFileLoader("page_weight", str(ROOT / "scripts" / "page-weight"))
    spec = importlib.util.spec_from_loader("page_weight", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["page_weight"] = module  # dataclasses look their module up while the class is made
    loader.exec_module(module)
    return module


def _gzip_len(data: bytes) -> int:
    """gzip at level 6 via zlib's own gzip wrapper (not the gzip module the script uses)."""
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    return len(c.compress(data) + c.flush())


def _write(path: Path, text: str) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    return data


def test_measures_page_and_its_css_and_js(tmp_path: Path) -> None:
    pw = _load_script()
    site = tmp_path / "site"
    css_a = _write(site / "assets" / "a.css", "body { color: #123; }\n" * 200)
    css_b = _write(site / "assets" / "b.css", ".x{margin:0}.y{padding:1px}" * 37)
    js = _write(site / "assets" / "app.js", "function f(n){return n*2}\nconsole.log(f(21));\n" * 90)
    _write(site / "assets" / "unused.js", "never referenced;" * 500)
    index = _write(site / "index.html", """<!doctype html><html><head>
<link rel="icon" href="assets/favicon.png">
<link rel="stylesheet" href="assets/a.css">
<link rel="preload stylesheet" href="/assets/b.css?v=1">
<link rel="stylesheet" href="./assets/a.css">
<link rel="stylesheet" href="https://cdn.example/other.css">
</head><body><p>Hello é</p>
<script>inline()</script>
<script src="assets/app.js"></script>
<script src="//cdn.example/x.js"></script>
</body></html>""")
    sub = _write(site / "sub" / "index.html", """<html><head><link rel="stylesheet" href="../assets/a.css">
<link rel=stylesheet href="../assets/gone.css"></head><body>
<script defer src="../assets/app.js"></script></body></html>""")

    home, page = pw.measure_site(site)

    assert home.page == "" and page.page == "sub/"
    # the home page: its HTML, a.css once (referenced twice), b.css by its root-relative address,
    # app.js; not the favicon, the inline script, the unused script or the other origin's files
    assert (home.html.raw, home.html.gzip) == (len(index), _gzip_len(index))
    assert (home.css.raw, home.css.gzip) == (len(css_a) + len(css_b), _gzip_len(css_a) + _gzip_len(css_b))
    assert (home.js.raw, home.js.gzip) == (len(js), _gzip_len(js))
    assert home.total.raw == len(index) + len(css_a) + len(css_b) + len(js)
    assert home.total.gzip == _gzip_len(index) + _gzip_len(css_a) + _gzip_len(css_b) + _gzip_len(js)
    assert home.total.gzip < home.total.raw
    assert home.files == {"css": ["assets/a.css", "assets/b.css"], "js": ["assets/app.js"]}
    assert home.missing == []

    # a page in a folder resolves ../ and reports the stylesheet that is not in the site
    assert (page.html.raw, page.css.raw, page.js.raw) == (len(sub), len(css_a), len(js))
    assert (page.css.gzip, page.js.gzip) == (_gzip_len(css_a), _gzip_len(js))
    assert page.missing == ["assets/gone.css"]

    text = pw.table([home, page])
    kib = lambda n: f"{n / 1024:.1f}"  # noqa: E731
    assert f"| (home) | {kib(len(index))} ({kib(_gzip_len(index))}) |" in text
    assert "Heaviest page: **(home)**" in text
