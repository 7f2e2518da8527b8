"""Shared helpers for the debrief tests: each game's decisions measured once per test module, and one
debrief written in several formats.

A debrief measures every candidate decision of every counted game by a what-if replay (about 40 replays a
game), and that is most of what `gather()` and `homegrown report` cost. The report tests run the report many
times over the same saves to check what is counted, flagged and written; those tests share the decisions of
a game they already measured. The measure is a pure function of the game (its content pack, scenario, seed
and moves), so a shared answer is the answer. Each module still measures every game it reports on once for
real, checks the decisions against independent what-if replays, and checks a fresh measure is deterministic
with `measure_afresh`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from game.analysis import debrief
from game.analysis.debrief import counterfactual, games
from game.play.session import Session


def _key(session: Session) -> tuple:
    return (session.content.fingerprint, session.scenario, session.seed, repr(session.log), session.state_hash)


@contextmanager
def decisions_measured_once() -> Iterator[dict]:
    """While open, the debrief measures each distinct game's decisions once (the cache is yielded)."""
    cache: dict[tuple, list[counterfactual.Decision]] = {}
    real = counterfactual.measure

    def once(session: Session) -> list[counterfactual.Decision]:
        key = _key(session)
        if key not in cache:
            cache[key] = real(session)
        return list(cache[key])  # Decision is frozen; the list is the caller's

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(games, "measure", once)
        yield cache


def measure_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """For one test: the debrief measures every decision by its replays again (no shared answers)."""
    monkeypatch.setattr(games, "measure", counterfactual.measure)


@contextmanager
def one_debrief_for_every_format() -> Iterator[list]:
    """While open, `homegrown report` gathers its debrief once: gather() is not told the format (each format
    is the same ClassReport written another way), so later runs take the first run's report and do the rest
    themselves (print the flags, choose the exit code, write their format). Every run must ask for the same
    debrief; the list yielded holds the one gathered."""
    real, gathered = debrief.gather, []

    def once(*args, **kwargs):
        if not gathered:
            gathered.append(((args, kwargs), real(*args, **kwargs)))
        assert gathered[0][0] == (args, kwargs), "every format asks for the same debrief"
        return gathered[0][1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(debrief, "gather", once)
        yield gathered
