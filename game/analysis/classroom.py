"""Preparing a class (`homegrown classroom new`): one folder per student or team, each with a named save
of the scenario at turn 0 (ready for `homegrown play --load`), a one-page handout with the commands to
type, and a teacher's sheet with the roster and the commands to collect and debrief the games.

Seeds: the scenario's fixed seed when it has one (an exercise), else `--seed` or a random one, the same
for every student; with `distinct_seeds`, student i gets seed + i (not allowed with a fixed-seed scenario:
the exercise is meant to be played in one world).
"""

from __future__ import annotations

import random
import shlex
from dataclasses import dataclass
from pathlib import Path

from game.content.pack import Content
from game.content.untrusted import markdown_text as md
from game.content.untrusted import printable
from game.play.rules import effective_seed
from game.play.session import Session
from game.storage import InvalidSaveName, sanitise_name, save_session

MAX_STUDENTS = 500
HANDOUT = "HANDOUT.md"
TEACHER = "TEACHER.md"


class ClassroomError(ValueError):
    """A class that cannot be prepared (bad names, an existing folder...): one line for the user."""


@dataclass(frozen=True)
class Student:
    name: str
    folder: Path
    save: Path
    seed: int


@dataclass(frozen=True)
class Classroom:
    scenario: str
    folder: Path
    students: list[Student]
    overlays: tuple[str, ...] = ()
    notice: str | None = None
    """The seed policy's note when --seed overrides the scenario's fixed seed."""


