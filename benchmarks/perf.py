"""Benchmark: every row of the performance issue's table (issue 17), against a baseline commit and the toy.

    python benchmarks/perf.py [--baseline REV] [--rows core,ablate,...] [--repeat N | --repeat ROW=N ...]
                              [--quick] [--json PATH]
    python benchmarks/perf.py --show JSON [JSON ...]   (one table from several runs' JSON)

Each row is measured on three things in the same run, interleaved round by round: the baseline commit's
code (default bbc8d99, checked out into a temporary `git worktree`), this checkout's code as it stands
(uncommitted changes included), and the toy batched model of benchmarks/toy.py sized from this checkout's
default scenario (the honest lower bound of a numpy core). Every figure is CPU seconds (user + system) of a
fresh process tree, min/median of --repeat runs (default 3); the core and the toy are timed in-process
(process_time, after a warm-up), the commands as whole processes with their own defaults. Ratios: current
÷ baseline paired round by round, and each command's time ÷ the toy's time for the same number of
game-turns (the games the command reports playing × the scenario's turns). Peak RSS is the largest resident
set of any process of the tree (getrusage of a fresh parent's children).

Rows: core (10,000 balanced games × 20 turns in one batch, µs per game-turn), ablate (`sweep --ablate`, no
--strategy, 1,000 games), strategies (`sweep`, every built-in, 10,000 games each), vary (`sweep --vary` on
a 3×3 grid of the budget and one lever's saturation, every strategy, 1,000 games), search (`search --family
fixed`, default budget, and the plan it found), run (`homegrown run`, one game, whole process), big (100,000
balanced games with --out, peak RSS). --quick shrinks every size for a smoke run (one run each; its ablation
names --strategy balanced, since ablating nine strategies costs minutes whatever the games).

Measured processes get one BLAS thread, a private content cache (warmed once per checkout) and a private
saves folder. The machine's load average at the start and the end is printed with the table: on a shared
machine every figure is an upper bound, the ratios are steadier than the times.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOY = ROOT / "benchmarks" / "toy.py"
VARY = ("scenarios.default.budget=16,20,24", "levers.rnd-b5g.saturation=2,4,8")
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
RUN = ("run", "--scenario", "default", "--seed", "1", "--strategy", "balanced", "--json", "-")


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    aim: str
    argv: tuple[str, ...] = ()
    """the command after `homegrown` (empty: the core, timed in-process)"""
    quick: tuple[str, ...] = ()
    """the command under --quick"""
    games: tuple[int, int] = (0, 0)
    """the core's batch (full, quick)"""
    cpu_aim: float | None = None
    """seconds; for the core, the largest current ÷ baseline"""
    rss_aim: float | None = None
    """MiB"""
    rss: bool = False
    toy: bool = True
    out: bool = False
    """pass --out (so games.jsonl is written)"""


ROWS = {row.key: row for row in (
    Row("core", "core per game-turn, 10,000 default games × 20 turns", "≥ 2× faster than baseline",
        games=(10_000, 1_000), cpu_aim=0.5),
    Row("ablate", "sweep --ablate, no --strategy, 1,000 games", "< 20 s, < 300 MiB",
        ("sweep", "--games", "1000", "--ablate"), ("sweep", "--games", "10", "--ablate", "--strategy", "balanced"),
        cpu_aim=20, rss_aim=300, rss=True),
    Row("strategies", "sweep, every built-in strategy, 10,000 games each", "< 8 s",
        ("sweep", "--games", "10000"), ("sweep", "--games", "300"), cpu_aim=8, rss=True),
    Row("vary", "sweep --vary 3×3 grid, every strategy, 1,000 games", "< 6 s",
        ("sweep", "--games", "1000", "--vary", VARY[0], "--vary", VARY[1]),
        ("sweep", "--games", "30", "--vary", VARY[0], "--vary", VARY[1]), cpu_aim=6, rss=True),
    Row("search", "search --family fixed, default budget", "< 30 s, finds the best fixed plan",
        ("search", "--family", "fixed"), ("search", "--family", "fixed", "--generations", "2", "--validate", "200"),
        cpu_aim=30, rss=True),
    Row("run", "homegrown run, one game, whole process", "< 0.3 s", RUN, RUN, cpu_aim=0.3, toy=False),
    Row("big", "100,000 games of one strategy (--out)", "< 120 MiB",
        ("sweep", "--games", "100000", "--strategy", "balanced"), ("sweep", "--games", "5000", "--strategy", "balanced"),
        rss_aim=120, rss=True, out=True),
)}
SEARCH_BEST_FIXED = 0.419
"""What the search issue requires of `--family fixed`: the strongest fixed plan the game allows. The full
balance search (benchmarks/balance.py --scenario default) finds one winning 41.9 % of its validation
seeds; the default budget must find one within 3 points of it."""

