"""Preparing a class (`homegrown classroom new`): one folder per student or team, each with a named save
of the scenario at turn 0 (ready for `homegrown play --load`), a one-page handout (Markdown, and HTML to
print) with the commands to type, and a teacher's sheet with the roster and the commands to collect and
debrief the games.

Paths in handouts are relative (the handout's own folder, the class folder's parent for the teacher), so
the folders can be copied anywhere; commands are spelt once for every shell (game.render.shell). A name
that is a reserved file name on some system (CON, NUL, COM1...) is kept as the student's name; only its
file and folder name get a prefix ("student-Con").

Seeds: the scenario's fixed seed when it has one (an exercise), else `--seed` or a random one, the same
for every student; with `distinct_seeds`, student i gets seed + i (not allowed with a fixed-seed scenario:
the exercise is meant to be played in one world).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from html import escape
from pathlib import Path

from game.content.files import MAX_CONTENT_FILE_BYTES, read_regular_file
from game.content.pack import Content
from game.content.untrusted import markdown_text, printable
from game.play.rules import effective_seed
from game.play.session import Session
from game.render.shell import path_word, shell_command
from game.storage import InvalidSaveName, sanitise_name, save_session
from game.storage.folders import is_reserved
from game.storage.format import MAX_NAME_LENGTH

MAX_STUDENTS = 500
HANDOUT = "HANDOUT.md"
HANDOUT_HTML = "HANDOUT.html"
TEACHER = "TEACHER.md"
RESERVED_PREFIX = "student-"
ROSTER = "roster.txt"


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
    hide_forecast: bool = False


def read_names(path: Path | str) -> list[str]:
    """One name per line; blank lines and lines starting with # are skipped."""
    try:  # a regular file of at most 1 MB: never a FIFO or /dev/zero
        text = read_regular_file(path, MAX_CONTENT_FILE_BYTES).decode("utf-8-sig")
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
        if len(name) > MAX_NAME_LENGTH:  # the save keeps the name, and a save's name has a limit
            raise ClassroomError(f"name {i} ('{name[:40]}…') is {len(name)} characters; at most {MAX_NAME_LENGTH}")
        try:
            stem = sanitise_name(RESERVED_PREFIX + name if is_reserved(name) else name)
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


def _overlay_words(overlays: tuple[str, ...], start: Path) -> list[str]:
    """--content DIR for each overlay, relative to `start` (where the command is typed)."""
    return [w for o in overlays for w in ("--content", path_word(os.path.relpath(Path(o).resolve(), start.resolve())))]


def play_command(save: Path, overlays: tuple[str, ...] = ()) -> str:
    """Typed in the save's own folder."""
    return shell_command("homegrown", "play", "--load", save.name, *_overlay_words(overlays, save.parent))


def handout_lines(content: Content, room: Classroom, student: Student) -> list[tuple[str, str]]:
    """The handout as (kind, text) blocks: 'h1', 'h2', 'p', 'li', 'cmd' (typed as is)."""
    sc = content.scenarios[room.scenario]
    levers = f"{len(sc.levers)} levers" if sc.levers is not None else "every lever"
    locked = ", ".join(f"{content.levers[k].name} is fixed at ¥{v:g}B" for k, v in sc.locked.items())
    replay = shell_command("homegrown", "replay", student.save.name,
                           *_overlay_words(room.overlays, student.folder))
    return [
        ("h1", f"Homegrown: {sc.name}"),
        ("p", (f"Player: {student.name} · your save: {student.save.name} in this folder · world: seed "
              f"{student.seed}, {sc.turns} quarters from {sc.start}, ¥{sc.budget:g}B a quarter")),
        ("p", "You are Japan's Ministry of Internal Affairs and Communications (MIC). " + sc.description),
        ("h2", "Your goals"),
        *[("li", g.description) for g in sc.goals],
        ("h2", "Start (or continue) your game"),
        ("p", ("Open a terminal in this folder (the one this handout is in), type exactly this line (the same "
              "in every terminal: Windows, macOS, Linux), then press Enter:")),
        ("cmd", play_command(student.save, room.overlays)),
        ("p", ("The same line continues your game if you stop and come back: the game is saved in this folder "
              "after every quarter. In a browser lab your teacher gives you an address instead: open it and "
              "pick your name.")),
        ("h2", "How to play"),
        ("li", (f"Each turn is one quarter. Split the budget across the levers ({levers}"
               f"{'; ' + locked if locked else ''}), answer any events, then end the turn.")),
        ("li", ("To put money on a lever: select it with ↑ and ↓, press → (or +) to add one step of money and ← "
               "(or −) to take one away, m for as much as it can take, 0 to empty it. The budget left is shown "
               "at the top.")),
        ("li", "Events: press v to read and answer them before you end the turn (e ends the turn)."),
        ("li", "Predict: press p to guess where one of your goals will stand after this quarter; the turn "
               "report shows how close you were" + (" (the forecast appears once you have guessed)."
                                                      if room.hide_forecast else ".")),
        ("li", ("After each turn read why things changed: the game shows the causes. ? shows every key, Ctrl+Q "
               "quits.")),
        ("li", "Write down your two or three biggest decisions and why you made them: the debrief asks."),
        ("h2", "When you have finished"),
        ("p", ("Leave the save file in this folder (do not rename or copy it: the report flags copies and renamed "
              "files). Your teacher collects the folder and runs the class report. To check your save yourself:")),
        ("cmd", replay),
    ]


