"""The independent calendar checker in ../shared/icalcheck.

CI has it beside the repository and requires it (PLANNER_REQUIRE_SHARED=1); a clone with
nothing beside it skips the checks that need it, saying why.
"""

import hashlib
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

CHECKER = Path(__file__).resolve().parents[2] / "shared" / "icalcheck" / "check.sh"
REASON = "../shared/icalcheck is not beside the repository (CI has it and requires it)"
# Feeds already judged in this run, by content (UIDs aside): the same bytes need no second look.
_judged: set[str] = set()


def available() -> bool:
    if CHECKER.exists():
        return True
    if os.environ.get("PLANNER_REQUIRE_SHARED"):
        pytest.fail(f"the independent checker is missing: {CHECKER}")
    return False


def require() -> None:
    """Skip the calling test, with the reason, when the checker is not there."""
    if not available():
        pytest.skip(REASON)


def check(path: Path, previous: Path | None = None) -> None:
    """The checker's verdict on one feed (and on its change from `previous`)."""
    if not available():
        return
    command = ["bash", str(CHECKER), str(path)]
    if previous is not None:
        command += ["--previous", str(previous)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"{path}:\n{run.stdout[-3000:]}"


def check_all(paths: list[Path]) -> None:
    """Each distinct feed among `paths`, two at a time."""
    if not available():
        return
    fresh = {}
    for path in paths:
        body = re.sub(rb"[0-9a-f]{32}@", b"@", path.read_bytes())
        key = hashlib.sha256(body).hexdigest()
        if key not in _judged:
            fresh[key] = path
    paths = list(fresh.values())
    if not _judged and paths:
        # The checker installs its judges on first use: one run alone, so two don't race.
        check(paths.pop(0))
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(check, paths))
    _judged.update(fresh)