CORE = r"""
import json, sys, time
root, games = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, root)
import numpy as np
import game
from game.content.loader import load_content
from game.sim.compile import build_world
from game.strategies import get_strategy
from game.play.runner import play
world = build_world(load_content(), "default")
strategy = get_strategy("balanced")
play(world, np.arange(100), strategy)  # warm-up: first-call costs stay out of the figure
wall, cpu = time.perf_counter(), time.process_time()
play(world, np.arange(games), strategy)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print(json.dumps({"cpu": cpu, "wall": wall, "games": games, "turns": world.turns, "file": game.__file__}))
"""

# A fresh parent per command, so that getrusage(RUSAGE_CHILDREN) is this command's tree and nothing else.
WRAP = r"""
import json, resource, subprocess, sys, time
cwd, out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
start = time.perf_counter()
with open(out, "wb") as o, open(err, "wb") as e:
    code = subprocess.run(cmd, cwd=cwd, stdout=o, stderr=e).returncode
wall = time.perf_counter() - start
u = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = u.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
print(json.dumps({"code": code, "wall": wall, "cpu": u.ru_utime + u.ru_stime, "rss_mib": rss}))
"""


@dataclass
class Sample:
    cpu: float
    wall: float
    game_turns: int | None = None
    rss_mib: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Checkout:
    name: str
    rev: str
    path: Path


@dataclass
class Result:
    row: Row
    samples: dict[str, list[Sample]] = field(default_factory=lambda: {"baseline": [], "current": [], "toy": []})
    errors: dict[str, str] = field(default_factory=dict)


