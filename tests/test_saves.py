"""Saves: format, round trip, backups, names, folders, migrations, and bad files never changed by reading."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from _saves_support import FIXTURES, SCENARIO, bad_saves, content, file_state, good_save, new_game, play

import game
from game import storage as saves
from game.play.session import Session
from game.sim import MODEL_VERSION

# ---------------------------------------------------------------- round trip and format


def test_save_and_load_round_trip(tmp_path):
    session = new_game(turns=5)
    result = saves.save_session(session, "first game", tmp_path)
    assert result.path == tmp_path / "first game.json" and result.backup is None
    loaded = saves.load_session(result.path, content())
    assert loaded.state_hash == session.state_hash
    assert loaded.log == session.log
    assert loaded.state.turn == 5


def test_format_fields(tmp_path):
    session = new_game(turns=3)
    path = saves.save_session(session, "fmt", tmp_path, player="human").path
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format_version"] == saves.FORMAT_VERSION == 4
    assert raw["model_version"] == MODEL_VERSION
    assert raw["scenario"] == SCENARIO and raw["seed"] == session.seed
    assert raw["content_fingerprint"] == content().fingerprint
    assert raw["created"] and raw["updated"] and raw["name"] == "fmt" and raw["player"] == "human"
    assert len(raw["turns"]) == 3 and all(len(t["state_hash"]) == 64 for t in raw["turns"])
    assert raw["turns"][-1]["state_hash"] == raw["snapshot"]["state_hash"] == session.state_hash
    assert raw["snapshot"]["turn"] == 3 and raw["snapshot"]["quarter"] == session.quarter
    assert raw["snapshot"]["score"] == session.result().score
    assert raw["checksum"] == saves.checksum(raw)


def test_second_save_keeps_backup_and_created(tmp_path):
    session = new_game(turns=2)
    first = saves.save_session(session, "g", tmp_path).path
    first_bytes = first.read_bytes()
    created = saves.read_save(first).created
    play(session, 2, seed=5)
    second = saves.save_session(session, "g", tmp_path)
    assert second.backup == tmp_path / "g.json.bak"
    assert second.backup.read_bytes() == first_bytes
    again = saves.read_save(second.path)
    assert again.created == created and len(again.turns) == 4
    assert saves.load_session(second.backup, content()).state.turn == 2


def test_finished_game_round_trip(tmp_path):
    session = new_game(turns=40)
    assert session.done
    loaded = saves.load_session(saves.save_session(session, "done", tmp_path).path, content())
    assert loaded.done and loaded.result() == session.result()


def test_a_damaged_save_is_moved_aside_never_overwritten(tmp_path):
    target = saves.save_session(new_game(turns=2), "g", tmp_path).path
    damaged = target.read_bytes()[:200]  # a save cut short (another program, a disk error)
    target.write_bytes(damaged)
    result = saves.save_session(new_game(turns=1), "g", tmp_path)
    assert result.moved_aside is not None and result.moved_aside.read_bytes() == damaged
    assert saves.read_save(target).snapshot.turn == 1
    assert [i.path for i in saves.list_saves(tmp_path)] == [target]


def test_a_json_file_that_is_no_save_of_ours_is_refused_untouched(tmp_path):
    target = tmp_path / "g.json"
    target.write_bytes(b"{ this is not a save")
    with pytest.raises(saves.SaveError, match="is not a save of this game; not replaced"):
        saves.save_session(new_game(turns=1), "g", tmp_path)
    assert target.read_bytes() == b"{ this is not a save" and sorted(tmp_path.iterdir()) == [target]


def test_nothing_is_moved_aside_when_the_write_fails(tmp_path, monkeypatch):
    """A full disk: the damaged save stays where it was, and the error says so in one line."""
    target = tmp_path / "g.json"
    target.write_bytes(b'{"format_version": 1, "game": "homegrown", "na')
    real_fdopen = os.fdopen

    def full(fd, *args, **kwargs):
        f = real_fdopen(fd, *args, **kwargs)
        f.write = lambda data: (_ for _ in ()).throw(OSError(28, "No space left on device"))
        return f

    monkeypatch.setattr(os, "fdopen", full)
    with pytest.raises(saves.SaveError, match="No space left on device"):
        saves.save_session(new_game(turns=1), "g", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json"]


def test_two_writers_of_one_name_never_both_succeed(tmp_path, monkeypatch):
    """Another program saves a different game to the name while this save is being written: refused."""
    path = tmp_path / "g.json"
    other = saves.session_document(new_game(turns=2, seed=9), name="other")
    real_fsync = os.fsync

    def race(fd):
        real_fsync(fd)
        if not path.exists() or b"other" not in path.read_bytes():
            path.write_bytes(saves.encode(other))  # the other writer wins the rename

    monkeypatch.setattr(os, "fsync", race)
    with pytest.raises(saves.SaveError, match="another program"):
        saves.save_session(new_game(turns=1), path)
    assert saves.read_save(path).name == "other"  # the other game is intact, not silently replaced
    saves.save_session(new_game(turns=1), "fresh", tmp_path)  # a name nobody else writes: fine
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_temp_files_of_a_killed_save_go_at_once_others_stay(tmp_path):
    from game.storage import atomic

    path = saves.save_session(new_game(turns=1), "g", tmp_path).path
    dead = tmp_path / f".g.json.{atomic._HOST}-999999999.abc.tmp"  # no such process
    live = tmp_path / f".g.json.{atomic._HOST}-{os.getpid()}.def.tmp"  # a writer still at work
    remote = tmp_path / ".g.json.0000beef-1.ghi.tmp"  # a writer on another machine
    for tmp in (dead, live, remote):
        tmp.write_bytes(b"half")
    saves.save_session(new_game(turns=2), "g", tmp_path)
    assert not dead.exists() and live.exists() and remote.exists() and path.exists()


def test_a_name_the_reader_would_refuse_is_refused_when_writing(tmp_path):
    with pytest.raises(saves.InvalidSaveName, match="1 to 200 characters"):
        saves.save_session(new_game(turns=1), "long", tmp_path, name="x" * 201)
    assert list(tmp_path.iterdir()) == []


def test_list_and_latest(tmp_path):
    assert saves.latest_save(tmp_path) is None and saves.list_saves(tmp_path / "missing") == []
    a = saves.save_session(new_game(turns=1), "a", tmp_path).path
    b = saves.save_session(new_game(turns=2, seed=3), "b", tmp_path).path
    raw = json.loads(b.read_text())
    raw["updated"] = "2030-01-01T00:00:00Z"
    raw["checksum"] = saves.checksum(raw)
    b.write_text(json.dumps(raw))
    (tmp_path / "junk.json").write_text("[]")
    listed = saves.list_saves(tmp_path)
    assert [i.path.name for i in listed if i.save] == ["b.json", "a.json"]
    assert next(i.error for i in listed if i.save is None).startswith("is not a save")
    assert saves.latest_save(tmp_path) == b
    assert a.with_name("a.json.bak").exists() is False


def test_autosave(tmp_path):
    folder = tmp_path / "sub"
    session = new_game(turns=1, seed=4)
    first = saves.autosave(session, folder)
    assert first.path == folder / f"autosave-{SCENARIO}-seed4.json"
    play(session, 1, seed=2)
    result = saves.autosave(session, folder)
    assert result.path == first.path == saves.autosave_path(folder, session)
    assert saves.read_save(result.backup).snapshot.turn == 1
    assert saves.latest_save(folder) == result.path
    # the same scenario and seed played differently never replaces this game's autosave
    other = new_game(turns=2, seed=4, rng_seed=99)
    assert saves.autosave(other, folder).path == folder / f"autosave-{SCENARIO}-seed4-2.json"
    assert saves.read_save(first.path).snapshot.state_hash == session.state_hash
    assert saves.autosave(new_game(turns=1), folder, "named").path == folder / "named.json"


# ---------------------------------------------------------------- names and folders


@pytest.mark.parametrize("name, expected", [
    ("My game", "My game"), ("../../etc/passwd", "etc-passwd"), ("/abs/path", "abs-path"),
    ("C:\\Windows\\x", "C-Windows-x"), ("  .hidden  ", "hidden"), ("a/../b", "a-..-b"),
    ("日本の試合", "日本の試合"), ("x" * 300, "x" * 64), ("game.json", "game"), ("tab\there", "tab-here"),
])
def test_sanitise_name(name, expected):
    assert saves.sanitise_name(name) == expected
    assert "/" not in expected and "\\" not in expected


@pytest.mark.parametrize("name", ["", "   ", "...", "/", "../..", "CON", "nul", "Com1", "LPT9.json", "aux.txt",
                                  "???"])
def test_bad_names_refused(name):
    with pytest.raises(saves.InvalidSaveName):
        saves.sanitise_name(name)


def test_save_path_stays_in_folder(tmp_path):
    for name in ["../x", "/etc/x", "..\\..\\x", "a/b/c"]:
        path = saves.save_path(name, tmp_path)
        assert path.parent == tmp_path and path.suffix == ".json"


def test_saves_dir_resolution(monkeypatch, tmp_path):
    monkeypatch.setenv("HOMEGROWN_SAVES", str(tmp_path / "env"))
    assert saves.saves_dir(str(tmp_path / "cli")) == tmp_path / "cli"
    assert saves.saves_dir() == tmp_path / "env"
    monkeypatch.delenv("HOMEGROWN_SAVES")
    repo = Path(saves.__file__).resolve().parents[2]
    assert saves.saves_dir() == repo / "saves"  # run from this checkout
    monkeypatch.setattr("game.storage.folders.repo_saves_dir", lambda: None)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # platformdirs reads it on Linux
    # installed: the user's data folder, the same from any folder one starts in
    assert saves.saves_dir() == tmp_path / "data" / "homegrown" / "saves"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert saves.saves_dir() == tmp_path / "data" / "homegrown" / "saves"


def test_old_saves_in_dot_saves_are_offered_once_and_copied_not_moved(monkeypatch, tmp_path, capsys):
    from game.cli.play import offer_legacy_saves
    from game.storage.settings import load_settings

    monkeypatch.setenv("HOMEGROWN_CONFIG", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "saves").mkdir()
    (tmp_path / "saves" / "old-game.json").write_text("{}")
    user = tmp_path / "data" / "saves"
    asked: list[str] = []
    copied = offer_legacy_saves(user, ask=lambda q: asked.append(q) or "")
    assert copied == [user / "old-game.json"] and (tmp_path / "saves" / "old-game.json").is_file()
    assert "Found 1 save in" in asked[0] and load_settings().legacy_saves_offered
    assert offer_legacy_saves(user, ask=lambda q: pytest.fail("asked twice")) == []  # once only
    assert saves.legacy_saves(tmp_path / "saves") == []  # ./saves itself in use: nothing to offer


def test_the_chosen_theme_is_remembered(monkeypatch, tmp_path):
    from game.storage.settings import Settings, load_settings, save_settings, settings_path

    monkeypatch.setenv("HOMEGROWN_CONFIG", str(tmp_path / "config"))
    assert load_settings() == Settings()
    save_settings(Settings(theme="textual-light"))
    assert load_settings().theme == "textual-light"
    settings_path().write_text("not json")
    assert load_settings() == Settings()  # a broken file is the defaults, not an error


def test_resolve_save_argument(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "saves"
    assert saves.resolve_save("mine", folder) == folder / "mine.json"
    assert saves.resolve_save("sub/x.json", folder) == Path("sub/x.json")
    assert saves.resolve_save("/tmp/x.json", folder) == Path("/tmp/x.json")
    (tmp_path / "here.json").write_text("{}")
    assert saves.resolve_save("here.json", folder) == Path("here.json")
    assert saves.resolve_save("here.json", folder, for_writing=True) == folder / "here.json"
    with pytest.raises(saves.InvalidSaveName):
        saves.resolve_save("CON", folder)


# ---------------------------------------------------------------- versions


def test_fixture_for_every_version():
    versions = {int(p.stem[1:]) for p in FIXTURES.glob("v*.json")}
    assert versions == set(range(saves.FORMAT_VERSION + 1)) == {0, *saves.MIGRATIONS.keys(), saves.FORMAT_VERSION}


def _fixture_game():
    """The fixtures' game played now, under the current rules (see fixtures/saves/make_fixtures.py)."""
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(FIXTURES))
    return make_fixtures.play()


