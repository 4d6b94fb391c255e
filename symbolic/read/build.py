r"""Build a parse tree of ``grammar.lark`` into the engine's expression nodes.

Matrix products stay ordered (``MatMul``), shapes are checked as the tree
is built, a 1x1 product such as ``u^T v`` becomes a scalar (``Dot``) where a
scalar is needed, and every name is resolved through the scope, never
guessed here.

>>> from symbolic.read.context import SymbolTable
>>> from symbolic.read.latex import parse_tree
>>> exprs, rels, _ = build_chain(parse_tree(r"\mathbf{x}^T\mathbf{x} = \|\mathbf{x}\|^2").children[0],
...                              SymbolTable().scope())
>>> [str(e) for e in exprs]
['Dot(x.T*x)', 'Norm(x)**2']
"""

from __future__ import annotations

from typing import Any

from sympy.matrices.expressions.matexpr import MatrixElement

from ..algebra import DiagOf, Dot, Entry, Grad, Jac, MatrixExpr, Norm, SeqTerm, Softmax, sp
from ..exceptions import ReadError
from .cases import PiecewiseMixin
from .derivatives import DerivativeMixin
from .elision import ElisionMixin
from .entries import EntryMixin, bound_entry_indices
from .extrema import ExtremumMixin
from .given import GivenMixin
from .graph import graph_derivative, graph_of
from .indices import IndexMixin
from .labels import undefined_by_term
from .notation import NotationMixin
from .postfix import PostfixMixin
from .shapes import _DiffOp, _factors, _is1x1, _is_vector, _same_kind, _scalar, _shape_text, zero_of_shape

RELATIONS = {"EQ": "=", "LE": "<=", "GE": ">=", "LT": "<", "GT": ">", "DEF": ":="}
# relations read but never checked, with why: a line holding one is read, its verdict says so
UNCHECKED = {"\\approx": "an approximation", "\\simeq": "an approximation", "\\cong": "an approximation",
             "\\sim": "a \\sim (distributed as, or of the order of)", "\\propto": "a proportionality",
             "\\neq": "a \\neq (the sides differ)", "\\ne": "a \\neq (the sides differ)",
             "\\implies": "an implication", "\\Rightarrow": "an implication", "\\Longrightarrow": "an implication",
             "\\iff": "an equivalence", "\\Leftrightarrow": "an equivalence",
             "\\Longleftrightarrow": "an equivalence", "\\to": "a limit or a map (\\to)",
             "\\rightarrow": "a limit or a map (\\to)", "\\longrightarrow": "a limit or a map (\\to)",
             "\\mapsto": "a map (\\mapsto)", "\\leftarrow": "an assignment (\\leftarrow)",
             "\\gets": "an assignment (\\leftarrow)", "\\longleftarrow": "an assignment (\\leftarrow)",
             "\\in": "a membership (\\in: a declaration or a hypothesis)", "\\notin": "a membership (\\notin)"}
GREEK_NAMES = {"ell": "ell"}


def build_chain(tree, scope) -> tuple[list, list[str], bool]:
    """The expressions and relations of a ``chain``/``continued`` tree.

    >>> from symbolic.read.context import SymbolTable
    >>> from symbolic.read.latex import parse_tree
    >>> build_chain(parse_tree("= 2").children[0], SymbolTable().scope())
    ([2], ['='], True)
    """
    b = _Builder(scope)
    exprs, rels = [], []
    for child in tree.children:
        if getattr(child, "data", None) == "rel":
            tok = child.children[0]
            if tok.type not in RELATIONS and str(tok) not in UNCHECKED:
                raise ReadError(f'the relation "{tok}" is not one stepcheck checks yet')
            rels.append(RELATIONS.get(tok.type, str(tok)))
        elif rels and rels[-1] in ("\\in", "\\notin") and exprs:
            exprs.append(exprs[-1])  # x \in S: the set S is not read; the membership is never checked
        else:
            exprs.append(b.value(child))
    for e in exprs:
        if isinstance(e, _DiffOp):
            raise ReadError("a derivative operator with nothing to differentiate")
    exprs = zero_of_shape(exprs, rels)
    graph = graph_of(scope) if scope.table.graph else None
    if graph is not None:  # the nodes of the computation graph at the input: the forward pass
        exprs = [graph.forward(e) for e in exprs]
        bound_entry_indices(exprs, scope)
    if len(exprs) > 1 or (rels and tree.data == "continued"):
        exprs = [_scalar(e) if not _same_kind(e, exprs) else e for e in exprs]
    return exprs, rels, tree.data == "continued"