class Bench:
    def __init__(self, tmp: Path, quick: bool, sizes: dict):
        self.tmp, self.quick, self.sizes, self.turns = tmp, quick, sizes, sizes["turns"]
        self.count = 0

    def env(self, checkout: Checkout) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(checkout.path), "HOMEGROWN_CACHE": str(self.tmp / "cache"),
                "HOMEGROWN_SAVES": str(self.tmp / "saves"), "HOMEGROWN_CONFIG": str(self.tmp / "config"), **ONE_THREAD}

    def core(self, checkout: Checkout, games: int) -> Sample:
        proc = subprocess.run([sys.executable, "-c", CORE, str(checkout.path), str(games)], cwd=checkout.path,
                              env=self.env(checkout), capture_output=True, text=True)
        if proc.returncode != 0:
            raise Failure(last_line(proc.stderr))
        doc = json.loads(proc.stdout.splitlines()[-1])
        if not Path(doc["file"]).resolve().is_relative_to(checkout.path.resolve()):
            raise Failure(f"imported the game from {doc['file']}, not from {checkout.path}")
        return Sample(doc["cpu"], doc["wall"], doc["games"] * doc["turns"])

    def toy(self, games: int) -> Sample:
        proc = subprocess.run([sys.executable, str(TOY), "--sizes", json.dumps(self.sizes), "--games", str(games),
                               "--repeat", "1", "--json"], env={**os.environ, **ONE_THREAD},
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise Failure(last_line(proc.stderr))
        doc = json.loads(proc.stdout)
        return Sample(doc["cpu_s"][0], doc["wall_s"][0], games * self.sizes["turns"])

    def command(self, checkout: Checkout, row: Row) -> Sample:
        self.count += 1
        work = self.tmp / f"run{self.count}"
        work.mkdir()
        argv = list(row.quick if self.quick else row.argv)
        if row.out:
            argv += ["--out", str(work / "out")]
        if argv[0] == "search":
            argv += ["--json", str(work / "search.json")]
        out, err = work / "stdout", work / "stderr"
        # its own process group, so that an interrupted run leaves no command (or worker) behind
        proc = subprocess.Popen([sys.executable, "-c", WRAP, str(checkout.path), str(out), str(err),
                                 sys.executable, "-m", "game", *argv], env=self.env(checkout),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            stdout, wrap_err = proc.communicate()
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        if proc.returncode != 0:
            raise Failure(last_line(wrap_err))
        doc = json.loads(stdout)
        stderr = err.read_text(errors="replace")
        if doc["code"] != 0:
            raise Failure(f"exit {doc['code']}: {last_line(stderr)}")
        sample = Sample(doc["cpu"], doc["wall"], None, doc["rss_mib"])
        if argv[0] == "search":
            sample.game_turns, sample.note = self.search_games(work / "search.json")
        elif argv[0] == "sweep":
            played = re.findall(r"([\d,]+) games in [\d.]+ s", stderr)
            if played:
                sample.game_turns = int(played[-1].replace(",", "")) * self.turns
        shutil.rmtree(work)
        return sample

    def search_games(self, path: Path) -> tuple[int | None, str]:
        """(game-turns the search played, what it found), from its JSON; (None, "") if it says neither."""
        try:
            doc = json.loads(path.read_text())
            s, best = doc["settings"], doc["families"][0]
            games = sum(f["generations"] * s["population"] * s["seeds"] + f["games"] for f in doc["families"])
            lo, hi = best["win_ci"]
            note = (f"best {best['family']} plan wins {100 * best['win_rate']:.1f} % of {best['games']:,} "
                    f"validation seeds (95 % CI {100 * lo:.1f}–{100 * hi:.1f})")
            return games * self.turns, note
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            return None, ""


class Failure(Exception):
    pass


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no message)"


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def prepare(checkout: Checkout, bench: Bench) -> None:
    """Compile the checkout's modules, check that its own code is the one imported, and warm the content cache."""
    env = bench.env(checkout)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "game"], cwd=checkout.path, env=env,
                   capture_output=True)
    where = subprocess.run([sys.executable, "-c", "import game; print(game.__file__)"], cwd=checkout.path, env=env,
                           capture_output=True, text=True)
    if where.returncode != 0 or not Path(where.stdout.strip()).resolve().is_relative_to(checkout.path.resolve()):
        sys.exit(f"perf: the {checkout.name} checkout's game package is not the one imported "
                 f"({where.stdout.strip() or last_line(where.stderr)})")
    warm = subprocess.run([sys.executable, "-m", "game", *RUN], cwd=checkout.path, env=env, capture_output=True,
                          text=True)
    if warm.returncode != 0:
        sys.exit(f"perf: `homegrown run` fails on the {checkout.name} checkout: {last_line(warm.stderr)}")


def measure(result: Result, rounds: int, checkouts: list[Checkout], bench: Bench) -> None:
    row = result.row
    games = row.games[1] if bench.quick else row.games[0]
    toy_games = ROWS["core"].games[1 if bench.quick else 0]
    for i in range(rounds):
        order = checkouts if i % 2 == 0 else checkouts[::-1]
        jobs = [(c.name, lambda c=c: bench.core(c, games) if row.key == "core" else bench.command(c, row))
                for c in order]
        if row.toy:
            jobs.append(("toy", lambda: bench.toy(games if row.key == "core" else toy_games)))
        for name, job in jobs:
            if name in result.errors:
                continue
            try:
                sample = job()
            except Failure as error:
                result.errors[name] = str(error)
                print(f"  {row.key} {name}: failed: {error}", file=sys.stderr, flush=True)
                continue
            result.samples[name].append(sample)
            rss = f", peak {sample.rss_mib:.0f} MiB" if sample.rss_mib is not None and row.rss else ""
            print(f"  {row.key} {i + 1}/{rounds} {name}: {sample.cpu:.2f} s CPU, {sample.wall:.2f} s wall{rss}",
                  file=sys.stderr, flush=True)


