"""Broken content packs give clear errors (file, key path, message, did-you-mean), all in one run;
valid overlays replace and add items and change the fingerprint."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.content.loader import ContentError, load_content

LINE = re.compile(r"^(?P<file>\S[^:]*\.toml)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<path>[^:]+): (?P<message>.+)$")

EVENT = """
[[event]]
id = "{id}"
title = "A test event"
category = "politics"
text = "Something happens."
trigger = {{ condition = "{condition}" }}
effects = [ {effect} ]
"""
GOOD_EFFECT = '{ kind = "add", target = "approval", amount = 1 }'


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def event(id="test-event", condition="tension > 60", effect=GOOD_EFFECT) -> str:
    return EVENT.format(id=id, condition=condition, effect=effect)


def toml_table(kind: str, item: dict) -> str:
    """A [[kind]] table for flat items (strings, numbers, booleans, lists of strings)."""
    lines = [f"[[{kind}]]"]
    for key, value in item.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str):
            text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif isinstance(value, list):
            text = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        else:
            text = repr(value)
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


def problems_of(folder: Path) -> list:
    with pytest.raises(ContentError) as info:
        load_content(folder)
    return info.value.problems


def only(problems, **expected):
    """The one problem whose fields contain the expected texts."""
    found = [p for p in problems if all(text in getattr(p, key) for key, text in expected.items())]
    assert len(found) == 1, f"expected one problem with {expected}, got: {[str(p) for p in problems]}"
    return found[0]


# ------------------------------------------------------------ one problem at a time


def test_unknown_id_suggests_the_nearest(tmp_path):
    write(tmp_path, "events/test.toml",
          event(effect='{ kind = "shift", region = "japan", vendor = "nex", amount = 0.1 }'))
    p = only(problems_of(tmp_path), message="unknown vendor 'nex'")
    assert p.file.endswith("test.toml")
    assert p.path == "event[id=test-event].effects[0].vendor"
    assert "(did you mean 'nec'?)" in p.message


def test_wrong_type_names_the_key_and_the_value(content, tmp_path):
    nec = content.vendors["nec"].model_dump()
    write(tmp_path, "vendors.toml", toml_table("vendor", nec).replace(f"tech = {nec['tech']!r}", 'tech = "high"'))
    p = only(problems_of(tmp_path), path="vendor[0].tech")
    assert p.file.endswith("vendors.toml")
    assert "valid number" in p.message and "'high'" in p.message


def test_missing_field(content, tmp_path):
    nec = content.vendors["nec"].model_dump()
    del nec["name"]
    write(tmp_path, "vendors.toml", toml_table("vendor", nec))
    p = only(problems_of(tmp_path), path="vendor[0].name")
    assert "Field required" in p.message


def test_bad_expression(tmp_path):
    write(tmp_path, "events/test.toml", event(condition="tension ** 2 > 1"))
    p = only(problems_of(tmp_path), path="event[id=test-event].trigger.condition")
    assert "tension ** 2 > 1" in p.message and "**" in p.message and "not allowed" in p.message


def test_unknown_variable_in_a_condition_suggests_the_nearest(tmp_path):
    write(tmp_path, "events/test.toml", event(condition="tenson > 60 and approval < 40"))
    p = only(problems_of(tmp_path), path="event[id=test-event].trigger.condition")
    assert p.message == "unknown variable 'tenson' (did you mean 'tension'?)"


def test_unknown_variable_as_an_effect_target(tmp_path):
    write(tmp_path, "events/test.toml", event(effect='{ kind = "add", target = "aproval", amount = 1 }'))
    p = only(problems_of(tmp_path), path="event[id=test-event].effects[0].target")
    assert "unknown variable 'aproval'" in p.message and "did you mean 'approval'" in p.message


def test_read_only_variable_as_an_effect_target(tmp_path):
    write(tmp_path, "events/test.toml", event(effect='{ kind = "add", target = "domestic_share", amount = 1 }'))
    p = only(problems_of(tmp_path), path="event[id=test-event].effects[0].target")
    assert "read-only variable 'domestic_share'" in p.message


def test_unknown_source_id(content, tmp_path):
    nec = content.vendors["nec"].model_dump()
    nec["source"] = "omdia-huawei-regionz"
    write(tmp_path, "vendors.toml", toml_table("vendor", nec))
    p = only(problems_of(tmp_path), message="source 'omdia-huawei-regionz' is not defined")
    assert p.path == "vendor[id=nec].source" and p.file.endswith("vendors.toml")


def test_toml_syntax_error_names_the_file_and_the_line(tmp_path):
    write(tmp_path, "deals.toml", '# a comment\n[[deal]]\nid = "broken\nname = "x"\n')
    p = only(problems_of(tmp_path), message="TOML syntax error")
    assert p.file.endswith("deals.toml")
    assert re.search(r"\bline 3\b", str(p)), str(p)


def test_unknown_key_suggests_the_nearest(content, tmp_path):
    nec = content.vendors["nec"].model_dump()
    nec["tehc"] = nec.pop("rnd")
    write(tmp_path, "vendors.toml", toml_table("vendor", nec))
    p = only(problems_of(tmp_path), path="vendor[0].tehc")
    assert p.message == "unknown key 'tehc' (did you mean 'tech'?)"


def test_unknown_top_level_key_and_unknown_file(tmp_path):
    write(tmp_path, "alliances.toml", "[[aliance]]\nid = 'x'\n")
    write(tmp_path, "vendor.toml", "")
    problems = problems_of(tmp_path)
    assert "unknown key" in only(problems, path="aliance").message
    assert "did you mean 'vendors.toml'" in only(problems, file="vendor.toml").message


def test_missing_overlay_folder(tmp_path):
    p = only(problems_of(tmp_path / "nowhere"), message="no such directory")
    assert "nowhere" in p.file


# ------------------------------------------------------------ many problems, one run


def _broken_pack(folder: Path, content) -> None:
    nec = content.vendors["nec"].model_dump()
    nec["tech"] = "high"
    write(folder, "vendors.toml", toml_table("vendor", nec))
    write(folder, "deals.toml", '[[deal]]\nid = "x\n')
    write(folder, "events/a.toml", event(id="a-one", condition="tenson > 1") + event(
        id="a-two", effect='{ kind = "ban", region = "japn", vendor = "huawei" }'))
    write(folder, "events/b.toml", event(id="b-one", condition="f(x)"))


def test_all_problems_in_all_files_are_reported_together(content, tmp_path):
    _broken_pack(tmp_path, content)
    problems = problems_of(tmp_path)
    files = {Path(p.file).name for p in problems}
    assert files == {"vendors.toml", "deals.toml", "a.toml", "b.toml"}
    assert len(problems) == 5
    only(problems, message="unknown region 'japn' (did you mean 'japan'?)")


def test_check_command_prints_one_line_per_problem_and_exits_1(content, tmp_path, capsys):
    _broken_pack(tmp_path, content)
    assert main(["check", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert "5 problem" in lines[0]
    problem_lines = [line.strip() for line in lines[1:]]
    assert len(problem_lines) == 5
    for line in problem_lines:
        m = LINE.match(line)
        assert m, f"not 'FILE: key.path: message': {line!r}"
        assert Path(m["file"]).name in {"vendors.toml", "deals.toml", "a.toml", "b.toml"}


def test_check_as_a_process_never_shows_a_traceback(content, tmp_path, cli_env):
    _broken_pack(tmp_path, content)
    proc = subprocess.run([sys.executable, "-m", "game", "check", str(tmp_path)], capture_output=True,
                          text=True, env=cli_env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    # located: the inline trigger table's line (the key inside it has no line of its own)
    assert "a.toml:7:1: event[id=a-one].trigger.condition: unknown variable 'tenson'" in proc.stderr


# ------------------------------------------------------------ valid overlays


def test_same_id_replaces_in_place_new_id_adds_and_fingerprint_changes(content, tmp_path):
    nec = content.vendors["nec"].model_dump()
    nec["tech"] = 99.0
    rakuten = {"id": "rakuten", "name": "Rakuten Symphony", "country": "Japan", "domestic": True,
               "tech": 55.0, "cost": 0.9, "trust": 0.9}
    write(tmp_path, "vendors.toml", toml_table("vendor", nec) + "\n" + toml_table("vendor", rakuten))
    write(tmp_path, "events/new.toml", event(id="brand-new-event"))
    overlaid = load_content(tmp_path)
    assert overlaid.vendors["nec"].tech == 99.0
    assert list(overlaid.vendors)[: len(content.vendors)] == list(content.vendors)  # nec kept its place
    assert list(overlaid.vendors)[-1] == "rakuten"
    assert "brand-new-event" in overlaid.events
    assert len(overlaid.events) == len(content.events) + 1
    assert overlaid.scenarios.keys() == content.scenarios.keys()
    assert overlaid.fingerprint != content.fingerprint
    assert load_content(tmp_path).fingerprint == overlaid.fingerprint


def test_fingerprint_is_stable_and_ignores_file_layout(content, tmp_path):
    assert load_content().fingerprint == content.fingerprint
    assert re.fullmatch(r"[0-9a-f]{16}", content.fingerprint)
    # Overlaying an item identical to the default one changes nothing.
    write(tmp_path, "vendors.toml", toml_table("vendor", content.vendors["nec"].model_dump()))
    assert load_content(tmp_path).fingerprint == content.fingerprint


def test_check_on_a_valid_overlay_exits_0(tmp_path, capsys):
    write(tmp_path, "events/new.toml", event(id="brand-new-event"))
    assert main(["check", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("content OK:") and err == ""


@pytest.mark.parametrize("name, text, where", [
    ("model.toml", "[security]\nmajor_approval_hit = inf\n", "security.major_approval_hit"),
    ("model.toml", "[market]\nw_cost = nan\n", "market.w_cost"),
    ("model.toml", "[workforce]\ninflow = -inf\n", "workforce.inflow"),
    ("events/x.toml", event(effect='{ kind = "add", target = "approval", amount = -inf }'), "event[0].effects[0].amount"),
])
def test_non_finite_numbers_are_refused_naming_the_file_and_key(tmp_path, name, text, where):
    write(tmp_path, name, text)
    with pytest.raises(ContentError) as info:
        load_content(tmp_path)
    problems = [str(p) for p in info.value.problems]
    assert any(where in p and "finite number" in p and name.split("/")[-1] in p for p in problems), problems


DEFAULT_SCENARIO = (Path(__file__).parents[1] / "content" / "scenarios" / "default.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, text, where, message", [
    ("model.toml", "[security]\nmajor_approval_hit = 1e308\n", "security.major_approval_hit", "1e+308 is out of range"),
    ("model.toml", "[workforce]\ninflow = 1.8e308\n", "workforce.inflow", "finite number"),
    ("model.toml", "[start]\nengineers = -2e6\n", "start", "engineers: -2e+06 is out of range"),
    ("scenarios/default.toml", DEFAULT_SCENARIO.replace("weight = 2", "weight = 2\nspan = 1e-320", 1),
     "goals[0].span", "1e-320 is out of range"),
    ("events/x.toml", event(effect='{ kind = "mul", target = "approval", factor = 1e5 }'),
     "event[0].effects[0].factor", "less than or equal to 10"),
    ("scenarios/default.toml", DEFAULT_SCENARIO.replace("\nbudget = 20\n", "\nbudget = 1e300\n"), "budget",
     "out of range"),
    ("scenarios/default.toml", DEFAULT_SCENARIO.replace("\nturns = 20\n", "\nturns = 20\nseed = 9223372036854775808\n"),
     "seed", "less than 9223372036854775808"),
    ("scenarios/default.toml", re.sub(r"weight = [0-9.]+", "weight = 1e308", DEFAULT_SCENARIO, count=1),
     "goals[0].weight", "out of range"),
])
def test_numbers_out_of_range_are_refused_naming_the_file_and_key(tmp_path, name, text, where, message):
    write(tmp_path, name, text)
    problems = [str(p) for p in problems_of(tmp_path)]
    assert any(f"{name.split('/')[-1]}: {where}:" in p and message in p for p in problems), problems


JAPAN = """[[region]]
id = "japan"
name = "Japan"
market_size = 2.5
security_sensitivity = 0.9
shares = {shares}
bans = {bans}
source = "delloro-ran-2024q2"
"""


@pytest.mark.parametrize("shares, bans, where, message", [
    ("{ huawei = 3.0, zte = -2.0 }", "[]", "region[0].shares.zte", "greater than or equal to 0"),
    ("{ nec = 1.0 }", '["huawei", "zte", "ericsson", "nokia", "samsung", "nec", "fujitsu", "jp-openran", "openran"]',
     "region[id=japan].bans", "bans every vendor"),
])
def test_impossible_regions_are_refused(tmp_path, shares, bans, where, message):
    write(tmp_path, "regions.toml", JAPAN.format(shares=shares, bans=bans))
    with pytest.raises(ContentError) as info:
        load_content(tmp_path)
    problems = [str(p) for p in info.value.problems]
    assert any(where in p and message in p for p in problems), problems


@pytest.mark.parametrize("kind", ["fifo", "urandom", "zero", "large"])
def test_content_files_are_regular_and_bounded_and_never_hang(tmp_path, kind):
    """A FIFO, links to endless devices and a huge file: refused at once, naming the file."""
    import os

    from game.content.files import MAX_CONTENT_FILE_BYTES

    path = tmp_path / "events" / "x.toml"
    path.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "large":
        path.write_text("# " + "x" * MAX_CONTENT_FILE_BYTES + "\n")
    else:
        path.symlink_to(f"/dev/{kind}")
    problems = [str(p) for p in problems_of(tmp_path)]
    message = "too large" if kind == "large" else "not a regular file"
    assert any("x.toml" in p and message in p for p in problems), problems


@pytest.mark.parametrize("condition, message", [
    ("1" + " + 1" * 600, "characters long; the limit is 2,000"),
    ("1" + " + 1" * 300, "nests more than 50 deep"),
    ("-" * 700 + "1 > 0", "nests more than 50 deep"),
    ("approval > 1" + "0" * 400, "401-digit integer is out of range"),
    ("approval > 2e6", "out of range"),
])
def test_expression_limits_are_clean_errors_naming_file_and_key(tmp_path, condition, message):
    write(tmp_path, "events/x.toml", event(condition=condition))
    problems = [str(p) for p in problems_of(tmp_path)]
    assert any("x.toml: event[id=test-event].trigger.condition: " in p and message in p for p in problems), problems


def test_toml_nested_too_deep_is_a_clean_error(tmp_path):
    write(tmp_path, "model.toml", "a = " + "[" * 500 + "]" * 500 + "\n")
    write(tmp_path, "regions.toml", "x = " + "[" * 20 + "]" * 20 + "\n")
    problems = [str(p) for p in problems_of(tmp_path)]
    assert sum("nested more than 16 deep" in p for p in problems) == 2, problems
