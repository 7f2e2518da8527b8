"""`homegrown report`: a class created with `classroom new`, played through its saves by five different
strategies, debriefed in markdown and HTML; and every kind of bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import html5lib
import numpy as np
import pytest
from _debrief_support import decisions_measured_once, measure_afresh, one_debrief_for_every_format
from _plan_support import HARD_LINE

from game.analysis.debrief import gather
from game.cli import main
from game.play.session import Session
from game.play.whatif import parse_change, what_if
from game.render.debrief_html import render_html
from game.render.debrief_markdown import render_markdown
from game.sim import attribution
from game.storage import load_game, read_save, save_session
from game.strategies import get_strategy

SCENARIO = "exercise-procurement-2018"
SWEEP = ["--sweep-games", "30", "--search-generations", "2"]
STRATEGIES = ["balanced", "rnd_heavy", "subsidy_heavy", "workforce_heavy", "scripted:{script}"]  # alliance_heavy: no alliance lever here, so it plays balanced's game


# ---------------------------------------------------------------- helpers


def tables(markdown: str) -> list[list[str]]:
    """The markdown's tables, each as its lines."""
    found, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def assert_table_renders(lines: list[str]) -> None:
    assert len(lines) >= 2, lines
    header, sep, *rows = lines
    assert re.fullmatch(r"\|( :?-{3,}:? \|)+", sep), sep
    n = len(cells(header))
    assert n >= 2 and all(c for c in cells(header))
    assert len(cells(sep)) == n
    for row in rows:
        assert len(cells(row)) == n, row
    assert len({len(line) for line in lines}) == 1, "columns are padded to line up in a terminal"


def section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    end = markdown.find("\n## ", start + len(heading))
    return markdown[start:] if end < 0 else markdown[start:end]


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


# ---------------------------------------------------------------- the class


@pytest.fixture(scope="module", autouse=True)
def _decisions_once():
    """The many reports of this module's saves measure each game's decisions once (_debrief_support)."""
    with decisions_measured_once():
        yield


@pytest.fixture(scope="module")
def played_class(tmp_path_factory, content):
    """A class of 5 made by `homegrown classroom new`, each game loaded from the student's save, played to
    the end by a different strategy and saved again."""
    root = tmp_path_factory.mktemp("class")
    script = root / "hard-line.toml"
    script.write_text(HARD_LINE, encoding="utf-8")
    folder = root / "class"
    assert main(["classroom", "new", "--scenario", SCENARIO, "--students", "5", "--out", str(folder)]) == 0
    students = sorted(p for p in folder.iterdir() if p.is_dir())
    assert [p.name for p in students] == [f"student-{i:02d}" for i in range(1, 6)]
    strategies = {}
    for student, name in zip(students, STRATEGIES, strict=True):
        name = name.format(script=script)
        save = student / f"{student.name}.json"
        game = load_game(save, content)
        assert len(game.save.turns) == 0
        game.session.play_with(get_strategy(name))
        assert game.session.done
        save_session(game.session, save)
        strategies[student.name] = name
    return folder, strategies


@pytest.fixture(scope="module")
def reports(played_class, tmp_path_factory, content):
    folder, _ = played_class
    out = tmp_path_factory.mktemp("report")
    texts = {}
    with one_debrief_for_every_format() as gathered:  # (_debrief_support)
        for fmt in ("md", "html"):
            assert main(["report", str(folder), "--out", str(out), "--format", fmt, *SWEEP]) == 0
            texts[fmt] = (out / f"debrief-{SCENARIO}.{fmt}").read_text(encoding="utf-8")
    assert len(gathered) == 1
    return texts


def independent_replay(path: Path, content) -> Session:
    save = read_save(path)
    return Session.replay(content, save.scenario, save.seed, save.log())


def test_every_student_is_listed_with_the_score_of_an_independent_replay(played_class, reports, content):
    folder, _ = played_class
    md = reports["md"]
    games = tables(section(md, "## Games"))[0]
    rows = {cells(r)[0]: cells(r) for r in games[2:]}
    assert sorted(rows) == [f"student-{i:02d}" for i in range(1, 6)]
    header = cells(games[0])
    for name, row in rows.items():
        session = independent_replay(folder / name / f"{name}.json", content)
        result = session.result()
        assert session.done
        assert row[header.index("Score")] == f"{result.score:.1f}"
        assert row[header.index("Outcome")] == result.outcome
        for goal in result.goals:
            assert row[header.index(goal.id)] == ("met" if goal.met else "missed")
        assert name in reports["html"]