def min_med(values: list[float]) -> tuple[float, float] | None:
    return (min(values), statistics.median(values)) if values else None


def summary(result: Result) -> dict:
    """min/median of each figure, the paired ratios, and whether the aim is met."""
    s, row = result.samples, result.row
    base, cur, toy = s["baseline"], s["current"], s["toy"]
    per_turn = row.key == "core"
    out: dict = {}
    for name, samples in (("baseline", base), ("current", cur), ("toy", toy)):
        if samples:
            scale = 1e6 / samples[0].game_turns if per_turn and samples[0].game_turns else 1.0
            out[name] = {"cpu": min_med([x.cpu * scale for x in samples]),
                         "wall": min_med([x.wall * scale for x in samples]),
                         "rss_mib": min_med([x.rss_mib for x in samples if x.rss_mib is not None]),
                         "game_turns": samples[0].game_turns, "note": samples[-1].note}
    if base and cur:
        out["current/baseline"] = min_med([c.cpu / b.cpu for b, c in zip(base, cur, strict=False)])
    if toy and row.toy:
        toy_per_turn = [t.cpu / t.game_turns for t in toy if t.game_turns]
        for name, samples in (("baseline", base), ("current", cur)):
            pairs = [x.cpu / (t * x.game_turns) for x, t in zip(samples, toy_per_turn, strict=False) if x.game_turns]
            if pairs:
                out[f"{name}/toy"] = min_med(pairs)
    out["met"] = aim_met(row, out)
    return out


def aim_met(row: Row, out: dict) -> bool | None:
    current = out.get("current")
    if current is None:
        return None
    checks = []
    if row.key == "core":
        if "current/baseline" in out:
            checks.append(out["current/baseline"][1] <= row.cpu_aim)
    elif row.cpu_aim is not None:
        checks.append(current["cpu"][1] < row.cpu_aim)
    if row.rss_aim is not None and current["rss_mib"]:
        checks.append(current["rss_mib"][1] < row.rss_aim)
    if row.key == "search":
        found = re.search(r"wins ([\d.]+) %", current["note"])
        checks.append(bool(found) and float(found.group(1)) >= 100 * SEARCH_BEST_FIXED - 3)
    return all(checks) if checks else None


def fmt_pair(pair: tuple[float, float] | None, unit: str = "", digits: int = 2) -> str:
    if pair is None:
        return "—"
    return f"{pair[0]:.{digits}f}/{pair[1]:.{digits}f}{unit}"


def table(results: list[Result], summaries: list[dict], header: str, footer: str) -> str:
    head = ("row", "aim", "baseline CPU", "current CPU", "cur÷base", "base÷toy", "cur÷toy", "peak MiB b/c",
            "wall cur", "aim")
    lines = []
    for result, s in zip(results, summaries, strict=True):
        row = result.row
        unit = " µs" if row.key == "core" else " s"
        rss = "—"
        if row.rss and "current" in s:
            b = s.get("baseline", {}).get("rss_mib")
            c = s["current"]["rss_mib"]
            rss = f"{b[1]:.0f}/{c[1]:.0f}" if b and c else (f"—/{c[1]:.0f}" if c else "—")

        def cell(name: str, result: Result = result, s: dict = s, unit: str = unit) -> str:
            return "failed" if name in result.errors else fmt_pair(s.get(name, {}).get("cpu"), unit)

        met = {True: "met", False: "not met", None: "—"}[s.get("met")]
        lines.append((row.label, row.aim, cell("baseline"), cell("current"),
                      fmt_pair(s.get("current/baseline"), "×"), fmt_pair(s.get("baseline/toy"), "×", 1),
                      fmt_pair(s.get("current/toy"), "×", 1), rss,
                      fmt_pair(s.get("current", {}).get("wall"), unit), met))
    widths = [max(len(str(x[i])) for x in [head, *lines]) for i in range(len(head))]
    rule = "  ".join("-" * w for w in widths)

    def render(cells: tuple) -> str:
        return "  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths,
                                                                                                   strict=True)))

    return "\n".join([header, render(head), rule, *map(render, lines), footer])


