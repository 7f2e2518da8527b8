"""The CLI's commands, one module each, each with `register(subparsers)`."""

from __future__ import annotations

from game.loader import Content, load_content


def load_with_scenario(overlays: list[str], scenario: str | None) -> Content:
    """Load the pack and check the scenario id (a usage error naming the valid ones)."""
    from game.cli import UsageError

    content = load_content(*overlays)
    if scenario is not None and scenario not in content.scenarios:
        raise UsageError(f"unknown scenario '{scenario}' (valid: {', '.join(content.scenarios)})")
    return content