def test_scores_in_the_data_equal_replays_exactly(played_class, content):
    folder, _ = played_class
    report = gather([folder], content, sweep_games=0)
    assert report.ok and len(report.games) == 5 and report.class_seed == content.scenarios[SCENARIO].seed
    for game in report.games:
        session = independent_replay(Path(game.path), content)
        assert game.score == session.result().score
        assert game.state_hash == session.state_hash


def test_the_top_decisions_are_named_for_each_game_with_their_what_if(played_class, reports, content):
    folder, _ = played_class
    md = reports["md"]
    decisions = section(md, "## The decisions that most changed each game")
    report = gather([folder], content, sweep_games=0, search_generations=0)
    for game in report.games:
        assert len(game.decisions) == 3
        block = decisions[decisions.index(f"### {game.name}:") :]
        block = block[: block.find("\n### ", 1)] if "\n### " in block[1:] else block
        for i, d in enumerate(game.decisions, 1):
            assert f"{i}. **{d.label}** — {d.counterfactual}: **{d.difference:+.2f} points**" in block
            assert f"`{game.command(d)}`" in block
            w = what_if(content, SCENARIO, game.seed, read_save(game.path).log(),
                        [parse_change(c) for c in d.changes])
            assert abs(w.score_difference - d.difference) < 1e-9
        assert [abs(d.difference) for d in game.decisions] == sorted((abs(d.difference) for d in game.decisions),
                                                                       reverse=True)
        assert game.decisions[0].label in reports["html"].replace("&#x27;", "'")
    assert "How the decisions are measured" in md


def test_the_strategies_distribution_is_present(reports):
    md = reports["md"]
    fair, dist = tables(section(md, "## The class against the strategies"))
    names = [cells(r)[0] for r in dist[2:]]
    assert names[0] == "the class (its own seeds)"
    from game.strategies.registry import BUILTIN

    assert names[1:] == [*BUILTIN, "best plan (search)"]
    for row in dist[3:]:
        assert cells(row)[1] == "30"
    assert [cells(r)[0] for r in fair[2:]] == names[1:]
    assert all(cells(r)[1] == "5" for r in fair[2:])
    assert "On the class's own seed (2018)" in md and "Over many seeds (not the class's)" in md
    assert "<svg" in reports["html"] and "balanced" in reports["html"]


def test_spend_events_and_discussion(played_class, reports, content):
    md = reports["md"]
    spend = tables(section(md, "## Spend profile"))[0]
    assert list(cells(spend[0])) == [
        "Game",
        "Subsidies",
        "R&D",
        "Workforce",
        "Export",
        "Alliances",
        "Security",
        "Total",
    ]
    events = tables(section(md, "## Events the class met"))[0]
    procurement = next(r for r in events if "The procurement decision" in r)
    assert cells(procurement)[1] == "5/5"
    assert "Ban them everywhere and rip out their kit: 1" in procurement
    assert "Ban them from government purchases: 4" in procurement
    for row in events[2:]:  # invented events say so; real ones do not (labels.FICTION_TAG)
        title = cells(row)[0]
        event = next(e for e in content.events.values() if title.startswith(e.title))
        assert title.endswith("(fiction)") == event.fiction, title
    assert any(cells(r)[0].endswith("(fiction)") for r in events[2:]), "the class met no invented event"
    assert "(fiction)" not in cells(procurement)[0]
    assert "(fiction)" in reports["html"]
    discussion = section(md, "## Discussion")
    for text in (
        content.scenarios[SCENARIO].learning_objectives + content.scenarios[SCENARIO].debrief_questions
    ):
        assert text in discussion


def test_markdown_tables_render(reports):
    found = tables(reports["md"])
    assert len(found) >= 4
    for lines in found:
        assert_table_renders(lines)


def test_html_is_self_contained_and_valid(reports):
    text = reports["html"]
    html5lib.HTMLParser(strict=True).parse(text)
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script|<link|https?://(?!www\.w3\.org/2000/svg)", text)
    assert text.count("<svg") == 2


def test_reports_are_deterministic(played_class, content, monkeypatch):
    folder, _ = played_class
    measure_afresh(monkeypatch)
    a = gather([folder], content, sweep_games=5, strategies=["balanced", "random"], search_generations=1)
    monkeypatch.undo()  # b's decisions: measured by the module's reports (or now, when this test runs alone),
    b = gather([folder], content, sweep_games=5, strategies=["balanced", "random"], search_generations=1)  # not a's
    assert render_markdown(a) == render_markdown(b)
    assert render_html(a) == render_html(b)


