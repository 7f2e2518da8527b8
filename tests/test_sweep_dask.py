"""On a real Dask cluster — a `dask scheduler` and `dask worker` processes started here on 127.0.0.1, in a
folder of their own — sweeps, grids and searches give the same games as this machine, a `scripted:PATH`
plan plays although the workers have no such file, and a worker running other code is refused in one line.
Needs the `distributed` extra (in `.[test]`, so CI runs these); skipped without it."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.cli import main

distributed = pytest.importorskip("distributed", reason="needs the distributed extra: pip install -e '.[test]'")

GAME = Path(__file__).resolve().parent.parent / "game"
START_TIMEOUT = 60  # seconds: a loaded 2-core machine takes a few to start each process

PLAN = """
name = "research first"
fill = "repeat"

[[turn]]
quarter = "2026Q1"
allocations = { rnd-b5g = 5, rnd-openran = 3 }

[[turn]]
quarter = "2026Q3"
allocations = { rnd-b5g = 4, workforce-reskilling = 4 }
"""


class Cluster:
    """A scheduler and `workers` worker processes (one thread each), started in `folder`; `env` is the
    workers' extra environment (e.g. PYTHONPATH to another copy of the game package)."""

    def __init__(self, folder: Path, workers: list[str], env: dict[str, str] | None = None):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.procs: list[subprocess.Popen] = []
        info = folder / "scheduler.json"
        dask = [sys.executable, "-m", "dask"]
        try:
            self._start([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                         "--scheduler-file", str(info)], folder, {})
            deadline = time.monotonic() + START_TIMEOUT
            while not info.exists() or not info.read_text():
                assert time.monotonic() < deadline, f"the scheduler did not start: {self.logs()}"
                assert self.procs[0].poll() is None, f"the scheduler stopped: {self.logs()}"
                time.sleep(0.1)
            self.address = json.loads(info.read_text())["address"]
            for name in workers:
                self._start([*dask, "worker", self.address, "--name", name, "--nthreads", "1", "--no-nanny",
                             "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(folder)],
                            folder, env or {})
            with distributed.Client(self.address, timeout="30s") as client:
                try:
                    client.wait_for_workers(len(workers), timeout=START_TIMEOUT)
                except TimeoutError:
                    pytest.fail(f"the workers did not start: {self.logs()}")
        except BaseException:
            self.stop()
            raise

    def _start(self, command: list[str], folder: Path, env: dict[str, str]) -> None:
        with (folder / f"process-{len(self.procs)}.log").open("wb") as log:  # the child keeps its own handle
            self.procs.append(subprocess.Popen(command, cwd=folder, env={**os.environ, **env},
                                               stdout=log, stderr=subprocess.STDOUT))

    def logs(self) -> str:
        """The last lines each process wrote, for a failure message."""
        return "\n".join(f"{log.name}: ...{log.read_text(errors='replace')[-800:]}"
                         for log in sorted(self.folder.glob("process-*.log")))

    def stop(self) -> None:
        for proc in reversed(self.procs):  # the workers first, then the scheduler
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[str]:
    """The address of a scheduler with two workers whose folder holds no plan file."""
    running = Cluster(tmp_path_factory.mktemp("cluster"), ["worker-a", "worker-b"])
    yield running.address
    running.stop()


def sweep_lines(out: Path, *options: str) -> bytes:
    argv = ["sweep", "--games", "30", "--seed-start", "7", "--strategy", "balanced", "--strategy",
            "scripted:plan.toml", "--vary", "levers.rnd-b5g.saturation=3,8", "--out", str(out), *options]
    assert main(argv) == 0
    return (out / "games.jsonl").read_bytes()


def test_a_real_cluster_plays_the_same_games_and_ships_the_plan(cluster, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the plan's relative path means something here only
    Path("plan.toml").write_text(PLAN, encoding="utf-8")
    local = sweep_lines(tmp_path / "local")
    remote = sweep_lines(tmp_path / "remote", "--executor", "dask", "--scheduler", cluster)
    assert remote == local
    strategies = {json.loads(line)["strategy"] for line in local.splitlines()}
    assert strategies == {"balanced", "scripted:plan.toml"}  # the plan did play
    assert len(local.splitlines()) == 30 * 2 * 3  # in the pack as it is and in both variants


def test_search_on_a_real_cluster_finds_the_same_plans(cluster, content):
    from game.analysis.search import Settings, search

    settings = Settings(generations=2, population=6, seeds=4, validate=20)
    [local] = search(content, "default", ["fixed"], settings)
    [remote] = search(content, "default", ["fixed"], settings, executor="dask", scheduler=cluster)
    assert (remote.wins, remote.score) == (local.wins, local.score)
    assert (remote.theta == local.theta).all() and (remote.choices == local.choices).all()


def test_a_worker_running_other_code_is_refused_by_name(tmp_path, capsys):
    # the game package copied, one file changed (as a worker left on an old or edited checkout would be)
    copy = tmp_path / "elsewhere"
    shutil.copytree(GAME, copy / "game", ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "game" / "sim" / "drift.py").open("a", encoding="utf-8") as f:
        f.write("\n# edited on one machine only\n")
    running = Cluster(tmp_path / "cluster", ["stale-worker"], env={"PYTHONPATH": str(copy)})
    try:
        code = main(["sweep", "--games", "5", "--strategy", "balanced", "--executor", "dask",
                     "--scheduler", running.address])
    finally:
        running.stop()
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert "games to play" in lines[0]  # the estimate before it starts, then the refusal: one line
    assert len(lines) == 2 and "worker stale-worker" in lines[1] and "runs other code" in lines[1]


def test_a_worker_seeing_other_content_is_refused(content):
    from game.analysis.executors import ExecutorError, _checked, code_fingerprint

    lever = next(iter(content.levers.values()))
    changed = {**content.levers, lever.id: lever.model_copy(update={"max": lever.max + 1})}
    seen = dataclasses.replace(content, levers=changed)  # the fingerprint it carries is now wrong

    def played(_content):
        return "played"

    assert _checked(code_fingerprint(), content.fingerprint, played, content) == "played"
    with pytest.raises(ExecutorError, match="sees other content"):
        _checked(code_fingerprint(), content.fingerprint, played, seen)


def test_unreachable_scheduler_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.setattr("game.analysis.executors.DASK_CONNECT_TIMEOUT", "1s")
    argv = ["sweep", "--games", "5", "--strategy", "balanced", "--executor", "dask",
            "--scheduler", "tcp://127.0.0.1:9"]
    assert main(argv) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


def test_a_cluster_sweep_keeps_a_bounded_window_of_shards_in_flight(cluster, content, monkeypatch):
    from game.analysis import executors
    from game.analysis.ablation import NO_ABLATION
    from game.analysis.shards import plan

    monkeypatch.setattr("game.analysis.shards.MIN_SHARD", 5)
    monkeypatch.setattr("game.analysis.shards.BLOCK", 5)
    tasks = plan("default", 60, ["balanced"], [NO_ABLATION], 1, workers=12)
    assert len(tasks) == 12
    monkeypatch.setattr(executors, "in_flight", lambda client: 2)
    live, most = [0], [0]
    submit = executors.submit

    def counted(*args):
        live[0] += 1
        most[0] = max(most[0], live[0])
        return submit(*args)

    def sink(key, cols):
        live[0] -= 1
        got[key] = cols

    monkeypatch.setattr(executors, "submit", counted)
    got: dict = {}
    executors.execute(tasks, [content], executor="dask", scheduler=cluster, sink=sink)
    assert most[0] == 2  # never all twelve at once, yet two to keep both workers busy
    local = executors.execute(tasks, [content])
    assert sorted(got) == sorted(local)
    assert all(got[k].hashes == local[k].hashes for k in local)


def test_a_module_attr_strategy_is_refused_on_a_cluster_in_one_line(capsys):
    # refused before any connection: its code would not travel to the workers
    argv = ["sweep", "--games", "5", "--strategy", "game.strategies.builtin:DoNothing", "--executor", "dask",
            "--scheduler", "tcp://127.0.0.1:9"]
    assert main(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert "games to play" in lines[0]
    assert len(lines) == 2
    assert "cannot play strategy 'game.strategies.builtin:DoNothing'" in lines[1] and "--executor local" in lines[1]
