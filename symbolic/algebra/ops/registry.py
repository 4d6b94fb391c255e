"""The operator registry: each operator of the vocabulary declared once.

An :class:`Operator` bundles, for one sympy node class, everything the
pipeline needs to know about it: how to evaluate it on an instance (float64
and high precision run the same code), its LaTeX form, the names that build
it in text expressions, its symbolic derivative (for scalar functions), the
mistakes :mod:`symbolic.checks.mutate` plants in it, and the equality lemmas the
prover may apply to it.  The evaluator, the printer, the text parser, the
mutator and the prover look an operator up here and dispatch to it, as JAX
dispatches a primitive to its registered rules.

Families of operators live one per module in this package (every module but
this one and the private ``_`` modules a family splits into, in sorted order);
they are imported the first time an operator is looked up, never at import
time of :mod:`symbolic`.  A family module lists its user-facing constructors
in ``__all__``; they are exported as ``symbolic.<name>``.

>>> import sympy as sp
>>> op = Operator("double", sp.Function("double"), evaluate=lambda e, inst, ev: 2 * ev(e.args[0], inst))
>>> op.text
('double',)
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from sympy import Basic

#: The package whose modules (other than this one) each declare one family of operators.
PACKAGE = "symbolic.algebra.ops"

#: ``evaluate(expr, inst, ev)``: the value of ``expr`` on ``inst``; ``ev(sub, inst)`` evaluates a sub-expression.
Evaluator = Callable[[Any, Any, Callable], Any]
#: ``latex(expr, pr)``: the LaTeX of ``expr``; ``pr(sub)`` prints a sub-expression (the printer owns braces);
#: ``pr.precedence(sub)``, ``pr.negative(sub)`` (a leading minus), ``pr.matrix_name(name)`` (bold when
#: matrices print bold) and ``pr.function_name(f)`` (a declared name's LaTeX) help place it.
LatexRule = Callable[[Any, Callable[[Any], str]], str]
#: ``mutations(expr)``: ``(operator, description, replacement)`` for mistakes one can make in ``expr``
#: (``mutations(expr, whole)`` for an operator declared ``mutation_context=True``: ``whole`` is the
#: expression being mutated, as when a ReLU mask is moved to another of its symbols).
MutationRule = Callable[[Any], Iterable[tuple[str, str, Any]]]


@dataclass(frozen=True)
class Rewrite:
    """A named equality lemma ``expr == rewrite(expr)`` applied by the prover modulo algebra.

    ``apply(expr)`` returns the rewritten node, or ``None`` where the lemma
    does not apply (a side condition is not met).  A ``contextual`` lemma is
    called ``apply(expr, ctx)`` with the prover's facts (a
    :class:`symbolic.algebra.canon.Context`, or ``None``: no facts known).

    >>> import sympy as sp
    >>> r = Rewrite("identity", lambda e: None)
    >>> r.name
    'identity'
    """

    name: str
    apply: Callable[..., Any]
    contextual: bool = False
    head: type | None = None
    """Where set, the lemma is tried on nodes of class ``head`` (a product holding the operator:
    the mixed-product rule of the Kronecker product rewrites a ``MatMul``), not on the operator's own nodes."""


@dataclass(frozen=True)
class Bound:
    """A named inequality lemma the prover may apply to a goal ``a <= b`` headed by this operator.

    ``rule(prover, a, b, depth)`` returns the names of the lemmas of a proof
    (it may call ``prover.prove_le`` on sub-goals at ``depth + 1``), or ``None``.

    >>> Bound("trivial", lambda prover, a, b, depth: None).name
    'trivial'
    """

    name: str
    rule: Callable[[Any, Any, Any, int], list[str] | None]


