"""Real nginx and real Chromium (Debian's packages) for page tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, require_browser

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


class Nginx:
    """nginx serving a built site on 127.0.0.1 with the build's generated headers include."""

    engine = "mkdocs"  # which engine built the site

    def __init__(self, site_dir: Path, headers_conf: Path, work: Path) -> None:
        self.port = _free_port()
        work.mkdir(parents=True, exist_ok=True)
        conf = work / "nginx.conf"
        user = "user root;" if os.geteuid() == 0 else ""  # workers must read the test's private temp folder
        conf.write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  server {{
    listen 127.0.0.1:{self.port};
    root {site_dir};
    index index.html;
    include {headers_conf};
    # compression, as docs/deploy.md recommends (text/html is always compressed when gzip is on)
    gzip on;
    gzip_comp_level 6;
    gzip_min_length 256;
    gzip_vary on;
    gzip_types text/css application/javascript text/javascript application/json image/svg+xml text/xml
               application/xml text/plain;
    location / {{ try_files $uri $uri/ =404; }}
    # the theme's fingerprinted assets (name.<hash>.min.css/js) never change: cache them for a year;
    # a block with its own add_header must include the headers again
    location ~ "^/assets/(stylesheets|javascripts)/.+\\.[0-9a-f]{{8}}\\.min\\.(css|js)$" {{
      include {headers_conf};
      add_header Cache-Control "public, max-age=31536000, immutable";  # 200s only, not errors
      try_files $uri =404;
    }}
  }}
}}
""")
        self.proc = subprocess.Popen([nginx_binary(), "-c", str(conf), "-p", str(work)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.1):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode())
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    require_browser()
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


BRANDS = sorted(p.parent.name for p in (ROOT / "brands").glob("*/mkdocs.yml"))
ENGINES = ("mkdocs", "zensical")  # the Zensical build (README: "Moving to Zensical") is tested the same way


def _build(brand: str, engine: str, site_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    config = f"brands/{brand}/mkdocs.yml"
    bin_dir = Path(os.sys.executable).parent
    if engine == "zensical":
        if not (bin_dir / "zensical").exists():
            if os.environ.get("PG_REQUIRE_BROWSER") == "1":
                pytest.fail("zensical is required here: pip install -e '.[zensical]'")
            pytest.skip("zensical not installed (pip install -e '.[zensical]')")
        cmd = [str(bin_dir / "patientguide"), "zensical-build", "-f", config, "-d", str(site_dir)]
    else:
        cmd = [str(bin_dir / "mkdocs"), "build", "--strict", "-q", "-f", config, "-d", str(site_dir)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session", params=[(b, e) for e in ENGINES for b in BRANDS], ids=lambda p: f"{p[0]}-{p[1]}")
def real_site(request, tmp_path_factory):
    """The real guide as each brand (brands/<id>/mkdocs.yml), built by each engine with its
    generated nginx headers, and served by nginx."""
    require_browser()
    if not nginx_binary():
        if os.environ.get("PG_REQUIRE_BROWSER") == "1":
            pytest.fail("nginx is required (PG_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("nginx not installed")
    brand, engine = request.param
    work = tmp_path_factory.mktemp(f"real-site-{brand}-{engine}")
    site_dir = work / "site"
    r = _build(brand, engine, site_dir)
    assert r.returncode == 0, r.stderr
    headers = work / "nginx-headers.conf"  # this build's own: the next build rewrites deploy/<brand>/
    shutil.copyfile(ROOT / "deploy" / brand / "nginx-headers.conf", headers)
    server = Nginx(site_dir, headers, work / "nginx")
    server.engine = engine
    yield server, site_dir
    server.stop()


#: Each engine's search box and results. Zensical's search dialog lives in a shadow root, which
#: Playwright's locators reach into (and document.activeElement does not).
SEARCH = {"mkdocs": {"input": ".md-search__input", "result": "a.md-search-result__link", "header": "md-search__input"},
          "zensical": {"input": "input[role=combobox][aria-label=Search]", "result": "a[role=option]",
                       "header": " Open search"}}  # the header's search button (keyboard.js)


def open_search(page, engine: str):
    """Press "/" and wait until the search box has the focus; returns the box."""
    page.keyboard.press("/")
    box = page.locator(SEARCH[engine]["input"]).first
    box.wait_for(state="visible", timeout=10000)
    for _ in range(100):  # polled from here: the site's CSP forbids the eval that wait_for_function needs
        if box.evaluate("e => e.getRootNode().activeElement === e"):
            return box
        time.sleep(0.1)
    raise AssertionError("the search box did not get the focus")
