"""Where a problem's key path sits in its TOML file: line and column, for editors and CI annotations.

`tomllib` keeps no positions, so the file is scanned line by line for table headers (`[a.b]`,
`[[a.b]]`, counting array tables per parent) and `key =` lines, giving each a key path in the
loader's own spelling (`lever[3].saturation`, `event[0].choices[1].id`); `lever[id=x]` is found through
the `id` of each array table. A path inside an inline table or array resolves to the nearest key that
has a line of its own. A problem with no key, or a file that cannot be read, has no position.
"""

from __future__ import annotations

import re
from pathlib import Path

from game.content.files import MAX_CONTENT_FILE_BYTES, read_regular_file
from game.content.pack import Problem

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^(\s*)((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=\s*(.*)$")
_PART = re.compile(r"[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'")
_TOML_AT = re.compile(r"^line (\d+), column (\d+)$")
_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]|\[id=([^\]]+)\]")

Path_ = tuple[str | int, ...]


def _parts(dotted: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(dotted)]


def _name(path: Path_) -> str:
    out = ""
    for seg in path:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else seg)
    return out


def positions(text: str) -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    """(key path -> (line, column), both 1-based; 'kind[id=X]' -> 'kind[i]') for one TOML text."""
    where: dict[str, tuple[int, int]] = {}
    aliases: dict[str, str] = {}
    counts: dict[Path_, int] = {}
    concrete: dict[tuple[str, ...], Path_] = {}  # header names -> the instance they mean now
    table: Path_ = ()
    is_array = False
    in_multiline = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            in_multiline = line.count('"""') % 2 == 0 and line.count("'''") % 2 == 0
            continue
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("#"):
            names = tuple(_parts(header[2]))
            parent = concrete.get(names[:-1], names[:-1])
            is_array = header[1] == "[["
            if is_array:
                base = (*parent, names[-1])
                index = counts.get(base, 0)
                counts[base] = index + 1
                table = (*base, index)
            else:
                table = (*parent, names[-1])
            concrete = {k: v for k, v in concrete.items() if k[:len(names)] != names}
            concrete[names] = table
            where.setdefault(_name(table), (number, line.index(header[2]) + 1))
            continue
        key = _KEY.match(line)
        if key and not line.lstrip().startswith("#"):
            path = (*table, *_parts(key[2]))
            where.setdefault(_name(path), (number, len(key[1]) + 1))
            value = key[3].strip()
            if is_array and _parts(key[2]) == ["id"] and value[:1] in "\"'":
                aliases[f"{_name(table[:-1])}[id={value[1:].split(value[0])[0]}]"] = _name(table)
            in_multiline = value.startswith(('"""', "'''")) and value.count(value[:3]) == 1
    return where, aliases


def _segments(key: str) -> list[str]:
    out = []
    for name, index, ident in _SEGMENT.findall(key):
        out.append(name if name else f"[{index}]" if index else f"[id={ident}]")
    return out


def locate(file: str | Path, key: str) -> tuple[int, int] | None:
    """(line, column) of `key` in `file`, or of the nearest enclosing key found there; None if none."""
    at = _TOML_AT.match(key)
    if at:
        return int(at[1]), int(at[2])
    if not key:
        return None
    try:
        text = read_regular_file(file, MAX_CONTENT_FILE_BYTES).decode("utf-8")  # never a FIFO
    except (OSError, UnicodeDecodeError):
        return None
    where, aliases = positions(text)
    segments = _segments(key)
    for n in range(len(segments), 0, -1):
        name = ""
        for seg in segments[:n]:
            name = name + seg if seg.startswith("[") or not name else f"{name}.{seg}"
            name = aliases.get(name, name)
        if name in where:
            return where[name]
    return None


def locate_problem(problem: Problem) -> tuple[int, int] | None:
    return locate(problem.file, problem.path)
