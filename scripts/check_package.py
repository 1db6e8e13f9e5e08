"""Install planner the way a server does and check that it serves.

Usage: .venv/bin/python scripts/check_package.py [--database-url postgresql+psycopg://...]

Builds the wheel, installs it with the pinned versions of requirements.lock into a new
virtual environment (no source tree on the path), starts it with deploy/planner-entrypoint
(which migrates a fresh database, then execs gunicorn with deploy/gunicorn.conf.py), and checks
an Indonesian page, its stylesheet and /readyz; then that the package carries its mail
templates and that its worker starts and reports to /readyz. `.ci/run` runs it against PostgreSQL.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import sqlalchemy as sa

PROJECT = Path(__file__).resolve().parent.parent


def run(*command, **kwargs):
    print("+", " ".join(str(part) for part in command), flush=True)
    return subprocess.run(command, check=True, **kwargs)


def fresh_database(url: str | None, work: Path) -> str:
    if not url:
        return f"sqlite:///{work / 'packaged.sqlite3'}"
    target = sa.engine.make_url(url).set(database="planner_packaged")
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text('DROP DATABASE IF EXISTS "planner_packaged" WITH (FORCE)'))
        connection.execute(sa.text('CREATE DATABASE "planner_packaged"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


def get(url: str) -> tuple[int, str, str]:
    # Production answers plain http with a redirect; the proxy says the client used https.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read().decode()
    except urllib.error.HTTPError as refusal:
        return refusal.code, refusal.headers.get("Content-Type", ""), refusal.read().decode()


def server_python() -> str:
    """Debian's own Python where there is one (a server's, often an older patch release than a
    developer's: the lock must hold what it needs), else the one running this script."""
    debian = Path("/usr/bin/python3")
    if (
        debian.exists()
        and subprocess.run([debian, "-m", "venv", "--help"], capture_output=True).returncode == 0
    ):
        return str(debian)
    return sys.executable


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-package-"))
    try:
        run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work, PROJECT)
        (wheel,) = work.glob("planner-*.whl")
        venv = work / "venv"
        run(server_python(), "-m", "venv", venv)
        pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
        run(*pip, "--require-hashes", "-r", PROJECT / "requirements.lock")
        run(*pip, "--no-deps", wheel)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {
            "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
            "HOME": str(work),
            "DATABASE_URL": fresh_database(args.database_url, work),
            "SECRET_KEY": "checking-the-package-" + "x" * 24,
            "PLANNER_ENV": "production",
            "PLANNER_BASE_URL": f"http://127.0.0.1:{port}",
            "PLANNER_BIND": f"127.0.0.1:{port}",
            "PLANNER_WORKERS": "2",
            "PLANNER_GUNICORN_CONFIG": str(PROJECT / "deploy" / "gunicorn.conf.py"),
            "PLANNER_INSTANCE_PATH": str(work / "instance"),
        }
        run(
            venv / "bin" / "python",
            "-c",
            "import pathlib, planner; templates = pathlib.Path(planner.__file__).parent / "
            "'templates'; assert (templates / 'mail' / 'registration.txt').is_file(); "
            "assert (templates / 'whatsapp' / 'changes.txt').is_file()",
            cwd=work,
        )
        # From an empty directory: nothing of the source tree can be imported by accident.
        server = subprocess.Popen([PROJECT / "deploy" / "planner-entrypoint"], env=env, cwd=work)
        base = f"http://127.0.0.1:{port}"
        worker = None
        try:
            for _ in range(300):
                try:
                    if get(base + "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            status, _type, page = get(base + "/")
            assert status == 200 and "Program kunjungan kerja" in page, (status, page[:500])
            status, kind, _css = get(base + "/static/css/planner.css")
            assert status == 200 and kind.startswith("text/css"), (status, kind)
            status, _type, ready = get(base + "/readyz")
            assert status == 200 and '"ready"' in ready, (status, ready)
            worker = subprocess.Popen(
                [venv / "bin" / "flask", "--app", "planner", "worker"], env=env, cwd=work
            )
            for _ in range(300):
                if '"worker":"ok"' in get(base + "/readyz")[2].replace(" ", ""):
                    break
                time.sleep(0.1)
            else:
                raise AssertionError("the installed worker did not report to /readyz")
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGINT)
                worker.wait(timeout=30)
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        print(
            "The installed package migrated its database, serves Indonesian pages, carries its "
            "mail templates, and its worker runs."
        )
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
