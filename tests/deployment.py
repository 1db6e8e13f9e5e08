"""The production kit of deploy/ run for real on loopback: gunicorn with deploy's settings,
nginx with deploy's site. Used by tests/test_deploy.py."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import free_port

PROJECT = Path(__file__).resolve().parent.parent
DEPLOY = PROJECT / "deploy"
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "planner.example.go.id"


def require(tool: str) -> str:
    """The tool's path; skipped with the reason where it is not installed (CI installs it)."""
    path = shutil.which(tool) or (
        f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else None
    )
    if path is None:
        if os.environ.get("PLANNER_REQUIRE_DEPLOY_TOOLS"):
            pytest.fail(f"{tool} is not installed")
        pytest.skip(f"{tool} is not installed here (.ci/run installs Debian's package)")
    return path


@dataclass
class AppServer:
    port: int
    process: subprocess.Popen
    log: Path

    def kill(self) -> None:
        """As the machine losing power would: no goodbye to nginx or the database."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def start_app_server(tmp: Path, name: str, environment: dict) -> AppServer:
    port = free_port()
    log = tmp / f"{name}.log"
    env = {
        **os.environ,
        **environment,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "PLANNER_BIND": f"127.0.0.1:{port}",
        "PLANNER_WORKERS": "2",
        "PLANNER_GUNICORN_CONFIG": str(DEPLOY / "gunicorn.conf.py"),
    }
    output = log.open("w")
    process = subprocess.Popen(
        [str(DEPLOY / "planner-entrypoint")],
        env=env,
        cwd=PROJECT,
        stdout=output,
        stderr=output,
        start_new_session=True,  # its own process group: killing it kills its workers
    )
    wait_for(f"http://127.0.0.1:{port}/healthz", process)
    return AppServer(port, process, log)


def wait_for(url: str, process: subprocess.Popen | None = None, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{url}: the server stopped ({process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def self_signed_certificate(tmp: Path) -> tuple[Path, Path]:
    certificate, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={HOST}", "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def nginx_site(tmp: Path, upstreams: list[int], http_port: int, https_port: int) -> Path:
    """deploy/nginx/planner.conf with this machine's ports, certificate and paths, inside a
    main configuration of its own (no root, nothing of the system's nginx)."""
    certificate, key = self_signed_certificate(tmp)
    site = (DEPLOY / "nginx" / "planner.conf").read_text()
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in upstreams
    )
    site = site.replace("    server 127.0.0.1:8000 max_fails=1 fail_timeout=10s;\n", servers)
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(certificate),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(key),
        "/opt/planner/venv/lib/python3.11/site-packages/planner/static/": f"{PROJECT}/static/",
        "/var/log/nginx/planner.access.log": str(tmp / "nginx-access.log"),
    }
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    (tmp / "site.conf").write_text(site)
    main = tmp / "nginx.conf"
    main.write_text(
        f"""
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""
    )
    return main


def start_nginx(config: Path) -> subprocess.Popen:
    prefix = config.parent
    check = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(config)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    return subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(config), "-g", "daemon off;"],
        stderr=subprocess.DEVNULL,
    )