@pytest.mark.parametrize("version", range(saves.FORMAT_VERSION + 1))
def test_fixture_loads(version):
    """Every past format reads, migrates and replays to the same game as the current format.

    Formats 0-2 were recorded under model 1, formats 3 and 4 under the model that wrote them (expected.json keeps
    each model's final hash). A save of this model verifies exactly while the rules are unchanged; a save of
    another model replays under this one with a note, checked against its summary only; once the core
    changes again without a new model version, verification must report the save as made by another version
    (problems listed, no crash). The migrated log always replays to the current game."""
    path = FIXTURES / f"v{version}.json"
    before = file_state(path)
    expected = json.loads((FIXTURES / "expected.json").read_text())
    save = saves.read_save(path)
    assert save.format_version == saves.FORMAT_VERSION and len(save.turns) == 6
    assert save.model_version == (1 if version < 3 else 2)
    assert save.snapshot.state_hash == expected[str(save.model_version)]
    now = _fixture_game()
    replayed = Session.replay(content(), save.scenario, save.seed, save.log())
    assert replayed.state_hash == now.state_hash and replayed.log == now.log
    v = saves.verify_save(path, content())
    if save.content_fingerprint == content().fingerprint and expected.get(str(MODEL_VERSION)) == now.state_hash:
        assert v.ok, v.problems
        assert saves.load_session(path, content()).state_hash == now.state_hash
        assert any(f"model v{save.model_version}" in n for n in v.notes) == (save.model_version != MODEL_VERSION)
    else:  # the pack's schema or the rules changed since the fixtures were made
        assert not v.ok and v.problems
        with pytest.raises(saves.SaveError):
            saves.load_session(path, content())
    assert file_state(path) == before


