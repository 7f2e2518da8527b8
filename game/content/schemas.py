"""JSON Schemas of the content files, from the same pydantic models the loader validates with, so an
editor (through taplo, `.taplo.toml`) flags a misspelt key or a wrong type where it is typed.

One schema per kind of file: `vendors.json` for vendors.toml (a list of `[[vendor]]` tables) and the
other item files alike, `model.json` for model.toml, `events.json` for every file in events/, and
`scenario.json` for every file in scenarios/. `homegrown schema --out DIR` writes them; the pack's own
copies live in content/schema/ (a test keeps them current). The schemas check each file alone; what
spans files (ids referred to, expressions, dates) is `homegrown check`'s.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from game.content.schema import FILE_KINDS, Event, Model, Scenario

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def _file_model(name: str, key: str, item: type[BaseModel]) -> type[BaseModel]:
    """A model of a whole file holding `[[key]]` tables of `item`."""
    fields: dict[str, Any] = {key: (list[item], [])}  # type: ignore[valid-type]
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def file_models() -> dict[str, tuple[str, type[BaseModel]]]:
    """Schema file name -> (the content files it describes, as a glob, the model of one such file)."""
    out: dict[str, tuple[str, type[BaseModel]]] = {}
    for filename, (key, item) in FILE_KINDS.items():
        stem = filename.removesuffix(".toml")
        out[f"{stem}.json"] = (filename, _file_model(f"{stem.title()}File", key, item))
    out["model.json"] = ("model.toml", Model)
    out["events.json"] = ("events/*.toml", _file_model("EventsFile", "event", Event))
    out["scenario.json"] = ("scenarios/*.toml", Scenario)
    return out


def schemas() -> dict[str, dict[str, Any]]:
    """Schema file name -> the JSON Schema (draft 2020-12)."""
    out = {}
    for name, (files, model) in file_models().items():
        schema = model.model_json_schema(mode="validation")
        schema = {"$schema": SCHEMA_URI, "$id": name, "title": f"Homegrown content: {files}", **schema}
        out[name] = schema
    return out


def schema_texts() -> dict[str, str]:
    """Schema file name -> its text as written (stable: sorted keys, one trailing newline)."""
    return {name: json.dumps(s, indent=2, sort_keys=True, ensure_ascii=False) + "\n" for name, s in schemas().items()}
