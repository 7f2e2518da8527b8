"""The fuzzers of issue 15, one per class of input, shared by the CI sample (tests/fuzz/) and the full
campaign (benchmarks/fuzz_campaign.py).

Each fuzzer turns a seeded `random.Random` into cases and judges each one as exactly one `Outcome`. The
last four outcomes are bugs: `CORRUPT` (accepted, but the result is wrong: a non-finite number, invalid
JSON, a control character shown, a save that verifies while claiming what it did not do), `TRACEBACK` (an
exception that is not one of the project's one-line errors), `HANG` (past the case's time limit) and
`LOST` (a file that was there before is changed or gone).
"""

from __future__ import annotations

import contextlib
import enum
import io
import json
import os
import random
import re
import shutil
import signal
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game import storage
from game.cli import main as cli_main
from game.content.expr import ExprError, compile_expr
from game.content.loader import ContentError, default_content_dir, load_content
from game.content.untrusted import printable
from game.play.headless import run_game
from game.play.rules import ActionError
from game.play.session import Session, TurnActions

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
NASTY_TEXT = ["\x1b]2;PWNED\x07\x1b[2J", "\x9b31m", "\x00", "<script>x</script>", "[/]", "|*_`#", "\u202e"]


class Outcome(enum.Enum):
    CLEAN = "clean errors"
    FINE = "ran fine"
    CORRUPT = "silent corruption"
    TRACEBACK = "tracebacks"
    HANG = "hangs"
    LOST = "data lost"


BUGS = (Outcome.CORRUPT, Outcome.TRACEBACK, Outcome.HANG, Outcome.LOST)


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise Hang in the main thread after `seconds` (POSIX; elsewhere no limit)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):
        raise Hang()

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)
    examples: dict[Outcome, list[str]] = field(default_factory=dict)

    def add(self, outcome: Outcome, case: str) -> None:
        self.counts[outcome] += 1
        if outcome in BUGS:
            self.examples.setdefault(outcome, []).append(case[:1000])

    @property
    def cases(self) -> int:
        return sum(self.counts.values())

    @property
    def bugs(self) -> int:
        return sum(self.counts[o] for o in BUGS)


def judge(tally: Tally, case: str, run: Callable[[], Outcome], limit: float) -> None:
    try:
        with time_limit(limit):
            outcome = run()
    except (Hang, MemoryError):  # past the time limit, or the memory limit the campaign sets
        outcome = Outcome.HANG
    except Exception as exc:  # anything not judged by the case is a traceback the user would see
        frames = traceback.extract_tb(exc.__traceback__)[-6:]
        where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
        outcome, case = Outcome.TRACEBACK, f"{case}: {type(exc).__name__}: {exc} [{where}]"
    tally.add(outcome, case)


def _strings(doc: object) -> Iterator[str]:
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for k, v in doc.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(doc, list | tuple):
        for v in doc:
            yield from _strings(v)


def finite_json(doc: object) -> bool:
    """Strict JSON (no NaN or infinity) whose strings carry no control characters but tab and newline."""
    try:
        json.dumps(doc, allow_nan=False)
    except ValueError:
        return False
    return not any(CONTROL.search(text) for text in _strings(doc))


def one_line_errors(text: str) -> bool:
    return not CONTROL.search(text.replace("\n", "").replace("\t", "")) and "Traceback" not in text


# ---------------------------------------------------------------- content packs

_NUMBER = re.compile(r"(?<=[=\[,{]\s)-?\d+(?:\.\d+)?(?:e-?\d+)?(?=\s*[,\]}\n#])")
_STRING = re.compile(r'(?<== )"([^"\\\n]*)"')
EXTREMES = ["nan", "inf", "-inf", "1e308", "-1.8e308", "1e7", "-50", "-2.0", "0", "0.0", "9223372036854775808",
            "123456789012345678901234567890", "3.0", "-1", "1e-320"]


