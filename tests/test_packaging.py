"""A regular (non-editable) install carries the content pack inside the package and works from anywhere."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, game, game.content.loader
from game.content.loader import default_content_dir, load_content
content = load_content()
print(json.dumps({"game": game.__file__, "content_dir": str(default_content_dir()),
                  "fingerprint": content.fingerprint, "summary": content.summary()}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory, repo_root) -> Path:
    target = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--disable-pip-version-check",
               "--target", str(target)]
    if importlib.util.find_spec("hatchling") is not None:  # offline when the build backend is at hand
        command += ["--no-build-isolation", "--no-index"]
    proc = subprocess.run([*command, str(repo_root)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return target


def _env(site: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HOMEGROWN_DEBUG")}
    env["PYTHONPATH"] = str(site)
    return env


@pytest.mark.slow
def test_installed_package_finds_its_content_from_another_directory(installed, content, tmp_path):
    assert (installed / "game" / "content" / "default" / "vendors.toml").is_file()
    assert not (installed / "content").exists()  # shipped inside the package, not beside it
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=tmp_path,
                          env=_env(installed), timeout=120)
    assert proc.returncode == 0, proc.stderr
    probe = json.loads(proc.stdout)
    assert Path(probe["game"]).resolve().is_relative_to(installed.resolve())
    assert Path(probe["content_dir"]).resolve() == (installed / "game" / "content" / "default").resolve()
    assert probe["fingerprint"] == content.fingerprint  # the very same pack as the checkout's
    assert probe["summary"] == content.summary()


@pytest.mark.slow
def test_installed_command_runs_a_game(installed, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "game", "run", "--seed", "1", "--json", "-"],
                          capture_output=True, text=True, cwd=tmp_path, env=_env(installed), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["turns"] >= 1
    script = installed / "bin" / "homegrown"
    assert script.is_file() and "game.cli" in script.read_text(encoding="utf-8")


def test_one_source_for_the_version(repo_root):
    import importlib.metadata
    import tomllib

    import game

    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]  # read from game/__init__.py
    assert importlib.metadata.version("homegrown") == game.__version__


def test_ci_installs_and_tests_as_the_readme_says(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith("python3 -m venv") and "[test]" in line)
    assert command in ci.splitlines()


def test_every_imported_library_is_declared_and_every_floor_is_pinned(repo_root):
    import ast
    import re
    import tomllib

    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["dependencies"]}
    optional = {re.split(r"[<>=\[ ]", d)[0].lower() for ds in project["optional-dependencies"].values() for d in ds}
    imported = set()
    for path in (repo_root / "game").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported - set(sys.stdlib_module_names) if m != "game"}
    names = {"distributed": "dask", "textual_serve": "textual-serve"}
    assert {names.get(m, m) for m in third_party} - declared - optional == set()
    floors = dict(line.split("==") for line in (repo_root / "constraints" / "floor.txt").read_text().splitlines()
                  if "==" in line and not line.startswith("#"))
    for requirement in project["dependencies"] + project["optional-dependencies"]["rl"]:
        name, floor = re.match(r"([a-z-]+)>=([0-9.]+)", requirement).groups()
        assert floors[name].startswith(floor), f"{name}: pyproject says >={floor}, the floor test pins {floors[name]}"
