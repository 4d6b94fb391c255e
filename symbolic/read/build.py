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

from lark import Tree

from ..algebra import DiagOf, Dot, Grad, Jac, MatProd, MatrixExpr, Norm, SeqTerm, Softmax, sp
from ..exceptions import ReadError
from .notation import NotationMixin

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
             "\\gets": "an assignment (\\leftarrow)", "\\longleftarrow": "an assignment (\\leftarrow)"}
GREEK_NAMES = {"ell": "ell"}


class _DiffOp:
    def __init__(self, x) -> None:
        self.x = x

    def _alone(self, *_):
        raise ReadError("a derivative operator with nothing to differentiate")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _alone
    __pow__ = __rpow__ = __neg__ = __matmul__ = __rmatmul__ = _alone


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
        else:
            exprs.append(b.value(child))
    for e in exprs:
        if isinstance(e, _DiffOp):
            raise ReadError("a derivative operator with nothing to differentiate")
    if len(exprs) > 1 or (rels and tree.data == "continued"):
        exprs = [_scalar(e) if not _same_kind(e, exprs) else e for e in exprs]
    return exprs, rels, tree.data == "continued"


def _same_kind(e, exprs) -> bool:
    mats = [x for x in exprs if isinstance(x, MatrixExpr) and not _is1x1(x)]
    return bool(mats) or all(isinstance(x, MatrixExpr) for x in exprs)


def _is1x1(e) -> bool:
    return isinstance(e, MatrixExpr) and sp.sympify(e.shape[0]) == 1 and sp.sympify(e.shape[1]) == 1


def _is_vector(e) -> bool:
    return isinstance(e, MatrixExpr) and sp.sympify(e.shape[1]) == 1 and not _is1x1(e)


def _scalar(e):
    if _is1x1(e):
        return Dot(e)
    if isinstance(e, MatrixExpr):
        raise ReadError(f"a matrix ({e}) where a scalar is needed")
    return e


def _shape_text(e) -> str:
    return "x".join(str(s) for s in e.shape) if isinstance(e, MatrixExpr) else "scalar"


