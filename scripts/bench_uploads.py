"""What the worst uploads cost a worker: time and memory per file.

Usage: .venv/bin/python scripts/bench_uploads.py

Each file of tests/bombs.py (a compression bomb, a huge table of shared strings, a quarter
of a million empty cells, sixty thousand cell formats, tens of thousands of rows, a cell in
row 1,048,576, two megabytes of CSV rows, the largest file the limits let through, an honest
list of 200 members) is read by the member import, and a PDF letter of 45,000 pages is
checked as the registration form checks it, each in a process of its own. The script prints the
time, the growth of the process's resident memory and, in a second traced reading, the peak
of Python's allocations. The bar: at most 1 s and 50 MB for any file.
"""

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

MEASURE = """
import json, resource, sys, time, tracemalloc
sys.path.insert(0, {project!r})
from tests import bombs
from wtforms.validators import ValidationError
from planner.delegations.forms import check_letter
from planner.delegations.spreadsheet import ImportRefused, read_members_file

name = sys.argv[1]
content = {{**bombs.BOMBS, **bombs.READ, **bombs.LETTERS}}[name]()
filename = "list.csv" if "CSV" in name else "list.xlsx"


def read():
    if name in bombs.LETTERS:
        try:
            check_letter(content)
            return "accepted"
        except ValidationError as refused:
            return "refused: " + str(refused)[:44]
    try:
        return f"read, {{len(read_members_file(filename, content, 500).rows)}} rows"
    except ImportRefused as refused:
        return "refused: " + str(refused.messages[0])[:44]


before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
answer = read()
seconds = time.perf_counter() - started
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
tracemalloc.start()  # a second reading: tracing slows Python's allocations down
read()
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps([len(content), seconds, peak, grown * 1024, answer]))
"""


def main() -> int:
    from tests import bombs

    names = [*bombs.BOMBS, *bombs.READ, *bombs.LETTERS]
    print(f"{'file':36} {'size':>8} {'time':>7} {'allocated':>9} {'RSS grew':>8}  answer")
    worst_time = worst_memory = 0.0
    for name in names:
        output = subprocess.run(
            [sys.executable, "-c", MEASURE.format(project=str(PROJECT)), name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        size, seconds, peak, grown, answer = json.loads(output)
        worst_time, worst_memory = max(worst_time, seconds), max(worst_memory, peak, grown)
        print(
            f"{name:36} {size / 1024:6.0f}KB {seconds * 1000:5.0f}ms {peak / 1e6:7.1f}MB"
            f" {grown / 1e6:6.1f}MB  {answer}"
        )
    print(f"worst: {worst_time * 1000:.0f} ms, {worst_memory / 1e6:.1f} MB")
    return 0 if worst_time < 1 and worst_memory < 50e6 else 1


if __name__ == "__main__":
    sys.exit(main())
