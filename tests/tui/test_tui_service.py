"""The app's GameService, driven directly (no Textual): new games and their seeds, autosave, Save as,
Continue and opening a save."""

from __future__ import annotations

import pytest
from tui_support import SEED

from game import storage as saves
from game.play.session import Session, TurnActions
from game.tui.service import GameService

PLAN = TurnActions({"subsidy-fujitsu": 4, "rip-and-replace": 2, "rnd-b5g": 2})
FIXED = "exercise-southeast-asia"  # a scenario with a fixed seed (23)


def play(session: Session, turns: int = 1) -> None:
    for _ in range(turns):
        session.end_turn(TurnActions(dict(PLAN.allocations),
                                     {e.id: e.choices[0].id for e in session.pending_events() if e.choices}))


@pytest.fixture
def service(content, tmp_path) -> GameService:
    (tmp_path / "saves").mkdir()
    return GameService(content, tmp_path / "saves")


def test_new_game_follows_the_seed_policy(service, content):
    fixed = content.scenarios[FIXED].seed
    assert fixed is not None
    session, notice = service.new_game(FIXED)
    assert session.seed == fixed and notice is None and service.session is session
    session, notice = service.new_game(FIXED, 5)  # an explicit seed wins, and says so
    assert session.seed == 5 and notice is not None and f"fixes seed {fixed}" in notice and "5" in notice
    session, notice = service.new_game(FIXED, fixed)  # the same seed as the scenario's: nothing to say
    assert session.seed == fixed and notice is None
    assert content.scenarios["tutorial"].seed is None
    session, notice = service.new_game("tutorial")  # no fixed seed: a random one
    assert notice is None and 0 <= session.seed < 2**31
    assert service.save_target is None and service.last_saved is None


def test_autosave_goes_to_the_games_autosave_file(service, content):
    session, _ = service.new_game("tutorial", SEED)
    play(session)
    result = service.autosave(session)
    expected = service.saves_folder / f"autosave-tutorial-seed{SEED}.json"
    assert result.path == expected and service.last_saved == expected and service.save_target is None
    play(session)
    assert service.autosave(session).path == expected  # the same game, the same file
    v = saves.verify_save(expected, content)
    assert v.ok and len(v.save.turns) == 2


def test_a_failed_autosave_is_one_save_error(content, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the saves folder should be")
    service = GameService(content, blocker)
    session, _ = service.new_game("tutorial", SEED)
    play(session)
    with pytest.raises(saves.SaveError) as failed:
        service.autosave(session)
    assert "\n" not in str(failed.value)
    assert service.last_saved is None


def test_save_as_becomes_the_target_of_later_turns(service, content):
    with pytest.raises(saves.SaveError):
        service.save_as("nothing yet")  # no game
    session, _ = service.new_game("tutorial", SEED)
    play(session)
    path = service.save_as("  My homework ")
    assert path == service.saves_folder / "My homework.json"
    assert service.save_target == path and service.last_saved == path
    assert saves.read_save(path).name == "My homework"
    play(session)
    assert service.autosave(session).path == path  # later turns go to the saved-as file
    assert len(saves.read_save(path).turns) == 2
    assert not list(service.saves_folder.glob("autosave-*"))
    with pytest.raises(saves.InvalidSaveName):
        service.save_as("CON")


def test_check_save_name(service, content):
    other = Session(content, "tutorial", SEED + 1)
    saves.save_session(other, "taken", service.saves_folder)
    (service.saves_folder / "broken.json").write_text('{"format_version": 1, "game": "homegrown", "na')
    (service.saves_folder / "notes.json").write_text('{"mine": "not a save"}')
    (service.saves_folder / "a folder.json").mkdir()
    session, _ = service.new_game("tutorial", SEED)
    assert service.check_save_name("fresh") is None
    assert "reserved" in (service.check_save_name("CON") or "")
    assert "is a folder" in (service.check_save_name("a folder") or "")
    assert (service.check_save_name("taken") or "").startswith("replace:")
    assert (service.check_save_name("broken") or "").startswith("replace:")
    assert "not a save of this game" in (service.check_save_name("notes") or "x")  # refused, no replace offer
    saves.save_session(session, "mine", service.saves_folder)
    play(session)
    assert service.check_save_name("mine") is None  # the same game, further on


def test_continue_opens_the_newest_save_and_writes_back_to_it(service, content):
    assert service.latest_save() is None and service.saved_games() == []
    assert "No saved games yet" in service.nothing_to_continue()
    (service.saves_folder / "broken.json").write_text("{")
    assert service.latest_save() is None and "1 file in" in service.nothing_to_continue()
    session, _ = service.new_game("tutorial", SEED)
    play(session, 2)
    path = service.autosave(session).path
    service.leave()
    assert service.session is None and service.save_target is None and service.last_saved is None
    latest = service.latest_save()
    assert latest == path
    opened = service.open_save(latest)
    assert opened.write_back and opened.session.state_hash == session.state_hash
    service.resume(opened)
    assert service.session is opened.session and service.save_target == path
    play(opened.session)
    assert service.autosave(opened.session).path == path
    assert len(saves.read_save(path).turns) == 3


def test_open_save_of_a_bad_file_is_a_save_error(service):
    bad = service.saves_folder / "bad.json"
    bad.write_text('{"format_version": 1, "name": ')
    with pytest.raises(saves.SaveError) as failed:
        service.open_save(bad)
    assert "bad.json" in str(failed.value)
    with pytest.raises(saves.SaveError):
        service.open_save(service.saves_folder / "missing.json")
    assert bad.read_text() == '{"format_version": 1, "name": '
