"""Integrity: what a replay-verified save can still hide, flagged so it is never silently counted.

- `bot`: the save's `player` field says a strategy played it (`homegrown run --save`), not a person;
- `copy`: the same moves (action log and seed) as another save under another file or name;
- `backup`: its moves are the start of another save's (an older version: a renamed `.bak`, or a copy
  taken part-way);
- `name`: two saves carry the same player name;
- `seed`: another seed than the class's (the scenario's fixed seed, else the seed most of the class
  played when more than half played one);
- `unknown` / `missing`: a name not on the roster (`report --roster FILE`), a roster name with no save.

A game with no move at all (a save nobody has played yet) is never a copy of another.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from game.analysis.debrief.data import Flag
from game.render.words import plural
from game.storage import SaveFile

HUMAN = "human"


def roster_key(name: str) -> str:
    """How names are matched (roster against saves, duplicates): case, width and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _moves(save: SaveFile) -> list[str]:
    return [json.dumps([sorted(t.allocations.items()), sorted(t.choices.items())]) for t in save.turns]


def _played(save: SaveFile) -> bool:
    return any(t.allocations for t in save.turns)


def expected_seed(saves: Sequence[SaveFile], fixed: int | None) -> int | None:
    if fixed is not None:
        return fixed
    seeds = Counter(s.seed for s in saves)
    if not seeds:
        return None
    seed, n = seeds.most_common(1)[0]
    return seed if n * 2 > len(saves) else None


def flags(saves: Sequence[tuple[Path, SaveFile]], fixed_seed: int | None,
          roster: Sequence[str] | None = None) -> list[Flag]:
    """Every flag of a class's replay-verified saves, in path order (roster names without a save last)."""
    out: list[Flag] = []

    def add(kind: str, path: Path, save: SaveFile, message: str) -> None:
        out.append(Flag(kind, str(path), save.name, message))

    for path, save in saves:
        if save.player != HUMAN:
            who = f"'{save.player}'" if save.player else "nobody (the save does not record a player)"
            add("bot", path, save, f"played by {who}, not by a student on the game's screen "
                                   "(the save's player field)")
    by_moves: dict[tuple[int, tuple[str, ...]], list[tuple[Path, SaveFile]]] = defaultdict(list)
    for path, save in saves:
        if _played(save):
            by_moves[save.seed, tuple(_moves(save))].append((path, save))
    for group in by_moves.values():
        for path, save in group:
            others = ", ".join(f"'{s.name}' ({p})" for p, s in group if p != path)
            if others:
                add("copy", path, save, f"the same moves as {others}: a copy")
    for path, save in saves:
        mine = _moves(save)
        if not _played(save):
            continue
        longer = [(p, s) for p, s in saves if p != path and s.seed == save.seed and len(s.turns) > len(mine)
                  and _moves(s)[: len(mine)] == mine]
        if longer:
            p, s = longer[0]
            add("backup", path, save, f"its {plural(len(mine), 'quarter')} are the start of '{s.name}' ({p}): an older "
                                      "version of that game (a renamed backup or a copy)")
    names: dict[str, list[tuple[Path, SaveFile]]] = defaultdict(list)
    for path, save in saves:
        names[roster_key(save.name)].append((path, save))
    for group in names.values():
        if len(group) > 1:
            for path, save in group:
                others = ", ".join(str(p) for p, _ in group if p != path)
                add("name", path, save, f"another save carries the same name ({others})")
    seed = expected_seed([s for _, s in saves], fixed_seed)
    if seed is not None:
        for path, save in saves:
            if save.seed != seed:
                add("seed", path, save, f"played seed {save.seed}, not the class's seed {seed}")
    if roster is not None:
        known = {roster_key(n) for n in roster}
        for path, save in saves:
            if roster_key(save.name) not in known:
                add("unknown", path, save, f"'{save.name}' is not on the roster")
        present = set(names)
        for name in roster:
            if roster_key(name) not in present:
                out.append(Flag("missing", "", name, f"'{name}' is on the roster but no save carries that name"))
    return sorted(out, key=lambda f: (f.path == "", f.path, f.name, f.kind))
