"""Loading a content pack: files, overlays, cross-reference checks and the fingerprint.

`load_content()` reads the default pack, then each overlay folder in order: an item whose id is already
known replaces it, a new id is added, and `model.toml` tables are merged key by key. Every problem in
every file is gathered into one `ContentError`, each as `FILE: key.path: message`.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.content import cache, files
from game.content.expr import ExprError, compile_expr
from game.content.files import MAX_CONTENT_FILE_BYTES, FileRefused, read_regular_file
from game.content.files import default_content_dir as default_content_dir  # its callers' old home
from game.content.pack import Content, ContentError, Problem, fingerprint
from game.content.schema import (
    FILE_KINDS,
    BanEffect,
    Effect,
    Event,
    Model,
    PropEffect,
    Scenario,
    ShiftEffect,
    UnbanEffect,
    quarter_index,
    quarter_name,
)
from game.content.suggest import did_you_mean
from game.content.vocabulary import catalogue


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _loc(loc: tuple, prefix: str) -> str:
    """pydantic's error location as `a.b[0].c`, without the union tag segments it inserts."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("add", "mul", "set", "ban", "unban", "shift") and out.endswith("]"):
            continue  # discriminated-union tag (pydantic issue #7500)
        else:
            out += f".{part}" if out else str(part)
    return out


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
MAX_NESTING = 16
"""Tables and arrays inside each other in one content file (the default pack needs 4)."""


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _read_toml(path: Path, problems: list[Problem]) -> dict | None:
    import tomllib  # lazy: only the cold path parses TOML (a cached pack does not; start-up time)

    try:
        text = read_regular_file(path, MAX_CONTENT_FILE_BYTES).decode("utf-8")
    except FileRefused as exc:
        problems.append(Problem(_display(path), "", str(exc)))
        return None
    except OSError as exc:
        problems.append(Problem(_display(path), "", f"cannot read: {exc.strerror or exc}"))
        return None
    except UnicodeDecodeError as exc:
        problems.append(Problem(_display(path), "", f"cannot read: not UTF-8 text (byte {exc.start})"))
        return None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        data = None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_AT.search(message)
        where = f"line {m.group(1)}, column {m.group(2)}" if m else ""
        message = _TOML_AT.sub("", message).strip()
        problems.append(Problem(_display(path), where, f"TOML syntax error: {message}"))
        return None
    if data is None or _depth(data) > MAX_NESTING:
        problems.append(Problem(_display(path), "", f"tables and arrays nested more than {MAX_NESTING} deep"))
        return None
    return data


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed where `loc` (the location of an unknown key) points, for a did-you-mean."""
    models = [model]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        tagged = [m for m in models if "kind" in m.model_fields and part in typing.get_args(
            m.model_fields["kind"].annotation)]
        if tagged:  # a discriminated-union tag
            models = tagged
            continue
        inner = [m2 for m in models if part in m.model_fields for m2 in _models_in(m.model_fields[part].annotation)]
        if inner:
            models = inner
    return sorted({name for m in models for name in m.model_fields})


def _message(model: type[BaseModel], err: Any) -> str:
    if err["type"] == "extra_forbidden":
        key = str(err["loc"][-1])
        return f"unknown key '{key}'{did_you_mean(key, _fields_at(model, err['loc']))}"
    if err["type"] == "value_error":  # our validators' messages show the value themselves
        return err["msg"].removeprefix("Value error, ")
    if err["type"] in ("missing", "union_tag_invalid") or not isinstance(err.get("input"), (str, int, float)):
        return err["msg"]
    return f"{err['msg']} (got {err['input']!r})"


def _validate(model: type[BaseModel], data: Any, file: str, prefix: str, problems: list[Problem]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problems.append(Problem(file, _loc(err["loc"], prefix), _message(model, err)))
        return None


def _deep_merge(base: dict, over: dict) -> dict:
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(
            merged.get(key), dict) else value
    return merged


@dataclass
class _Pack:
    items: dict[str, dict[str, Any]] = field(default_factory=lambda: {k: {} for k in _KIND_MODELS})
    model: dict = field(default_factory=dict)
    model_file: str = ""
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    broken: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in _KIND_MODELS})
    """Ids of items that failed to parse: references to them are not reported twice."""


_KIND_MODELS: dict[str, type[BaseModel]] = {
    **dict(FILE_KINDS.values()),
    "event": Event,
    "scenario": Scenario,
}


def _read_dir(folder: Path, pack: _Pack, problems: list[Problem]) -> None:
    if not folder.is_dir():
        problems.append(Problem(_display(folder), "", "not a content folder (no such directory)"))
        return
    own_ids: dict[str, set[str]] = {k: set() for k in _KIND_MODELS}

    def take(kind: str, data: Any, file: str, prefix: str) -> None:
        item = _validate(_KIND_MODELS[kind], data, file, prefix, problems)
        if item is None:
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                pack.broken[kind].add(data["id"])
            return
        if item.id in own_ids[kind]:
            problems.append(Problem(file, f"{prefix}.id", f"duplicate {kind} id '{item.id}'"))
            return
        own_ids[kind].add(item.id)
        pack.items[kind][item.id] = item  # same id as an earlier pack: replaced, keeping its place
        pack.origins[(kind, item.id)] = file

    for path in sorted(folder.iterdir()):
        file = _display(path)
        if path.is_dir():
            if path.name not in ("events", "scenarios"):
                continue
            for sub in sorted(path.glob("*.toml")):
                data = _read_toml(sub, problems)
                if data is None:
                    continue
                subfile = _display(sub)
                if path.name == "scenarios":
                    take("scenario", data, subfile, "")
                    continue
                for key in data:
                    if key != "event":
                        problems.append(Problem(subfile, key, "unknown key (event files hold [[event]] tables)"))
                events = data.get("event", [])
                if not isinstance(events, list):
                    problems.append(Problem(subfile, "event", "must be a list of tables ([[event]])"))
                    continue
                for i, raw in enumerate(events):
                    take("event", raw, subfile, f"event[{i}]")
            continue
        if path.suffix != ".toml":
            continue
        if path.name == "model.toml":
            data = _read_toml(path, problems)
            if data is not None:
                pack.model = _deep_merge(pack.model, data)
                pack.model_file = file
            continue
        if path.name not in FILE_KINDS:
            expected = ", ".join([*FILE_KINDS, "model.toml", "events/", "scenarios/"])
            problems.append(Problem(file, "", f"unknown content file{did_you_mean(path.name, FILE_KINDS)}; "
                                              f"expected one of {expected}"))
            continue
        key, _model = FILE_KINDS[path.name]
        data = _read_toml(path, problems)
        if data is None:
            continue
        for other in data:
            if other != key:
                problems.append(Problem(file, other, f"unknown key{did_you_mean(other, [key])} "
                                                     f"({path.name} holds [[{key}]] tables)"))
        raws = data.get(key, [])
        if not isinstance(raws, list):
            problems.append(Problem(file, key, f"must be a list of tables ([[{key}]])"))
            continue
        for i, raw in enumerate(raws):
            take(key, raw, file, f"{key}[{i}]")


def _item_path(pack: _Pack, kind: str, item_id: str) -> tuple[str, str]:
    """(file, key prefix) for an item, for cross-reference messages."""
    file = pack.origins.get((kind, item_id), "?")
    if kind == "scenario":
        return file, ""
    return file, f"{kind}[id={item_id}]"


def _cross_check(pack: _Pack, model: Model, problems: list[Problem]) -> None:
    items = pack.items
    ids = {k: [*items[k], *pack.broken[k]]
           for k in ("vendor", "region", "lever", "deal", "alliance", "stakeholder", "event")}
    names = catalogue(ids)
    settable = {n for n, fam in names.items() if fam.settable}
    sources = set(items["source"]) | pack.broken["source"]

    def problem(kind: str, item_id: str, key: str, message: str) -> None:
        file, prefix = _item_path(pack, kind, item_id)
        path = f"{prefix}.{key}" if prefix and key else (prefix or key)
        problems.append(Problem(file, path, message))

    def ref(kind: str, item_id: str, key: str, value: str, target_kind: str) -> None:
        if value not in items[target_kind] and value not in pack.broken[target_kind]:
            problem(kind, item_id, key, f"unknown {target_kind} '{value}'{did_you_mean(value, items[target_kind])}")

    def expression(kind: str, item_id: str, key: str, text: str) -> None:
        try:
            expr = compile_expr(text)
        except ExprError as exc:
            problem(kind, item_id, key, str(exc))
            return
        for name in sorted(expr.names):
            if name not in names:
                problem(kind, item_id, key, f"unknown variable '{name}'{did_you_mean(name, names)}")
            elif not names[name].readable:
                problem(kind, item_id, key, f"'{name}' can be written by effects, not read")

    def effects(kind: str, item_id: str, key: str, effs: Sequence[Effect]) -> None:
        for j, eff in enumerate(effs):
            where = f"{key}[{j}]"
            if eff.kind in ("add", "mul", "set"):
                if eff.target not in settable:
                    why = "read-only variable" if eff.target in names else "unknown variable"
                    problem(kind, item_id, f"{where}.target",
                            f"{why} '{eff.target}'{did_you_mean(eff.target, settable)}")
                elif names[eff.target].per is not None and eff.kind != "add":
                    problem(kind, item_id, f"{where}.kind", f"'{eff.target}' is money: only 'add' can change it")
            elif isinstance(eff, BanEffect | UnbanEffect | ShiftEffect | PropEffect):
                ref(kind, item_id, f"{where}.region", eff.region, "region")
                ref(kind, item_id, f"{where}.vendor", eff.vendor, "vendor")

    def cited(kind: str, item_id: str, key: str, value: str | None) -> None:
        for sid in (s.strip() for s in (value or "").split(",") if s.strip()):
            if sid not in sources:
                problem(kind, item_id, key, f"source '{sid}' is not defined in sources.toml{did_you_mean(sid, sources)}")

    for src in items["source"].values():
        if src.original is not None and not src.mirror:
            problem("source", src.id, "original", "only a mirror names an original publisher: add `mirror = true`")
    for v in items["vendor"].values():
        cited("vendor", v.id, "source", v.source)
    for r in items["region"].values():
        cited("region", r.id, "source", r.source)
        for key, vendor_ids in (("bans", r.bans), ("shares", r.shares)):
            for vid in vendor_ids:
                ref("region", r.id, f"{key}.{vid}", vid, "vendor")
        if items["vendor"] and set(items["vendor"]) <= set(r.bans):
            problem("region", r.id, "bans", "bans every vendor: the region would have no one to buy from")
        total = sum(r.shares.values())
        if not 0.98 <= total <= 1.02:
            problem("region", r.id, "shares", f"shares sum to {total:.3f}; they must sum to 1 (±0.02)")
    for lv in items["lever"].values():
        cited("lever", lv.id, "source", lv.source)
        if lv.deal is not None:
            ref("lever", lv.id, "deal", lv.deal, "deal")
        if lv.alliance is not None:
            ref("lever", lv.id, "alliance", lv.alliance, "alliance")
        effects("lever", lv.id, "effects", lv.effects)
        if lv.cost > lv.max:
            problem("lever", lv.id, "cost", f"set-up cost {lv.cost} is more than max {lv.max}")
        if lv.since is not None and lv.until is not None and quarter_index(lv.until) < quarter_index(lv.since):
            problem("lever", lv.id, "until", f"it ends ({lv.until}) before it begins (its `since`, {lv.since})")
    for d in items["deal"].values():
        cited("deal", d.id, "source", d.source)
        ref("deal", d.id, "region", d.region, "region")
        ref("deal", d.id, "bidder", d.bidder, "vendor")
        ref("deal", d.id, "rival", d.rival, "vendor")
        if d.bidder in items["vendor"] and not items["vendor"][d.bidder].domestic:
            problem("deal", d.id, "bidder", f"'{d.bidder}' is not a domestic vendor")
        if quarter_index(d.decides) < quarter_index(d.opens):
            problem("deal", d.id, "decides", f"{d.decides} is before opens {d.opens}")
        effects("deal", d.id, "won", d.won)
        effects("deal", d.id, "lost", d.lost)
        for sid in d.stakes:
            ref("deal", d.id, f"stakes.{sid}", sid, "stakeholder")
    for a in items["alliance"].values():
        cited("alliance", a.id, "source", a.source)
        effects("alliance", a.id, "per_quarter", a.per_quarter)
        effects("alliance", a.id, "obligations", a.obligations)
        effects("alliance", a.id, "broken", a.broken)
        for key, effs, kinds in (("per_quarter", a.per_quarter, ("add",)), ("obligations", a.obligations, ("add", "shift"))):
            for j, eff in enumerate(effs):
                if eff.kind not in kinds:
                    problem("alliance", a.id, f"{key}[{j}].kind", f"alliance {key} effects must be {' or '.join(map(repr, kinds))}")
    for k in items["stakeholder"].values():
        cited("stakeholder", k.id, "source", k.source)
        effects("stakeholder", k.id, "per_quarter", k.per_quarter)
        for j, eff in enumerate(k.per_quarter):
            if eff.kind != "add":
                problem("stakeholder", k.id, f"per_quarter[{j}].kind", "stakeholder effects must be 'add'")
    for e in items["event"].values():
        cited("event", e.id, "source", e.source)
        expression("event", e.id, "trigger.condition", e.trigger.condition)
        effects("event", e.id, "effects", e.effects)
        for j, choice in enumerate(e.choices):
            effects("event", e.id, f"choices[{j}].effects", choice.effects)
        if e.choices and not 0 <= e.default < len(e.choices):
            problem("event", e.id, "default", f"no choice {e.default} (there are {len(e.choices)})")
        if len({c.id for c in e.choices}) != len(e.choices):
            problem("event", e.id, "choices", "choice ids must be unique within the event")
        for sid in e.scenarios or []:
            ref("event", e.id, "scenarios", sid, "scenario")
        t = e.trigger
        if t.start and t.end and quarter_index(t.end) < quarter_index(t.start):
            problem("event", e.id, "trigger.end", f"{t.end} is before start {t.start}")
        if e.date is not None:
            _dated_event(e, items["scenario"].values(), problem)
    for s in items["scenario"].values():
        for j, goal in enumerate(s.goals):
            expression("scenario", s.id, f"goals[{j}].metric", goal.metric)
        effects("scenario", s.id, "initial", s.initial)
        cited("scenario", s.id, "shares_source", s.shares_source)
        if s.shares and not s.shares_source:
            problem("scenario", s.id, "shares_source", "starting shares are real-world figures: cite a source")
        for rid, by_vendor in s.shares.items():
            ref("scenario", s.id, f"shares.{rid}", rid, "region")
            for vid in by_vendor:
                ref("scenario", s.id, f"shares.{rid}.{vid}", vid, "vendor")
            total = sum(by_vendor.values())
            if not 0.98 <= total <= 1.02:
                problem("scenario", s.id, f"shares.{rid}", f"shares sum to {total:.3f}; they must sum to 1 (±0.02)")
        last = quarter_name(quarter_index(s.start) + s.turns - 1)
        for j, lid in enumerate(s.levers or []):
            ref("scenario", s.id, f"levers[{j}]", lid, "lever")
            since = items["lever"][lid].since if lid in items["lever"] else None
            if since is not None and quarter_index(since) > quarter_index(last):
                problem("scenario", s.id, f"levers[{j}]",
                        f"lever '{lid}' exists only from {since} (its `since`), after this scenario ends ({last})")
            until = items["lever"][lid].until if lid in items["lever"] else None
            if until is not None and quarter_index(until) < quarter_index(s.start):
                problem("scenario", s.id, f"levers[{j}]",
                        f"lever '{lid}' ended in {until} (its `until`), before this scenario starts ({s.start})")
        for lid in s.locked:
            ref("scenario", s.id, f"locked.{lid}", lid, "lever")
            since = items["lever"][lid].since if lid in items["lever"] else None
            if since is not None and quarter_index(since) > quarter_index(s.start):
                problem("scenario", s.id, f"locked.{lid}",
                        f"lever '{lid}' exists only from {since} (its `since`) and cannot be locked from {s.start}")
            until = items["lever"][lid].until if lid in items["lever"] else None
            if until is not None and quarter_index(until) < quarter_index(s.start) + s.turns - 1:
                problem("scenario", s.id, f"locked.{lid}",
                        f"lever '{lid}' ends in {until} (its `until`) and cannot be locked until {last}")
        for j, eid in enumerate(s.exclude_events):
            ref("scenario", s.id, f"exclude_events[{j}]", eid, "event")
        budget_locked = sum(s.locked.values())
        if budget_locked > s.budget:
            problem("scenario", s.id, "locked", f"locked levers take ¥{budget_locked}B, more than the budget")
    if model.home_region not in items["region"]:
        problems.append(Problem(pack.model_file or "model.toml", "home_region",
                                f"unknown region '{model.home_region}'{did_you_mean(model.home_region, items['region'])}"))
    for key in model.start:
        if key not in ("engineers", "approval", "tension", "threat"):
            problems.append(Problem(pack.model_file or "model.toml", f"start.{key}",
                                    f"unknown start variable{did_you_mean(key, ['engineers', 'approval', 'tension', 'threat'])}"))
    if model.start_source:
        for sid in (s.strip() for s in model.start_source.split(",")):
            if sid not in sources:
                problems.append(Problem(pack.model_file or "model.toml", "start_source",
                                        f"source '{sid}' is not defined in sources.toml{did_you_mean(sid, sources)}"))
    for kind in ("vendor", "region"):
        if not items[kind]:
            problems.append(Problem("(content)", "", f"the pack defines no {kind}s"))
    if not items["scenario"]:
        problems.append(Problem("(content)", "", "the pack defines no scenarios"))


# A real event is news from the quarter it happened (`date`) until at most this many quarters later.
NEWS_LAG = 4


def _dated_event(e: Event, scenarios: Iterable[Scenario], problem: Callable[[str, str, str, str], None]) -> None:
    """The date rule for an event that stands for a real episode (content/README.md, "Real events and
    their dates"): it cites a source; it is not marked fiction; its trigger window lies within its date
    and NEWS_LAG quarters after; and no scenario that starts after its date can draw it (there it is
    history, already in the starting state, not news)."""
    assert e.date is not None
    date, t = quarter_index(e.date), e.trigger
    if not e.source:
        problem("event", e.id, "source", f"a real event (date {e.date}) must cite a source")
    if e.fiction:
        problem("event", e.id, "fiction", f"an invented event has no real date (date {e.date}): drop one of them")
    latest = quarter_name(date + NEWS_LAG)
    if t.start is None or quarter_index(t.start) < date:
        problem("event", e.id, "trigger.start",
                f"a real event may not fire before its date: set start between {e.date} and {latest}")
    if t.end is None or quarter_index(t.end) > date + NEWS_LAG:
        problem("event", e.id, "trigger.end",
                f"a real event is news for at most {NEWS_LAG} quarters: set end between {e.date} and {latest}")
    for s in scenarios:
        allowed = (e.scenarios is None or s.id in e.scenarios) and e.id not in s.exclude_events
        if allowed and quarter_index(s.start) > date:
            problem("event", e.id, "date",
                    f"happened in {e.date}, before scenario '{s.id}' starts ({s.start}): it would arrive there as "
                    f"old news; confine the event with `scenarios` or add it to that scenario's exclude_events")


def _load(folders: list[Path]) -> Content:
    problems: list[Problem] = []
    pack = _Pack()
    for folder in folders:
        _read_dir(folder, pack, problems)
    model = _validate(Model, pack.model, pack.model_file or "model.toml", "", problems) or Model()
    _cross_check(pack, model, problems)
    if problems:
        raise ContentError(problems)
    items = pack.items
    return Content(
        sources=items["source"], vendors=items["vendor"], regions=items["region"], levers=items["lever"],
        deals=items["deal"], alliances=items["alliance"], stakeholders=items["stakeholder"], events=items["event"],
        scenarios=items["scenario"], model=model, fingerprint=fingerprint(items, model),
        origins=pack.origins,
    )


def load_content(*overlays: Path | str, include_default: bool = True) -> Content:
    """Load the default pack (unless `include_default` is false) and the overlays, in order.

    A pack that loaded cleanly before is read back from the cache (game.content.cache): parsing ~150 KB of
    TOML is a third of a headless game's time.
    """
    folders = ([files.default_content_dir()] if include_default else []) + [Path(p) for p in overlays]
    key = cache.key(folders)
    content = cache.read(key, Content)
    if content is None:
        content = _load(folders)
        cache.write(key, content)
    return content
