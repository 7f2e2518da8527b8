"""Editor support for modders: the committed JSON Schemas are the models' current ones, the whole default
pack validates against them, a misspelt key is flagged where it is, and the taplo and pre-commit files
point at the right things; shell completion comes from the parser."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from game.cli import main
from game.content.schemas import file_models, schema_texts


@pytest.fixture(scope="module")
def validators() -> dict[str, jsonschema.Draft202012Validator]:
    return {name: jsonschema.Draft202012Validator(json.loads(text)) for name, text in schema_texts().items()}


def test_the_committed_schemas_are_the_models_current_ones(repo_root):
    committed = {p.name: p.read_text(encoding="utf-8") for p in (repo_root / "content" / "schema").glob("*.json")}
    assert committed == schema_texts(), "run: homegrown schema --out content/schema"


def test_every_file_of_the_default_pack_validates(repo_root, validators):
    checked = 0
    for name, (glob, _) in file_models().items():
        for path in sorted((repo_root / "content").glob(glob)):
            errors = [f"{path.name}: {list(e.absolute_path)}: {e.message}"
                      for e in validators[name].iter_errors(tomllib.loads(path.read_text(encoding="utf-8")))]
            assert errors == []
            checked += 1
    toml_files = list((repo_root / "content").rglob("*.toml"))
    assert checked == len(toml_files)  # every content file has a schema


def test_a_misspelt_key_and_a_wrong_type_are_flagged_where_they_are(repo_root, validators):
    data = tomllib.loads((repo_root / "content" / "levers.toml").read_text(encoding="utf-8"))
    data["lever"][2]["saturaton"] = 3
    data["lever"][4]["max"] = "lots"
    errors = {tuple(e.absolute_path): e.message for e in validators["levers.json"].iter_errors(data)}
    assert "'saturaton' was unexpected" in errors[("lever", 2)]
    assert ("lever", 4, "max") in errors


def test_schema_command_writes_every_schema(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path / "s")]) == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(schema_texts())
    assert "wrote 10 schemas" in capsys.readouterr().out


def test_taplo_rules_cover_every_schema_and_point_at_committed_files(repo_root):
    config = tomllib.loads((repo_root / ".taplo.toml").read_text(encoding="utf-8"))
    paths = {Path(rule["schema"]["path"]).name for rule in config["rule"]}
    assert paths == set(schema_texts())
    for rule in config["rule"]:
        assert (repo_root / rule["schema"]["path"]).is_file()
        assert any((repo_root).glob(rule["include"][0]))  # each rule matches files of the default pack


def test_the_pre_commit_hook_runs_check(repo_root):
    text = (repo_root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: homegrown-check" in text and "entry: homegrown check" in text and "language: python" in text


def test_completion_scripts_know_every_command(capsys):
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    for command in ("play", "run", "sweep", "check", "schema", "--format"):
        assert command in script
    assert main(["completion", "fish"]) == 2  # not a shell shtab writes for
