"""Benchmark: a scenario's declared balance targets at full strength, timed.

    python benchmarks/balance.py [--scenario default] [--workers 2] [more `homegrown search` options]

Runs `homegrown search --family all --balance` (the default campaign's 12 targets take about 25 minutes on
two busy cores; the other scenarios a minute or two) and prints the report's target lines and the wall
time; exits 1 when a declared target fails. The test suite checks the other scenarios at a smaller budget
(tests/test_balance_default.py); the default's search-based targets need this full-strength search.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from game.cli import main as homegrown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--workers", default="2")
    args, rest = parser.parse_known_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        code = homegrown(["search", "--scenario", args.scenario, "--family", "all", "--balance", "--workers",
                          args.workers, "--out", out, *rest])
        balanced = code == 0 and json.loads((Path(out) / "search.json").read_text())["balance"]["balanced"]
    print(f"\n{args.scenario}: {'balanced' if balanced else 'NOT balanced'}, "
          f"search in {time.perf_counter() - start:.0f} s")
    return 0 if balanced else 1


if __name__ == "__main__":
    sys.exit(main())
