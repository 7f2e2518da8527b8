"""`homegrown check --format text|json|github` and `--json -`: every problem with its file, key and, where
the TOML shows them, line and column (game.content.locate)."""

from __future__ import annotations

import json

from game.cli import main
from game.content.locate import locate

LEVERS = """# a comment
[[lever]]
id = "first"
name = "First"

[[lever]]
id = "second"
description = \"\"\"two
lines = not a key\"\"\"
saturation = 3
effects = [ { kind = "add", target = "approval", amount = 1 } ]
"""

EVENTS = """[[event]]
id = "e"

[[event.choices]]
id = "a"

[[event.choices]]
id = "b"
label = "B"
"""


def test_locate_finds_array_tables_by_index_and_by_id_and_falls_back_to_the_enclosing_key(tmp_path):
    f = tmp_path / "levers.toml"
    f.write_text(LEVERS)
    assert locate(f, "lever[1].saturation") == (10, 1)
    assert locate(f, "lever[id=second].saturation") == (10, 1)
    assert locate(f, "lever[0].name") == (4, 1)
    assert locate(f, "lever[1].effects[0].amount") == (11, 1)  # inside an inline array: its key's line
    assert locate(f, "lever[1].lines") == (6, 3)  # text inside a multi-line string is no key: the table
    assert locate(f, "line 3, column 7") == (3, 7)  # a TOML syntax error's own position
    assert locate(f, "") is None and locate(tmp_path / "missing.toml", "lever[0]") is None
    g = tmp_path / "event.toml"
    g.write_text(EVENTS)
    assert locate(g, "event[0].choices[1].label") == (9, 1)
    assert locate(g, "event[id=e].choices[id=b]") == (7, 3)


def _bad_pack(tmp_path):
    (tmp_path / "levers.toml").write_text('[[lever]]\nid = "subsidy-nec"\nname = "NEC"\nsaturaton = 3\n')
    return str(tmp_path)


def test_text_json_and_github_formats_carry_file_line_and_column(tmp_path, capsys):
    pack = _bad_pack(tmp_path)
    assert main(["check", pack, "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False
    typo = next(p for p in doc["problems"] if "saturaton" in p["message"])
    assert typo["file"].endswith("levers.toml") and (typo["line"], typo["column"]) == (4, 1)
    assert typo["key"] == "lever[0].saturaton"

    assert main(["check", pack, "--json", "-"]) == 1
    assert json.loads(capsys.readouterr().out) == doc

    assert main(["check", pack, "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("::error file=") and "levers.toml,line=4,col=1,title=homegrown check::"
               "lever[0].saturaton: unknown key" in line for line in lines)

    assert main(["check", pack]) == 1
    err = capsys.readouterr().err
    assert "levers.toml:4:1: lever[0].saturaton: unknown key 'saturaton'" in err


def test_a_clean_pack_is_ok_in_every_format(capsys):
    assert main(["check", "--json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True and doc["problems"] == [] and doc["fingerprint"]
    assert main(["check", "--format", "github"]) == 0
    assert capsys.readouterr().out == ""