def test_a_save_of_another_model_is_still_checked_against_its_summary(tmp_path):
    """Skipping the hashes of an older model's save must not wave a forged summary through."""
    raw = json.loads((FIXTURES / "v2.json").read_text())
    raw["snapshot"]["score"] += 1.0
    raw.pop("checksum")
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    v = saves.verify_save(path, content())
    assert not v.ok and "score" in v.differences


def test_a_save_of_this_model_with_a_wrong_hash_is_refused(tmp_path):
    raw = json.loads((FIXTURES / "v3.json").read_text())
    raw["turns"][2]["state_hash"] = "0" * 64
    raw.pop("checksum")
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    v = saves.verify_save(path, content())
    assert not v.ok and v.first_divergence == 2


def test_v0_migration_maps_lever_order():
    raw = json.loads((FIXTURES / "v0.json").read_text())
    up = saves.migrate(raw)
    assert up["format_version"] == saves.FORMAT_VERSION and up["created"] is None and up["model_version"] == 1
    first = up["turns"][0]["allocations"]
    assert first == {lv: a for lv, a in zip(raw["levers"], raw["log"][0]["alloc"], strict=False) if a}


def test_migrated_save_is_rewritten_in_current_format(tmp_path):
    save = saves.read_save(FIXTURES / "v0.json")
    session = Session.replay(content(), save.scenario, save.seed, save.log())
    path = saves.save_session(session, "upgraded", tmp_path).path
    assert json.loads(path.read_text())["format_version"] == saves.FORMAT_VERSION
    assert saves.load_session(path, content()).state_hash == session.state_hash