@dataclass(frozen=True)
class Operator:
    """One operator of the vocabulary: a node class and its rules.

    ``node`` is the sympy class (sympy's own ``Trace`` or one of ours);
    ``text`` the names accepted in text expressions (default: ``name``),
    built by ``build`` (default: the node class itself); ``derivative``
    (scalar functions of one argument) gives ``f'(x)`` as an expression of
    ``x``; ``sympy_form`` writes the node with sympy's own operators, so that
    sympy's matrix calculus (one witness of a gradient) sees inside it;
    ``rewrites`` are equality lemmas and ``bounds`` inequality lemmas
    (for goals ``a <= b`` where ``a`` or ``b`` is this operator); ``jacobian(expr, D)`` (a column or
    scalar operator) gives its Jacobian by the chain rule, ``D(sub)`` being the Jacobian of a
    sub-expression (:mod:`symbolic.algebra.chain`); ``gradient(expr, X, dual)`` (a scalar operator of
    matrices) gives ``d expr / dX``, ``dual(M, G)`` being the gradient of ``tr(G^T M)``
    (:mod:`symbolic.algebra.matgrad`); ``differentiates``
    marks a derivative claim evaluated by finite differences (checked at their
    tolerance, and compared with sympy's answer); ``atomic`` says the LaTeX form is
    self-delimited (never parenthesized in a product); ``sympy_diff=False`` says sympy's
    matrix calculus gets this node wrong (``log det X`` differentiates to 0): the
    derivative checks treat it as opaque to sympy.

    How the LaTeX form sits among its neighbours: ``open_right`` (like a sum,
    ``\\nabla_x f``, ``\\prod_t W``: parenthesized unless last in a product);
    ``precedence(expr, pr)`` (a precedence that depends on the node: ``Dot`` prints as its inside);
    ``power(expr, tex, exp)`` (the node raised to ``exp``, or ``None`` for the default ``tex^{exp}``);
    ``postfix`` (a transpose or power attaches without parentheses: ``\\sigma(X)^{\\top}``);
    ``subscripted`` (a subscripted name, ``x_{t}``: a ``\\partial`` or an entry's index attaches to it).
    ``text_form(expr, pr)`` is the one-line unicode form (``stepcheck show``), ``text_atomic`` says it
    is self-delimited there (``‖u‖``, ``x_t``).  ``canon(expr, inside)`` rebuilds the node with its
    matrix arguments in normal form (``inside(X)``), for the prover's normal form
    (:mod:`symbolic.algebra.canon`); without it the node is an opaque atom.  ``mutation_context``
    calls ``mutations(node, whole)`` with the whole expression being mutated.

    >>> import sympy as sp
    >>> Operator("half", sp.Function("half"), evaluate=lambda e, i, ev: ev(e.args[0], i) / 2).atomic
    True
    """

    name: str
    node: type
    evaluate: Evaluator
    latex: LatexRule | None = None
    text: tuple[str, ...] = ()
    build: Callable[..., Any] | None = None
    derivative: Callable[[Any], Any] | None = None
    mutations: MutationRule | None = None
    rewrites: tuple[Rewrite, ...] = ()
    bounds: tuple[Bound, ...] = ()
    jacobian: Callable[[Any, Callable], Any] | None = None
    gradient: Callable[[Any, Any, Callable], Any] | None = None  # (expr, X, dual): d expr/dX (symbolic.algebra.matgrad)
    atomic: bool = True
    differentiates: bool = False
    sympy_diff: bool = True
    family: str = ""
    sympy_form: Callable[[Any], Any] | None = None  # the node in sympy's own operators, for its matrix calculus
    doc: str = ""
    open_right: bool = False
    precedence: Callable[[Any, Any], int] | None = None
    power: Callable[[Any, str, str], str | None] | None = None
    postfix: bool = False
    subscripted: bool = False
    text_form: Callable[[Any, Any], str] | None = None
    text_atomic: bool = False
    canon: Callable[[Any, Callable], Any] | None = None
    mutation_context: bool = False  # mutations(node, whole): the rule sees the whole expression

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", (self.name,))

    def make(self, *args):
        """Build the node from text-expression arguments.

        >>> import sympy as sp
        >>> Operator("f", sp.Function("f"), evaluate=lambda e, i, ev: 0).make(sp.Symbol("x"))
        f(x)
        """
        return (self.build or self.node)(*args)


@dataclass
class _Table:
    by_node: dict = field(default_factory=dict)
    by_text: dict = field(default_factory=dict)
    resolved: dict = field(default_factory=dict)  # node class -> operator or None, MRO walked once
    by_head: dict = field(default_factory=dict)  # node class -> lemmas of other operators tried on it
    exports: dict = field(default_factory=dict)  # public name -> family module
    loaded: bool = False


_TABLE = _Table()


def register(op: Operator) -> Operator:
    """Add ``op`` to the vocabulary (a family module calls this for each of its operators).

    A node or a text name declared twice is an error: each operator is declared once.

    >>> import sympy as sp
    >>> class Twice(sp.Function): pass
    >>> _ = register(Operator("twice_doc", Twice, evaluate=lambda e, i, ev: 2 * ev(e.args[0], i)))
    >>> lookup(Twice(sp.Symbol("x"))).name
    'twice_doc'
    """
    for name in op.text:
        old = _TABLE.by_text.get(name)
        if old is not None and _same(old, op):  # the same declaration run again (a reloaded module)
            _TABLE.by_node.pop(old.node, None)
            for n in old.text:
                _TABLE.by_text.pop(n, None)
    if op.node in _TABLE.by_node:
        raise ValueError(f"operator node {op.node.__name__} is declared twice "
                         f"({_TABLE.by_node[op.node].name!r} and {op.name!r})")
    for name in op.text:
        if name in _TABLE.by_text:
            raise ValueError(f"text name {name!r} is declared twice ({_TABLE.by_text[name].name!r} and {op.name!r})")
    _TABLE.by_node[op.node] = op
    _TABLE.resolved.clear()
    for lemma in op.rewrites:
        if lemma.head is not None:
            heads = _TABLE.by_head.setdefault(lemma.head, [])
            heads[:] = [r for r in heads if r.name != lemma.name] + [lemma]
    for name in op.text:
        _TABLE.by_text[name] = op
    if op.derivative is not None:
        _install_fdiff(op)
    return op


