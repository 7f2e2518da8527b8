"""`homegrown schema --out DIR`: write the JSON Schemas of the content files (game.content.schemas)."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from game.cli.common import Failure, Subparsers


def register(sub: Subparsers) -> None:
    p = sub.add_parser("schema", help="write JSON Schemas of the content files (for editors)", description=(
        "Write one JSON Schema per kind of content file, from the models `check` validates with: "
        "vendors.json for vendors.toml and the other item files alike, model.json, events.json for "
        "events/*.toml and scenario.json for scenarios/*.toml. The default pack's copies are in "
        "content/schema/, and .taplo.toml points editors at them."))
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write the schemas in")
    p.set_defaults(func=run)


def run(args: Namespace) -> int:
    # lazy: pydantic's schema generation is only needed here
    from game.content.schemas import schema_texts
    from game.storage import atomic_write

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in schema_texts().items():
            atomic_write(out / name, text.encode("utf-8"), keep_backup=False)
    except OSError as exc:
        raise Failure(f"cannot write the schemas in {out}: {exc.strerror or exc}") from None
    print(f"wrote {len(schema_texts())} schemas in {out}")
    return 0
