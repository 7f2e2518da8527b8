"""A process killed (SIGKILL) at a random moment while saving never leaves the game unloadable."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sys
import time

import pytest
from _saves_support import content, new_game

from game import storage as saves

pytestmark = pytest.mark.skipif(sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(),
                                reason="needs fork and SIGKILL")


def _save_forever(sessions, folder, ready) -> None:
    saves.save_session(sessions[0], "victim", folder)
    ready.set()
    i = 1
    while True:
        saves.save_session(sessions[i % len(sessions)], "victim", folder)
        i += 1


def test_sigkill_while_saving_never_loses_the_game(tmp_path):
    sessions = [new_game(turns=n, seed=5, rng_seed=1) for n in (1, 2, 3)]
    known = {s.state_hash: s for s in sessions}
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(20261125)
    target = tmp_path / "victim.json"
    started = time.monotonic()
    rounds = 0
    while rounds < 40 and time.monotonic() - started < 15:
        ready = ctx.Event()
        child = ctx.Process(target=_save_forever, args=(sessions, tmp_path, ready), daemon=True)
        child.start()
        assert ready.wait(10), "the child never saved"
        time.sleep(rng.uniform(0, 0.03))
        os.kill(child.pid, signal.SIGKILL)
        child.join(5)
        assert child.exitcode == -signal.SIGKILL
        rounds += 1
        found = target if target.exists() else target.with_name(target.name + ".bak")
        session = saves.load_session(found, content())  # raises if the file is damaged
        assert session.state_hash in known
        if rounds % 8 == 0 and found == target and target.with_name(target.name + ".bak").exists():
            assert saves.load_session(target.with_name(target.name + ".bak"), content()).state_hash in known
    assert rounds >= 30
    leftovers = [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    # killed writes may leave hidden temp files behind; they are never mistaken for saves
    assert all(p.startswith(".") for p in leftovers)
    assert [i.path for i in saves.list_saves(tmp_path)] == [target]