# ---------------------------------------------------------------- bad saves


def test_bad_saves_give_one_line_and_are_not_changed(tmp_path):
    for name, path in bad_saves(tmp_path).items():
        before = file_state(path)
        with pytest.raises(saves.SaveError) as err:
            saves.load_session(path, content())
        message = str(err.value)
        assert "\n" not in message and message.startswith(str(path)), (name, message)
        assert file_state(path) == before, name
    assert not list(tmp_path.glob("*.bak")) and not list(tmp_path.glob(".*tmp"))


def test_huge_file_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "huge.json"
    with open(big, "wb") as f:
        f.truncate(100 * 1024 * 1024)
    monkeypatch.setattr("builtins.open", lambda *a, **k: pytest.fail("opened a 100 MB file"))
    with pytest.raises(saves.SaveError, match="too large"):
        saves.read_save(big)


def test_every_single_byte_flip_is_detected(tmp_path):
    path = saves.save_session(new_game(turns=1), "small", tmp_path).path
    data = path.read_bytes()
    for i in range(len(data)):
        for mask in (0x01, 0x20):
            corrupt = bytearray(data)
            corrupt[i] ^= mask
            try:
                saves.parse_save(bytes(corrupt), path)
            except saves.SaveError:
                continue
            # a flip that still parses must be an equivalent document (e.g. `1.0` vs `1.0` in a key order)
            assert json.loads(bytes(corrupt)) == json.loads(data), (i, mask)


