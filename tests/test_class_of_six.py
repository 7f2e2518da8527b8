"""A class of six from start to end: prepared with `classroom new`, played (one student copies another's game
under a new name, one hands in a bot's game relabelled with their name, one plays another seed), reported in
every format; every flagged save is named and every top-decision number is what its printed what-if command
says. And bad inputs: one line each, the documented exit code."""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil

import html5lib
import pytest
from _debrief_support import decisions_measured_once, one_debrief_for_every_format

from game.cli import main
from game.play.session import Session
from game.storage import load_game, read_save, save_session
from game.strategies import get_strategy

SCENARIO = "exercise-procurement-2018"
NAMES = ["Ann", "Bob", "Con", "Dee", "Eve", "Fay"]
FAST = ["--sweep-games", "8", "--search-generations", "1"]


def run_cli(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _relabel(path, name):
    """What a student can do by hand: change the name and delete the checksum (the replay still passes)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["name"] = name
    doc.pop("checksum")
    path.write_text(json.dumps(doc), encoding="utf-8")


@pytest.fixture(scope="module", autouse=True)
def _decisions_once():
    """The report in five formats, and again with a roster, measures each game's decisions once
    (_debrief_support); test_every_top_decision_is_its_what_if_command checks every number by its replay."""
    with decisions_measured_once():
        yield


@pytest.fixture(scope="module")
def lesson(tmp_path_factory, content):
    root = tmp_path_factory.mktemp("six")
    names = root / "names.txt"
    names.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    folder = root / "class"
    assert main(["classroom", "new", "--scenario", SCENARIO, "--names", str(names), "--out", str(folder)]) == 0
    saves = {n: folder / ("student-Con" if n == "Con" else n) / f"{'student-Con' if n == 'Con' else n}.json"
             for n in NAMES}
    for name, strategy in (("Ann", "balanced"), ("Con", "rnd_heavy"), ("Dee", "subsidy_heavy")):
        game = load_game(saves[name], content)
        game.session.play_with(get_strategy(strategy))
        save_session(game.session, saves[name])
    shutil.copy(saves["Ann"], saves["Eve"])  # Eve copies Ann's game...
    _relabel(saves["Eve"], "Eve")  # ...and puts her name on it
    bot = root / "bot.json"  # Bob lets a bot play and relabels its save
    assert main(["run", "--scenario", SCENARIO, "--strategy", "workforce_heavy", "--save", str(bot)]) == 0
    _relabel(bot, "Bob")
    shutil.copy(bot, saves["Bob"])
    other = Session(content, SCENARIO, 7).play_with(get_strategy("random"))  # Fay plays another world
    save_session(other, saves["Fay"], name="Fay", player="human")
    return root, folder, saves


@pytest.fixture(scope="module")
def reports(lesson):
    """`homegrown report` in every format, the debrief gathered once (_debrief_support)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    root, folder, _ = lesson
    out = root / "out"
    runs = {}
    with one_debrief_for_every_format() as gathered:
        for fmt in ("md", "html", "slides", "csv", "json"):
            err, stdout = io.StringIO(), io.StringIO()
            with redirect_stderr(err), redirect_stdout(stdout):
                code = main(["report", str(folder), "--out", str(out), "--format", fmt,
                             "--roster", str(folder / "roster.txt"), *FAST])
            runs[fmt] = (code, err.getvalue())
    assert len(gathered) == 1
    return out, runs


def test_every_format_exits_1_naming_every_flagged_save(lesson, reports):
    _, _, saves = lesson
    out, runs = reports
    for fmt, (code, err) in runs.items():
        assert code == 1, fmt
        lines = err.splitlines()
        assert all(line.startswith("flagged: ") for line in lines), lines
        kinds = {(re.search(r"\[(\w+)\]$", line)[1], line.split(": ")[1]) for line in lines}
        assert ("copy", str(saves["Eve"])) in kinds and ("copy", str(saves["Ann"])) in kinds
        assert ("bot", str(saves["Bob"])) in kinds
        assert ("seed", str(saves["Fay"])) in kinds
        assert not any(str(saves[n]) in err for n in ("Con", "Dee")), "honest games are not flagged"
    md = (out / f"debrief-{SCENARIO}.md").read_text(encoding="utf-8")
    flagged = md[md.index("## Flagged saves"):md.index("## Games")]
    for name in ("Ann", "Eve", "Bob", "Fay"):
        assert str(saves[name]) in flagged
    assert r"strategy:workforce\_heavy" in flagged and "seed 7" in flagged  # (Markdown-escaped)


def test_flagged_games_stay_out_of_the_class_statistics(reports):
    out, _ = reports
    doc = json.loads((out / f"debrief-{SCENARIO}.json").read_text(encoding="utf-8"))
    counted = {g["name"] for g in doc["games"] if not g["flagged"]}
    assert counted == {"Con", "Dee"}
    assert doc["class_seeds"] == [2018] and not doc["ok"]
    assert {m["games"] for m in doc["matchups"]} == {2}
    assert len(doc["matchups"]) == len(doc["strategies"]) >= 10  # the built-ins and the best searched plan
    assert doc["strategies"][-1]["name"] == "best plan (search)"


def test_every_top_decision_is_its_what_if_command(lesson, reports, capsys):
    root, _, _ = lesson
    out, _ = reports
    md = (out / f"debrief-{SCENARIO}.md").read_text(encoding="utf-8")
    found = re.findall(r"\*\*([+-]\d+\.\d\d) points\*\* \(\w+\)  \n   `(homegrown replay [^`]+)`", md)
    doc = json.loads((out / f"debrief-{SCENARIO}.json").read_text(encoding="utf-8"))
    played = [g for g in doc["games"] if g["turns"]]
    assert len(found) == sum(len(g["decisions"]) for g in played) >= 3 * len(played)
    assert any(d["kind"] == "answer" for g in played for d in g["decisions"])
    html = (out / f"debrief-{SCENARIO}.html").read_text(encoding="utf-8")
    for number, command in found:
        words = shlex.split(command)
        assert words[:2] == ["homegrown", "replay"]
        json_out = root / "what-if.json"
        assert main([*words[1:], "--json", str(json_out)]) == 0
        capsys.readouterr()
        difference = json.loads(json_out.read_text())["difference"]["score"]
        assert abs(difference - float(number)) <= 0.01, (command, number, difference)
        assert command.replace('"', "&quot;") in html or command in html
    for g in played:
        for d in g["decisions"]:
            assert d["command"] in md


def test_who_chose_what_in_csv_and_the_timeline(lesson, reports, content):
    _, _, saves = lesson
    out, _ = reports
    games = list(csv.DictReader((out / "games.csv").open(encoding="utf-8")))
    assert sorted(r["name"] for r in games) == sorted(NAMES)
    by_name = {r["name"]: r for r in games}
    assert "bot" in by_name["Bob"]["flags"] and by_name["Con"]["flags"] == ""
    assert "spend:security" in games[0]  # the content's own purposes, not only its categories
    decisions = list(csv.DictReader((out / "decisions.csv").open(encoding="utf-8")))
    dee = [r for r in decisions if r["name"] == "Dee"]
    assert {r["quarter"] for r in dee} == {s.quarter for s in load_game(saves["Dee"], content).session.history}
    answers = [r for r in dee if r["kind"] == "answer"]
    assert answers and all(r["choice"] for r in answers)
    spend = sum(float(r["amount"]) for r in dee if r["kind"] == "spend")
    assert abs(spend - sum(float(by_name["Dee"][k]) for k in by_name["Dee"] if k.startswith("spend:"))) < 1e-6
    md = (out / f"debrief-{SCENARIO}.md").read_text(encoding="utf-8")
    timeline = md[md.index("## Each student, quarter by quarter"):md.index("## Events the class met")]
    assert "### Dee" in timeline and "Security" in timeline
    events = md[md.index("## Events the class met"):]
    assert "Dee" in events and "Con" in events  # answers are named


def test_html_and_slides_are_self_contained(reports):
    out, _ = reports
    for name in (f"debrief-{SCENARIO}.html", f"slides-{SCENARIO}.html"):
        text = (out / name).read_text(encoding="utf-8")
        html5lib.HTMLParser(strict=True).parse(text)
        assert not re.search(r"<link|src=|https?://(?!www\.w3\.org/2000/svg)", text), name
    slides = (out / f"slides-{SCENARIO}.html").read_text(encoding="utf-8")
    assert slides.count("<section>") >= 6 and "ArrowRight" in slides and "keydown" in slides
    assert "Check these saves first" in slides


def test_a_roster_with_unknown_and_missing_names(lesson, tmp_path, capsys):
    _, folder, saves = lesson
    roster = tmp_path / "roster.txt"
    roster.write_text("Ann\nBob\ncon\nDee\nEve\nZed\n", encoding="utf-8")  # Fay unknown, Zed missing
    code, _, err = run_cli(["report", folder, "--out", tmp_path / "o", "--roster", roster, "--sweep-games", "0",
                            "--search-generations", "0"], capsys)
    assert code == 1
    assert f"flagged: {saves['Fay']}: Fay: 'Fay' is not on the roster [unknown]" in err
    assert "flagged: (roster): Zed: 'Zed' is on the roster but no save carries that name [missing]" in err
    assert "Con: 'Con' is not on the roster" not in err  # names match whatever their case


def test_bad_inputs_one_line_each(lesson, tmp_path, capsys, content):
    _, _folder, saves = lesson
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run_cli(["report", empty, "--out", tmp_path / "o"], capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "no saves" in err
    assert not (tmp_path / "o").exists()
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "notes.json").write_text("{not json", encoding="utf-8")
    (junk / "photo.json").write_bytes(b"\x89PNG\r\n")
    (junk / "list.json").write_text("[1, 2]", encoding="utf-8")
    shutil.copy(saves["Con"], junk / "Con.json")
    code, _, err = run_cli(["report", junk, "--out", tmp_path / "o", "--sweep-games", "0",
                              "--search-generations", "0"], capsys)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 3 and all(line.startswith("not counted: ") for line in lines)
    assert all(any(n in line for line in lines) for n in ("notes.json", "photo.json", "list.json"))
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for n in ("Con", "Dee"):
        shutil.copy(saves[n], mixed / f"{n}.json")
    save_session(Session(content, "tutorial", 1), "other", mixed, player="human")
    code, _out, err = run_cli(["report", mixed, "--out", tmp_path / "o", "--sweep-games", "0",
                              "--search-generations", "0"], capsys)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "other.json" in lines[0] and "tutorial" in lines[0]
    bad_roster = tmp_path / "nobody.txt"
    code, _, err = run_cli(["report", mixed, "--roster", bad_roster], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "nobody.txt" in err
    assert read_save(saves["Con"]).name == "Con"