def test_market_credit_moves_shares_between_causes_without_creating_any(played_class, content):
    folder, _ = played_class
    session = independent_replay(folder / "student-03" / "student-03.json", content)
    for turn, entries in zip(session.turns, attribution.through_market(session.turns, session.world), strict=True):
        before = sum(d["shares"] for d in turn.report.ledger.values() if "shares" in d)
        after = sum(d["shares"] for d in entries.values() if "shares" in d)
        np.testing.assert_allclose(after, before, atol=1e-12)
    direct = attribution.cause_contributions(session.turns, session.world, market=False)
    credited = attribution.cause_contributions(session.turns, session.world)
    subsidy = "lever:subsidy-fujitsu"
    assert abs(credited[subsidy][1]) > abs(direct.get(subsidy, np.zeros(4))[1])  # home-vendors goal


# ---------------------------------------------------------------- bad input


@pytest.fixture()
def saves(played_class, tmp_path):
    """A copy of the class's five saves, flat in one folder."""
    folder, _ = played_class
    flat = tmp_path / "saves"
    flat.mkdir()
    for p in sorted(folder.glob("*/*.json")):
        shutil.copy(p, flat / p.name)
    return flat


def report_cli(capsys, inputs, out, *extra):
    return run_cli(
        ["report", *inputs, "--out", out, "--sweep-games", "5", "--strategy", "balanced", "--search-generations",
         "0", *extra], capsys
    )


def test_a_tampered_save_is_listed_not_counted(saves, tmp_path, capsys):
    edited = saves / "student-02.json"
    doc = json.loads(edited.read_text())
    doc["turns"][0]["allocations"] = {"subsidy-fujitsu": 1.0}
    doc.pop("checksum")  # an edit that passes the checksum: the replay catches it
    edited.write_text(json.dumps(doc))
    changed = saves / "student-04.json"
    doc = json.loads(changed.read_text())
    doc["name"] = "a better name"  # the checksum catches this one
    changed.write_text(json.dumps(doc))
    out = tmp_path / "out"
    code, stdout, err = report_cli(capsys, [saves], out)
    assert code == 1
    assert f"{edited}" in err and "replay" in err
    assert f"{changed}" in err and "checksum" in err
    md = (out / f"debrief-{SCENARIO}.md").read_text()
    counted = [cells(r)[0] for r in tables(section(md, "## Games"))[0][2:]]
    assert counted == ["student-01", "student-03", "student-05"]
    problems = section(md, "## Saves not counted")
    assert "student-02.json" in problems and "student-04.json" in problems
    assert "3 games counted, 0 flagged, 2 not counted" in stdout


def test_saves_of_two_scenarios_name_the_odd_one_out(saves, tmp_path, content, capsys):
    other = Session(content, "exercise-southeast-asia", 23)
    save_session(other, "intruder", saves)
    out = tmp_path / "out"
    code, _, err = report_cli(capsys, [saves], out)
    assert code == 1
    assert "intruder.json" in err and "exercise-southeast-asia" in err and "odd one out" in err
    md = (out / f"debrief-{SCENARIO}.md").read_text()
    assert len(tables(section(md, "## Games"))[0]) == 2 + 5
    assert "intruder.json" in section(md, "## Saves not counted")


def test_two_scenarios_with_no_majority_is_an_error_naming_both(saves, tmp_path, content, capsys):
    other = tmp_path / "other.json"
    save_session(Session(content, "exercise-southeast-asia", 23), other)
    out = tmp_path / "out"
    code, _, err = report_cli(capsys, [saves / "student-01.json", other], out)
    assert code == 1
    assert "student-01.json" in err and "other.json" in err and "--scenario" in err
    assert not out.exists()
    code, _, err = report_cli(capsys, [saves / "student-01.json", other], out, "--scenario", SCENARIO)
    assert code == 1 and "other.json" in err
    assert (out / f"debrief-{SCENARIO}.md").is_file()


