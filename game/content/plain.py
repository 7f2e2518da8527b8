"""Content as plain records: what a compiled world read back from the cache holds instead of pydantic
models, so that one game's process never imports pydantic (game.cli.common.load_world). A record has
its model's fields, read-only; the models' validators have run before any record is made."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from game.content.pack import ITEM_KINDS, Content

if TYPE_CHECKING:
    from game.sim.world import World


class Record:
    """One validated content model's fields (an item, a sub-table, an effect), read-only."""

    __slots__ = ("__dict__", "_model")
    _model: str

    def __init__(self, model: str, fields: dict[str, Any]):
        object.__setattr__(self, "_model", model)
        self.__dict__.update(fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{self._model} is read-only")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and (self._model, self.__dict__) == (other._model, other.__dict__)

    __hash__ = object.__hash__

    def __reduce__(self) -> tuple[Any, ...]:  # pickled by its fields (a plain unpickle would set them one by one)
        return Record, (self._model, self.__dict__)

    def __repr__(self) -> str:
        return f"{self._model}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


def plain(value: Any) -> Any:
    """`value` with every pydantic model in it (in lists and tables too) made a Record."""
    from pydantic import BaseModel  # lazy: only where the cache is written, after a strict load

    if isinstance(value, BaseModel):
        return Record(type(value).__name__, {name: plain(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return value


def plain_world(world: World) -> World:
    """The compiled world as the cache keeps it: its pack (and scenario) as records, everything the
    compiler produced as it is."""
    fields = {name: plain(getattr(world.content, name)) for name in (*ITEM_KINDS.values(), "model")}
    content: Content = dataclasses.replace(world.content, **fields)
    return dataclasses.replace(world, content=content, scenario=content.scenarios[world.scenario.id])