def notes(results: list[Result], summaries: list[dict], turns: int) -> list[str]:
    out = []
    for result, s in zip(results, summaries, strict=True):
        key = result.row.key
        for name in ("baseline", "current"):
            figures = s.get(name)
            if figures and figures.get("note"):
                out.append(f"{key}, {name}: {figures['note']}")
            if figures and figures.get("game_turns") and key not in ("core", "run"):
                out.append(f"{key}, {name}: {figures['game_turns'] // turns:,} games played")
            if name in result.errors:
                out.append(f"{key}, {name}: failed: {result.errors[name]}")
        if "toy" in s and key == "core":
            out.append(f"core, toy: {fmt_pair(s['toy']['cpu'], ' µs')} per game-turn")
    return out


def parse_repeat(values: list[str], default: int) -> dict[str, int]:
    rounds = dict.fromkeys(ROWS, default)
    for value in values:
        key, _, count = value.rpartition("=")
        if key and key not in ROWS:
            raise ValueError(f"--repeat {value}: no row {key!r} (rows: {', '.join(ROWS)})")
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"--repeat {value}: the count must be a positive whole number")
        for k in [key] if key else ROWS:
            rounds[k] = int(count)
    return rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="bbc8d99", metavar="REV", help="the commit to compare with")
    parser.add_argument("--rows", default=",".join(ROWS), help=f"comma-separated rows (default all: {','.join(ROWS)})")
    parser.add_argument("--repeat", action="append", default=[], metavar="N|ROW=N",
                        help="runs per row (default 3, 1 with --quick); ROW=N for one row (repeatable)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: a smoke check")
    parser.add_argument("--json", metavar="PATH", help="write every sample and figure here (default: a temporary file)")
    parser.add_argument("--show", nargs="+", metavar="JSON", help="print one table from earlier runs' JSON and stop")
    args = parser.parse_args()
    if args.show:
        return show(args.show)
    keys = [k.strip() for k in args.rows.split(",") if k.strip()]
    unknown = [k for k in keys if k not in ROWS]
    if unknown or not keys:
        parser.error(f"--rows: unknown row {', '.join(unknown) or '(none given)'} (rows: {', '.join(ROWS)})")
    try:
        rounds = parse_repeat(args.repeat, 1 if args.quick else 3)
    except ValueError as error:
        parser.error(str(error))
    try:
        sha = git("rev-parse", "--verify", "--quiet", f"{args.baseline}^{{commit}}")
    except subprocess.CalledProcessError:
        parser.error(f"--baseline {args.baseline}: not a commit of this repository")
    head = git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain", "-uno") else "")

    sizes_proc = subprocess.run([sys.executable, str(TOY), "--print-sizes"], capture_output=True, text=True)
    if sizes_proc.returncode != 0:
        sys.exit(f"perf: cannot read this checkout's default scenario: {last_line(sizes_proc.stderr)}")
    sizes = json.loads(sizes_proc.stdout)
    load_start = os.getloadavg()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` removes the worktree
    tmp = Path(tempfile.mkdtemp(prefix="homegrown-perf-"))
    base_path = tmp / "baseline"
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    path = Path(args.json) if args.json else Path(tempfile.gettempdir()) / f"homegrown-perf-{int(time.time())}.json"
    results = [Result(ROWS[k]) for k in keys]

    def save() -> list[dict]:
        """Write the JSON (after every row, so an interrupted run keeps what it measured)."""
        summaries = [summary(r) for r in results]
        doc = {"started": started, "quick": args.quick, "baseline": sha, "current": head, "toy_sizes": sizes,
               "load_average": {"start": load_start, "end": os.getloadavg()}, "cpus": os.cpu_count(),
               "rows": {r.row.key: {"row": asdict(r.row), "rounds": rounds[r.row.key], "errors": r.errors,
                                    "samples": {k: [asdict(x) for x in v] for k, v in r.samples.items()},
                                    "summary": s} for r, s in zip(results, summaries, strict=True)}}
        path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        return summaries

    interrupted = False
    try:
        git("worktree", "add", "--detach", "--quiet", str(base_path), sha)
        checkouts = [Checkout("baseline", sha[:7], base_path), Checkout("current", head, ROOT)]
        bench = Bench(tmp, args.quick, sizes)
        for checkout in checkouts:
            prepare(checkout, bench)
        for result in results:
            print(f"{result.row.key}: {rounds[result.row.key]} round(s)", file=sys.stderr, flush=True)
            measure(result, rounds[result.row.key], checkouts, bench)
            save()
    except (KeyboardInterrupt, SystemExit):
        interrupted = True
        print("perf: interrupted; the table holds what was measured", file=sys.stderr)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base_path)], cwd=ROOT, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True)

    results = [r for r in results if any(r.samples.values())]
    summaries = save()
    print(report(results, summaries, rounds, sizes,
                 f"perf {started}{' (--quick sizes)' if args.quick else ''}: baseline {sha[:7]}, current {head}",
                 f"load average {load_start[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"))
    print(f"  figures and every sample: {path}")
    if interrupted:
        return 1
    return 1 if any(r.errors for r in results) else 0


def report(results: list[Result], summaries: list[dict], rounds: dict[str, int], sizes: dict, title: str,
           load: str) -> str:
    runs = ", ".join(sorted({f"{rounds[r.row.key]} run{'s' if rounds[r.row.key] > 1 else ''}" for r in results}))
    header = (f"{title}; CPU seconds (user + system), min/median of {runs or 'no runs'}; core and toy in µs per "
              f"game-turn\ntoy: {toy_describe(sizes)}")
    footer = f"{load}, on {os.cpu_count()} CPUs (a shared machine: the times are upper bounds, the ratios steadier)"
    return "\n".join([table(results, summaries, header, footer),
                      *("  " + line for line in notes(results, summaries, sizes["turns"]))])


def show(paths: list[str]) -> int:
    """Print one table from the JSON of several runs (a later file's row replaces an earlier one's)."""
    results: dict[str, Result] = {}
    rounds, loads, docs = {}, [], []
    for name in paths:
        try:
            doc = json.loads(Path(name).read_text(encoding="utf-8"))
            for key, row in doc["rows"].items():
                results[key] = Result(ROWS[key], {k: [Sample(**x) for x in v] for k, v in row["samples"].items()},
                                      row["errors"])
                rounds[key] = row["rounds"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            sys.exit(f"perf: {name}: not a perf.py JSON file ({error})")
        docs.append(doc)
        loads.append(f"{doc['load_average']['start'][0]:.1f}–{doc['load_average']['end'][0]:.1f}")
    ordered = [results[k] for k in ROWS if k in results]
    revs = sorted({f"baseline {d['baseline'][:7]}, current {d['current']}" for d in docs})
    print(report(ordered, [summary(r) for r in ordered], rounds, docs[-1]["toy_sizes"],
                 f"perf, {len(docs)} runs from {min(d['started'] for d in docs)}: {'; '.join(revs)}",
                 f"load average {', '.join(loads)} (start–end of each run)"))
    return 0


def toy_describe(sizes: dict) -> str:
    sys.path.insert(0, str(TOY.parent))
    from toy import Sizes

    return Sizes(**sizes).describe()


if __name__ == "__main__":
    raise SystemExit(main())