class _Builder(NotationMixin):
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
            return _scalar(a) + _scalar(b)
        return a + b

    def _note(self, text: str) -> None:
        notes = getattr(self.scope, "notes", None)
        if notes is not None and text not in notes:
            notes.append(text)

    def mul(self, a, b):
        if isinstance(a, _DiffOp):
            return self.derivative(b, a.x)
        if isinstance(b, _DiffOp):
            raise ReadError("a derivative operator with nothing to differentiate")
        if isinstance(a, MatrixExpr) and isinstance(b, MatrixExpr):
            if sp.sympify(a.shape[1]) == sp.sympify(b.shape[0]):
                return a * b
            if _is1x1(a) or _is1x1(b):
                return _scalar(a) * b if _is1x1(a) else a * _scalar(b)
            raise ReadError(f"shape mismatch: {a} ({_shape_text(a)}) times {b} ({_shape_text(b)})")
        return a * b

    def b_mul(self, a, *rest):
        if len(rest) == 2 and str(rest[0]) == "\\cdot":  # u \cdot v of two vectors: their dot product
            x, y = self.value(a), self.value(rest[1])
            if _is_vector(x) and _is_vector(y) and sp.sympify(x.shape[0]) == sp.sympify(y.shape[0]):
                return Dot(x.T * y)
            return self.mul(x, y)
        factors = _factors(a) + [rest[-1]]
        values = [self.value(f) for f in factors]
        k = next((k for k, v in enumerate(values) if isinstance(v, _DiffOp)), None)
        if k is not None:  # a d/dx written inside a product applies to all the factors after it
            if k == len(values) - 1:
                raise ReadError("a derivative operator with nothing to differentiate")
            body = values[k + 1]
            for v in values[k + 2:]:
                body = self.mul(body, v)
            values = values[:k] + [self.derivative(body, values[k].x)]
        acc = values[0]
        for v in values[1:]:
            acc = self.mul(acc, v)
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
        if isinstance(x, sp.Pow) and x.exp == 2 and isinstance(x.base, sp.Symbol):
            return self.per_square(f, x.base)
        if not isinstance(x, (sp.Symbol, sp.MatrixSymbol, SeqTerm)):
            raise ReadError(f"a derivative with respect to {x}, which is not a symbol")
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
        v = self.value(arg)
        if name in ("log", "ln", "exp", "sin", "cos", "tanh", "tan", "sinh", "cosh"):
            if isinstance(v, MatrixExpr) and not _is1x1(v):
                raise ReadError(f"\\{name} of a {_shape_text(v)} matrix is not read yet")
            return getattr(sp, "log" if name == "ln" else name)(_scalar(v))
        if name in ("tr", "Tr", "trace"):
            if not isinstance(v, MatrixExpr) or sp.sympify(v.shape[0]) != sp.sympify(v.shape[1]):
                raise ReadError(f"the trace of {v}, which is not a square matrix")
            return sp.Trace(v)
        if name == "diag" and isinstance(v, MatrixExpr) and sp.sympify(v.shape[1]) == 1:
            return DiagOf(v)
        if name == "softmax" and isinstance(v, MatrixExpr) and sp.sympify(v.shape[1]) == 1:
            return Softmax(v)
        raise ReadError(f"\\{name} is not read yet")

    # -- postfix ---------------------------------------------------------------
    def b_power(self, base, exp):
        edata = getattr(exp, "data", None)
        if getattr(base, "data", None) == "call" and len(base.children) == 2 and edata != "transpose_mark":
            return self.power_on_call(base, exp)
        if edata in ("letter", "paren") or self.is_name(exp):  # o^a, o_k^s: a label the context declares
            labelled = self._labelled(base, exp)
            if labelled is not None:
                return labelled
        if self.is_name(base) and edata in ("paren", "star", "tuple"):
            name, bold = self.name_of(base)
            if edata == "paren" and self._uses_bound(exp):  # x^{(i)} under a sum over i: a term of a sequence
                return self.scope.term(f"{name}^()", self._bound_index(exp.children[0]), bold)
            if self._uses_bound(exp):
                raise ReadError(f"{name}^{self.label(exp)} under a sum over its index is not read yet")
            return self.scope.symbol(f"{name}^{self.label(exp) if edata != 'star' else '*'}", bold)
        b = self.value(base)
        if edata == "transpose_mark":
            if isinstance(b, MatrixExpr):
                return b.T
            if str(exp.children[0]) == "\\transposeT":  # x^T of a scalar: the power T (delta^T)
                return b ** self.scope.symbol("T", False)
            return b
        if edata == "star":
            raise ReadError("^* on an expression is not read yet")
        e = _scalar(self.value(exp))
        if isinstance(b, MatrixExpr):
            if e == -1 and sp.sympify(b.shape[0]) == sp.sympify(b.shape[1]):
                return b.I if not _is1x1(b) else Dot(b) ** -1
            if _is1x1(b):
                return Dot(b) ** e
            if e.is_Integer and e > 0 and sp.sympify(b.shape[0]) == sp.sympify(b.shape[1]):
                return b ** e
            raise ReadError(f"the power {e} of a {_shape_text(b)} matrix")
        return b ** e

    def _labelled(self, base, exp):
        label = self.label(exp)
        symbols = self.scope.table.symbols
        if self.is_name(base):
            name = f"{self.name_of(base)[0]}^{label}"
            return self.scope.symbol(name, False) if name in symbols else None
        if getattr(base, "data", None) == "subscript" and self.is_name(base.children[0]):
            name = f"{self.name_of(base.children[0])[0]}^{label}"
            if name in symbols and symbols[name].kind == "vector":
                return self.scope.entry(name, _scalar(self.value(base.children[1])))
        return None

    def b_subscript(self, base, sub):
        bdata = getattr(base, "data", None)
        if bdata == "norm":
            if self.label(sub) == "2":
                return self.value(base)
            raise ReadError(f"the norm \\|..\\|_{self.label(sub)} is not read yet (only the 2-norm)")
        head = self.head_name(base)
        if head is not None and self.scope.table.definitions.get(head) is not None:
            value = self.scope.definition(head, index=_scalar(self.value(sub)))
            if value is not None:
                return value
        if bdata == "power" and self.is_name(base.children[0]):
            edata = getattr(base.children[1], "data", None)
            if edata in ("paren", "star", "tuple"):  # x^{(i)}_k: the name x^(i), then its subscript
                name, bold = self.name_of(base.children[0])
                if self._uses_bound(base.children[1]):
                    raise ReadError(f"an entry of the term {name}^{self.label(base.children[1])} of a sum is not read yet")
                return self._named_sub(f"{name}^{self.label(base.children[1]) if edata != 'star' else '*'}", bold, sub)
            if edata != "transpose_mark":  # sigma^2_p is typeset as sigma_p^2
                return self.b_power(Tree("subscript", [base.children[0], sub]), base.children[1])
        if self.is_name(base):
            name, bold = self.name_of(base)
            return self._named_sub(name, bold, sub)
        if bdata == "subscript" or bdata == "power":
            raise ReadError("a double subscript is not read yet")
        return self.entry_of(base, sub)  # softmax(z)_i, (Wx)_2: an entry of a vector expression

    def _named_sub(self, name: str, bold: bool, sub):
        if self.scope.is_sequence(name):
            return self.scope.sequence_term(name, _scalar(self.value(sub)))
        index = self._bound_index(sub)
        if index is not None:
            return self.scope.term(name, index, bold)
        label = self.label(sub)
        return self.scope.symbol(f"{name}_{label}" if len(label) == 1 else f"{name}_{{{label}}}", bold)

    def _uses_bound(self, t) -> bool:
        return bool({self.name_of(x)[0] for x in _walk(t) if self.is_name(x)} & self.scope.bound())

    def _bound_index(self, sub):
        bound = self.scope.bound()
        if not bound:
            return None
        names = {self.name_of(t)[0] for t in _walk(sub) if self.is_name(t)}
        if names & bound:
            if getattr(sub, "data", None) == "tuple" or (getattr(sub, "data", None) == "mul" and len(names) > 1):
                raise ReadError(f"an entry with two indices ({self.label(sub)}) is not read yet")
            return _scalar(self.value(sub))
        return None

    def b_prime(self, base, _tok):
        if self.is_name(base):
            name, bold = self.name_of(base)
            return self.scope.symbol(name + "'", bold)
        raise ReadError("a prime on an expression is not read yet")

    def head_name(self, t) -> str | None:
        """The name of a name, a primed name (``sigma'``) or a subscripted one (``f_{x_0}``), else None."""
        data = getattr(t, "data", None)
        if self.is_name(t):
            return self.name_of(t)[0]
        if data == "prime" and self.is_name(t.children[0]):
            return self.name_of(t.children[0])[0] + "'"
        if data == "subscript" and self.is_name(t.children[0]):
            label = self.label(t.children[1])
            name = self.name_of(t.children[0])[0]
            return f"{name}_{label}" if len(label) == 1 else f"{name}_{{{label}}}"
        return None

    def b_call(self, head, *args):
        exp, self.power_of_call = self.power_of_call, None  # only this call's own product may take it
        if getattr(head, "data", None) == "func" and self.is_name(head.children[1]):  # \log P(x): log of P(x)
            return self.b_func(head.children[0], Tree("call", [head.children[1], *args]))
        name = self.head_name(head)
        spec = self.scope.table.definitions.get(name) if name is not None else None
        if spec is not None and len(spec.args) == len(args) and spec.index is None:
            value = self.scope.definition(name, args=tuple(self.value(a) for a in args))
            if value is not None:
                return value
        if name is not None and len(args) == 1:  # f(x_0): a value the context declares as it is written
            applied = f"{name}({self.label(args[0])})"
            if applied in self.scope.table.symbols:
                return self.scope.symbol(applied, False)
        if (getattr(head, "data", None) == "subscript" and self.is_name(head.children[0]) and len(args) == 1
                and self.scope.function(self.name_of(head.children[0])[0]) is not None):
            f = self.scope.function(self.name_of(head.children[0])[0])  # sigma_t(z): the activation at step t
            self._note(f"{self.head_name(head)}(...) is read as the declared function "
                       f"{self.name_of(head.children[0])[0]} applied (the subscript names the step)")
            return f(self.value(args[0]))
        if self.is_name(head) or (getattr(head, "data", None) == "prime" and self.is_name(head.children[0])):
            primed = getattr(head, "data", None) == "prime"
            name = self.name_of(head.children[0] if primed else head)[0]
            f = self.scope.function(name)
            if f is not None:
                if len(args) != 1:
                    raise ReadError(f"{name} takes one argument here, got {len(args)}")
                if self.is_name(args[0]) and self.scope.is_sequence(self.name_of(args[0])[0]):
                    bare = self.name_of(args[0])[0]  # sigma'(x) with x a sequence's name: any real x
                    self._note(f"the bare {bare} in {name}{chr(39) if primed else ''}({bare}) names no term of the sequence {bare}: read as any real number")
                    x = self.scope.placeholder(bare)
                    return f.prime(x) if primed else f(x)
                x = self.value(args[0])
                return f.prime(x) if primed else f(x)
        base = head.children[0] if getattr(head, "data", None) == "prime" else head
        if self.is_name(base) and (len(args) != 1 or self.scope.table.inferred.get(self.name_of(base)[0]) == "function"):
            return self.applied(head, args)  # f(x, y): an undeclared function of several arguments
        if len(args) != 1:
            raise ReadError(f"{self.label(head)}(...) with {len(args)} arguments: an undeclared function")
        if exp is not None:  # 2(a+b)^2: the power is on (a+b), never on 2(a+b)
            self.power_taken = True
            return self.mul(self.value(head), self.b_power(Tree("paren", [args[0]]), exp))
        return self.mul(self.value(head), self.value(args[0]))

    def b_limit(self, tok, var, _to, target, body):
        if str(tok) != "\\lim" or not self.is_name(var):
            raise ReadError(f"{tok}_{{.. \\to ..}} is not read yet (only \\lim of a variable)")
        name = self.name_of(var)[0]
        x = self.value(var)
        if not isinstance(x, sp.Symbol):
            raise ReadError(f"a limit in {name}, which is not a scalar variable")
        v = self.value(body)
        if isinstance(v, MatrixExpr) and not _is1x1(v):
            raise ReadError("the limit of a matrix is not read yet")
        return sp.Limit(_scalar(v), x, _scalar(self.value(target)))

    def b_bigop(self, tok, bound, *rest):
        upper, body = (rest[0], rest[1]) if len(rest) == 2 else (None, rest[0])
        kids = [c for c in getattr(bound, "children", [bound])]
        if upper is None and getattr(bound, "data", None) == "bound" and len(kids) == 1:
            return self.unbounded_sum(tok, kids[0], body)  # \sum_i x_i y_i: the range may be the vectors' size
        if getattr(bound, "data", None) != "bound" or len(kids) != 3:
            raise ReadError("a \\sum or \\prod without bounds i = a .. b is not read yet")
        var, _eq, lo = kids
        if not self.is_name(var) or upper is None:
            raise ReadError("a \\sum or \\prod without bounds i = a .. b is not read yet")
        name = self.name_of(var)[0]
        return self._bigop(tok, name, _scalar(self.value(lo)), _scalar(self.value(upper)), body)

    def _bigop(self, tok, name: str, lo_v, hi_v, body):
        i = self.scope.bind(name)
        try:
            v = self.value(body)
        finally:
            self.scope.unbind(name)
        if isinstance(v, MatrixExpr) and not _is1x1(v):
            if str(tok) == "\\sum" or sp.sympify(v.shape[0]) != sp.sympify(v.shape[1]):
                raise ReadError("a \\sum of matrices is not read yet")
            self._note(f"the product of matrices over {name} = {lo_v}..{hi_v} is read with the factor "
                       f"{name} = {hi_v} leftmost (the order of a chain rule)")
            return MatProd(v, i, lo_v, hi_v)
        op = sp.Sum if str(tok) == "\\sum" else sp.Product
        return op(_scalar(v), (i, lo_v, hi_v))


def _factors(t) -> list:
    """The factors of a left-nested product tree, in order."""
    if getattr(t, "data", None) == "mul":
        return _factors(t.children[0]) + [t.children[-1]]
    return [t]


def _walk(t):
    yield t
    for c in getattr(t, "children", []):
        yield from _walk(c)