def _same(a: Operator, b: Operator) -> bool:
    return a.name == b.name and (a.node.__module__, a.node.__qualname__) == (b.node.__module__, b.node.__qualname__)


def _install_fdiff(op: Operator) -> None:
    """sympy's ``diff`` of a one-argument function calls ``fdiff``: answer with the declared derivative."""
    rule = op.derivative

    def fdiff(self, argindex=1):
        return rule(self.args[0])

    if not op.node.__module__.startswith("sympy"):  # never patch sympy's own classes
        op.node.fdiff = fdiff


def families() -> list[str]:
    """The family modules of the vocabulary, in the order they are loaded (``_helpers`` are not families).

    >>> "symbolic.algebra.ops.registry" in families()
    False
    """
    package = importlib.import_module(PACKAGE)
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__)
                   if m.name != "registry" and not m.name.startswith("_"))  # _name: a family's private module
    return [f"{PACKAGE}.{name}" for name in names]


def _load() -> None:
    """Import every family once.  A load cut short (a time limit's alarm can interrupt an import) is
    undone, so the next lookup loads again: a half-loaded vocabulary never stays."""
    if _TABLE.loaded:
        return
    _TABLE.loaded = True  # a family importing another family's names re-enters here: no recursion
    try:
        for mod in families():
            module = importlib.import_module(mod)
            for name in getattr(module, "__all__", ()):
                _TABLE.exports[name] = mod
    except BaseException:
        _TABLE.loaded = False
        raise


def lookup(expr) -> Operator | None:
    """The operator of ``expr``'s node class (or of a base class), else ``None``.

    >>> import sympy as sp
    >>> lookup(sp.Symbol("x")) is None
    True
    """
    _load()
    cls = type(expr)
    try:
        return _TABLE.resolved[cls]
    except KeyError:
        pass
    op = next((_TABLE.by_node[base] for base in cls.__mro__ if base in _TABLE.by_node), None)
    _TABLE.resolved[cls] = op
    return op


def by_text(name: str) -> Operator | None:
    """The operator a text expression calls ``name``, else ``None``.

    >>> by_text("no_such_operator") is None
    True
    """
    _load()
    return _TABLE.by_text.get(name)


def operators() -> Iterator[Operator]:
    """Every registered operator, in registration order.

    >>> all(isinstance(op, Operator) for op in operators())
    True
    """
    _load()
    yield from _TABLE.by_node.values()


def exported(name: str):
    """The user-facing object a family exports as ``name`` (``symbolic.<name>``), else ``None``.

    >>> exported("no_such_name") is None
    True
    """
    _load()
    mod = _TABLE.exports.get(name)
    if mod is None:  # asked while the families are loading (one family importing another's names)
        mod = next((m for m in families() if name in getattr(importlib.import_module(m), "__all__", ())), None)
    return None if mod is None else getattr(importlib.import_module(mod), name)


def apply_rewrites(expr, ctx=None, skip: tuple[str, ...] = ()) -> tuple[Any, tuple[str, ...]]:
    """``expr`` with every registered equality lemma applied bottom-up, and the lemmas' names.

    ``ctx`` holds the facts contextual lemmas check their side conditions against; the lemmas
    named in ``skip`` are not applied (a second pass tries a node's next lemma).

    >>> import sympy as sp
    >>> apply_rewrites(sp.Symbol("x") + 1)
    (x + 1, ())
    """
    _load()
    used: list[str] = []

    def rewrite(node):
        op = lookup(node)
        own = () if op is None else tuple(r for r in op.rewrites if r.head is None)
        for lemma in own + tuple(_TABLE.by_head.get(type(node), ())):
            if lemma.name in skip:
                continue
            new = lemma.apply(node, ctx) if lemma.contextual else lemma.apply(node)
            if new is not None and new != node:
                used.append(lemma.name)
                return new
        return node

    def walk(node):
        if not getattr(node, "args", ()) or not isinstance(node, Basic):
            return node
        args = tuple(walk(a) for a in node.args)
        if args != node.args:
            try:
                node = node.func(*args)
            except Exception:  # noqa: BLE001 - sympy refuses the rebuilt node: keep the original
                return node
        return rewrite(node)

    if not any(op.rewrites for op in _TABLE.by_node.values()):
        return expr, ()
    out = walk(expr)
    return out, tuple(dict.fromkeys(used))


def text_names() -> list[str]:
    """The sorted names of the operators in text expressions (for error messages).

    >>> isinstance(text_names(), list)
    True
    """
    _load()
    return sorted(_TABLE.by_text)