def test_other_content_pack_is_reported(tmp_path):
    path = good_save(tmp_path)
    raw = json.loads(path.read_text())
    raw["content_fingerprint"] = "0123456789abcdef"
    raw["checksum"] = saves.checksum(raw)
    path.write_text(json.dumps(raw))
    v = saves.verify_save(path, content())
    assert not v.ok and "another content pack" in v.problems[0]
    with pytest.raises(saves.SaveError, match="another content pack"):
        saves.load_session(path, content())


def test_tampered_log_names_first_turn_that_differs(tmp_path):
    session = new_game(turns=5)
    path = saves.save_session(session, "t", tmp_path).path
    raw = json.loads(path.read_text())
    raw["turns"][2]["allocations"] = {"rnd-security": 1.25}
    del raw["checksum"]  # edited on purpose: the replay still catches it
    path.write_text(json.dumps(raw))
    v = saves.verify_save(path, content())
    assert not v.ok and v.first_divergence == 2
    assert any("differs from turn 3" in p for p in v.problems)
    assert v.session is not None and v.session.state.turn == 5


def test_log_that_cannot_be_replayed(tmp_path):
    path = good_save(tmp_path)
    raw = json.loads(path.read_text())
    raw["turns"][0]["allocations"] = {"no-such-lever": 1.0}
    raw["checksum"] = saves.checksum(raw)
    path.write_text(json.dumps(raw))
    with pytest.raises(saves.SaveError, match=r"turn 1 .*unknown lever"):
        saves.load_session(path, content())


def test_unknown_scenario(tmp_path):
    path = good_save(tmp_path)
    raw = json.loads(path.read_text())
    raw["scenario"] = "atlantis"
    raw["checksum"] = saves.checksum(raw)
    path.write_text(json.dumps(raw))
    with pytest.raises(saves.SaveError, match="scenario 'atlantis'"):
        saves.load_session(path, content())


def test_other_game_version_is_named(tmp_path, monkeypatch):
    session = new_game(turns=2)
    monkeypatch.setattr("game.storage.saves.__version__", "0.0.1")
    path = saves.save_session(session, "old", tmp_path).path
    monkeypatch.undo()
    v = saves.verify_save(path, content())
    assert v.ok and v.notes == [f"saved by Homegrown 0.0.1; this is {game.__version__}"]


