"""The same shards on a Dask cluster give the same games as local processes (needs the
`distributed` extra; skipped without it)."""

from __future__ import annotations

import pytest

import game.analysis.shards as shards_mod
from game.analysis.sweep import sweep
from game.render.sweep_report import game_lines

distributed = pytest.importorskip("distributed")


def test_dask_local_cluster_gives_identical_games(content, monkeypatch):
    monkeypatch.setattr(shards_mod, "MIN_SHARD", 25)
    strategies = ["random", "balanced"]
    local = list(game_lines(sweep(content, "default", 60, strategies, seed_start=11, progress=False)))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = list(
            game_lines(
                sweep(
                    content,
                    "default",
                    60,
                    strategies,
                    seed_start=11,
                    executor="dask",
                    scheduler=client,
                    progress=False,
                )
            )
        )
    assert remote == local


def test_unreachable_scheduler_is_a_usage_error(capsys, monkeypatch):
    from game.cli import main

    monkeypatch.setattr("game.analysis.executors.DASK_CONNECT_TIMEOUT", "1s")
    assert (
        main(
            [
                "sweep",
                "--games",
                "5",
                "--strategy",
                "balanced",
                "--executor",
                "dask",
                "--scheduler",
                "tcp://127.0.0.1:9",
            ]
        )
        == 2
    )
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


def test_search_on_a_dask_cluster_finds_the_same_plans(content):
    from game.analysis.search import Settings, search

    settings = Settings(generations=2, population=6, seeds=4, validate=20)
    [local] = search(content, "default", ["fixed"], settings)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        [remote] = search(content, "default", ["fixed"], settings, executor="dask", scheduler=client)
    assert (remote.wins, remote.score) == (local.wins, local.score)
    assert (remote.theta == local.theta).all() and (remote.choices == local.choices).all()
