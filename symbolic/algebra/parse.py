"""Parse expression text safely: no ``eval``, no ``sympify`` of user text.

The text is parsed with Python's :mod:`ast` and walked node by node; only
arithmetic, declared names, ``.T``/``.I`` and a fixed set of functions are
accepted.  Anything else is an error that says what was given and what was
expected.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> parse_expression("2*x**2 + sqrt(x)", {"x": x})
sqrt(x) + 2*x**2
>>> parse_expression("__import__('os')", {"x": x})
Traceback (most recent call last):
...
symbolic.algebra.parse.ParseError: Unknown function "__import__" in expression: "__import__('os')"

Numbers are bounded before they are computed: a literal has at most
``MAX_LITERAL_DIGITS`` digits and an integer power's result at most
``MAX_POWER_DIGITS`` (its size is estimated from logarithms first), so no
text can make the parser compute for long.

>>> parse_expression("2**10**10", {})
Traceback (most recent call last):
...
symbolic.algebra.parse.ParseError: "2**10**10" would have about 3,010,299,957 digits; the limit is 1,000 in expression: "2**10**10"
"""

from __future__ import annotations

import ast
import math
from typing import Any, Mapping

import sympy as sp
from sympy.matrices.common import ShapeError
from sympy.matrices.expressions.matexpr import MatrixExpr

from . import nodes, ops
from .depth import MAX_DEPTH, MAX_LITERAL_DIGITS, MAX_POWER_DIGITS, shorten

#: The deepest syntax tree accepted (deeper text is an error before sympy builds anything).
MAX_SYNTAX_DEPTH = 4 * MAX_DEPTH

FUNCTIONS = {
    "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "abs": sp.Abs, "Abs": sp.Abs, "tanh": sp.tanh,
    "sin": sp.sin, "cos": sp.cos, "max": sp.Max, "min": sp.Min, "Max": sp.Max, "Min": sp.Min,
    "E": None,
}  # sympy's own functions; stepcheck's operators are named by their declarations (symbolic.algebra.ops)
CONSTANTS = {"pi": sp.pi, "oo": sp.oo}


class ParseError(ValueError):
    """The text is not an expression stepcheck accepts (message says why)."""


class ShapeMismatch(ParseError):
    """Two operands have incompatible shapes; ``symbols`` names them."""

    def __init__(self, message: str, symbols: tuple[str, ...]) -> None:
        super().__init__(message)
        self.symbols = symbols


