"""Sweeps: deterministic whatever the number of workers, per-game hashes equal `homegrown run`'s,
statistics that are right on known cases, --vary and --ablate, the report files, and one-line usage
errors (exit 2) for bad arguments."""

from __future__ import annotations

import io
import json
import math
import os
import re

import numpy as np
import pytest
from _cli_support import one_error_line

import game.analysis.shards as shards_mod
from game.analysis.ablation import NO_ABLATION
from game.analysis.gathered import Spool, game_lines
from game.analysis.progress import ProgressBar
from game.analysis.shards import plan, play_columns, world_for
from game.analysis.stats import paired, summarize, wilson
from game.analysis.sweep import build_variants, sweep
from game.cli import main
from game.content.loader import load_content
from game.content.variants import VariantError, parse_vary, vary_content
from game.play.headless import run_game
from game.play.runner import play
from game.render.sweep_report import console_text, write_outputs
from game.sim.step import Actions
from game.strategies import BUILTIN, get_strategy


def read_games(folder):
    return (folder / "games.jsonl").read_text(encoding="utf-8")


# ---------------------------------------------------------------- statistics


def test_wilson_known_values():
    lo, hi = wilson(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-4) and hi == pytest.approx(0.5962, abs=1e-4)
    lo, hi = wilson(0, 1000)
    assert lo == 0.0 and hi == pytest.approx(0.00383, abs=1e-4)
    assert wilson(10, 10)[1] == 1.0


def test_paired_interval():
    mean, lo, hi = paired(np.array([1.0, 1.0, 1.0, 1.0]))
    assert (mean, lo, hi) == (1.0, 1.0, 1.0)
    rng = np.random.default_rng(0)
    d = rng.normal(0.5, 1.0, 4000)
    mean, lo, hi = paired(d)
    assert lo < 0.5 < hi and hi - lo == pytest.approx(2 * 1.96 / math.sqrt(4000), rel=0.1)


def test_variance_split_separates_skill_from_luck(content):
    result = sweep(content, "default", 60, ["do_nothing", "rnd_heavy"], progress=False)
    split = summarize(result)["variants"][0]["variance"]
    assert split["strategy"] + split["seed"] + split["interaction"] == pytest.approx(1.0)
    x = np.stack([result.group(0, s).cols.score for s in range(2)])
    assert split["strategy"] == pytest.approx(
        60 * ((x.mean(1) - x.mean()) ** 2).sum() / ((x - x.mean()) ** 2).sum()
    )


# ---------------------------------------------------------------- hashes and determinism


def test_state_hashes_equal_state_hash(world):
    final = play(world, [0, 5, 9], get_strategy("random"))
    assert final.hashes() == [final.hash(i) for i in range(3)]


@pytest.mark.parametrize("strategy, games", [("balanced", 2), ("random", 2), ("greedy", 1)])
def test_sweep_hash_equals_homegrown_run(content, strategy, games, tmp_path):
    with Spool(tmp_path) as spool:
        result = sweep(content, "default", games, [strategy], seed_start=40, progress=False, spool=spool)
        lines = [json.loads(line) for line in b"".join(spool.chunks()).splitlines()]
    cols = result.group(0, 0).cols
    assert [row["seed"] for row in lines] == list(cols.seed) == list(range(40, 40 + games))
    for seed, row, score in zip(cols.seed, lines, cols.score, strict=True):
        doc = run_game(content, "default", int(seed), strategy)
        assert doc["state_hash"] == row["state_hash"]
        assert doc["score"] == score == row["score"]