def handout(content: Content, room: Classroom, student: Student) -> str:
    out = []
    for kind, text in handout_lines(content, room, student):
        if kind == "h1":
            out += [f"# {text}", ""]
        elif kind == "h2":
            out += ["", f"## {text}", ""]
        elif kind == "li":
            out.append(f"- {text}")
        elif kind == "cmd":
            out += ["", "```", text, "```", ""]
        else:
            out += [text, ""]
    return "\n".join(out).replace("\n\n\n", "\n\n") + "\n"


HANDOUT_CSS = """body { font-family: system-ui, "Segoe UI", sans-serif; max-width: 44em; margin: 1.5em auto;
padding: 0 1em; line-height: 1.45; } pre { background: #f4f4f4; border: 1px solid #ccc; padding: 0.6em;
font-size: 1.15em; white-space: pre-wrap; word-break: break-all; } @media print { body { margin: 0; } }"""


def handout_html(content: Content, room: Classroom, student: Student) -> str:
    """The handout as one printable HTML page (no network, nothing but the page)."""
    body, in_list = [], False
    for kind, text in handout_lines(content, room, student):
        if kind != "li" and in_list:
            body.append("</ul>")
            in_list = False
        if kind == "li" and not in_list:
            body.append("<ul>")
            in_list = True
        tag = {"h1": "h1", "h2": "h2", "li": "li", "p": "p"}.get(kind)
        body.append(f"<pre><code>{escape(text)}</code></pre>" if kind == "cmd" else f"<{tag}>{escape(text)}</{tag}>")
    if in_list:
        body.append("</ul>")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>'
            f"{escape(student.name)}: Homegrown</title><style>{HANDOUT_CSS}</style></head><body>"
            + "".join(body) + "</body></html>\n")


def teacher_sheet(content: Content, room: Classroom) -> str:
    sc = content.scenarios[room.scenario]
    parent = room.folder.resolve().parent
    extra = _overlay_words(room.overlays, parent)
    here = path_word(room.folder.name)
    rows = ["| Student | Folder | Seed |", "| --- | --- | ---: |"]
    for s in room.students:
        rows.append(f"| {markdown_text(s.name).replace('|', '/')} | `{s.folder.name}/` | {s.seed} |")
    lines = [
        f"# Teacher's sheet: {sc.name}",
        "",
        f"Scenario `{sc.id}` · {sc.turns} quarters · {len(room.students)} students · "
        + ("everyone plays the same seed" if len({s.seed for s in room.students}) == 1 else "distinct seeds"),
        "",
        "## Briefing",
        "",
        sc.briefing or "(This scenario has no briefing: see docs/teaching.md for a lesson plan.)",
        "",
        "## Learning objectives",
        "",
        *[f"- {o}" for o in sc.learning_objectives],
        "",
        "## Roster",
        "",
        *rows,
        "",
        ("Each folder holds the student's save and a one-page handout (`HANDOUT.md`, and `HANDOUT.html` to "
        "print) with the command to type."),
        "",
        "## A browser lab (no Python on the students' machines)",
        "",
        "On this machine, in the folder that holds this class folder (`pip install 'homegrown[serve]'` once):",
        "",
        "```",
        shell_command("homegrown", "serve", "--class", here, "--host", "0.0.0.0", *extra),
        "```",
        "",
        ("Students open the address it prints, type the class code and pick their name; their games save "
        "into their folders here."),
        "",
        "## After the lesson",
        "",
        ("Collect the folders (or just the `.json` saves) back into this folder, then, in the folder that holds "
        "it (commands spelt the same for every shell):"),
        "",
        "```",
        shell_command("homegrown", "report", here, "--roster", path_word(f"{here}/{ROSTER}"), "--format", "html",
                      *extra),
        shell_command("homegrown", "report", here, "--roster", path_word(f"{here}/{ROSTER}"), "--format", "slides",
                      *extra),
        "```",
        "",
        "## Debrief questions",
        "",
        *[f"1. {q}" for q in sc.debrief_questions],
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
    hide_forecast: bool = False,
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
    room = Classroom(scenario, folder, [], tuple(str(o) for o in overlays), notice, hide_forecast)
    for name, stem, s in zip(names, stems, seeds, strict=True):
        sub = folder / stem
        sub.mkdir()
        session = Session(content, scenario, s)
        session.hide_forecast = hide_forecast
        result = save_session(session, stem, sub, name=name, player="human")
        room.students.append(Student(name, sub, result.path, s))
    for student in room.students:
        (student.folder / HANDOUT).write_text(handout(content, room, student), encoding="utf-8")
        (student.folder / HANDOUT_HTML).write_text(handout_html(content, room, student), encoding="utf-8")
    (folder / TEACHER).write_text(teacher_sheet(content, room), encoding="utf-8")
    (folder / ROSTER).write_text("".join(printable(s.name) + "\n" for s in room.students), encoding="utf-8")
    return room