def _mutate_content(rng: random.Random, text: str) -> str:
    kind = rng.choice(["number", "number", "number", "string", "line", "nest"])
    if kind == "number" and (found := list(_NUMBER.finditer(text))):
        for m in rng.sample(found, min(len(found), rng.choice([1, 1, 2, 5]))):
            text = text[: m.start()] + rng.choice(EXTREMES) + text[m.end():]
            break
        return text
    if kind == "string" and (found := list(_STRING.finditer(text))):
        m = rng.choice(found)
        nasty = rng.choice(NASTY_TEXT).encode("unicode_escape").decode().replace("\\x", "\\u00")
        return text[: m.start(1)] + nasty + text[m.start(1):]
    lines = text.splitlines()
    if kind == "line" and lines:
        i = rng.randrange(len(lines))
        lines[i:i + 1] = rng.choice([[], [lines[i], lines[i]], [lines[i][: len(lines[i]) // 2]]])
        return "\n".join(lines) + "\n"
    depth = rng.choice([20, 200, 600])
    return text + f"\nzz_deep = {'[' * depth}1{']' * depth}\n"


def content_case(rng: random.Random, workdir: Path) -> tuple[str, Callable[[], Outcome]]:
    base = default_content_dir()
    files = sorted(p for p in base.rglob("*.toml"))
    source = rng.choice(files)
    rel = source.relative_to(base)
    mutated = _mutate_content(rng, source.read_text(encoding="utf-8"))
    pack = workdir / f"pack-{rng.randrange(10**9)}"
    (pack / rel).parent.mkdir(parents=True, exist_ok=True)
    (pack / rel).write_text(mutated, encoding="utf-8")
    diff = next((f"{a!r} -> {b!r}" for a, b in zip(source.read_text().splitlines(), mutated.splitlines(), strict=False)
                 if a != b), "appended")

    def run() -> Outcome:
        try:
            content = load_content(pack)
        except ContentError as exc:
            lines = [str(p) for p in exc.problems]
            ok = lines and all(one_line_errors(line) and ": " in line for line in lines)
            return Outcome.CLEAN if ok else Outcome.CORRUPT
        scenario = rel.stem if rel.parts[0] == "scenarios" and rel.stem in content.scenarios else "tutorial"
        doc = run_game(content, scenario, rng.randrange(2**63), "balanced")
        return Outcome.FINE if finite_json(doc) else Outcome.CORRUPT  # every metric of every turn finite

    return f"content {rel}: {diff[:160]}", run


# ---------------------------------------------------------------- expressions

NAMES = ["approval", "tension", "threat", "share.japan.huawei", "domestic_share", "turn"]


def _expression(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 6 or roll < 0.3:
        return rng.choice([*NAMES, "1", "0.5", "true", "1e308", "10" * rng.randint(1, 200), "-3"])
    if roll < 0.5:
        return f"{rng.choice(['not ', '-', '+'])}{_expression(rng, depth + 1)}"
    op = rng.choice(["+", "-", "*", "/", "<", ">=", "==", "and", "or", "**", "%", "@", "if", ".x", "[0]"])
    return f"({_expression(rng, depth + 1)} {op} {_expression(rng, depth + 1)})"


def expression_case(rng: random.Random, workdir: Path) -> tuple[str, Callable[[], Outcome]]:
    shape = rng.choice(["grammar", "grammar", "long", "deep", "unary", "garbage"])
    if shape == "grammar":
        text = _expression(rng)
    elif shape == "long":
        text = "1" + " + approval" * rng.choice([10, 400, 1000, 200_000])
    elif shape == "deep":
        n = rng.choice([10, 60, 200, 1000])
        text = "(" * n + "1" + ")" * n
    elif shape == "unary":
        text = rng.choice(["-", "not ", "+"]) * rng.choice([5, 60, 700, 5000]) + "1"
    else:
        text = "".join(rng.choice("()[]{}+-*/<>=!._ab1e \x00\x1b") for _ in range(rng.randint(1, 80)))

    def run() -> Outcome:
        try:
            expr = compile_expr(text)
        except ExprError as exc:
            return Outcome.CLEAN if one_line_errors(str(exc)) and len(str(exc)) < 500 else Outcome.CORRUPT
        values = np.random.default_rng(rng.randrange(2**32)).uniform(-100, 100, 8)
        with np.errstate(all="ignore"):  # arithmetic may overflow to inf: a condition still compares it
            np.asarray(expr.evaluate(lambda name: values))
        return Outcome.FINE

    return f"expression {text[:120]!r} ({len(text)} chars)", run


# ---------------------------------------------------------------- saves

def _session(content, rng: random.Random) -> Session:
    session = Session(content, "tutorial", rng.randrange(1000))
    for _ in range(rng.randint(0, 4)):
        if session.done:
            break
        levers = content.scenarios["tutorial"].levers or session.world.lever_ids
        try:
            session.end_turn(TurnActions({rng.choice(levers): 1.0}, {}))
        except ActionError:  # not offered yet this quarter
            session.end_turn(TurnActions({}, {}))
    return session


def save_case(rng: random.Random, workdir: Path, content) -> tuple[str, Callable[[], Outcome]]:
    folder = workdir / f"saves-{rng.randrange(10**9)}"
    folder.mkdir()
    path = storage.save_session(_session(content, rng), "g", folder).path
    raw = json.loads(path.read_text())
    kind = rng.choice(["flip", "truncate", "claim", "claim", "name", "field", "checksumless-claim"])
    if kind == "flip":
        data = bytearray(path.read_bytes())
        i, bit = rng.randrange(len(data)), rng.randrange(8)
        kind += f" byte {i} ({data[i:i + 1]!r} in {bytes(data[max(0, i - 12):i + 12])!r}) bit {bit}"
        data[i] ^= 1 << bit
        path.write_bytes(bytes(data))
    elif kind == "truncate":
        path.write_bytes(path.read_bytes()[: rng.randrange(len(path.read_bytes()))])
    elif kind in ("claim", "checksumless-claim"):
        key = rng.choice(["outcome", "score", "done", "quarter", "turn", "budget"])
        raw["snapshot"][key] = rng.choice(["victory", 100.0, True, "2030Q4", 99, 1e9, None])
        kind += f" {key}={raw['snapshot'][key]!r}"
        if kind.startswith("checksumless") or rng.random() < 0.7:
            raw.pop("checksum", None)
        path.write_text(json.dumps(raw))
    elif kind == "name":
        raw["name"] = rng.choice(NASTY_TEXT) + "x"
        raw.pop("checksum", None)
        path.write_text(json.dumps(raw))
    else:
        key = rng.choice(["seed", "turns", "scenario", "format_version", "content_fingerprint"])
        raw[key] = rng.choice([2**63, -1, "x", [], None, 1e308, {}])
        raw.pop("checksum", None)
        path.write_text(json.dumps(raw))
    before = path.read_bytes()

    def run() -> Outcome:
        try:
            v = storage.verify_save(path, content)
            listed = storage.list_saves(folder)
        except storage.SaveError as exc:
            outcome = Outcome.CLEAN if one_line_errors(str(exc)) else Outcome.CORRUPT
        else:
            names = [info.name for info in listed]
            if any(CONTROL.search(n) for n in names) or not finite_json(v.to_json()):
                outcome = Outcome.CORRUPT
            elif not v.ok:
                outcome = Outcome.CLEAN
            else:  # verified: every claim of the file must be what the replay gives
                snap = v.save.snapshot
                res = v.session.result() if v.session else None
                same = res is not None and snap.outcome in (None, res.outcome) and snap.score in (None, res.score) \
                    and snap.quarter in (None, v.session.quarter) and snap.done in (None, v.session.done)
                outcome = Outcome.FINE if same else Outcome.CORRUPT
        return Outcome.LOST if path.read_bytes() != before else outcome

    return f"save {kind}", run


# ---------------------------------------------------------------- names and paths

def name_case(rng: random.Random, workdir: Path, content) -> tuple[str, Callable[[], Outcome]]:
    folder = workdir / f"names-{rng.randrange(10**9)}"
    folder.mkdir()
    notes = folder / "notes.json"
    notes.write_text('{"mine": 1}')
    os.mkfifo(folder / "pipe.json")
    (folder / "link.json").symlink_to("/dev/zero")
    (folder / "dir.json").mkdir()
    other = storage.save_session(_session(content, rng), "other", folder).path
    guarded = {p: p.read_bytes() for p in (notes, other)}
    target = rng.choice(["", " ", "./x.json", "x.json", "../up", "CON", "a/b", "\x1b]2;x\x07", "é" * 300,
                         "notes", "notes.json", "pipe", "link", "dir", "other", "other.json", "-", ".", "..",
                         str(folder / "pipe.json"), str(folder / "link.json"), str(folder / "notes.json"),
                         str(folder / "dir.json"), str(folder / "new.json"), "a" * 300, "ok name"])
    name = rng.choice([None, "", "x" * 250, rng.choice(NASTY_TEXT), "Alice"])

    def run() -> Outcome:
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            try:
                path = storage.resolve_save(target, folder, for_writing=True)  # as `run --save` does
                result = storage.save_session(_session(content, rng), path, name=name)
            except (storage.InvalidSaveName, storage.SaveError) as exc:
                outcome = Outcome.CLEAN if one_line_errors(str(exc)) else Outcome.CORRUPT
            except OSError as exc:  # the CLI names such a path in one line (game.cli)
                outcome = Outcome.CLEAN if exc.filename else Outcome.TRACEBACK
            else:
                saved = storage.read_save(result.path)
                outcome = Outcome.FINE if not CONTROL.search(saved.name) else Outcome.CORRUPT
            for p, data in guarded.items():
                if not p.exists() or (p.read_bytes() != data and p != other):
                    return Outcome.LOST
            if not (folder / "pipe.json").is_fifo() or not (folder / "link.json").is_symlink():
                return Outcome.LOST
            return outcome
        finally:
            os.chdir(cwd)

    return f"save as {target[:60]!r} name {name!r:.40}", run


# ---------------------------------------------------------------- CLI arguments

VALUES = ["1", "0", "-1", "5", "2", "10000000000", "99999999999999999999", "nan", "", "x", "\x1b[2J", "a" * 300,
          "tutorial", "default", "nope", "balanced", "random", "module:nope", "scripted:/dev/zero", "/dev/null",
          "/dev/zero", "-", "2027Q1:rnd-b5g=1", "5:x=inf", "levers.rnd-b5g.saturation=1e308", "KEY"]
COMMANDS = {
    "run": ["--scenario", "--seed", "--strategy", "--json", "--save", "--content"],
    "check": ["--content"],
    "replay": ["--json", "--what-if", "--saves"],
    "sweep": ["--games", "--scenario", "--strategy", "--seed-start", "--workers", "--vary"],
    "report": ["--sweep-games", "--format", "--scenario", "--out"],
    "search": ["--generations", "--seeds", "--budget", "--constrain", "--forbid"],
    "classroom": ["new", "--students", "--names", "--scenario", "--seed"],
}


def cli_case(rng: random.Random, workdir: Path) -> tuple[str, Callable[[], Outcome]]:
    command = rng.choice(list(COMMANDS))
    argv = [command]
    if command in ("replay", "report"):
        argv.append(rng.choice(["/dev/zero", "nope.json", str(workdir), "a" * 300]))
    for option in rng.sample(COMMANDS[command], rng.randint(0, min(3, len(COMMANDS[command])))):
        argv.append(option)
        value = rng.choice(VALUES)
        if option in ("--games", "--sweep-games", "--generations", "--seeds", "--students") and value.isdigit() \
                and 2 < int(value) < 10**6:
            value = "2"  # valid sizes stay small: the campaign times the game, not the machine
        if option in ("--out", "--save", "--json", "--saves") and rng.random() < 0.5:
            value = str(workdir / f"out-{rng.randrange(10**6)}")
        argv.append(value)
    if command in ("sweep", "search", "report") and "--scenario" not in argv:
        argv += ["--scenario", "tutorial"]
    if command in ("sweep", "report"):
        argv += ["--games" if command == "sweep" else "--sweep-games", "2"]
    if command == "search":
        argv += ["--generations", "1", "--seeds", "2", "--validate", "2", "--family", "fixed"]

    def run() -> Outcome:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli_main(list(argv))
            except SystemExit as exc:  # --help and argparse's own exits
                code = exc.code if isinstance(exc.code, int) else 0
        text = err.getvalue()
        if "unexpected" in text or "Traceback" in text:
            return Outcome.TRACEBACK
        if code == 0:
            if "--json" in argv and argv[argv.index("--json") + 1] == "-":
                try:
                    json.loads(out.getvalue(), parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
                except ValueError:
                    return Outcome.CORRUPT
            return Outcome.FINE
        ok = text.startswith("error: ") and one_line_errors(text) and printable(text) == text
        return Outcome.CLEAN if ok else Outcome.CORRUPT

    return "homegrown " + " ".join(a[:40] for a in argv), run


# ---------------------------------------------------------------- keys

KEYS = ["up", "down", "left", "right", "enter", "escape", "space", "tab", "pageup", "pagedown", "e", "v", "p",
        "y", "n", "m", "c", "l", "h", "j", "k", "w", "0", "1", "2", "3", "plus", "minus", "question_mark",
        "left_square_bracket", "right_square_bracket", "backspace", "ctrl+t", "ctrl+p", "ctrl+s", "x", "a"]
RACES = [["ctrl+p", "escape"] * 40, ["ctrl+p", "pageup", "pageup", "escape"] * 5, ["e", "y", "y", "enter"] * 15,
         ["ctrl+p", "q", "u", "escape"] * 10, ["v", "1", "1", "escape", "escape"] * 8, ["l", "enter", "escape"] * 10,
         ["n", "enter", "escape", "y"] * 10, ["question_mark", "right", "escape"] * 10]
"""The sequences that crashed the app (issue 15), and their neighbours."""


def key_spam(keys: int, seed: int = 0, round_keys: int = 400, limit: float = 120.0) -> Tally:
    """`keys` keys over rounds of `round_keys`, each a fresh app (title or a tutorial game): the known
    races first, then random keys, sent as fast as the app takes them with random short pauses."""
    import asyncio

    from textual import events

    from game.tui.app import HomegrownApp

    rng = random.Random(f"keys-{seed}")
    tally = Tally()
    content = load_content()
    workdir = Path(tempfile.mkdtemp(prefix="homegrown-fuzz-keys-"))
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

    def send(app: HomegrownApp, key: str) -> None:  # as a terminal does: no waiting for the app
        event = events.Key(key, key if len(key) == 1 else {"space": " ", "plus": "+", "minus": "-"}.get(key))
        event.set_sender(app)
        app._driver.send_message(event)

    async def one(sequence: list[str], scenario: str | None) -> Outcome:
        app = HomegrownApp(content, scenario=scenario, seed=6, forecast_samples=8, saves_folder=workdir)
        async with app.run_test(size=rng.choice([(80, 24), (120, 40), (60, 20)])) as pilot:
            await pilot.pause()
            real_exit, app.exit = app.exit, lambda *a, **k: None  # Quit is a fair key to hit: keep going
            for key in sequence:
                send(app, key)
                if rng.random() < 0.15:
                    await asyncio.sleep(rng.choice([0, 0.001, 0.01, 0.05]))
            await pilot.pause(0.2)
            alive = app.is_running and app.screen_stack
            app.exit = real_exit
            if rng.random() < 0.5:  # quit at once, whatever is still mounting (not pilot.press: it would
                send(app, "enter")      # wait for an app that is gone)
                send(app, "ctrl+q")
        return Outcome.FINE if alive else Outcome.CORRUPT

    sent, races, stuck = 0, list(RACES), []
    try:
        while sent < keys:
            sequence = races.pop(0) if races else []
            sequence = (sequence + [rng.choice(KEYS) for _ in range(round_keys)])[:round_keys]
            scenario = rng.choice([None, "tutorial"])
            case = f"{len(sequence)} keys from {'a game' if scenario else 'the title'}: {' '.join(sequence[:12])}…"

            async def bounded(sequence: list[str], scenario: str | None) -> Outcome:
                task = asyncio.ensure_future(one(sequence, scenario))
                done, _ = await asyncio.wait({task}, timeout=limit)
                if done:
                    return task.result()
                stuck.append("; ".join(f"{t.get_coro().__qualname__} at {t.get_stack(limit=1)}"
                                       for t in asyncio.all_tasks() if not t.done())[:2000])
                task.cancel()
                return Outcome.HANG

            def run(sequence=sequence, scenario=scenario) -> Outcome:
                return asyncio.run(bounded(sequence, scenario))

            judge(tally, case, run, limit + 10)
            if stuck:  # what was still waiting when the round ran out of time
                tally.examples[Outcome.HANG][-1] += f" [stuck: {stuck.pop()}]"
            sent += len(sequence)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return tally


# ---------------------------------------------------------------- the campaign

def run_class(name: str, cases: int, seed: int = 0, limit: float = 20.0) -> Tally:
    """`cases` seeded cases of one class (names: FUZZERS), judged."""
    rng = random.Random(f"{name}-{seed}")
    tally = Tally()
    workdir = Path(tempfile.mkdtemp(prefix=f"homegrown-fuzz-{name}-"))
    old_env = {k: os.environ.get(k) for k in ("HOMEGROWN_SAVES", "HOMEGROWN_CACHE")}
    os.environ["HOMEGROWN_SAVES"] = str(workdir / "saves")
    os.environ["HOMEGROWN_CACHE"] = "off"
    cwd = os.getcwd()
    os.chdir(workdir)  # relative paths a case writes (`--json nan`) land here, never in the checkout
    try:
        content = load_content()
        for _ in range(cases):
            make = FUZZERS[name]
            case, run = make(rng, workdir, content) if name in ("saves", "names and paths") else make(rng, workdir)
            judge(tally, case, run, limit)
    finally:
        os.chdir(cwd)
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(workdir, ignore_errors=True)
    return tally


FUZZERS = {
    "content mutations": content_case,
    "expressions": expression_case,
    "saves": save_case,
    "names and paths": name_case,
    "CLI arguments": cli_case,
}
