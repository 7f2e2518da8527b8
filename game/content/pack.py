"""A loaded content pack as plain data (no I/O here: the loader reads files and builds it), and the
problems a pack can have."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from game.content.untrusted import printable

if TYPE_CHECKING:  # a compiled world read back from the cache holds a pack without pydantic (game.content.plain)
    from pydantic import BaseModel

    from game.content.schema import (
        Alliance,
        Deal,
        Event,
        Lever,
        Model,
        Region,
        Scenario,
        Source,
        Stakeholder,
        Vendor,
    )


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:  # messages quote what the file holds: printable, so no escape reaches a terminal
        text = f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"
        return printable(text).replace("\n", " ")  # one line each


class ContentError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Content:
    """A loaded, checked content pack. Item lists keep file order (the order shown to players)."""

    sources: dict[str, Source]
    vendors: dict[str, Vendor]
    regions: dict[str, Region]
    levers: dict[str, Lever]
    deals: dict[str, Deal]
    alliances: dict[str, Alliance]
    events: dict[str, Event]
    scenarios: dict[str, Scenario]
    model: Model
    fingerprint: str
    stakeholders: dict[str, Stakeholder] = field(default_factory=dict)
    origins: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)
    """(kind, id) -> the file it came from, for messages."""

    def ids(self) -> dict[str, list[str]]:
        return {
            "vendor": list(self.vendors), "region": list(self.regions), "lever": list(self.levers),
            "deal": list(self.deals), "alliance": list(self.alliances), "event": list(self.events),
            "stakeholder": list(self.stakeholders),
        }

    def summary(self) -> str:
        return (f"{len(self.vendors)} vendors, {len(self.regions)} regions, {len(self.levers)} levers, "
                f"{len(self.deals)} deals, {len(self.alliances)} alliances, {len(self.stakeholders)} stakeholders, "
                f"{len(self.events)} events, "
                f"{len(self.scenarios)} scenarios")


ITEM_KINDS = {"source": "sources", "vendor": "vendors", "region": "regions", "lever": "levers", "deal": "deals",
              "alliance": "alliances", "stakeholder": "stakeholders", "event": "events", "scenario": "scenarios"}
"""Item kind -> the Content field holding items of that kind."""


def fingerprint(items: Mapping[str, Mapping[str, BaseModel]], model: Model) -> str:
    """The pack's identity: sha256 of its normalised items (kind -> id -> model) and model, 16 hex digits."""
    normal: dict[str, object] = {kind: [item.model_dump(mode="json") for item in by_id.values()]
                                 for kind, by_id in items.items()}
    normal["model"] = model.model_dump(mode="json")
    blob = json.dumps(normal, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def refingerprint(content: Content) -> Content:
    """The same pack with its fingerprint recomputed (after a programmatic change, e.g. a sweep variant)."""
    items = {kind: getattr(content, name) for kind, name in ITEM_KINDS.items()}
    return replace(content, fingerprint=fingerprint(items, content.model))