def test_an_empty_folder(saves, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    code, _, err = report_cli(capsys, [empty], out)
    assert code == 1 and str(empty) in err and "no saves" in err
    assert not out.exists()
    code, _, err = report_cli(capsys, [empty, saves], out)
    assert code == 1 and "no saves" in err
    assert "5 games counted" in (out / f"debrief-{SCENARIO}.md").read_text()


def test_unreadable_files(saves, tmp_path, capsys):
    (saves / "ghost.json").symlink_to(tmp_path / "nowhere.json")  # a broken link
    (saves / "folder.json").mkdir()  # a folder named like a save
    locked = saves / "locked.json"
    shutil.copy(saves / "student-01.json", locked)
    locked.chmod(0)
    root_reads_anyway = os.access(locked, os.R_OK)  # tests often run as root
    out = tmp_path / "out"
    try:
        code, _, err = report_cli(capsys, [saves, tmp_path / "missing"], out)
    finally:
        locked.chmod(0o644)
    assert code == 1
    assert "ghost.json" in err and "no such save file" in err
    assert "folder.json" in err and "is a folder" in err
    assert "missing" in err and "no such file or folder" in err
    if not root_reads_anyway:
        assert "locked.json" in err and "cannot read" in err
    md = (out / f"debrief-{SCENARIO}.md").read_text()
    assert "ghost.json" in section(md, "## Saves not counted")


def test_a_json_file_that_is_not_a_save(saves, tmp_path, capsys):
    (saves / "notes.json").write_text('{"homework": "read the article"}')
    (saves / "list.json").write_text("[1, 2, 3]")
    out = tmp_path / "out"
    code, _, err = report_cli(capsys, [saves], out, "--format", "html")
    assert code == 1
    assert "notes.json" in err and "not a Homegrown save" in err
    assert "list.json" in err and "expected a JSON object" in err
    text = (out / f"debrief-{SCENARIO}.html").read_text()
    html5lib.HTMLParser(strict=True).parse(text)
    assert "notes.json" in text


def test_nothing_readable_is_an_error_without_a_report(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = report_cli(capsys, [bad], tmp_path / "out")
    assert code == 1 and "bad.json" in err and "invalid JSON" in err
    assert not (tmp_path / "out").exists()


def test_saves_of_another_content_pack_fail_verification(saves, tmp_path, capsys):
    overlay = tmp_path / "overlay"
    (overlay / "scenarios").mkdir(parents=True)
    text = (
        Path(__file__)
        .resolve()
        .parent.parent.joinpath("content", "scenarios", f"{SCENARIO}.toml")
        .read_text()
    )
    (overlay / "scenarios" / f"{SCENARIO}.toml").write_text(text.replace("budget = 10", "budget = 12"))
    out = tmp_path / "out"
    code, _, err = report_cli(capsys, [saves], out, "--content", overlay)
    assert code == 1 and "another content pack" in err and "--content" in err
    assert not out.exists()


def test_an_unfinished_game_is_shown_in_progress(saves, tmp_path, content, capsys):
    session = Session(content, SCENARIO, content.scenarios[SCENARIO].seed)
    session.play_with(get_strategy("random"), turns=2)  # (balanced's two quarters would be an older version)
    save_session(session, "late-starter", saves, player="human")
    out = tmp_path / "out"
    code, _, _ = report_cli(capsys, [saves], out)
    assert code == 0
    md = (out / f"debrief-{SCENARIO}.md").read_text()
    row = next(r for r in tables(section(md, "## Games"))[0] if "late-starter" in r)
    assert "in progress (2/6)" in row
    dist = tables(section(md, "### Over many seeds"))[0]
    assert cells(dist[2])[1] == "5"  # the class's row counts finished games only


def test_bad_arguments_exit_2(saves, tmp_path, capsys):
    code, _, err = run_cli(["report", saves, "--strategy", "nope", "--out", tmp_path / "out"], capsys)
    assert code == 2 and "unknown strategy 'nope'" in err
    code, _, err = run_cli(["report", saves, "--format", "pdf"], capsys)
    assert code == 2 and "pdf" in err
    assert not (tmp_path / "out").exists()


def test_json_to_stdout_is_the_whole_debrief_and_writes_no_file_unless_asked(saves, tmp_path, capsys,
                                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(saves), "--sweep-games", "3", "--json", "-"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)  # stdout is the document alone
    assert doc["ok"] is True and doc["scenario"] == SCENARIO and len(doc["games"]) == 5
    game = doc["games"][0]
    assert set(game["spend"]) >= {"subsidy", "rnd"} and game["state_hash"] and game["goals"][0]["id"]
    assert [len(s["scores"]) for s in doc["strategies"]] == [3] * len(doc["strategies"])
    assert "5 games counted" in captured.err
    assert not list(tmp_path.glob("debrief-*"))
    assert main(["report", str(saves), "--sweep-games", "0"]) == 0  # without --json: here, as before
    assert (tmp_path / f"debrief-{SCENARIO}.md").is_file()
