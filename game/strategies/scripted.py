"""`scripted:PATH`: a strategy read from a TOML file, for teachers and for reproducing a human game.

The file lists what to spend, by lever id, and optionally which answer to give to events, by event id
and choice id, quarter by quarter:

```toml
name = "research first"   # optional: the name shown in sweep tables (default: the file's stem)
fill = "nothing"          # optional: quarters not listed spend nothing ("nothing", the default)
                          # or repeat the last listed quarter's allocations ("repeat")

[[turn]]
quarter = "2026Q1"
allocations = { rnd-b5g = 5, subsidy-nec = 3 }   # ¥ billions per lever
choices = { chip-controls = "align" }            # event id = choice id (used if the event fires)

[[turn]]
quarter = "2026Q2"
allocations = { rnd-b5g = 5, workforce-reskilling = 4 }
```

Every game of a sweep plays the same plan (answers apply only in games where the event fires; an
event not answered takes its default). Before play the file is checked against the scenario, and
problems are reported as `FILE: turn[1].allocations.rnd-b5x: unknown lever (did you mean 'rnd-b5g'?)`:
unknown levers, events or choices, quarters outside the scenario, a quarter listed twice, negative
amounts, an amount above a lever's max, and a quarter whose total is above the scenario's budget.
A quarter whose budget has been cut during play (major incidents) is scaled down by the rules, as for
a human player.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from game.content.files import MAX_CONTENT_FILE_BYTES, read_regular_file
from game.content.suggest import did_you_mean
from game.content.terms import quarter_index
from game.play.rules import ActionError, check_allocations, check_choices
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World
from game.strategies.base import StrategyError

FILL_MODES = ("nothing", "repeat")


class Scripted:
    """Plays the allocations and answers of a TOML script (see the module docstring)."""

    def __init__(self, path: str, name: str, turns: list[dict[str, Any]], fill: str = "nothing"):
        self.path = path
        self.name = name
        self.turns = turns
        self.fill = fill
        self._compiled: tuple[tuple, np.ndarray, np.ndarray] | None = None

    # ------------------------------------------------------------ loading

    @classmethod
    def load(cls, path: str) -> Scripted:
        import tomllib  # lazy: only a scripted game parses TOML (start-up time of the others)

        if not path:
            raise StrategyError("scripted: needs a file, e.g. scripted:plans/research-first.toml")
        try:
            data = tomllib.loads(read_regular_file(path, MAX_CONTENT_FILE_BYTES).decode("utf-8"))  # not /dev/zero
        except OSError as exc:
            raise StrategyError(f"{path}: cannot read the script: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise StrategyError(f"{path}: not a UTF-8 text file") from None
        except tomllib.TOMLDecodeError as exc:
            raise StrategyError(f"{path}: invalid TOML: {exc}") from None
        except RecursionError:
            raise StrategyError(f"{path}: invalid TOML: nested too deeply") from None
        for key in data:
            if key not in ("name", "fill", "turn"):
                raise StrategyError(
                    f"{path}: {key}: unknown key{did_you_mean(key, ['name', 'fill', 'turn'])} "
                    "(valid: name, fill, turn)"
                )
        name = data.get("name", Path(path).stem)
        if not isinstance(name, str) or not name:
            raise StrategyError(f"{path}: name: must be a non-empty string")
        fill = data.get("fill", "nothing")
        if fill not in FILL_MODES:
            raise StrategyError(f"{path}: fill: must be one of {', '.join(FILL_MODES)}, not {fill!r}")
        turns = data.get("turn", [])
        if not isinstance(turns, list) or not all(isinstance(t, dict) for t in turns):
            raise StrategyError(f"{path}: turn: must be an array of tables ([[turn]])")
        for i, t in enumerate(turns):
            where = f"{path}: turn[{i}]"
            for key in t:
                if key not in ("quarter", "allocations", "choices"):
                    raise StrategyError(
                        f"{where}.{key}: unknown key{did_you_mean(key, ['quarter', 'allocations', 'choices'])}"
                    )
            if not isinstance(t.get("quarter"), str):
                raise StrategyError(f'{where}.quarter: required, a quarter such as "2026Q1"')
            for key in ("allocations", "choices"):
                if not isinstance(t.get(key, {}), dict):
                    raise StrategyError(f"{where}.{key}: must be a table, e.g. {key} = {{ ... }}")
            for lever, amount in t.get("allocations", {}).items():
                if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not amount >= 0:
                    raise StrategyError(
                        f"{where}.allocations.{lever}: must be a number, 0 or more, not {amount!r}"
                    )
            for event, choice in t.get("choices", {}).items():
                if not isinstance(choice, str):
                    raise StrategyError(f"{where}.choices.{event}: must be a choice id (a string)")
        return cls(path, name, turns, fill)

    # ------------------------------------------------------------ checking against a scenario

    def check(self, world: World) -> None:
        """Resolve ids against the scenario's content, raising StrategyError on the first problem."""
        self._compile(world)

    def _compile(self, world: World) -> tuple[np.ndarray, np.ndarray]:
        key = (world.content.fingerprint, world.scenario.id)
        if self._compiled is not None and self._compiled[0] == key:
            return self._compiled[1], self._compiled[2]
        T, L, E = world.turns, len(world.lever_ids), len(world.event_ids)
        alloc = np.zeros((T, L))
        choices = np.full((T, E), -1, dtype=np.int64)
        listed = np.zeros(T, dtype=bool)
        budget = world.scenario.budget
        first, last = world.quarter(0), world.quarter(T - 1)
        for i, t in enumerate(self.turns):
            where = f"{self.path}: turn[{i}]"
            try:
                turn = quarter_index(t["quarter"]) - world.start_index
            except (ValueError, KeyError, TypeError, AttributeError):
                raise StrategyError(
                    f"{where}.quarter: '{t['quarter']}' is not a quarter such as 2026Q1"
                ) from None
            if not 0 <= turn < T:
                raise StrategyError(
                    f"{where}.quarter: {t['quarter']} is not in the scenario ({first} to {last})"
                )
            if listed[turn]:
                raise StrategyError(f"{where}.quarter: {t['quarter']} is listed twice")
            listed[turn] = True
            try:
                alloc[turn] = check_allocations(world, t.get("allocations", {}), budget,
                                                "the scenario's budget", turn=turn)
            except ActionError as exc:
                lever = f".{exc.key}" if exc.key else ""
                raise StrategyError(f"{where}.allocations{lever}: {exc.reason}") from None
            try:
                choices[turn] = check_choices(world, world.event_ids, t.get("choices", {}))
            except ActionError as exc:
                raise StrategyError(f"{where}.choices.{exc.key}: {exc.reason}") from None
        if self.fill == "repeat":
            for turn in range(1, T):
                if not listed[turn]:
                    alloc[turn] = alloc[turn - 1]
        self._compiled = (key, alloc, choices)
        return alloc, choices

    # ------------------------------------------------------------ playing

    def act(self, state: State, world: World) -> Actions:
        alloc, choices = self._compile(world)
        B = state.batch
        return Actions(
            np.repeat(alloc[state.turn][None, :], B, axis=0),
            np.repeat(choices[state.turn][None, :], B, axis=0),
        )
