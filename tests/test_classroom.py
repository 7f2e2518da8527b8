"""`homegrown classroom new` and the two exercise scenarios."""

from __future__ import annotations

import os
import re
import shlex

import html5lib
import pytest

from game.cli import main
from game.sim.compile import build_world
from game.storage import load_game, read_save


def run_cli(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_class_with_a_fixed_seed_scenario(tmp_path, content, capsys):
    out = tmp_path / "class"
    code, stdout, _ = run_cli(
        ["classroom", "new", "--scenario", "exercise-southeast-asia", "--students", "3", "--out", out], capsys
    )
    assert code == 0 and "class of 3" in stdout
    fixed = content.scenarios["exercise-southeast-asia"].seed
    for i in range(1, 4):
        folder = out / f"student-{i:02d}"
        save = folder / f"student-{i:02d}.json"
        doc = read_save(save)
        assert (doc.name, doc.scenario, doc.seed, len(doc.turns), doc.player) == (
            f"student-{i:02d}",
            "exercise-southeast-asia",
            fixed,
            0,
            "human",
        )
        game = load_game(save, content)  # verifies: ready for `play --load`
        assert game.session.state.turn == 0 and not game.session.done
        handout = (folder / "HANDOUT.md").read_text()
        command = re.search(r"```\n(homegrown play --load .*)\n```", handout).group(1)
        assert shlex.split(command) == ["homegrown", "play", "--load", save.name]  # typed in its folder
        assert str(tmp_path) not in handout and str(tmp_path) not in (folder / "HANDOUT.html").read_text()
        assert "Win at least 2 of the Cambodian" in handout
        assert len(handout.splitlines()) < 60  # one page
    teacher = (out / "TEACHER.md").read_text()
    assert "homegrown report" in teacher and "student-03" in teacher
    assert "--distinct-seeds" not in teacher


def test_names_file_and_distinct_seeds(tmp_path, content, capsys):
    names = tmp_path / "names.txt"
    names.write_text("# class 3B\nAiko Tanaka\n\nBen O'Neill\nAiko Tanaka\n佐藤 花子\n", encoding="utf-8")
    out = tmp_path / "class"
    code, _, _ = run_cli(
        [
            "classroom",
            "new",
            "--scenario",
            "default",
            "--names",
            names,
            "--out",
            out,
            "--distinct-seeds",
            "--seed",
            "100",
        ],
        capsys,
    )
    assert code == 0
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == sorted(["Aiko Tanaka", "Ben O-Neill", "Aiko Tanaka-2", "佐藤 花子"])  # safe file names
    seeds = {read_save(out / f / f"{f}.json").seed for f in folders}
    assert seeds == {100, 101, 102, 103}
    assert read_save(out / "佐藤 花子" / "佐藤 花子.json").name == "佐藤 花子"
    assert read_save(out / "Ben O-Neill" / "Ben O-Neill.json").name == "Ben O'Neill"
    handout = (out / "Ben O-Neill" / "HANDOUT.md").read_text()
    assert "Ben O'Neill" in handout
    command = re.search(r"```\n(homegrown play --load .*)\n```", handout).group(1)
    assert command == 'homegrown play --load "Ben O-Neill.json"'  # the same in sh, cmd.exe and PowerShell
    assert shlex.split(command)[-1] == "Ben O-Neill.json"


def test_same_seed_for_everyone_by_default(tmp_path, capsys):
    out = tmp_path / "class"
    assert (
        run_cli(["classroom", "new", "--scenario", "tutorial", "--students", "4", "--out", out], capsys)[0]
        == 0
    )
    seeds = {read_save(p).seed for p in out.glob("*/*.json")}
    assert len(seeds) == 1


def test_an_overlay_is_carried_into_the_commands(tmp_path, repo_root, capsys):
    overlay = tmp_path / "overlay"
    (overlay / "scenarios").mkdir(parents=True)
    text = (repo_root / "content" / "scenarios" / "tutorial.toml").read_text()
    text = re.sub(r'(?m)^id = "tutorial"', 'id = "our-class"', text)
    (overlay / "scenarios" / "our-class.toml").write_text(text)
    out = tmp_path / "class"
    code, _, _ = run_cli(
        [
            "classroom",
            "new",
            "--scenario",
            "our-class",
            "--students",
            "1",
            "--out",
            out,
            "--content",
            overlay,
        ],
        capsys,
    )
    assert code == 0
    handout = (out / "student-01" / "HANDOUT.md").read_text()
    assert "homegrown play --load student-01.json --content ../../overlay" in handout  # relative
    assert "--content overlay" in (out / "TEACHER.md").read_text()  # from the class folder's parent


@pytest.mark.parametrize(
    "args, message",
    [
        (["--scenario", "exercise-southeast-asia", "--students", "2", "--distinct-seeds"], "fixes its seed"),
        (["--scenario", "nope", "--students", "2"], "unknown scenario"),
        (["--scenario", "default"], "--students N or --names FILE"),
        (["--scenario", "default", "--students", "0"], "must be 1 or more"),
        (["--scenario", "default", "--names", "missing.txt"], "cannot read the names file"),
    ],
)
def test_bad_arguments_exit_2(tmp_path, capsys, args, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["classroom", "new", *args, "--out", tmp_path / "class"], capsys)
    assert code == 2 and message in err
    assert not (tmp_path / "class").exists()


def test_names_and_count_must_agree(tmp_path, capsys):
    names = tmp_path / "names.txt"
    names.write_text("a\nb\n")
    code, _, err = run_cli(
        [
            "classroom",
            "new",
            "--scenario",
            "default",
            "--names",
            names,
            "--students",
            "3",
            "--out",
            tmp_path / "c",
        ],
        capsys,
    )
    assert code == 2 and "2 names" in err


def test_an_existing_class_is_never_overwritten(tmp_path, capsys):
    out = tmp_path / "class"
    assert (
        run_cli(["classroom", "new", "--scenario", "tutorial", "--students", "1", "--out", out], capsys)[0]
        == 0
    )
    before = (out / "student-01" / "student-01.json").read_bytes()
    code, _, err = run_cli(
        ["classroom", "new", "--scenario", "tutorial", "--students", "1", "--out", out], capsys
    )
    assert code == 1 and "already exists" in err
    assert (out / "student-01" / "student-01.json").read_bytes() == before


def test_classroom_without_an_action(capsys):
    code, _, err = run_cli(["classroom"], capsys)
    assert code == 2 and "new" in err


# ---------------------------------------------------------------- the exercises


@pytest.mark.parametrize(
    "scenario, turns", [("exercise-procurement-2018", 6), ("exercise-southeast-asia", 8)]
)
def test_exercise_scenarios(content, scenario, turns):
    sc = content.scenarios[scenario]
    assert sc.turns == turns and sc.seed is not None
    assert sc.levers and sc.locked and sc.briefing and len(sc.learning_objectives) >= 3
    assert len(sc.debrief_questions) >= 3
    world = build_world(content, scenario)
    own = [e for e in content.events.values() if e.scenarios == [scenario]]
    assert own and all(e.id.startswith("ex-") and (len(e.choices) >= 2 or not e.choices) for e in own)
    text = " ".join(sc.learning_objectives).lower()
    for theme in ("vendor", "tension"):
        assert theme in text
    assert world.turns == turns


def test_exercise_events_stay_in_their_exercise(content):
    for event in content.events.values():
        if event.id.startswith("ex-"):
            assert event.scenarios and all(s.startswith("exercise-") for s in event.scenarios)


def test_the_teachers_guide_overlay_examples_work(tmp_path, repo_root, capsys):
    """The scenario and event in docs/teaching.md check, play and make a class."""
    guide = (repo_root / "docs" / "teaching.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml file=(\S+)\n(.*?)```", guide, flags=re.DOTALL)
    assert {name for name, _ in blocks} == {"scenarios/osaka-3b.toml", "events/osaka.toml"}
    overlay = tmp_path / "our-class"
    for name, text in blocks:
        (overlay / name).parent.mkdir(parents=True, exist_ok=True)
        (overlay / name).write_text(text, encoding="utf-8")
    code, stdout, _ = run_cli(["check", overlay], capsys)
    assert code == 0 and "content OK" in stdout
    code, _, _ = run_cli(
        ["run", "--content", overlay, "--scenario", "osaka-3b", "--strategy", "balanced"], capsys
    )
    assert code == 0
    out = tmp_path / "class"
    code, _, _ = run_cli(
        ["classroom", "new", "--content", overlay, "--scenario", "osaka-3b", "--students", "2", "--out", out],
        capsys,
    )
    assert code == 0 and read_save(out / "student-01" / "student-01.json").seed == 303
    for command in re.findall(r"`(homegrown [^`]+)`", guide):
        words = command.split()
        assert words[1] in ("play", "run", "check", "replay", "sweep", "search", "report", "classroom", "serve"), command


def test_reserved_names_are_students_too(tmp_path, content):
    """'Con' is a device name on Windows: the student keeps the name, only the files change."""
    from game.analysis.classroom import new_class

    room = new_class(content, "tutorial", tmp_path / "c", names=["Con", "nul.txt", "Ana"], hide_forecast=True)
    assert [s.name for s in room.students] == ["Con", "nul.txt", "Ana"]
    assert [s.folder.name for s in room.students] == ["student-Con", "student-nul.txt", "Ana"]
    for s in room.students:
        save = read_save(s.save)
        assert save.name == s.name and save.hide_forecast
    assert (tmp_path / "c" / "roster.txt").read_text().splitlines() == ["Con", "nul.txt", "Ana"]
    html5lib.HTMLParser(strict=True).parse((room.students[0].folder / "HANDOUT.html").read_text())


def test_names_lose_control_characters_and_overlong_names_are_refused(tmp_path):
    from game.analysis.classroom import ClassroomError, folder_names, read_names

    names = tmp_path / "names.txt"
    names.write_text("Eve\x1b]2;PWNED\x07\n\x9bBob\n", encoding="utf-8")
    assert read_names(names) == ["Eve]2;PWNED", "Bob"]
    with pytest.raises(ClassroomError, match="at most 200"):
        folder_names(["x" * 201])
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    with pytest.raises(ClassroomError, match="not a regular file"):
        read_names(fifo)  # refused at once, never waiting for a writer