def test_sweep_games_jsonl_matches_run_json(tmp_path, capsys):
    assert (
        main(
            [
                "sweep",
                "--games",
                "2",
                "--seed-start",
                "7",
                "--strategy",
                "subsidy_heavy",
                "--out",
                str(tmp_path / "s"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    rows = [json.loads(line) for line in read_games(tmp_path / "s").splitlines()]
    assert [r["seed"] for r in rows] == [7, 8]
    assert main(["run", "--seed", "8", "--strategy", "subsidy_heavy", "--json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert rows[1]["state_hash"] == doc["state_hash"] and rows[1]["outcome"] == doc["outcome"]
    # the analyst's columns: goals, final metrics, spend by category and answers, as the game's own record
    row = rows[1]
    assert row["goals"] == {g["id"]: {"value": g["value"], "met": g["met"]} for g in doc["goals"]}
    assert row["metrics"] == doc["final"]["metrics"]
    spent = sum(sum(h["allocations"].values()) for h in doc["history"])
    assert sum(row["spend"].values()) == pytest.approx(spent, abs=1e-4) and row["spend"]["subsidy"] > 0
    last = {e["id"]: e["choice"] for h in doc["history"] for e in h["events"]}
    assert row["answers"] == last and last


def test_same_command_twice_and_any_workers_give_identical_games(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(shards_mod, "MIN_SHARD", 16)  # several shards per strategy, finishing in any order
    monkeypatch.setattr(shards_mod, "BLOCK", 8)  # and of other sizes (96, 48, 32): money summed per block
    args = ["sweep", "--games", "90", "--seed-start", "3", "--strategy", "random", "--strategy", "balanced"]
    outputs = []
    for i, workers in enumerate(["1", "2", "1", "3"]):
        assert main([*args, "--workers", workers, "--out", str(tmp_path / f"r{i}")]) == 0
        outputs.append(read_games(tmp_path / f"r{i}"))
    capsys.readouterr()
    assert len(set(outputs)) == 1
    lines = outputs[0].splitlines()
    assert len(lines) == 180
    assert [json.loads(x)["seed"] for x in lines[:90]] == list(range(3, 93))
    summaries = {(tmp_path / f"r{i}" / "summary.json").read_text() for i in range(4)}
    assert len(summaries) == 1


def test_outputs_and_console_table(tmp_path, capsys, content):
    out = tmp_path / "deep" / "out"
    assert (
        main(
            [
                "sweep",
                "--games",
                "40",
                "--strategy",
                "do_nothing",
                "--strategy",
                "balanced",
                "--strategy",
                "greedy",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    stdout = capsys.readouterr().out
    assert "win %" in stdout and "95 % CI" in stdout and "verdict:" in stdout
    assert "skill" in stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["schema_version"] == 1 and summary["games"] == 40
    stats = summary["variants"][0]["strategies"]
    assert [s["strategy"] for s in stats] == ["do_nothing", "balanced", "greedy"]
    for s in stats:
        assert sum(s["outcomes"].values()) == 40
        assert s["win_ci"][0] <= s["win_rate"] <= s["win_ci"][1]
        assert set(s["goals"]) == {g.id for g in content.scenarios["default"].goals}
    assert stats[0]["spend"] and all(v == 0 for v in stats[0]["spend"].values())
    report = (out / "report.md").read_text()
    for heading in (
        "### Results",
        "### Dominant strategy?",
        "### Skill versus luck",
        "### Score distributions",
        "### Events",
        "### Average spend per lever",
    ):
        assert heading in report
    row = json.loads(read_games(out).splitlines()[0])
    assert set(row) == {"seed", "strategy", "outcome", "score", "state_hash", "goals", "metrics", "spend", "answers"}


class OneLeverScaled:
    """The plain path, as sweeps played ablations before they shared a batch: one lever's spend scaled."""

    def __init__(self, base, lever: int, factor: float):
        self.base, self.lever, self.factor = base, lever, factor
        self.name = base.name

    def act(self, state, world):
        actions = self.base.act(state, world)
        alloc = np.array(actions.allocations, dtype=np.float64, copy=True)
        alloc[:, self.lever] *= self.factor
        return Actions(alloc, actions.choices)


@pytest.mark.parametrize("scenario", sorted(load_content().scenarios))
def test_one_batch_of_strategies_and_ablations_plays_each_game_as_alone(content, scenario, tmp_path):
    """Every scenario: strategies x ablations x seeds as one batch give the games.jsonl of each
    (strategy, ablation) played alone (a game plays the same in any batch of the same member: see
    test_batch_equivalence)."""
    world = world_for(content, scenario)
    levers = [world.lever_ids[i] for i in np.flatnonzero(world.controllable)[:1]]
    strategies, seeds = ["balanced", "random", *(["greedy"] if scenario == "default" else [])], 2  # greedy: slow
    with Spool(tmp_path) as spool:
        packed = sweep(content, scenario, seeds, strategies, seed_start=11, ablate=levers, progress=False,
                       spool=spool)
        packed_lines = b"".join(spool.chunks()).decode().splitlines()
    ablations = packed.ablations
    assert len(plan(scenario, seeds, strategies, ablations, 1, 11)) == 1  # it did share one batch
    plain_lines = []
    for name in strategies:
        for ablation in ablations:
            base = get_strategy(name)
            alone = OneLeverScaled(base, world.lever_ids.index(ablation.lever), ablation.factor) \
                if ablation.lever else base
            cols = play_columns(world, alone, np.arange(11, 11 + seeds))
            plain_lines += game_lines(cols, world, name, None, ablation.label)
    assert packed_lines == plain_lines
    hashes = {json.loads(line)["state_hash"] for line in packed_lines}
    assert len(hashes) > len(strategies) * seeds  # ablations do change games


def test_sweep_tells_its_games_and_an_estimate_before_it_starts(capsys):
    assert main(["sweep", "--games", "4", "--strategy", "balanced", "--strategy", "greedy", "--workers", "1"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"8 games to play: about \d+ s", err[0])


def test_estimate_weighs_look_ahead_bots_by_their_cost(world):
    from game.analysis.sweep import estimate

    def seconds(name):
        return estimate(plan("default", 100, [name], [NO_ABLATION], 1), [world], 1).seconds

    assert seconds("greedy") > 5 * seconds("balanced")
    assert seconds("lookahead") > 100 * seconds("greedy")


def test_ablate_without_strategy_ablates_the_named_default(tmp_path, capsys, content):
    from game.cli.sweep import ABLATE_DEFAULT

    assert main(["sweep", "--games", "3", "--ablate", "--workers", "1", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert f"ablating {ABLATE_DEFAULT}" in err
    assert {json.loads(x)["strategy"] for x in read_games(tmp_path).splitlines()} == {ABLATE_DEFAULT}


def test_workers_default_to_the_machine_cores(monkeypatch, capsys):
    import game.analysis.sweep as sweep_mod
    import game.cli.sweep as cli_sweep

    seen = []
    real = sweep_mod.sweep
    monkeypatch.setattr(cli_sweep, "machine_cores", lambda: 7)
    monkeypatch.setattr(sweep_mod, "sweep", lambda *a, **k: seen.append(k["workers"]) or real(*a, **k))
    assert main(["sweep", "--games", "2", "--strategy", "balanced"]) == 0
    assert seen == [7]
    if hasattr(os, "sched_getaffinity"):
        from game.cli.common import machine_cores

        assert machine_cores() == len(os.sched_getaffinity(0))


# ---------------------------------------------------------------- --vary


def test_parse_vary_values():
    assert parse_vary("scenarios.default.budget=20,25.5") == ("scenarios.default.budget", [20, 25.5])
    with pytest.raises(VariantError, match=r"expected KEY\.PATH=V1,V2"):
        parse_vary("scenarios.default.budget")


def test_vary_content_changes_one_value(content):
    lever = next(iter(content.levers))
    old = content.levers[lever].saturation
    changed = vary_content(content, f"levers.{lever}.saturation", old * 2)
    assert changed.levers[lever].saturation == old * 2
    assert content.levers[lever].saturation == old  # the original is untouched
    assert changed.fingerprint != content.fingerprint
    model = vary_content(content, "model.security.base_rate", 0.5)
    assert model.model.security.base_rate == 0.5


@pytest.mark.parametrize(
    "path, message",
    [
        ("levrs.x.saturation=1", "unknown section 'levrs' (did you mean 'levers'?)"),
        ("levers.{lever}.saturaton=1", "unknown key 'saturaton' (did you mean 'saturation'?)"),
        ("levers.{lever}x.saturation=1", "unknown lever '{lever}x' (did you mean '{lever}'?)"),
        ("levers.{lever}.saturation=-1", "greater than 0"),
        ("model.security.base_rat=1", "did you mean 'base_rate'?"),
    ],
)
def test_bad_vary_is_a_usage_error(path, message, content, capsys):
    lever = next(iter(content.levers))
    assert main(["sweep", "--games", "5", "--strategy", "balanced", "--vary", path.format(lever=lever)]) == 2
    assert message.format(lever=lever) in one_error_line(capsys)


def test_vary_sweeps_each_value_and_labels_games(tmp_path, capsys, content):
    budget = content.scenarios["default"].budget
    assert (
        main(
            [
                "sweep",
                "--games",
                "20",
                "--strategy",
                "balanced",
                "--vary",
                f"scenarios.default.budget={budget},{budget * 2}",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    capsys.readouterr()
    rows = [json.loads(x) for x in read_games(tmp_path).splitlines()]
    labels = sorted({r["variant"] for r in rows})
    assert labels == ["base", f"scenarios.default.budget={budget * 2}"]  # the current value folds into base
    summary = json.loads((tmp_path / "summary.json").read_text())
    spend = [v["strategies"][0]["spend"] for v in summary["variants"]]
    assert sum(spend[1].values()) > sum(spend[0].values())


def test_build_variants_grid(content):
    lever = next(iter(content.levers))
    variants = build_variants(content, [f"levers.{lever}.max=3,4", "scenarios.default.budget=11,12"])
    assert len(variants) == 5 and variants[0].label == "base"


# ---------------------------------------------------------------- --ablate


def test_ablate_covers_every_controllable_lever(content, world):
    from game.analysis.ablation import ablations_for

    controllable = int((world.arrays["lever_offered"] & np.isnan(world.arrays["lever_locked"])).sum())
    ablations = ablations_for(world)
    assert len(ablations) == 2 * controllable
    assert {a.factor for a in ablations} == {0.0, 2.0}


def test_ablation_ranks_levers(content, world, tmp_path):
    levers = [world.lever_ids[i] for i in np.flatnonzero(world.controllable)[:3]]
    spool = Spool(tmp_path)
    result = sweep(content, "default", 30, ["balanced"], ablate=levers, progress=False, spool=spool)
    controllable = len(levers)
    assert len(result.ablations) == 1 + 2 * controllable
    for a, ablation in enumerate(result.ablations):
        if ablation.factor == 0:
            i = world.lever_ids.index(ablation.lever)
            assert result.group(0, 0, a).tally.spend()[i] == 0
    summary = summarize(result)
    rows = summary["variants"][0]["ablation"]["balanced"]
    assert len(rows) == controllable
    worth = [r["removed_win"][0] for r in rows]
    assert worth == sorted(worth)
    for r in rows:
        m, lo, hi = r["removed_win"]
        assert lo <= m <= hi
        assert r["verdict"] in ("worth it", "trap: better without it", "no detectable effect")
    write_outputs(result, summary, tmp_path, spool)
    spool.close()
    assert "### Lever importance (ablation)" in (tmp_path / "report.md").read_text()
    assert '"ablation": "-' in read_games(tmp_path)
    assert "lever ablation for balanced" in console_text(result, summary)


# ---------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    "args, message",
    [
        (["--games", "10", "--strategy", "greedyy"], "unknown strategy 'greedyy'"),
        (["--games", "0", "--strategy", "balanced"], "must be 1 or more, not 0"),
        (["--games", "-3", "--strategy", "balanced"], "must be 1 or more, not -3"),
        (["--games", "ten"], "'ten' is not a whole number"),
        (["--games", "5", "--workers", "0"], "must be 1 or more"),
        (["--games", "5", "--scenario", "nope"], "unknown scenario 'nope'"),
        (["--games", "5", "--executor", "dask"], "--executor dask needs --scheduler"),
        (["--games", "5", "--strategy", "balanced", "--strategy", "balanced"], "named twice"),
    ],
)
def test_bad_arguments_one_line_exit_2(args, message, capsys):
    assert main(["sweep", *args]) == 2
    assert message in one_error_line(capsys)


def test_unwritable_out_is_a_usage_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["sweep", "--games", "5", "--strategy", "balanced", "--out", str(blocker / "out")]) == 2
    assert "--out" in one_error_line(capsys)


def test_bad_script_in_a_sweep_is_a_usage_error(tmp_path, capsys, world):
    plan = tmp_path / "plan.toml"
    plan.write_text(f'[[turn]]\nquarter = "{world.quarter(0)}"\nallocations = {{ nope = 1 }}\n')
    assert main(["sweep", "--games", "5", "--strategy", f"scripted:{plan}"]) == 2
    assert "plan.toml: turn[0].allocations.nope: unknown lever" in one_error_line(capsys)


# ---------------------------------------------------------------- progress


def test_progress_bar_only_on_a_terminal():
    quiet = io.StringIO()
    bar = ProgressBar(100, stream=quiet)
    bar(50)
    bar.close()
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    bar = ProgressBar(100, stream=shown, enabled=True)
    bar(50)
    bar(25)
    bar.close()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.getvalue())  # without the colours
    assert "75/100 games" in text and "games/s" in text and "left" in text  # done, rate and time left


def test_json_to_stdout_is_the_summary_alone(capsys, tmp_path):
    assert main(["sweep", "--games", "4", "--strategy", "balanced", "--json", "-", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out)  # nothing but the document on stdout
    assert doc == json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert doc["variants"][0]["strategies"][0]["games"] == 4


def test_two_sweeps_into_one_out_folder_never_share_a_probe_file(tmp_path):
    """The writability probe is a file of its own: another sweep's probe is neither clobbered nor removed."""
    from game.render.sweep_report import check_out_dir

    other = tmp_path / ".homegrown-write-test"  # where a fixed-name probe of the other sweep would be
    other.write_text("theirs")
    check_out_dir(tmp_path)
    assert other.read_text() == "theirs" and sorted(p.name for p in tmp_path.iterdir()) == [other.name]


def test_progress_off_a_terminal_is_a_line_every_so_often(monkeypatch):
    from game.analysis import progress

    now = [0.0]
    log = io.StringIO()  # not a terminal: a CI log, a pipe
    bar = ProgressBar(1_000_000, stream=log, clock=lambda: now[0])
    for _ in range(40):  # a shard of 25,000 games every 5 s
        now[0] += 5.0
        bar(25_000)
    bar.close()
    lines = log.getvalue().splitlines()
    assert len(lines) == 200 // progress.EVERY + 1  # one every EVERY seconds, none in between, and the last
    assert lines[0] == "150,000 of 1,000,000 games (15%), 5,000 games/s, about 3 min left"
    assert lines[-1].startswith("1,000,000 of 1,000,000 games (100%)")
    assert ProgressBar(10, stream=io.StringIO(), enabled=False, clock=lambda: 1e9).enabled is False


def test_what_a_sweep_keeps_of_its_games_is_a_few_bytes_each(tmp_path, world):
    """Six times the games, the parent's peak grows by what it keeps per game (seed, score, outcome:
    17 bytes), not by every game's columns (about 450) nor its games.jsonl line (about 1 KB, spooled)."""
    import tracemalloc

    from game.analysis.gathered import Spool
    from game.analysis.sweep import Gather, Labels

    part = play_columns(world, get_strategy("balanced"), np.arange(1000))  # one shard's results, for every shard

    def peak(games: int) -> int:
        tasks = plan("default", games, ["balanced"], [NO_ABLATION], 1)
        with Spool(tmp_path) as spool:
            tracemalloc.start()
            gather = Gather(tasks, games, 0, Labels([world], ["base"], ["balanced"], [""]), spool)
            for task in tasks:
                gather(task.key, part.rows(0, task.seeds))
            top = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            assert sum(len(chunk) for chunk in spool.chunks()) > games * 500  # every line was written
        return top

    small, large = peak(1_000), peak(6_000)
    assert (large - small) / 5_000 < 32  # bytes per extra game


def test_a_slow_run_s_progress_line_keeps_its_rate_and_label():
    now = [0.0]
    log = io.StringIO()
    bar = ProgressBar(30, stream=log, unit="generations", label="fixed", clock=lambda: now[0])
    now[0] = 40.0
    bar.set(3, "fixed: best 41% on training seeds")
    assert log.getvalue() == ("fixed: best 41% on training seeds: 3 of 30 generations (10%), 0.075 generations/s, "
                              "about 6 min left\n")


def test_the_process_pool_keeps_a_bounded_window_of_shards(content, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    from game.analysis import executors

    live, most = [0], [0]

    class Counted(ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            live[0] += 1
            most[0] = max(most[0], live[0])
            return super().submit(*args, **kwargs)

    def sink(key, cols):
        live[0] -= 1
        got[key] = cols

    monkeypatch.setattr(executors, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(shards_mod, "MIN_SHARD", 5)
    monkeypatch.setattr(shards_mod, "BLOCK", 5)
    tasks = plan("default", 40, ["do_nothing"], [NO_ABLATION], 1, workers=8)
    assert len(tasks) == 8
    got: dict = {}
    workers = 2
    executors.execute(tasks, [content], workers=workers, sink=sink)
    assert most[0] == workers * executors.IN_FLIGHT_PER_THREAD  # a few shards a worker, never all eight
    assert sorted(got) == sorted(t.key for t in tasks)


def test_a_grid_of_many_groups_plays_whole_shards_and_one_group_still_keeps_every_worker_busy():
    strategies = list(BUILTIN)
    grid = plan("default", 1000, strategies, [NO_ABLATION], 9, workers=2)
    # 81 groups keep the workers busy unsplit: each group's 1,000 seeds whole, packed up to MAX_SHARD rows
    assert {t.seeds for t in grid} == {1000}
    assert max(t.seeds * len(t.members) for t in grid) == shards_mod.MAX_SHARD
    played = sorted((t.variant, m) for t in grid for m in t.members)
    assert played == [(v, (s, 0)) for v in range(9) for s in range(9)]  # every group once
    alone = plan("default", 1000, ["balanced"], [NO_ABLATION], 1, workers=2)
    assert [t.seeds for t in alone] == [500, 500]  # one group: two shards, one per worker
