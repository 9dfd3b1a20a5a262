"""Benchmark: how long the command line takes to start.

    python benchmarks/startup.py [--runs 20]

Runs `ofsted-csc --help` and `ofsted-csc national --help` (the venv's own script, beside
this Python) in a fresh process each time and prints the median, fastest and slowest wall
time of each. Neither may import a heavy library (SQLAlchemy, pyarrow, pypdfium2, ...): see
`python -X importtime -c "import ofsted_csc.cli.app"` for where the time goes.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = (["--help"], ["national", "--help"])


def _script() -> str:
    beside = Path(sys.executable).with_name("ofsted-csc")
    found = str(beside) if beside.is_file() else shutil.which("ofsted-csc")
    if found is None:
        sys.exit("ofsted-csc is not installed beside this Python nor on PATH")
    return found


def measure(script: str, args: list[str], runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([script, *args], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", "-n", type=int, default=20, help="Runs of each (default 20).")
    args = parser.parse_args()
    script = _script()
    measure(script, ["--help"], 2)  # warm the file cache
    print(f"{script}, {args.runs} runs each")
    for command in COMMANDS:
        times = measure(script, command, args.runs)
        print(
            f"ofsted-csc {' '.join(command):<16} median {statistics.median(times):.3f} s  "
            f"(min {min(times):.3f}, max {max(times):.3f})"
        )


if __name__ == "__main__":
    main()