def parse_expression(text: str, names: Mapping[str, Any]) -> Any:
    """Turn ``text`` into a sympy expression using only the declared ``names``."""
    if not isinstance(text, str):
        raise ParseError(f"expected expression text, got {type(text).__name__}")
    if len(text) > 10000:
        raise ParseError("expression text longer than 10000 characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ParseError(f'Malformed expression: "{shorten(text)}" ({shorten(exc.msg, 120)})') from None
    except (RecursionError, MemoryError):
        raise ParseError(f'Expression nested too deeply to read: "{shorten(text)}"') from None
    depth = _syntax_depth(tree.body)
    if depth > MAX_SYNTAX_DEPTH:
        raise ParseError(f"Expression nested {depth} deep; the limit is {MAX_SYNTAX_DEPTH}: \"{shorten(text)}\"")
    try:
        return _Walker(text.strip(), names).visit(tree.body)
    except RecursionError:
        raise ParseError(f'Expression nested too deeply to build: "{shorten(text)}"') from None


def _syntax_depth(node: ast.AST) -> int:
    """Depth of a Python syntax tree, measured without recursion; ``a + b + c`` chains count once."""
    best, stack = 0, [(node, 1)]
    while stack:
        n, d = stack.pop()
        best = max(best, d)
        for c in ast.iter_child_nodes(n):
            flat = isinstance(n, ast.BinOp) and c is n.left and isinstance(c, ast.BinOp) and _chained(c, n)
            stack.append((c, d if flat else d + 1))
    return best


_OPS = {ast.Add: lambda x, y: x + y, ast.Sub: lambda x, y: x - y, ast.Mult: lambda x, y: x * y,
        ast.MatMult: lambda x, y: x * y, ast.Div: lambda x, y: x / y, ast.Pow: lambda x, y: x ** y}
_FAMILY = {ast.Add: 0, ast.Sub: 0, ast.Mult: 1, ast.MatMult: 1, ast.Div: 1}


def _chained(inner: ast.BinOp, outer: ast.BinOp) -> bool:
    """``inner`` is the left operand of ``outer`` in one chain of + and - (or of *, @ and /)."""
    fam = _FAMILY.get(type(outer.op))
    return fam is not None and _FAMILY.get(type(inner.op)) == fam


def _digits(x) -> float:
    """log10 of |x| for a nonzero sympy number (rational or float), without computing big powers."""
    if isinstance(x, int):
        return _log10_int(abs(x))
    if isinstance(x, sp.Rational):
        return _log10_int(abs(x.p)) - _log10_int(x.q)
    return math.log10(abs(float(x)))


def _log10_int(n: int) -> float:
    bits = n.bit_length()
    if bits < 1000:
        return math.log10(n)
    return math.log10(n >> (bits - 64)) + (bits - 64) * math.log10(2)


class _Walker:
    def __init__(self, text: str, names: Mapping[str, Any]) -> None:
        self.text = text
        self.names = names

    def fail(self, what: str):
        raise ParseError(f'{what} in expression: "{shorten(self.text)}"')

    def segment(self, node) -> str:
        return shorten(ast.get_source_segment(self.text, node) or "?", 80)

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None and isinstance(node, ast.Subscript):
            self.fail(f'Unsupported entry "{self.segment(node)}": write Dot(u.T*v) for the scalar of a 1 x 1 '
                      "product, Entry(v, i) for entry i of a vector")
        if method is None:
            self.fail(f"Unsupported syntax {type(node).__name__}")
        return method(node)

    def visit_Constant(self, node):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            self.fail(f"Unsupported constant {node.value!r}")
        value = node.value
        digits = abs(_digits(value)) if value and math.isfinite(value) else (0.0 if value == 0 else math.inf)
        if digits > MAX_LITERAL_DIGITS:
            self.fail(f'Number "{self.segment(node)}" is out of range: a literal has at most '
                      f"{MAX_LITERAL_DIGITS} digits, or an exponent between e-{MAX_LITERAL_DIGITS} and e+{MAX_LITERAL_DIGITS}")
        if isinstance(value, float):
            return sp.Rational(repr(value))
        return sp.Integer(value)

    def visit_Name(self, node):
        if node.id in self.names:
            return self.names[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise UndeclaredName(node.id, self.text)

    def visit_UnaryOp(self, node):
        v = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return -v
        if isinstance(node.op, ast.UAdd):
            return v
        self.fail("Unsupported unary operator")

    def visit_BinOp(self, node):
        # a + b + c + ... is a left-leaning chain in Python's tree: walk it in a loop, not by recursion
        chain = []
        while isinstance(node, ast.BinOp) and isinstance(node.left, ast.BinOp) and _chained(node.left, node):
            chain.append(node)
            node = node.left
        result = self._binop(node, self.visit(node.left), self.visit(node.right))
        for outer in reversed(chain):
            result = self._binop(outer, result, self.visit(outer.right))
        return result

    def _binop(self, node, a, b):
        op = _OPS.get(type(node.op))
        if op is None:
            self.fail(f"Unsupported operator {type(node.op).__name__}")
        if isinstance(node.op, ast.Pow):
            self._bound_power(node, a, b)
        try:
            return op(a, b)
        except ShapeError as exc:
            syms = tuple(sorted({s.name for s in _matrix_symbols(a) | _matrix_symbols(b)}))
            raise ShapeMismatch(f'Shape mismatch in expression: "{shorten(self.text)}": {exc}', syms) from None
        except (TypeError, ValueError) as exc:
            self.fail(f"Invalid operands ({shorten(exc, 200)})")

    def _bound_power(self, node, base, exp) -> None:
        """Refuse ``base**exp`` when sympy would compute a number of more than MAX_POWER_DIGITS digits."""
        if not (isinstance(base, sp.Number) and isinstance(exp, sp.Number)) or base == 0 or exp == 0:
            return
        if not (base.is_finite and exp.is_finite):
            return
        try:
            size = abs(float(exp) * _digits(base))
        except OverflowError:
            size = math.inf
        if size > MAX_POWER_DIGITS:
            about = f"about {size:,.0f}" if math.isfinite(size) else "too many"
            self.fail(f'"{self.segment(node)}" would have {about} digits; the limit is {MAX_POWER_DIGITS:,}')

    def visit_Compare(self, node):
        if len(node.ops) != 1:
            self.fail("Chained comparisons")
        ops = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq, ast.NotEq: sp.Ne}
        op = ops.get(type(node.ops[0]))
        if op is None:
            self.fail(f"Unsupported comparison {type(node.ops[0]).__name__}")
        try:
            return op(self.visit(node.left), self.visit(node.comparators[0]))
        except TypeError as exc:
            self.fail(f"Invalid comparison ({exc})")

    def visit_Attribute(self, node):
        v = self.visit(node.value)
        if node.attr in ("T", "I") and isinstance(v, MatrixExpr):
            return v.T if node.attr == "T" else v.I
        self.fail(f'Unsupported attribute ".{node.attr}"')

    def visit_Call(self, node):
        if not isinstance(node.func, ast.Name):
            self.fail("Only plain function calls are allowed")
        name = node.func.id
        if node.keywords:
            self.fail(f'Keyword arguments to "{name}"')
        declared = name in self.names and callable(self.names[name])
        f = FUNCTIONS.get(name)
        if f is None and name != "E" and (op := ops.by_text(name)) is not None:
            f = op.make  # an operator of the vocabulary (symbolic.algebra.ops)
        if not declared and f is None and name != "E":  # the name first: it is what the user got wrong
            self.fail(f'Unknown function "{name}"')
        args = [self.visit(a) for a in node.args]
        if declared:
            return self.names[name](*args)
        if f is None:
            if len(args) == 1:
                return nodes.MatExpect(args[0]) if isinstance(args[0], MatrixExpr) else nodes.Expect(args[0])
            self.fail(f'Unknown function "{name}" (E takes one argument)')
        try:
            return f(*args)
        except (TypeError, ValueError) as exc:
            self.fail(f'Bad arguments to "{name}" ({exc})')


class UndeclaredName(ParseError):
    """A name used in the text is not declared."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(f'Undeclared symbol "{name}" in expression: "{shorten(text)}"')
        self.name = name


def _matrix_symbols(e) -> set:
    if not isinstance(e, sp.Basic):
        return set()
    return {a for a in sp.preorder_traversal(e) if isinstance(a, sp.MatrixSymbol)}
