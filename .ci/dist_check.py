"""CI checks of the built distributions: `contents WHEEL SDIST` (what each must and must not hold) and
`floors CONSTRAINTS` (the installed versions are the constraints' pins)."""

from __future__ import annotations

import importlib.metadata
import sys
import tarfile
import zipfile
from pathlib import Path

WHEEL_MUST = ["game/__init__.py", "game/content/default/vendors.toml", "game/content/default/scenarios/default.toml",
              "game/tui/app.tcss", "game/rl/env.py", "game/py.typed"]
WHEEL_MUST_NOT = ["tests/", "content/", "docs/", ".venv/", "saves/"]
SDIST_MUST = ["pyproject.toml", "README.md", "LICENSE", "docs/design.md", "docs/teaching.md", "content/vendors.toml",
              "content/schema/scenario.json", "tests/conftest.py", "examples/train_ppo.py", "constraints/floor.txt",
              ".pre-commit-hooks.yaml", ".taplo.toml"]
SDIST_MUST_NOT = [".venv/", ".git/", "saves/autosave"]


def check(kind: str, names: list[str], must: list[str], must_not: list[str]) -> list[str]:
    missing = [m for m in must if m not in names]
    extra = [n for n in names for bad in must_not if n.startswith(bad)]
    return [f"{kind}: missing {m}" for m in missing] + [f"{kind}: should not hold {n}" for n in extra]


def contents(wheel: str, sdist: str) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    info = [n for n in names if n.endswith(".dist-info/METADATA")]
    meta = zipfile.ZipFile(wheel).read(info[0]).decode() if info else ""
    problems = check("wheel", names, WHEEL_MUST, WHEEL_MUST_NOT)
    problems += [f"wheel METADATA lacks {line!r}" for line in ("License-Expression: MIT", "License-File: LICENSE")
                 if line not in meta]
    with tarfile.open(sdist) as t:
        top = t.getnames()[0].split("/")[0]
        snames = [n.removeprefix(top + "/") for n in t.getnames()]
    return problems + check("sdist", snames, SDIST_MUST, SDIST_MUST_NOT)


def floors(constraints: str) -> list[str]:
    pins = dict(line.split("#")[0].strip().split("==") for line in Path(constraints).read_text().splitlines()
                if "==" in line.split("#")[0])
    problems = [f"{name} {importlib.metadata.version(name)} installed, not the floor {version}"
                for name, version in pins.items() if importlib.metadata.version(name) != version]
    if not problems:
        print("floors installed: " + ", ".join(f"{k}=={v}" for k, v in pins.items()))
    return problems


if __name__ == "__main__":
    command, *paths = sys.argv[1:]
    found = contents(*paths) if command == "contents" else floors(*paths)
    for problem in found:
        print(problem, file=sys.stderr)
    if command == "contents" and not found:
        print("wheel and sdist contents OK")
    sys.exit(1 if found else 0)
