"""The shipped nginx config (deploy/nginx-amity.conf), run by Debian's nginx in front of a live
`amity serve`: static files from disk with the app's caching and gzip, pages proxied over TLS,
and the app sees the client's address and scheme, not nginx's nor what the client claims."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from tests.support.live import free_port

from amity.core import schema
from amity.core.db import make_engine
from amity.http.static import STATIC_DIR, static_url

from .conftest import launch, tiny_registry

NGINX = Path("/usr/sbin/nginx")
SHIPPED = Path(__file__).resolve().parents[2] / "deploy" / "nginx-amity.conf"
CLIENT = "127.0.0.2"  # the loopback network is all ours: the client is not nginx's 127.0.0.1


def _site(app_port: int, tls_port: int, plain_port: int, folder: Path) -> str:
    """The shipped file with this machine's ports, a test certificate and the static folder."""
    text = SHIPPED.read_text()
    swaps = [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
        ("listen 80;", f"listen 127.0.0.1:{plain_port};"),
        ("/etc/ssl/certs/amity.pem", str(folder / "cert.pem")),
        ("/etc/ssl/private/amity.key", str(folder / "key.pem")),
    ]
    for old, new in swaps:
        assert text.count(old) == 1, old  # the test follows the shipped file or fails
        text = text.replace(old, new)
    text, found = re.subn(r"alias \S+/amity/web/static/;", f"alias {STATIC_DIR}/;", text)
    assert found == 1
    return text


def _main_config(folder: Path, site: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the checkout
    return f"""{user}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {site};
}}
"""


@pytest.fixture(scope="module")
def nginx_in_front(tmp_path_factory):
    """nginx with the shipped config in front of `amity serve` (once for the module)."""
    tmp_path = tmp_path_factory.mktemp("nginx")
    if not NGINX.exists():
        pytest.skip("no nginx (make test installs Debian's)")
    engine = make_engine(f"sqlite:///{tmp_path / 'amity.db'}")
    schema.upgrade(engine)
    tiny_registry(engine)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=amity.example.org", "-keyout", str(tmp_path / "key.pem"),
         "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    tls_port, plain_port = free_port(), free_port()
    env = {"AMITY_TRUSTED_PROXIES": "127.0.0.1"}
    with launch(engine, tmp_path / "app.log", env=env) as app:
        app_port = int(app.base.rsplit(":", 1)[1])
        site = tmp_path / "amity.conf"
        site.write_text(_site(app_port, tls_port, plain_port, tmp_path))
        main = tmp_path / "nginx.conf"
        main.write_text(_main_config(tmp_path, site))
        nginx = subprocess.Popen([str(NGINX), "-c", str(main), "-p", str(tmp_path),
                                  "-e", str(tmp_path / "error.log")])  # fmt: skip
        try:
            client = httpx.Client(
                base_url=f"https://127.0.0.1:{tls_port}", verify=False,
                transport=httpx.HTTPTransport(local_address=CLIENT, verify=False),
                headers={"Host": "amity.example.org"},
            )  # fmt: skip
            _wait(client, nginx, tmp_path / "error.log")
            yield client, app
        finally:
            nginx.terminate()
            nginx.wait(timeout=30)
    engine.dispose()


def _wait(client: httpx.Client, nginx: subprocess.Popen, errors: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if nginx.poll() is not None:
            pytest.fail(f"nginx stopped: {errors.read_text() if errors.exists() else ''}")
        try:
            client.get("/healthz")
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail("nginx did not answer")


def test_static_files_come_from_disk_cached_and_compressed(nginx_in_front):
    client, app = nginx_in_front
    fingerprinted = client.get(static_url("vendor/echarts.min.js"),
                               headers={"Accept-Encoding": "gzip"})  # fmt: skip
    assert fingerprinted.status_code == 200
    assert fingerprinted.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert fingerprinted.headers["content-encoding"] == "gzip"
    assert fingerprinted.headers["server"].startswith("nginx")
    assert fingerprinted.content == (STATIC_DIR / "vendor" / "echarts.min.js").read_bytes()
    plain = client.get("/static/amity.css")
    assert plain.headers["cache-control"] == "public, max-age=300"
    # Served by nginx, not the app: the app's log shows no request for a static file.
    assert not [line for line in app.lines() if "/static/" in line["message"]]


def test_pages_are_proxied_and_the_app_sees_the_client(nginx_in_front):
    client, app = nginx_in_front
    # A client's own X-Forwarded-For is replaced by nginx with the address it saw.
    page = client.get("/partnerships", headers={"X-Forwarded-For": "203.0.113.9",
                                                "Accept-Encoding": "gzip"})  # fmt: skip
    assert page.status_code == 200 and "<html" in page.text
    assert page.headers["content-encoding"] == "gzip"  # the app's own gzip, passed on
    # The app believed nginx's X-Forwarded-Proto: HSTS is sent only over HTTPS.
    assert "strict-transport-security" in page.headers
    request_id = page.headers["x-request-id"]
    time.sleep(0.5)  # the access line is written as the answer goes out
    access = [line for line in app.lines() if line["request_id"] == request_id
              and line["logger"] == "uvicorn.access"]  # fmt: skip
    assert len(access) == 1, app.lines()
    assert access[0]["message"].startswith(f"{CLIENT}:")  # not nginx's 127.0.0.1, not the claim
    assert "203.0.113.9" not in access[0]["message"]
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