def read_names(path: Path | str) -> list[str]:
    """One name per line; blank lines and lines starting with # are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClassroomError(
            f"{path}: cannot read the names file: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    lines = (printable(line).strip() for line in text.splitlines())  # names reach terminals and handouts
    names = [line for line in lines if line and not line.startswith("#")]
    if not names:
        raise ClassroomError(f"{path}: no names in the file (one name per line)")
    return names


def folder_names(names: list[str]) -> list[str]:
    """A safe, unique folder and save name for each student (case-insensitively unique, for Windows)."""
    out, seen = [], set()
    for i, name in enumerate(names, 1):
        try:
            stem = sanitise_name(name)
        except InvalidSaveName as exc:
            raise ClassroomError(f"name {i} ('{name}'): {exc}") from None
        base, n = stem, 2
        while stem.casefold() in seen:
            stem = f"{base}-{n}"
            n += 1
        seen.add(stem.casefold())
        out.append(stem)
    return out


def class_seeds(content: Content, scenario: str, count: int, seed: int | None,
                distinct: bool) -> tuple[list[int], str | None]:
    """The students' seeds and the seed policy's notice, if any (game.play.rules.effective_seed): one
    world for all unless `distinct` (seed, seed + 1, ...)."""
    sc = content.scenarios[scenario]
    if distinct and seed is None and sc.seed is not None:
        raise ClassroomError(
            f"scenario '{scenario}' fixes its seed ({sc.seed}) so that the whole class plays one world; "
            "--distinct-seeds needs an explicit --seed to start from"
        )
    choice = effective_seed(sc, seed, default=random.SystemRandom().randrange(2**31))
    seeds = [choice.seed + i for i in range(count)] if distinct else [choice.seed] * count
    return seeds, choice.notice


def command_line(*words: str) -> str:
    return " ".join(shlex.quote(w) for w in words)


def play_command(save: Path, overlays: tuple[str, ...] = ()) -> str:
    extra = [w for o in overlays for w in ("--content", str(Path(o).resolve()))]
    return command_line("homegrown", "play", "--load", str(save.resolve()), *extra)


def handout(content: Content, room: Classroom, student: Student) -> str:
    sc = content.scenarios[room.scenario]
    cmd = play_command(student.save, room.overlays)
    levers = f"{len(sc.levers)} levers" if sc.levers is not None else "every lever"
    locked = ", ".join(f"{md(content.levers[k].name)} is fixed at ¥{v:g}B" for k, v in sc.locked.items())
    lines = [
        f"# Homegrown: {md(sc.name)}",
        "",
        f"**Player:** {md(student.name)}  ",
        f"**Your save:** `{student.save.name}` in this folder  ",
        f"**World:** seed {student.seed}, {sc.turns} quarters from {sc.start}, ¥{sc.budget:g}B a quarter",
        "",
        "You are Japan's Ministry of Internal Affairs and Communications (MIC). " + md(sc.description),
        "",
        "## Your goals",
        "",
        *[f"- {md(g.description)}" for g in sc.goals],
        "",
        "## Start (or continue) your game",
        "",
        "Open a terminal and type exactly this line, then press Enter:",
        "",
        "```sh",
        cmd,
        "```",
        "",
        "The same line continues your game if you stop and come back: the game is saved in your folder.",
        "",
        "## How to play",
        "",
        (
            "- Each turn is one quarter. Split the budget across the levers "
            f"({levers}{'; ' + locked if locked else ''}), answer any events, then end the turn."
        ),
        "- After each turn read **why** things changed: the game shows the causes.",
        (
            "- Keys: `?` help, `v` events, `e` end the turn, `Ctrl+Q` quit. "
            "Your game is saved in this folder as you play."
        ),
        "- Write down your two or three biggest decisions and why you made them: the debrief asks.",
        "",
        "## When you have finished",
        "",
        (
            "Leave the save file in this folder (do not rename it). Your teacher collects the folder and "
            "runs the class report. To check your save yourself:"
        ),
        "",
        "```sh",
        command_line(
            "homegrown",
            "replay",
            str(student.save.resolve()),
            *[w for o in room.overlays for w in ("--content", str(Path(o).resolve()))],
        ),
        "```",
        "",
    ]
    return "\n".join(lines)


def teacher_sheet(content: Content, room: Classroom) -> str:
    sc = content.scenarios[room.scenario]
    extra = [w for o in room.overlays for w in ("--content", str(Path(o).resolve()))]
    rows = ["| Student | Folder | Seed |", "| --- | --- | ---: |"]
    for s in room.students:
        rows.append(f"| {md(s.name)} | `{s.folder.name}/` | {s.seed} |")
    lines = [
        f"# Teacher's sheet: {md(sc.name)}",
        "",
        f"Scenario `{sc.id}` · {sc.turns} quarters · {len(room.students)} students · "
        + ("everyone plays the same seed" if len({s.seed for s in room.students}) == 1 else "distinct seeds"),
        "",
        "## Briefing",
        "",
        md(sc.briefing) or "(This scenario has no briefing: see docs/teaching.md for a lesson plan.)",
        "",
        "## Learning objectives",
        "",
        *[f"- {md(o)}" for o in sc.learning_objectives],
        "",
        "## Roster",
        "",
        *rows,
        "",
        "Each folder holds the student's save and a one-page `HANDOUT.md` with the command to type.",
        "",
        "## After the lesson",
        "",
        "Collect the folders (or just the `.json` saves) into one folder, then:",
        "",
        "```sh",
        command_line("homegrown", "report", str(room.folder.resolve()), "--format", "html", *extra),
        command_line("homegrown", "report", str(room.folder.resolve()), "--format", "md", *extra),
        "```",
        "",
        "## Debrief questions",
        "",
        *[f"1. {md(q)}" for q in sc.debrief_questions],
        "",
    ]
    return "\n".join(lines)


def new_class(
    content: Content,
    scenario: str,
    out: Path | str,
    *,
    students: int | None = None,
    names: list[str] | None = None,
    distinct_seeds: bool = False,
    seed: int | None = None,
    overlays: tuple[str, ...] | list[str] = (),
) -> Classroom:
    """Create OUT/<student>/<student>.json (a save at turn 0) and OUT/<student>/HANDOUT.md for each student,
    and OUT/TEACHER.md. OUT must not exist yet or be empty."""
    if scenario not in content.scenarios:
        raise ClassroomError(f"unknown scenario '{scenario}' (valid: {', '.join(content.scenarios)})")
    if names is None:
        if students is None:
            raise ClassroomError("give the number of students (--students N) or a names file (--names FILE)")
        names = [f"student-{i:02d}" for i in range(1, students + 1)]
    elif students is not None and students != len(names):
        raise ClassroomError(f"--students {students} but the names file has {len(names)} names")
    if not 1 <= len(names) <= MAX_STUDENTS:
        raise ClassroomError(f"a class needs 1 to {MAX_STUDENTS} students, not {len(names)}")
    stems = folder_names(names)
    folder = Path(out)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ClassroomError(f"{folder} already exists and is not an empty folder; choose another --out")
    seeds, notice = class_seeds(content, scenario, len(names), seed, distinct_seeds)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ClassroomError(f"{folder}: cannot create the class folder: {exc.strerror or exc}") from None
    room = Classroom(scenario, folder, [], tuple(str(o) for o in overlays), notice)
    for name, stem, s in zip(names, stems, seeds, strict=True):
        sub = folder / stem
        sub.mkdir()
        session = Session(content, scenario, s)
        result = save_session(session, stem, sub, name=name, player="human")
        room.students.append(Student(name, sub, result.path, s))
    for student in room.students:
        (student.folder / HANDOUT).write_text(handout(content, room, student), encoding="utf-8")
    (folder / TEACHER).write_text(teacher_sheet(content, room), encoding="utf-8")
    return room
