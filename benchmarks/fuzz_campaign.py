"""The full fuzz campaign of issue 15: every class at full size, one table.

    python benchmarks/fuzz_campaign.py [--scale 1.0] [--seed 0]

Full size (scale 1) is about the issue's own campaign: 2,000 content packs, 400 expressions, 1,500 saves,
500 names and paths, 330 CLI invocations and 8,000 keys (about 25 minutes on one core); `--scale 0.1` is a
quick look. The CI sample of the same fuzzers is tests/fuzz/. Exit 1 if any class has a bug (the last
four columns are not all zero); each bug's case is listed under the table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

from fuzzers import BUGS, Outcome, key_spam, run_class

FULL = {"content mutations": 2000, "expressions": 400, "saves": 1500, "names and paths": 500,
        "CLI arguments": 330}
KEYS = 8000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full campaign (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    try:  # memory exhaustion is a finding (a MemoryError, counted with the hangs), not the end of the run
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, resource.RLIM_INFINITY))
    except (ImportError, ValueError, OSError):
        pass
    rows, failures = [], []
    columns = [Outcome.CLEAN, Outcome.FINE, *BUGS]
    for name, size in [*FULL.items(), ("key spam (rounds of 400 keys)", KEYS)]:
        n = max(1, round(size * args.scale))
        start = time.perf_counter()
        tally = key_spam(n, seed=args.seed) if name.startswith("key spam") else run_class(name, n, seed=args.seed)
        rows.append([name, str(tally.cases), *(str(tally.counts[c]) for c in columns)])
        failures += [f"{name} · {o.value}: {case}" for o, cases in tally.examples.items() for case in cases]
        print(f"{name}: {tally.cases} cases in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    header = ["class", "cases", *(c.value for c in columns)]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print(" | ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in
                         enumerate(zip(row, widths, strict=True))))
    for failure in failures:
        print(f"  {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
