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


@pytest.fixture(scope="session", params=BRANDS)
def real_site(request, tmp_path_factory):
    """The real guide as each brand (brands/<id>/mkdocs.yml), built once with its generated
    nginx headers and served by nginx."""
    require_browser()
    if not nginx_binary():
        if os.environ.get("PG_REQUIRE_BROWSER") == "1":
            pytest.fail("nginx is required (PG_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("nginx not installed")
    brand = request.param
    work = tmp_path_factory.mktemp(f"real-site-{brand}")
    site_dir = work / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    mkdocs = Path(os.sys.executable).with_name("mkdocs")
    r = subprocess.run([str(mkdocs), "build", "--strict", "-q", "-f", f"brands/{brand}/mkdocs.yml", "-d", str(site_dir)],
                       cwd=ROOT, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    server = Nginx(site_dir, ROOT / "deploy" / brand / "nginx-headers.conf", work / "nginx")
    yield server, site_dir
    server.stop()
