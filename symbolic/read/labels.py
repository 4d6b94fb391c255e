r"""Labels written as superscripts or double subscripts that the core builder would read as powers or entries:
``\vec\theta^{t-1}`` (a vector at iterate t-1: a vector has no power t-1, so the superscript names it) and
``r_{ik}`` (a scalar of a family with two indices, under sums over i and k), ``\delta_{ij}`` (Kronecker's delta).

>>> from symbolic.read.context import SymbolTable
>>> from symbolic.read.latex import read_chain
>>> table = SymbolTable().from_use({"theta": {"bold"}})
>>> str(read_chain(r"\mathbf{\theta}^{t-1} = \mathbf{\theta}^{t}", table.scope()).exprs[0])
'theta^{t-1}'
"""

from __future__ import annotations

from ..algebra import MatrixExpr, sp
from .shapes import _is1x1, _scalar


def iterate_name(builder, base, exp, b, e) -> str | None:
    r"""The name of the vector ``base`` labelled by the superscript ``exp`` (``theta^{t-1}``), or None when the power
    may be one: ``b`` (the base's value) is not a vector (a square matrix has powers A^k), or the exponent ``e``
    is a number (``x^2`` stays a power, unread on a vector).

    >>> from symbolic.read.context import SymbolTable
    >>> from symbolic.read.latex import read_chain
    >>> t = SymbolTable().from_use({"x": {"bold"}})
    >>> read_chain(r"\mathbf{x}^{k+1} - \mathbf{x}^{k} = \mathbf{x}^{k+1} - \mathbf{x}^{k}", t.scope()).exprs[0].shape
    (n, 1)
    """
    if not isinstance(b, MatrixExpr) or _is1x1(b) or sp.sympify(b.shape[0]) == sp.sympify(b.shape[1]):
        return None
    if not getattr(e, "free_symbols", None):
        return None
    head = builder.head_name(base)
    if head is None:
        return None
    label = builder.label(exp)
    return f"{head}^{label}" if len(label) == 1 else f"{head}^{{{label}}}"


def iterate(builder, name: str, like):
    r"""The vector ``name`` (an iterate such as ``theta^{t-1}``), of the shape of ``like``, declared on first use.

    >>> from symbolic.read.context import SymbolTable
    >>> from symbolic.read.latex import read_chain
    >>> read_chain(r"\mathbf{x}^{t}", SymbolTable().from_use({"x": {"bold"}}).scope()).exprs[0].shape
    (n, 1)
    """
    d = builder.scope.d
    decl = d.decls.get(name)
    if decl is not None and getattr(decl, "symbol", None) is not None:
        return decl.symbol
    builder._note(f"{name} is read as a vector labelled {name.split('^', 1)[1]} (an iterate), not a power")
    return d.matrix(name, *like.shape)


def _two(builder, sub):
    """The two index trees of a subscript ``{ik}`` (a product of two names) or ``{i, k}``, else None."""
    data = getattr(sub, "data", None)
    if data == "mul" and len(sub.children) == 2 and all(builder.is_name(c) for c in sub.children):
        return sub.children
    if data == "tuple" and len(sub.children) == 2:
        return sub.children
    return None


def two_index(builder, name: str, bold: bool, sub):
    r"""``r_{ik}`` under a sum over i (or k): term (i, k) of a family of scalars with two indices, one function
    ``r_seq2`` of both (never one of ``r_k``'s family); ``\delta_{ij}`` under sums over both: Kronecker's delta.
    None when the subscript is not two indices of which one is a sum's, or ``name`` is a vector or matrix.

    >>> from symbolic.read.context import SymbolTable
    >>> from symbolic.read.latex import read_chain
    >>> str(read_chain(r"\sum_{i=1}^{n} \sum_{k=1}^{K} r_{ik} \delta_{ik}", SymbolTable().scope()).exprs[0])
    'Sum(r_seq2(i, k)*KroneckerDelta(i, k), (k, 1, K), (i, 1, n))'
    """
    from ..exceptions import ReadError

    pair = _two(builder, sub)
    bound = builder.scope.bound()
    if pair is None or not (builder.index_names(sub) & bound):
        return None
    if builder.scope.table.kind(name, bold=bold) != "scalar" or builder.scope.is_sequence(name):
        return None
    a, b = (builder.value(c) for c in pair)
    if any(isinstance(x, MatrixExpr) for x in (a, b)):
        return None
    if name == "delta" and name not in builder.scope.table.symbols:
        if not all(builder.index_names(c) and builder.index_names(c) <= bound for c in pair):
            raise ReadError(f"\\delta_{{{builder.label(sub)}}}: a Kronecker delta with an index that no sum "
                            "around it bounds (its range is unknown) is not read yet")
        return sp.KroneckerDelta(a, b)
    key = f"{name}_seq2"
    d = builder.scope.d
    if key not in d.decls:
        d.sequence(key)
        builder._note(f"{name}_{{{builder.label(sub)}}} is read as a term of a family of scalars with two "
                      f"indices ({key})")
    return sp.Function(key, real=True)(a, b)


def undefined_by_term(scope, f, x) -> bool:
    r"""Whether ``\partial f / \partial y_i`` is of a bare ``f`` that nothing defines (no line read before, no
    context), with respect to a term ``y_i`` of a family of scalars: the derivative is then an unknown value,
    named as written and never checked (the audit says so), like one with respect to a plain name.

    >>> from symbolic.read.context import SymbolTable
    >>> s = SymbolTable().scope()
    >>> undefined_by_term(s, sp.Symbol("f"), sp.Function("y_seq")(sp.Symbol("i")))
    True
    """
    if not isinstance(f, sp.Symbol) or not isinstance(x, sp.core.function.AppliedUndef):
        return False
    if not type(x).__name__.endswith("_seq") or len(x.args) != 1:
        return False
    defined = {str(sym) for sym, _ in scope.d.definitions}
    return f.name not in defined and f.name not in scope.table.definitions and f.name not in scope.table.symbols


def optimum_vector(builder, name: str, var, body):
    r"""``\arg\max_{\mathbf{\theta}} Q(\mathbf{\theta})``: the optimum, a vector of the shape of the variable, named
    as written and opaque (what it is optimised over is unknown: nothing is derived from it, a counterexample on it
    is no counterexample).  Not read when the body is not a scalar or uses the index of a sum around it.

    >>> from symbolic.read.context import SymbolTable
    >>> from symbolic.read.latex import read_chain
    >>> read_chain(r"\arg\max_{\mathbf{w}} \|\mathbf{w}\|", SymbolTable().from_use({"w": {"bold"}}).scope()).exprs[0].shape
    (n, 1)
    """
    from ..exceptions import ReadError

    x = builder.value(var)
    if isinstance(body, MatrixExpr) and not _is1x1(body):
        raise ReadError(f"\\{name} of a {body.shape[0]}x{body.shape[1]} value is not read yet")
    if {str(s) for s in getattr(body, "free_symbols", ())} & builder.scope.bound():
        raise ReadError(f"\\{name} under a sum over an index of its body is not read yet")
    text = f"{name}_{{{builder.label(var)}}}[{_scalar(body) if isinstance(body, MatrixExpr) else body}]"
    d = builder.scope.d
    decl = d.decls.get(text)
    sym = decl.symbol if decl is not None and getattr(decl, "symbol", None) is not None else d.matrix(text, *x.shape)
    builder.scope.opaque.add(text)
    builder._note(f"\\{name} over the vector {builder.label(var)} is read as a vector named as written ({text})")
    return sym
