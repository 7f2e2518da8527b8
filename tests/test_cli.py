"""The command line: bad arguments give one line and exit 2; check summarises a valid pack; --version."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from _cli_support import one_error_line

from game import __version__
from game.cli import main


def test_unknown_scenario_names_the_valid_ones(content, capsys):
    assert main(["run", "--scenario", "defualt", "--json", "-"]) == 2
    line = one_error_line(capsys)
    assert "unknown scenario 'defualt'" in line
    assert all(sid in line for sid in content.scenarios)


def test_unknown_strategy_names_the_valid_ones(capsys):
    assert main(["run", "--strategy", "greedy-ish", "--json", "-"]) == 2
    line = one_error_line(capsys)
    assert "unknown strategy 'greedy-ish'" in line
    assert all(name in line for name in ("do_nothing", "random", "balanced"))


def test_unloadable_strategy_module(capsys):
    assert main(["run", "--strategy", "no_such_module_xyz:Bot", "--json", "-"]) == 2
    assert "no_such_module_xyz:Bot" in one_error_line(capsys)


@pytest.mark.parametrize("seed, words", [
    ("-1", "must be 0 or more"),
    ("abc", "not a whole number"),
    ("1.5", "not a whole number"),
    (str(2**64), "must be at most"),
])
def test_bad_seed(seed, words, capsys):
    assert main(["run", f"--seed={seed}", "--json", "-"]) == 2
    line = one_error_line(capsys)
    assert "--seed" in line and words in line


def test_unknown_option_and_command(capsys):
    assert main(["run", "--sed", "1"]) == 2
    assert "--sed" in one_error_line(capsys)
    assert main(["rnu"]) == 2
    line = one_error_line(capsys)
    assert "'rnu'" in line and "run" in line and "check" in line


def test_unwritable_json_path_is_one_line_exit_1(tmp_path, capsys):
    assert main(["run", "--json", str(tmp_path / "no" / "such" / "dir.json")]) == 1
    assert "cannot write" in one_error_line(capsys)


def test_json_to_a_file_and_summary_on_stdout(tmp_path, capsys):
    target = tmp_path / "game.json"
    assert main(["run", "--seed", "2", "--json", str(target)]) == 0
    out, _ = capsys.readouterr()
    assert '"state_hash"' in target.read_text(encoding="utf-8")
    assert "Outcome:" in out and "state_hash" in out


def test_check_default_pack_prints_one_summary_line(content, capsys):
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.strip().splitlines()
    assert len(lines) == 1
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (\w+)", lines[0])}
    assert counts == {"vendors": len(content.vendors), "regions": len(content.regions), "levers": len(content.levers),
                      "deals": len(content.deals), "alliances": len(content.alliances),
                      "stakeholders": len(content.stakeholders), "events": len(content.events), "scenarios": len(content.scenarios)}
    assert content.fingerprint in lines[0]


# ------------------------------------------------------------ as a whole process


def test_version_as_a_process(cli_env):
    proc = subprocess.run([sys.executable, "-m", "game", "--version"], capture_output=True, text=True,
                          env=cli_env, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"homegrown {__version__}"


def test_bad_arguments_as_a_process(cli_env):
    proc = subprocess.run([sys.executable, "-m", "game", "run", "--scenario", "nope", "--seed", "-3"],
                          capture_output=True, text=True, env=cli_env, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_check_as_a_process(cli_env):
    proc = subprocess.run([sys.executable, "-m", "game", "check"], capture_output=True, text=True,
                          env=cli_env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("content OK:") and len(proc.stdout.strip().splitlines()) == 1


def test_run_never_imports_the_tui(cli_env, tmp_path):
    probe = ("import os, sys; from game.cli import main; "
             "code = main(['run', '--seed', '1', '--json', os.devnull]); "
             "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich') "
             "or m.startswith('game.tui')))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=cli_env,
                          cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "0 []"  # exit code 0, no TUI module loaded


def test_play_without_a_terminal_is_one_line_and_exit_2(cli_env, tmp_path):
    """Input from a pipe and output to a file: the app would wait forever, so it refuses at once."""
    proc = subprocess.run([sys.executable, "-m", "game", "play", "--scenario", "tutorial"], input=b"",
                          capture_output=True, env={**cli_env, "HOMEGROWN_SAVES": str(tmp_path)}, timeout=60)
    assert proc.returncode == 2 and proc.stdout == b""
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and "needs a terminal" in err


@pytest.mark.parametrize("args, message", [
    (["sweep", "--games", "10000000000"], "at most 100,000,000 games"),
    (["sweep", "--games", "5", "--workers", "10000000000"], "at most 256 worker processes"),
    (["search", "--workers", "300"], "at most 256 worker processes"),
    (["report", "x.json", "--sweep-games", "10000000000"], "at most 1,000,000 games"),
])
def test_counts_beyond_the_documented_limits_are_one_line(args, message, capsys):
    assert main(args) == 2
    assert message in one_error_line(capsys)


@pytest.mark.parametrize("delay", [0.15, 0.4, 0.8])
def test_ctrl_c_while_starting_is_one_line_never_a_traceback(cli_env, tmp_path, delay):
    """SIGINT while the CLI imports and loads (the first second): 'interrupted', exit 130."""
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "-m", "game", "sweep", "--games", "100000", "--scenario",
                             "tutorial"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env,
                            cwd=tmp_path, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    # 130, or -2 when Python ends by re-raising the signal (what a shell also reports as 130)
    assert proc.returncode in (130, -2) and err.strip().splitlines()[-1] == "interrupted", err
    assert "Traceback" not in err


@pytest.mark.parametrize("args, words", [
    (["sweep", "--games", "10000000000"], "at most 100,000,000 games"),
    (["report", "x", "--sweep-games", "10000000000"], "at most 1,000,000 games"),
    (["sweep", "--games", "10", "--workers", "10000000000"], "at most 256 worker processes"),
    (["replay", "a" * 300 + ".json"], "File name too long"),
    (["check", "c" * 300], "File name too long"),
    (["run", "--scenario", "tutorial", "--strategy", "scripted:/dev/zero"], "not a regular file"),
])
def test_limits_are_one_line_naming_what_is_wrong(args, words, capsys):
    code = main(args)
    err = capsys.readouterr().err
    assert code in (1, 2) and err.count("\n") == 1 and words in err and "unexpected" not in err, err
