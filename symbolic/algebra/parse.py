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
"""

from __future__ import annotations

import ast
from typing import Any, Mapping

import sympy as sp
from sympy.matrices.common import ShapeError
from sympy.matrices.expressions.matexpr import MatrixExpr

from . import nodes

FUNCTIONS = {
    "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "abs": sp.Abs, "Abs": sp.Abs, "tanh": sp.tanh,
    "sin": sp.sin, "cos": sp.cos, "max": sp.Max, "min": sp.Min, "Max": sp.Max, "Min": sp.Min,
    "Norm": nodes.Norm, "norm": nodes.Norm, "Dot": nodes.Dot, "LambdaMax": nodes.LambdaMax,
    "E": None, "Jac": nodes.Jac, "Grad": nodes.Grad, "diag": nodes.DiagOf, "DiagOf": nodes.DiagOf,
    "softmax": nodes.Softmax, "Softmax": nodes.Softmax, "logsumexp": nodes.LogSumExp,
    "LogSumExp": nodes.LogSumExp, "relu": nodes.Relu, "Relu": nodes.Relu, "step": nodes.Step,
    "onehot": nodes.OneHot, "OneHot": nodes.OneHot, "Entry": nodes.Entry,
}
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
        raise ParseError(f'Malformed expression: "{text}" ({exc.msg})') from None
    return _Walker(text, names).visit(tree.body)


class _Walker:
    def __init__(self, text: str, names: Mapping[str, Any]) -> None:
        self.text = text
        self.names = names

    def fail(self, what: str):
        raise ParseError(f'{what} in expression: "{self.text}"')

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            self.fail(f"Unsupported syntax {type(node).__name__}")
        return method(node)

    def visit_Constant(self, node):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            self.fail(f"Unsupported constant {node.value!r}")
        if isinstance(node.value, float):
            return sp.Rational(repr(node.value))
        return sp.Integer(node.value)

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
        a, b = self.visit(node.left), self.visit(node.right)
        ops = {ast.Add: lambda x, y: x + y, ast.Sub: lambda x, y: x - y, ast.Mult: lambda x, y: x * y,
               ast.MatMult: lambda x, y: x * y, ast.Div: lambda x, y: x / y, ast.Pow: lambda x, y: x ** y}
        op = ops.get(type(node.op))
        if op is None:
            self.fail(f"Unsupported operator {type(node.op).__name__}")
        try:
            return op(a, b)
        except ShapeError as exc:
            syms = tuple(sorted({s.name for s in _matrix_symbols(a) | _matrix_symbols(b)}))
            raise ShapeMismatch(f'Shape mismatch in expression: "{self.text}": {exc}', syms) from None
        except (TypeError, ValueError) as exc:
            self.fail(f"Invalid operands ({exc})")

    def visit_Compare(self, node):
        if len(node.ops) != 1:
            self.fail("Chained comparisons")
        ops = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq, ast.NotEq: sp.Ne}
        op = ops.get(type(node.ops[0]))
        if op is None:
            self.fail(f"Unsupported comparison {type(node.ops[0]).__name__}")
        return op(self.visit(node.left), self.visit(node.comparators[0]))

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
        super().__init__(f'Undeclared symbol "{name}" in expression: "{text}"')
        self.name = name


def _matrix_symbols(e) -> set:
    if not isinstance(e, sp.Basic):
        return set()
    return {a for a in sp.preorder_traversal(e) if isinstance(a, sp.MatrixSymbol)}
