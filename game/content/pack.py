"""A loaded content pack as plain data (no I/O here: the loader reads files and builds it), and the
problems a pack can have."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.content.schema import Alliance, Deal, Event, Lever, Model, Region, Scenario, Source, Vendor


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"


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
    origins: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)
    """(kind, id) -> the file it came from, for messages."""

    def ids(self) -> dict[str, list[str]]:
        return {
            "vendor": list(self.vendors), "region": list(self.regions), "lever": list(self.levers),
            "deal": list(self.deals), "alliance": list(self.alliances), "event": list(self.events),
        }

    def summary(self) -> str:
        return (f"{len(self.vendors)} vendors, {len(self.regions)} regions, {len(self.levers)} levers, "
                f"{len(self.deals)} deals, {len(self.alliances)} alliances, {len(self.events)} events, "
                f"{len(self.scenarios)} scenarios")
