"""The safe condition language of content files.

An expression is parsed with `ast` and only these nodes are allowed: numbers, `true`/`false`, names
(dotted, such as `share.japan.huawei`), comparisons (chains too), `and`/`or`/`not`, unary minus and
`+ - * /`. Nothing is ever passed to `eval`. A compiled expression evaluates on whole numpy arrays, so
one call answers for every game of a batch.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


class ExprError(ValueError):
    """A bad expression; the message says what and where."""


MAX_LENGTH = 2000
"""Characters in one expression (the default pack's longest is under 200)."""
MAX_DEPTH = 50
"""Operators inside each other (`a + b + c` is 2 deep): the parser and compiler recurse that far."""
MAX_LITERAL = 1e6
"""Largest number written in an expression (content numbers share the range: game.content.schema)."""


_COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_CONSTANTS = {"true": True, "false": False}

Env = Callable[[str], np.ndarray]
Node = Callable[[Env], Any]
"""A compiled sub-expression: an array over the batch, or a plain number for constants."""


# Content ids may contain hyphens (`share.southeast-asia.nec`, `invested.rnd-b5g`). Inside a dotted name,
# a hyphen followed by a part with a letter is part of the id; `tech.nec-5` stays a subtraction (write
# `a.b - c.d`, with spaces, to subtract two names). Hyphens are swapped for a marker before parsing.
_HYPHEN = "_HYPHEN_"
_DOTTED_ID = re.compile(
    r"(?<![\w.])[A-Za-z_]\w*(?:\.[a-z0-9][a-z0-9_]*(?:-[a-z0-9]*[a-z_][a-z0-9_]*)*)+")


def _protect_hyphens(text: str) -> str:
    return _DOTTED_ID.sub(lambda m: m.group(0).replace("-", _HYPHEN), text)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id.replace(_HYPHEN, "-")
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.replace(_HYPHEN, '-')}" if head else None
    return None


_BINARY_SYMBOL = {ast.Pow: "**", ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&",
                  ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}
_WHAT = {ast.Attribute: "attribute access on an expression", ast.Subscript: "subscript [...]",
         ast.Lambda: "lambda", ast.IfExp: "if-else", ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict",
         ast.Set: "set", ast.JoinedStr: "string", ast.NamedExpr: "assignment (:=)", ast.Starred: "*",
         ast.ListComp: "comprehension", ast.GeneratorExp: "comprehension", ast.Await: "await"}


def _number(x):
    """Arithmetic treats true/false as 1/0 (numpy would add booleans with a logical or)."""
    return np.asarray(x, dtype=np.float64)


def _safe_div(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.asarray(b) == 0, 0.0, np.true_divide(a, np.where(np.asarray(b) == 0, 1, b)))


@dataclass(frozen=True)
class Expr:
    source: str
    names: frozenset[str]
    _fn: Node

    def evaluate(self, env: Env) -> np.ndarray:
        return self._fn(env)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as its text (the compiled form is closures)
        return compile_expr, (self.source,)


def compile_expr(text: str) -> Expr:
    """Parse `text` into an Expr, or raise ExprError naming the offending part."""
    # `true`/`false` read naturally in TOML-adjacent text; Python's `True` works as well.
    shown = text if len(text) <= 80 else text[:77] + "..."
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression {shown!r} is {len(text):,} characters long; the limit is {MAX_LENGTH:,}")
    try:
        tree = ast.parse(_protect_hyphens(text.strip()), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"cannot parse expression {shown!r}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise ExprError(f"expression {shown!r} nests more than {MAX_DEPTH} deep") from None
    names: set[str] = set()

    def build(node: ast.AST, depth: int = 0) -> Node:
        if depth > MAX_DEPTH:
            raise ExprError(f"expression {shown!r} nests more than {MAX_DEPTH} deep")
        dotted = _dotted(node)
        if dotted is not None:
            if dotted in _CONSTANTS:
                value = _CONSTANTS[dotted]
                return lambda env: np.bool_(value)
            if any(part.startswith("_") for part in dotted.split(".")):
                raise ExprError(f"in {shown!r}: name '{dotted}' is not allowed (names cannot start with '_')")
            names.add(dotted)
            return lambda env: env(dotted)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):  # bool is an int
            number = node.value
            if abs(number) > MAX_LITERAL:  # an int beyond float64 would overflow in the batch
                size = f"{number:.3g}" if isinstance(number, float) else f"a {len(str(number)) if number.bit_length() < 10000 else 'huge'}-digit integer"
                raise ExprError(f"in {shown!r}: {size} is out of range "
                                f"(numbers in expressions lie between -1e6 and 1e6)")
            return lambda env: number
        if isinstance(node, ast.BoolOp):
            parts = [build(v, depth + 1) for v in node.values]
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or

            def boolop(env: Env) -> np.ndarray:
                result = parts[0](env)
                for part in parts[1:]:
                    result = combine(result, part(env))
                return result

            return boolop
        if isinstance(node, ast.UnaryOp):
            inner = build(node.operand, depth + 1)
            if isinstance(node.op, ast.Not):
                return lambda env: np.logical_not(inner(env))
            if isinstance(node.op, ast.USub):
                return lambda env: -_number(inner(env))
            if isinstance(node.op, ast.UAdd):
                return inner
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = build(node.left, depth + 1), build(node.right, depth + 1)
            fn = _safe_div if isinstance(node.op, ast.Div) else _BINARY[type(node.op)]
            return lambda env: fn(_number(left(env)), _number(right(env)))
        if isinstance(node, ast.Compare):
            operands = [build(node.left, depth + 1)] + [build(c, depth + 1) for c in node.comparators]
            if any(type(op) not in _COMPARE for op in node.ops):
                raise ExprError(f"in {shown!r}: only < <= > >= == != comparisons are allowed")
            ops = [_COMPARE[type(op)] for op in node.ops]

            def compare(env: Env) -> np.ndarray:
                values = [o(env) for o in operands]
                result = ops[0](values[0], values[1])
                for i, op in enumerate(ops[1:], start=1):
                    result = np.logical_and(result, op(values[i], values[i + 1]))
                return result

            return compare
        what = _WHAT.get(type(node), type(node).__name__)
        if isinstance(node, ast.Call):
            what = "function call"
        elif isinstance(node, ast.Constant):
            what = f"constant {node.value!r}"
        elif isinstance(node, ast.BinOp):
            what = f"operator {_BINARY_SYMBOL.get(type(node.op), type(node.op).__name__)}"
        elif isinstance(node, ast.UnaryOp):
            what = "operator ~"
        raise ExprError(f"in {shown!r}: {what} is not allowed (use names, numbers, comparisons, "
                        "and/or/not and + - * /)")

    fn = build(tree.body)
    return Expr(text, frozenset(names), fn)


def evaluate(text: str, values: Mapping[str, np.ndarray]) -> np.ndarray:
    """Convenience for tests and one-offs: compile and evaluate over a mapping."""
    return compile_expr(text).evaluate(values.__getitem__)
