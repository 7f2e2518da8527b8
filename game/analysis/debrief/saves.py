"""Finding a class's saves and checking them: each is read, must be of the class's scenario and content
pack, and must replay to its saved state before it counts. Every path that does not count becomes a
`Problem` (one line), never an exception, unless no report at all can be made (`ReportError`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from game.analysis.debrief.data import Problem, ReportError
from game.analysis.progress import ProgressBar
from game.content.pack import Content
from game.play.session import Session
from game.storage import SUFFIX, SaveError, SaveFile, read_save, verify


def _is_candidate(path: Path) -> bool:
    name = path.name
    return not name.startswith(".") and ".broken-" not in name and not name.endswith(".tmp")


def find_saves(inputs: Sequence[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders (folders recursively: `*.json`, not backups, temp or moved-aside files).

    A missing path or a folder without saves is a problem; a file is kept whatever its name (reading it
    decides whether it is a save)."""
    found: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = Path(p).absolute()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            matches = sorted(
                p
                for p in path.rglob("*" + SUFFIX)
                if _is_candidate(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])
            )
            # a folder that happens to be named *.json is listed so it is reported, not descended into twice
            if not matches:
                problems.append(Problem(str(path), f"no saves (*{SUFFIX} files) in this folder"))
            for p in matches:
                add(p)
        elif path.exists() or path.is_symlink():
            add(path)
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    return found, problems


def read_saves(paths: Sequence[Path]) -> tuple[list[tuple[Path, SaveFile]], list[Problem]]:
    """The saves that can be read, and a problem for each path that cannot. Raises ReportError when
    none can."""
    saves: list[tuple[Path, SaveFile]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            saves.append((path, read_save(path)))
        except SaveError as exc:
            problems.append(Problem(str(path), exc.message))
        except OSError as exc:  # e.g. a folder that cannot be listed
            problems.append(Problem(str(path), f"cannot read: {exc.strerror or exc}"))
    return saves, problems


def choose_group(
    saves: list[tuple[Path, SaveFile]], scenario: str | None
) -> tuple[tuple[str, str], list[Problem]]:
    """The (scenario, fingerprint) the report is about, and a problem for each save of another one."""
    groups = Counter((s.scenario, s.content_fingerprint) for _, s in saves)
    if scenario is not None:
        mine = {k: n for k, n in groups.items() if k[0] == scenario}
        if not mine:
            found = ", ".join(sorted({k[0] for k in groups}))
            raise ReportError(f"none of the saves is of scenario '{scenario}' (they are of: {found})")
        best = max(mine.items(), key=lambda kv: (kv[1], kv[0]))[0]
    else:
        ranked = groups.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            listing = "; ".join(
                f"scenario '{sc}' content {fp}: "
                + ", ".join(str(p) for p, s in saves if (s.scenario, s.content_fingerprint) == (sc, fp))
                for (sc, fp), _ in ranked
            )
            raise ReportError(
                "the saves are not all of one scenario and content pack, and no group is the "
                f"largest: {listing}. Report one class at a time, or pick one with --scenario ID"
            )
        best = ranked[0][0]
    problems = []
    for path, s in saves:
        if (s.scenario, s.content_fingerprint) == best:
            continue
        if s.scenario != best[0]:
            why = f"is of scenario '{s.scenario}', not the class's '{best[0]}'"
        else:
            why = (
                f"was made with another content pack (fingerprint {s.content_fingerprint}, the class's "
                f"is {best[1]})"
            )
        problems.append(Problem(str(path), f"{why}: odd one out, not counted"))
    return best, problems


def replay_group(
    saves: list[tuple[Path, SaveFile]], group: tuple[str, str], content: Content, progress: bool | None = False
) -> tuple[list[tuple[Path, SaveFile, Session]], list[Problem]]:
    """The group's saves replayed (each with its session), and a problem for each that does not replay
    to its saved state. `progress`: a bar on a terminal (None), always (True) or never (False)."""
    counted: list[tuple[Path, SaveFile, Session]] = []
    problems: list[Problem] = []
    mine = [(path, save) for path, save in saves if (save.scenario, save.content_fingerprint) == group]
    bar = ProgressBar(len(mine), enabled=progress, unit="saves", label="replaying")
    for path, save in mine:
        bar(1)
        v = verify(save, content, path)
        if not v.ok or v.session is None:
            hint = ""
            if save.content_fingerprint != content.fingerprint:
                hint = " (load the content pack the class used, with --content DIR)"
            problems.append(
                Problem(str(path), "failed replay verification, not counted: " + "; ".join(v.problems) + hint)
            )
            continue
        counted.append((path, save, v.session))
    bar.close()
    return counted, problems