def test_write_failure_leaves_old_save(tmp_path, monkeypatch):
    session = new_game(turns=2)
    path = saves.save_session(session, "g", tmp_path).path
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(saves.SaveError, match="No space left"):
        saves.save_session(play(session, 1), "g", tmp_path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_session_replay_equivalence():
    session = new_game(turns=6, rng_seed=4)
    again = Session.replay(content(), SCENARIO, session.seed, session.log)
    assert again.state_hash == session.state_hash


def test_stale_temp_files_are_cleaned(tmp_path):
    stale, fresh = tmp_path / ".g.json.abc.tmp", tmp_path / ".g.json.def.tmp"
    stale.write_text("half a save")
    fresh.write_text("being written")
    os.utime(stale, (0, 0))
    saves.save_session(new_game(turns=1), "g", tmp_path)
    assert not stale.exists() and fresh.exists()


def test_a_dot_slash_path_is_a_path_not_a_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert saves.resolve_save("./x.json", tmp_path / "folder", for_writing=True) == Path("x.json")
    assert saves.resolve_save("x", tmp_path / "folder", for_writing=True) == tmp_path / "folder" / "x.json"


def test_saving_works_where_os_has_no_fchmod(tmp_path, monkeypatch):
    """Windows before Python 3.13 has no os.fchmod: the save is still written, with a readable mode."""
    monkeypatch.delattr(os, "fchmod")
    path = saves.save_session(new_game(turns=1), "win", tmp_path).path
    assert saves.read_save(path).name == "win"
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # what a plain open() gives, not mkstemp's 0600


ESCAPES = "\x1b]2;PWNED\x07\x1b[2J"


def test_control_characters_in_a_save_name_never_reach_a_list(tmp_path):
    path = saves.save_session(new_game(turns=1), "plain", tmp_path, name=f"Bob{ESCAPES}").path
    raw = json.loads(path.read_text())
    assert raw["name"] == f"Bob{ESCAPES}"  # the file keeps what was written ...
    assert saves.read_save(path).name == "Bob]2;PWNED[2J"  # ... but nothing that drives a terminal is read
    [info] = saves.list_saves(tmp_path)
    assert "\x1b" not in info.name and "\x07" not in info.name
    broken = tmp_path / f"x{ESCAPES}.json"
    broken.write_text("{")
    assert all("\x1b" not in i.name for i in saves.list_saves(tmp_path))


def test_saving_never_replaces_what_is_not_a_save_file(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    link = tmp_path / "link.json"
    link.symlink_to(notes)
    for target, message in ((notes, "is not a save"), (fifo, "not a regular file"), (link, "not a regular file")):
        with pytest.raises(saves.SaveError, match=message):
            saves.save_session(new_game(turns=1), target)
    assert notes.read_text() == "my notes" and fifo.exists() and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "notes.txt", "pipe.json"]


def test_what_a_damaged_save_quotes_is_printable(tmp_path):
    """A flipped bit turned a key into 'all\\x7fcations': errors and problems quote it without the DEL."""
    path = saves.save_session(new_game(turns=2), "g", tmp_path).path
    path.write_bytes(path.read_bytes().replace(b'"allocations"', b'"all\x7fcations"', 1))
    for read in (saves.read_save, lambda p: saves.verify_save(p, content())):
        with pytest.raises(saves.SaveError) as info:
            read(path)
        assert "\x7f" not in str(info.value)
    assert "turns.0.allcations" in str(info.value)  # verify_save names the key, without the DEL
    raw = json.loads(path.read_bytes().replace(b'"all\x7fcations"', b'"allocations"'))
    raw["scenario"] = "de\x1b[2Jfault"  # a readable save naming a scenario with an escape in its id
    del raw["checksum"]
    path.write_text(json.dumps(raw))
    v = saves.verify_save(path, content())
    assert not v.ok and v.problems and not any("\x1b" in p for p in v.problems)


def test_a_save_cut_anywhere_says_it_looks_truncated(tmp_path):
    """Wherever a write stopped (inside a string, a number or between keys), the error says so first."""
    data = good_save(tmp_path).read_bytes()
    cut = tmp_path / "cut.json"
    for end in range(1, len(data) - 1, max(1, len(data) // 97)):
        cut.write_bytes(data[:end])
        with pytest.raises(saves.SaveError, match=r"is damaged or not a save \(the file looks truncated\)"):
            saves.read_save(cut)
