"""Random games with random actions, saved and loaded, are the same game: same hash, same future."""

from __future__ import annotations

import tempfile
from pathlib import Path

from _saves_support import SCENARIO, content
from hypothesis import given
from hypothesis import strategies as st

from game import storage as saves
from game.play.session import Session, TurnActions


def draw_actions(data, session: Session) -> TurnActions:
    world = session.world
    levers = data.draw(st.lists(st.sampled_from(world.lever_ids), unique=True, max_size=5), label="levers")
    left, alloc = session.budget, {}
    for lever in levers:
        top = min(float(world.content.levers[lever].max), left)
        amount = data.draw(st.floats(0, top, allow_nan=False, allow_infinity=False), label=lever)
        if amount > 0:
            alloc[lever] = amount
            left -= amount
    choices = {}
    for event in session.pending_events():
        if event.choices:
            pick = data.draw(st.sampled_from([None, *[c.id for c in event.choices]]), label=event.id)
            if pick is not None:
                choices[event.id] = pick
    return TurnActions(alloc, choices)


@given(seed=st.integers(0, 2**40), turns=st.integers(0, 6), more=st.integers(1, 3), data=st.data())
def test_saved_and_loaded_games_are_identical(seed, turns, more, data):
    session = Session(content(), SCENARIO, seed)
    for _ in range(turns):
        if session.done:
            break
        session.end_turn(draw_actions(data, session))
    with tempfile.TemporaryDirectory() as folder:
        path = saves.save_session(session, "h", Path(folder)).path
        loaded = saves.load_session(path, content())
    assert loaded.state_hash == session.state_hash
    assert loaded.log == session.log and loaded.result() == session.result()
    for _ in range(more):
        if session.done:
            assert loaded.done
            break
        actions = draw_actions(data, session)
        assert session.end_turn(actions) == loaded.end_turn(actions)
        assert loaded.state_hash == session.state_hash