class _Builder(PostfixMixin, NotationMixin, EntryMixin, DerivativeMixin, IndexMixin, PiecewiseMixin, ElisionMixin,
               ExtremumMixin, GivenMixin):
    def __init__(self, scope) -> None:
        self.scope = scope
        self.power_of_call = None  # the power written after a call, while the call is built
        self.power_taken = False  # whether the call, a product, took it

    def value(self, t):
        data = getattr(t, "data", None)
        if data is None:
            raise ReadError(f'unexpected "{t}"')
        if self.is_name(t):
            name, bold = self.name_of(t)
            if name.startswith("bb_") and name not in self.scope.table.symbols:
                what = "an expectation" if name == "bb_E" else f"\\mathbb{{{name[3:]}}}"
                raise ReadError(f"{what} is not read yet")
            return self.scope.symbol(name, bold)
        if data in ("add", "sub", "neg", "pos", "mul", "tuple", "call", "matrix"):
            elided = self.elided(t)  # a \dots among the terms, factors or entries of this tree
            if elided is not None:
                return elided
        method = getattr(self, "b_" + str(data), None)
        if method is None:
            raise ReadError(f"{data} is not read yet")
        return method(*t.children)

    # -- names ---------------------------------------------------------------
    def name_of(self, t) -> tuple[str, bool]:
        data = getattr(t, "data", None)
        if data == "letter":
            return str(t.children[0]).lstrip("\\"), False
        if data == "styled":
            style = str(t.children[0]).lstrip("\\")
            inner = t.children[1]
            name, bold = (str(inner).lstrip("\\"), False) if not hasattr(inner, "data") else self.name_of(inner)
            if style == "mathbf":
                return name, True
            return f"{style[4:]}_{name}", bold
        if data == "accent":
            accent = str(t.children[0]).lstrip("\\").replace("wide", "").replace("overline", "bar")
            inner = t.children[1]
            name, bold = (str(inner).lstrip("\\"), False) if not hasattr(inner, "data") else self.name_of(inner)
            return f"{name}_{accent}", bold
        if data == "textname":
            return str(t.children[0])[10:-1].strip(), False
        raise ReadError("not a name")

    def is_name(self, t) -> bool:
        return getattr(t, "data", None) in ("letter", "styled", "accent", "textname")

    def label(self, t) -> str:
        """Compact text of a subscript or superscript, used in a symbol's name."""
        data = getattr(t, "data", None)
        if data is None:
            return str(t).lstrip("\\")
        if self.is_name(t):
            return self.name_of(t)[0]
        if data in ("digit", "number"):
            return str(t.children[0])
        if data == "negdigit":
            return "-" + str(t.children[1])
        if data == "dots":
            raise ReadError("an elided term (\\dots) inside a subscript or a superscript is not read")
        parts = [self.label(c) for c in t.children]
        if data == "subscript":  # x_0 inside a label stays x_0 (f(x_0), f_{x_0})
            return f"{parts[0]}_{parts[1]}" if len(parts[1]) == 1 else f"{parts[0]}_{{{parts[1]}}}"
        if data == "add":
            return "+".join(parts[::2])
        if data == "sub":
            return "-".join(parts[::2])
        if data == "neg":
            return "-" + parts[-1]
        if data == "paren":
            return "(" + "".join(parts) + ")"
        if data == "given_label":  # \mu_{1|2}
            return f"{parts[0]}|{parts[2]}"
        if data == "tuple":
            return ",".join(parts)
        return "".join(parts)

    # -- atoms -----------------------------------------------------------------
    def b_number(self, tok):
        return sp.Rational(str(tok)) if "." in tok else sp.Integer(int(tok))

    b_digit = b_number

    def b_negdigit(self, _minus, tok):
        return -sp.Integer(int(tok))

    def b_infinity(self, _):
        return sp.oo

    def b_paren(self, e):
        return self.value(e)

    def b_empty(self):
        raise ReadError("an empty group {}")

    def b_pos(self, _plus, e):
        return self.value(e)

    def b_neg(self, _minus, e):
        v = self.value(e)
        return -v

    def b_add(self, a, _op, b):
        return self.add(self.value(a), self.value(b))

    def b_sub(self, a, _op, b):
        return self.add(self.value(a), -self.value(b))

    def b_pm(self, *_):
        raise ReadError("\\pm is two lines in one: not read yet")

    def add(self, a, b):
        if isinstance(a, MatrixExpr) and isinstance(b, MatrixExpr) and _is1x1(a) != _is1x1(b):
            return self.add(Dot(a), b) if _is1x1(a) else self.add(a, Dot(b))  # the scalar of u^T u
        if isinstance(a, MatrixExpr) and isinstance(b, MatrixExpr):
            if sp.sympify(a.shape[0]) != sp.sympify(b.shape[0]) or sp.sympify(a.shape[1]) != sp.sympify(b.shape[1]):
                raise ReadError(f"shape mismatch: {a} ({_shape_text(a)}) + {b} ({_shape_text(b)})")
            return a + b
        if isinstance(a, MatrixExpr) or isinstance(b, MatrixExpr):
            if b == 0 or a == 0:  # x + 0: the zero of x's shape
                return a if b == 0 else b
            m, c = (a, b) if isinstance(a, MatrixExpr) and not _is1x1(a) else (b, a)
            if (isinstance(m, MatrixExpr) and not _is1x1(m) and sp.sympify(m.shape[0]) == sp.sympify(m.shape[1])
                    and not _is_vector(c)):
                # I - u^T u / ||u||^2: a square matrix plus a scalar is read as the scalar times the identity
                s = _scalar(c)
                self._note(f"the scalar {s} added to the {_shape_text(m)} matrix {m} is read as {s} times the identity")
                return m + s * sp.Identity(m.shape[0])
            if _is_vector(m) and not isinstance(c, MatrixExpr):
                wide = self.scope.widen(c if isinstance(c, sp.Symbol) else -c, m)  # x - mu: mu a vector
                if wide is not None:
                    self._note(f"{wide}, added to the vector {m}, is read as a vector of its size ({_shape_text(m)})")
                    return m + (wide if isinstance(c, sp.Symbol) else -wide)
            return _scalar(a) + _scalar(b)
        return a + b

    def _note(self, text: str) -> None:
        notes = getattr(self.scope, "notes", None)
        if notes is not None and text not in notes:
            notes.append(text)

    def mul(self, a, b, side_by_side: bool = False):
        if isinstance(a, _DiffOp):
            return self.apply_op(a, b)
        if isinstance(b, _DiffOp):
            raise ReadError("a derivative operator with nothing to differentiate")
        if isinstance(a, MatrixExpr) and isinstance(b, MatrixExpr):
            if sp.sympify(a.shape[1]) == sp.sympify(b.shape[0]):
                return a * b
            if _is1x1(a) or _is1x1(b):
                return _scalar(a) * b if _is1x1(a) else a * _scalar(b)
            if side_by_side and _is_vector(a) and _is_vector(b) and sp.sympify(a.shape[0]) == sp.sympify(b.shape[0]) \
                    and not a.has(Grad, Jac):
                # u v, two column vectors written side by side: the one product of them read without a
                # transpose written is the inner product (the outer product is written u v^T); never a
                # derivative on the left, whose (x_0) after it is a point, not a factor
                self._note(f"read ({a}) ({b}), two column vectors side by side, as the inner product ({a})^T ({b})")
                return Dot(a.T * b)
            raise ReadError(f"shape mismatch: {a} ({_shape_text(a)}) times {b} ({_shape_text(b)})")
        return a * b

    def b_mul(self, a, *rest):
        if len(rest) == 2 and str(rest[0]) == "\\cdot":  # u \cdot v of two vectors: their dot product
            x, y = self.value(a), self.value(rest[1])
            if _is_vector(x) and _is_vector(y) and sp.sympify(x.shape[0]) == sp.sympify(y.shape[0]):
                return Dot(x.T * y)
            return self.mul(x, y)
        factors = _factors(a) + [rest[-1]]
        values = self.indicator_factors(factors)  # \mathbb{1}[a > b] is one factor
        k = next((k for k, v in enumerate(values) if isinstance(v, _DiffOp)), None)
        if k is not None:  # a d/dx written inside a product applies to all the factors after it
            if k == len(values) - 1:
                raise ReadError("a derivative operator with nothing to differentiate")
            body = values[k + 1]
            for v in values[k + 2:]:
                body = self.mul(body, v)
            values = values[:k] + [self.apply_op(values[k], body)]
        acc = values[0]
        for v in values[1:]:
            acc = self.mul(acc, v, side_by_side=len(rest) == 1)
        return acc

    def b_div(self, a, _op, b):
        if getattr(a, "data", None) == "partial" and getattr(b, "data", None) == "partial":
            return self.derivative(self.value(a.children[1]), self.value(b.children[1]))
        return self.divide(self.value(a), self.value(b))

    def divide(self, a, b):
        b = _scalar(b)
        if b == 0:
            raise ReadError("division by zero")
        return a * b**-1 if not isinstance(a, MatrixExpr) else a / b

    def b_hadamard(self, a, _op, b):
        x, y = self.value(a), self.value(b)
        if isinstance(x, MatrixExpr) and isinstance(y, MatrixExpr):
            if x.shape != y.shape:
                raise ReadError(f"shape mismatch: {x} ({_shape_text(x)}) \\odot {y} ({_shape_text(y)})")
            return sp.HadamardProduct(x, y)
        return self.mul(x, y)

    def b_frac(self, _tok, num, den):
        if getattr(den, "data", None) in ("partial", "partial_n", "mul"):  # \frac{c \partial f}{\partial x}, ...
            d = self.derivative_frac(num, den)
            if d is not None:
                return d
        if getattr(den, "data", None) == "partial":
            x = self.value(den.children[1])
            if getattr(num, "data", None) == "partial":
                return self.derivative(self.value(num.children[1]), x)
            if getattr(num, "data", None) == "partial_op":
                return _DiffOp(x)
        return self.divide(self.value(num), self.value(den))

    def b_partial(self, *_):
        raise ReadError("a \\partial outside a derivative \\frac{\\partial f}{\\partial x}")

    b_partial_op = b_partial

    def derivative(self, f, x):
        unknown = self.refuse_opaque(f, x)
        if unknown is not None:
            return unknown
        zero = self.unlabelled_variable(f, x)  # d/d b_k of an expression of b^(1): two readings
        if zero is not None:  # b_k read as a variable of its own (the reading in force)
            return zero
        through = graph_derivative(self, f, x)  # a node of the computation graph, or computed from one
        if through is not None:
            return through
        if isinstance(x, sp.Pow) and x.exp == 2 and isinstance(x.base, sp.Symbol):
            return self.per_square(f, x.base)
        if isinstance(x, (Entry, MatrixElement)):  # d/d v_k, d/d W_{kj}: computed entry by entry
            return self.entry_derivative(f, x)
        if undefined_by_term(self.scope, f, x):  # df/dy_i with f defined nowhere: unknown, never checked
            return Grad(f, x)
        if not isinstance(x, (sp.Symbol, sp.MatrixSymbol, SeqTerm)):
            raise ReadError(f"a derivative with respect to {x}, which is not a symbol")
        alias = self.entry_alias(f, x) if isinstance(x, sp.Symbol) else None  # x_j of a declared vector x
        if alias is not None:
            return alias
        self.family_guard(f, x)
        if isinstance(f, MatrixExpr) and not _is1x1(f):
            if isinstance(x, MatrixExpr) and sp.sympify(x.shape[1]) == 1 and sp.sympify(f.shape[1]) == 1:
                return Jac(f, x)
            raise ReadError(f"the derivative of {f} ({_shape_text(f)}) with respect to {x} ({_shape_text(x)}) "
                            "is not read yet")
        return Grad(_scalar(f), x)

    def b_nabla(self, _tok, sub, body):
        return self.derivative(self.value(body), self.value(sub))

    def b_matrix(self, _begin, *parts):
        rows = [[self.value(e) for e in r.children if getattr(e, "data", None) is not None]
                for r in parts if getattr(r, "data", None) == "mrow"]
        if len({len(r) for r in rows}) != 1:
            raise ReadError("a matrix whose rows have different lengths")
        for r in rows:
            for e in r:
                if isinstance(e, MatrixExpr) and not _is1x1(e):
                    raise ReadError(f"a block matrix (entry {e}) is not read yet")
        return sp.ImmutableMatrix([[_scalar(e) for e in r] for r in rows])

    def b_sqrt(self, _tok, e):
        return sp.sqrt(_scalar(self.value(e)))

    def b_root(self, _tok, k, e):
        return _scalar(self.value(e)) ** (1 / _scalar(self.value(k)))

    def b_abs(self, _l, e, _r):
        v = self.value(e)
        if isinstance(v, MatrixExpr) and not _is1x1(v):
            raise ReadError(f"|{v}| of a {_shape_text(v)} matrix: a norm or entry-wise absolute value? "
                            "write \\|..\\| for a norm")
        return sp.Abs(_scalar(v))

    def b_norm(self, _l, e, _r):
        v = self.value(e)
        return Norm(v) if isinstance(v, MatrixExpr) and not _is1x1(v) else sp.Abs(_scalar(v))

    def b_func(self, tok, arg):
        name = str(tok).lstrip("\\")
        if name.startswith("op{"):
            name = name[3:-1]
        if name in ("E", "Var"):  # E[y], Var[y]: values named as written (symbolic/read/given.py)
            return self.moment(name, arg)
        v = self.value(arg)
        if name in ("log", "ln", "exp", "sin", "cos", "tanh", "tan", "sinh", "cosh", "arctan"):
            if isinstance(v, MatrixExpr) and not _is1x1(v):
                raise ReadError(f"\\{name} of a {_shape_text(v)} matrix is not read yet")
            return getattr(sp, {"ln": "log", "arctan": "atan"}.get(name, name))(_scalar(v))
        if name in ("tr", "Tr", "trace"):
            if not isinstance(v, MatrixExpr) or sp.sympify(v.shape[0]) != sp.sympify(v.shape[1]):
                raise ReadError(f"the trace of {v}, which is not a square matrix")
            return sp.Trace(v)
        if name == "diag" and isinstance(v, MatrixExpr) and sp.sympify(v.shape[1]) == 1:
            return DiagOf(v)
        if name == "softmax" and isinstance(v, MatrixExpr) and sp.sympify(v.shape[1]) == 1:
            return Softmax(v)
        raise ReadError(f"\\{name} is not read yet")
