"""Shared helpers for the saves, replay and what-if tests: a frozen content pack, scripted games."""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

from game import storage as saves
from game.content.loader import Content, load_content
from game.play.session import Session, TurnActions

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "saves"
PACK = FIXTURES / "pack"
SCENARIO = "default"


@functools.lru_cache(maxsize=1)
def content() -> Content:
    """The frozen pack the fixtures were made with (independent of edits to content/)."""
    return load_content(PACK, include_default=False)


def random_actions(session: Session, rng: random.Random) -> TurnActions:
    """Random allocations within the budget (and each lever's max) and random event answers."""
    world = session.world
    levers = rng.sample(world.lever_ids, rng.randint(0, len(world.lever_ids)))
    left = session.budget * rng.choice([0.0, 0.5, 0.9, 1.0])
    alloc = {}
    for lever in levers:
        cap = float(world.content.levers[lever].max)
        amount = round(min(cap, left * rng.random()), rng.choice([0, 1, 3, 6]))
        if amount > 0 and amount <= left:
            alloc[lever] = amount
            left -= amount
    choices = {e.id: rng.choice(e.choices).id for e in session.pending_events() if e.choices and rng.random() < 0.8}
    return TurnActions(alloc, choices)


def play(session: Session, turns: int, seed: int = 0) -> Session:
    rng = random.Random(seed)
    for _ in range(turns):
        if session.done:
            break
        session.end_turn(random_actions(session, rng))
    return session


def new_game(turns: int = 4, seed: int = 11, rng_seed: int = 0) -> Session:
    return play(Session(content(), SCENARIO, seed), turns, rng_seed)


def good_save(tmp_path) -> Path:
    return saves.save_session(new_game(turns=3), "good", tmp_path).path


def bad_saves(tmp_path) -> dict[str, Path]:
    good = good_save(tmp_path)
    data = good.read_bytes()
    cases = {}

    def write(name: str, blob: bytes) -> None:
        cases[name] = tmp_path / f"{name}.json"
        cases[name].write_bytes(blob)

    write("truncated", data[: len(data) // 2])
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0x01
    write("flipped", bytes(flipped))
    write("not_json", b"PK\x03\x04 this is a zip file, not a save\n")
    write("empty", b"")
    write("wrong_shape", json.dumps({"hello": "world", "format_version": 1}).encode())
    write("a_list", b"[1, 2, 3]")
    raw = json.loads(data)
    raw["format_version"] = 99
    write("future_version", json.dumps(raw).encode())
    raw["format_version"] = "one"
    write("bad_version", json.dumps(raw).encode())
    raw = json.loads(data)
    raw["turns"][1]["allocations"]["rnd-b5g"] = -5
    raw["checksum"] = saves.checksum(raw)
    write("negative_amount", json.dumps(raw).encode())
    raw = json.loads(data)
    raw["content_fingerprint"] = "0123456789abcdef"
    raw["checksum"] = saves.checksum(raw)
    write("other_content_pack", json.dumps(raw).encode())
    write("deep", b"[" * 100_000 + b"]" * 100_000)
    big = tmp_path / "huge.json"
    with open(big, "wb") as f:  # sparse: 100 MB without writing them
        f.truncate(100 * 1024 * 1024)
    cases["huge"] = big
    cases["missing"] = tmp_path / "missing.json"
    (tmp_path / "folder.json").mkdir()
    cases["folder"] = tmp_path / "folder.json"
    return cases


def file_state(path: Path):
    if not path.exists():
        return None
    st = path.stat()
    return (path.read_bytes() if path.is_file() and st.st_size < 10**6 else st.st_size, st.st_mtime_ns)
