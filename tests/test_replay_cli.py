"""`homegrown run --save` and `homegrown replay`: exit codes, one-line errors, files never changed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from _saves_support import PACK, bad_saves, file_state, new_game

from game import storage as saves
from game.cli import main


@pytest.fixture(autouse=True)
def frozen_pack(monkeypatch, tmp_path):
    """Commands load the frozen fixture pack as 'the default pack'; saves go to tmp_path/saves."""
    monkeypatch.setattr("game.content.files.default_content_dir", lambda: PACK)
    monkeypatch.setenv("HOMEGROWN_SAVES", str(tmp_path / "saves"))


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_save_then_replay_ok(capsys, tmp_path):
    code, out, err = _run(capsys, "run", "--seed", "3", "--save", "mine", "--json", "-")
    assert code == 0 and "saved to" in err
    doc = json.loads(out)
    path = tmp_path / "saves" / "mine.json"
    save = saves.read_save(path)
    assert save.snapshot.state_hash == doc["state_hash"] and len(save.turns) == doc["turns"]
    assert save.player == "strategy:balanced"
    # the recorded allocations are the ones the game spent
    assert save.turns[0].allocations == doc["history"][0]["allocations"] or all(
        abs(save.turns[0].allocations[k] - v) < 1e-6 for k, v in doc["history"][0]["allocations"].items())
    code, out, err = _run(capsys, "replay", "mine")
    assert code == 0 and "replay OK" in out and err == ""
    code, out, _ = _run(capsys, "replay", str(path), "--json", "-")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["replayed_state_hash"] == doc["state_hash"]
    assert report["result"]["score"] == doc["score"]


@pytest.mark.parametrize("strategy", ["random", "do_nothing"])
def test_run_save_other_strategies(capsys, tmp_path, strategy):
    code, _, _ = _run(capsys, "run", "--seed", "9", "--strategy", strategy, "--save", str(tmp_path / "s.json"))
    assert code == 0
    assert _run(capsys, "replay", str(tmp_path / "s.json"))[0] == 0


def test_run_save_bad_name_is_usage_error(capsys):
    code, _, err = _run(capsys, "run", "--save", "NUL")
    assert code == 2 and "reserved" in err


def test_run_save_into_missing_folder(capsys, tmp_path):
    code, _, err = _run(capsys, "run", "--save", str(tmp_path / "nope" / "x.json"))
    assert code == 1 and "does not exist" in err and err.count("\n") == 1


def test_bad_saves_exit_1_one_line_unchanged(capsys, tmp_path):
    for name, path in bad_saves(tmp_path).items():
        before = file_state(path)
        code, _out, err = _run(capsys, "replay", str(path))
        assert code == 1, (name, err)
        assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, (name, err)
        assert file_state(path) == before, name


def test_tampered_save_says_what_differs(capsys, tmp_path):
    path = saves.save_session(new_game(turns=5), "t", tmp_path).path
    raw = json.loads(path.read_text())
    raw["turns"][3]["allocations"] = {"alliance-uk": 2.0}
    del raw["checksum"]
    path.write_text(json.dumps(raw))
    before = file_state(path)
    code, out, err = _run(capsys, "replay", str(path))
    assert code == 1 and "replay FAILED" in out and "differs from turn 4" in out and "metrics." in out
    assert err.count("\n") == 1
    code, out, _ = _run(capsys, "replay", str(path), "--json", "-")
    doc = json.loads(out)
    assert code == 1 and not doc["ok"] and doc["first_divergence"]["turn"] == 4
    assert file_state(path) == before


def test_checksum_edit_is_reported(capsys, tmp_path):
    path = saves.save_session(new_game(turns=2), "c", tmp_path).path
    path.write_text(path.read_text().replace('"name": "c"', '"name": "d"'))
    code, out, err = _run(capsys, "replay", str(path))
    assert code == 1 and "checksum mismatch" in out and "(1 problem)" in err


def test_changed_content_pack(capsys, tmp_path):
    path = saves.save_session(new_game(turns=3), "p", tmp_path).path
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "model.toml").write_text("max_events_per_turn = 1\n")
    code, out, _ = _run(capsys, "replay", str(path), "--content", str(overlay))
    assert code == 1 and "another content pack" in out


def test_other_game_version(capsys, tmp_path, monkeypatch):
    session = new_game(turns=3)
    monkeypatch.setattr("game.storage.saves.__version__", "0.0.1")
    path = saves.save_session(session, "v", tmp_path).path
    monkeypatch.setattr("game.storage.saves.__version__", "0.1.0")
    code, out, _ = _run(capsys, "replay", str(path))
    assert code == 0 and "saved by Homegrown 0.0.1" in out
    raw = json.loads(path.read_text())
    raw["turns"][0]["state_hash"] = "0" * 64
    del raw["checksum"]
    path.write_text(json.dumps(raw))
    code, out, _ = _run(capsys, "replay", str(path))
    assert code == 1 and "rules may have changed" in out


def test_real_process_has_no_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"format_version": 1, "turns": [')
    code = (f"import sys, pathlib, game.content.loader as l; l.default_content_dir = lambda: pathlib.Path({str(PACK)!r}); "
            f"from game.cli import main; sys.exit(main(['replay', {str(bad)!r}]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "truncated" in proc.stderr


def test_missing_file_and_folder(capsys, tmp_path):
    code, _, err = _run(capsys, "replay", "nothing-here")
    assert code == 1 and "no such save file" in err
    code, _, err = _run(capsys, "replay", str(tmp_path))
    assert code == 1 and "folder" in err
    code, out, _ = _run(capsys, "replay", str(tmp_path), "--json", "-")
    assert code == 1 and json.loads(out)["ok"] is False


def test_a_forged_summary_does_not_verify(capsys, tmp_path):
    """Outcome and score edited by hand (the checksum line deleted, as the format allows): exit 1."""
    session = new_game(turns=3)
    path = saves.save_session(session, "forged", tmp_path).path
    raw = json.loads(path.read_text())
    raw["snapshot"]["outcome"], raw["snapshot"]["score"] = "victory", 100.0
    del raw["checksum"]
    path.write_text(json.dumps(raw))
    code, out, _ = _run(capsys, "replay", str(path), "--json", "-")
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False
    assert len(doc["problems"]) == 1 and "saved summary does not match" in doc["problems"][0]
    assert "outcome" in doc["problems"][0] and "score" in doc["problems"][0]


def test_a_save_scored_by_older_rules_still_verifies_with_a_note(capsys, tmp_path):
    """Only the score differs, in a save of another version (a scoring change): the same game, so it verifies.
    The same edit in a save of this version is a forged claim (exit 1)."""
    session = new_game(turns=3)
    path = saves.save_session(session, "older", tmp_path).path
    raw = json.loads(path.read_text())
    raw["snapshot"]["score"] = 99.9
    del raw["checksum"]
    path.write_text(json.dumps(raw))
    code, out, _ = _run(capsys, "replay", str(path), "--json", "-")
    assert code == 1 and "score saved 99.9" in json.loads(out)["problems"][0]
    raw["game_version"] = "0.0.9"
    path.write_text(json.dumps(raw))
    code, out, _ = _run(capsys, "replay", str(path), "--json", "-")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] is True and doc["problems"] == []
    assert any("99.9" in n and "score" in n for n in doc["notes"])


def test_an_empty_save_name_is_refused_not_ignored(capsys):
    code, out, err = _run(capsys, "run", "--seed", "3", "--save", "")
    assert code == 2 and out == "" and err.startswith("error: ") and "name" in err
