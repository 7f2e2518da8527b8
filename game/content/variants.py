"""Content variants: a pack with one value replaced by its dotted key path (`levers.rnd-b5g.saturation`),
re-validated by the content schema. `homegrown sweep --vary` builds its grids from these."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from game.content.pack import ITEM_KINDS, Content, refingerprint
from game.content.suggest import did_you_mean


class VariantError(ValueError):
    """A key path or value that does not fit the pack: one line naming it."""


CONTENT_KINDS = tuple(ITEM_KINDS.values())



def parse_value(text: str) -> Any:
    """A value as TOML reads it (5, 0.3, true, "text"); anything else is a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def parse_vary(spec: str) -> tuple[str, list[Any]]:
    """'levers.rnd-b5g.saturation=3,5,8' -> ('levers.rnd-b5g.saturation', [3, 5, 8])."""
    path, eq, values = spec.partition("=")
    path = path.strip()
    if not eq or not path or not values.strip():
        raise VariantError(
            f"--vary '{spec}': expected KEY.PATH=V1,V2,... (e.g. levers.rnd-b5g.saturation=3,5,8)"
        )
    items = list(values.split(","))
    if any(not v.strip() for v in items):
        raise VariantError(f"--vary '{spec}': empty value in the list")
    return path, [parse_value(v) for v in items]


def _child(obj: Any, key: str, trail: str, last: bool) -> Any:
    if isinstance(obj, BaseModel):
        names = type(obj).model_fields
        if key not in names:
            raise VariantError(f"--vary {trail}: unknown key '{key}'{did_you_mean(key, names, cutoff=0.5)}")
        if key == "id":
            raise VariantError(f"--vary {trail}: ids cannot be varied")
        return getattr(obj, key)
    if isinstance(obj, dict):
        if key not in obj:
            if last:
                return None  # a new key in a table such as model.start
            raise VariantError(f"--vary {trail}: unknown key '{key}'{did_you_mean(key, obj, cutoff=0.5)}")
        return obj[key]
    if isinstance(obj, list):
        try:
            return obj[int(key)]
        except (ValueError, IndexError):
            raise VariantError(f"--vary {trail}: '{key}' is not an index of a list of {len(obj)}") from None
    raise VariantError(f"--vary {trail}: a {type(obj).__name__} value has no key '{key}'")


def _set_in(data: Any, keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        data = data[int(key)] if isinstance(data, list) else data[key]
    if isinstance(data, list):
        data[int(keys[-1])] = value
    else:
        data[keys[-1]] = value


def vary_content(content: Content, path: str, value: Any) -> Content:
    """A copy of `content` with the value at `path` replaced, re-validated by the content schema."""
    kind, *keys = path.split(".")
    valid = [*CONTENT_KINDS, "model"]
    if kind not in valid:
        raise VariantError(
            f"--vary {path}: unknown section '{kind}'{did_you_mean(kind, valid, cutoff=0.5)} (valid: {', '.join(valid)})"
        )
    if kind == "model":
        item: BaseModel = content.model
        item_keys, item_id = keys, None
    else:
        items: dict[str, BaseModel] = getattr(content, kind)
        if not keys:
            raise VariantError(f"--vary {path}: name an item and a key, e.g. {kind}.ID.KEY")
        item_id, item_keys = keys[0], keys[1:]
        if item_id not in items:
            raise VariantError(f"--vary {path}: unknown {kind[:-1]} '{item_id}'{did_you_mean(item_id, items, cutoff=0.5)}")
        item = items[item_id]
    if not item_keys:
        raise VariantError(f"--vary {path}: name a key to vary, e.g. {path}.KEY")
    obj: Any = item
    for j, key in enumerate(item_keys):
        trail = ".".join([kind, *([item_id] if item_id else []), *item_keys[: j + 1]])
        obj = _child(obj, key, trail, last=j == len(item_keys) - 1)
    if isinstance(obj, (BaseModel, dict, list)):
        raise VariantError(f"--vary {path}: not a single value; name one of its keys")
    data = item.model_dump()
    _set_in(data, item_keys, value)
    try:
        new_item = type(item).model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise VariantError(f"--vary {path}={value}: {err['msg']}") from None
    changed: dict[str, Any] = ({"model": new_item} if kind == "model"
                               else {kind: {**getattr(content, kind), item_id: new_item}})
    return refingerprint(replace(content, **changed))
