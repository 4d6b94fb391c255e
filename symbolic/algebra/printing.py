r"""The one LaTeX builder for expressions (scalars, matrices, custom nodes).

:func:`to_latex` prints a sympy expression, including the nodes of
:mod:`symbolic.algebra.nodes`, with a subclass of sympy's ``LatexPrinter``:
sympy keeps owning precedence and braces for its own nodes, and each node of
the vocabulary prints by its declaration (:mod:`symbolic.algebra.ops`: its
``latex`` rule, and how it sits among its neighbours).  Symbol names come from ``names`` (the
declarations' ``latex=``) or from a default derived from the name itself:
Greek names become Greek letters, ``_x`` / ``_{...}`` become subscripts,
primes stay, matrices print bold.  The output is deterministic and needs only
amsmath and amssymb.

>>> import sympy as sp
>>> from symbolic.algebra.nodes import Norm
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> to_latex(Norm(sp.MatrixSymbol("u", n, 1))**2)
'\\left\\| \\mathbf{u} \\right\\|^{2}'
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE, precedence_traditional

from symbolic.algebra.depth import MAX_DEPTH, expr_depth
from symbolic.algebra.ops import lookup

__all__ = ["to_latex", "relation_latex", "name_latex"]

_GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
)
_ALIASES = {"eps": "epsilon", "lam": "lambda", "lmbda": "lambda", "lamda": "lambda"}
_ACCENTS = {"hat": r"\hat", "bar": r"\bar", "tilde": r"\tilde"}
_RELATIONS = {
    "=": "=", "==": "=", "!=": r"\ne", "<=": r"\le", "<": "<", ">=": r"\ge", ">": ">",
    "=>": r"\Rightarrow", "<=>": r"\Leftrightarrow",
}
_WORD = re.compile(r"[A-Za-z]+")
_SPECIAL = {"\\": r"\backslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\hat{}", "#": r"\#",
            "$": r"\$", "%": r"\%", "&": r"\&", "~": r"\sim{}", " ": r"\ "}


def _printed(item):
    """The registered operator that prints ``item`` (its ``latex`` rule), else ``None``."""
    op = lookup(item)
    return op if op is not None and op.latex is not None else None


def _special(item) -> bool:
    """A registered operator placed by its declaration: self-delimited, open to the right, or of its own precedence."""
    op = _printed(item)
    return op is not None and (op.atomic or op.open_right or op.precedence is not None)


def _escape(text: str) -> str:
    return "".join(_SPECIAL.get(c, c) for c in text)


def _letter(word: str) -> str | None:
    """``\\alpha`` for a Greek name (or alias), else ``None``."""
    word = _ALIASES.get(word, word)
    return "\\" + word if word in _GREEK else None


def _sub_part(part: str) -> str:
    greek = _letter(part)
    if greek:
        return greek
    if len(part) >= 3 and _WORD.fullmatch(part):
        return r"\mathrm{%s}" % part
    return _escape(part)


def name_latex(name: str, names: dict[str, str] | None = None, *, bold: bool = False) -> str:
    r"""LaTeX for the symbol, function or sequence called ``name``.

    ``names[name]`` wins when given (verbatim; a primed name falls back to
    its unprimed entry plus the primes).  Otherwise: Greek names become
    letters, ``_x``/``_{...}``/trailing digits subscripts, ``_hat``/``hat_``
    (also ``bar``, ``tilde``) accents; ``bold`` uses ``\mathbf`` (or
    ``\boldsymbol`` for Greek).  Multi-letter words print upright.

    >>> [name_latex(s) for s in ["d_h", "v_{t-1}", "sigma'", "eps", "x_hat", "loss"]]
    ['d_{h}', 'v_{t-1}', "\\sigma'", '\\epsilon', '\\hat{x}', '\\mathrm{loss}']
    >>> name_latex("theta", bold=True), name_latex("W_hh", bold=True), name_latex("u", {"u": "u_0"})
    ('\\boldsymbol{\\theta}', '\\mathbf{W}_{hh}', 'u_0')
    """
    names = names or {}
    if name in names:
        return names[name]
    body = name.rstrip("'")
    primes = name[len(body):]
    if primes and body in names:
        return names[body] + primes
    accent = None
    for key, cmd in _ACCENTS.items():
        if body.startswith(key + "_") and len(body) > len(key) + 1:
            accent, body = cmd, body[len(key) + 1:]
        elif body.endswith("_" + key) and len(body) > len(key) + 1:
            accent, body = cmd, body[: -len(key) - 1]
    braced = re.fullmatch(r"([A-Za-z]+)_\{([^{}]*)\}", body)
    if braced:
        base, subs = braced.group(1), [braced.group(2)]
    else:
        base, *rest = body.split("_")
        digits = re.fullmatch(r"([A-Za-z]+?)(\d+)", base)
        if digits and not _letter(base):
            base, rest = digits.group(1), [digits.group(2), *rest]
        subs = [_sub_part(p) for p in rest if p]
    greek = _letter(base)
    if greek:
        tex = r"\boldsymbol{%s}" % greek if bold else greek
    elif _WORD.fullmatch(base):
        tex = r"\mathbf{%s}" % base if bold else (base if len(base) == 1 else r"\mathrm{%s}" % base)
    else:
        return r"\mathrm{%s}%s" % (_escape(body), primes)
    if accent:
        tex = "%s{%s}" % (accent, tex)
    tex += primes
    if subs:
        tex += "_{%s}" % ",".join(subs)
    return tex


def _braced(base: str) -> str:
    """Protect a base that already carries a prime or superscript (subscript)."""
    return "{%s}" % base if ("'" in base or "^" in base or "_" in base) else base


def _sup(base: str, exp: str | None) -> str:
    if exp is None:
        return base
    return "%s^{%s}" % ("{%s}" % base if ("'" in base or "^" in base) else base, exp)


def _negative(term) -> bool:
    """Whether ``term`` prints with a leading minus (a MatMul by its scalar factor)."""
    if isinstance(term, sp.MatMul):
        return sp.Mul(*[a for a in term.args if not a.is_Matrix]).could_extract_minus_sign()
    return term.could_extract_minus_sign()


class _Sub:
    """What a declared ``latex`` rule is given: ``pr(sub)`` prints a sub-expression, and helpers to place it."""

    __slots__ = ("_p",)

    def __init__(self, printer: "_Printer") -> None:
        self._p = printer

    def __call__(self, expr) -> str:
        return self._p._print(expr)

    def precedence(self, expr) -> int:
        """The printing precedence of ``expr`` (sympy's scale), registered operators included."""
        return self._p._prec(expr)

    def negative(self, expr) -> bool:
        """Whether ``expr`` prints with a leading minus."""
        return _negative(expr)

    def matrix_name(self, name: str) -> str:
        """The LaTeX of a matrix name (bold when matrices print bold; a declared ``latex=`` wins)."""
        return name_latex(name, self._p._names, bold=self._p._bold)

    def function_name(self, f) -> str:
        """The LaTeX of a function's name (a declared ``latex=`` wins)."""
        return self._p._fname(f)

    def subscript(self, base: str, index: str) -> str:
        """``base_{index}``, the base braced when it already carries a prime, superscript or subscript."""
        return "%s_{%s}" % (_braced(base), index)


class _Printer(LatexPrinter):
    """``LatexPrinter`` that knows stepcheck's nodes and declared names."""

    def __init__(self, names: dict[str, str], sequences: set[str], bold: bool) -> None:
        super().__init__({"mat_symbol_style": "bold" if bold else "plain", "parenthesize_super": False})
        self._names = names
        self._sequences = sequences
        self._bold = bold
        self._sub = _Sub(self)

    def _print(self, expr, **kwargs) -> str:
        op = _printed(expr)
        if op is not None:  # a registered operator prints itself
            tex, exp = op.latex(expr, self._sub), kwargs.get("exp")
            powered = None if exp is None or op.power is None else op.power(expr, tex, exp)
            return powered if powered is not None else _sup(tex, exp)
        return super()._print(expr, **kwargs)

    # -- names --------------------------------------------------------
    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        return name_latex(expr.name, self._names, bold=style == "bold")

    def _print_MatrixSymbol(self, expr) -> str:
        return name_latex(expr.name, self._names, bold=self._bold)

    def _print_Identity(self, expr) -> str:
        return r"\mathbf{I}" if self._bold else "I"

    def parenthesize_super(self, s: str) -> str:
        return "{%s}" % s if ("^" in s or "'" in s) else s

    def _fname(self, f) -> str:
        return name_latex(str(f.name if hasattr(f, "name") else f), self._names)

    def _print_Function(self, expr, exp: str | None = None) -> str:
        if not isinstance(expr, AppliedUndef):
            return super()._print_Function(expr, exp)
        name = expr.func.__name__
        if name in self._sequences and len(expr.args) == 1:
            base = name_latex(name, self._names, bold=False)
            return _sup("%s_{%s}" % (_braced(base), self._print(expr.args[0])), exp)
        args = ", ".join(self._print(a) for a in expr.args)
        return r"%s\left( %s \right)" % (_sup(self._fname(name), exp), args)

    # -- precedence of custom nodes ------------------------------------
    def _prec(self, item) -> float:
        op = _printed(item)
        if op is not None and op.precedence is not None:
            return op.precedence(item, self._sub)
        if op is not None and op.atomic:
            return PRECEDENCE["Atom"]
        if op is not None and op.open_right:
            return PRECEDENCE["Mul"]
        return precedence_traditional(item)

    def parenthesize(self, item, level, is_neg=False, strict=False) -> str:
        if not _special(item):
            return super().parenthesize(item, level, is_neg, strict)
        prec = self._prec(item)
        if prec < level or (not strict and prec <= level):
            return r"\left(%s\right)" % self._print(item)
        return self._print(item)

    def _needs_mul_brackets(self, expr, first=False, last=False) -> bool:
        op = _printed(expr)
        if op is not None and op.precedence is not None:
            return self._prec(expr) < PRECEDENCE["Mul"]
        if op is not None and op.atomic:
            return False
        if op is not None and op.open_right:
            return not last
        return super()._needs_mul_brackets(expr, first=first, last=last)

    def _print_MatMul(self, expr) -> str:
        coeff = sp.Mul(*[a for a in expr.args if not a.is_Matrix])
        args = [a for a in expr.args if a.is_Matrix]
        sign = "- " if coeff.could_extract_minus_sign() else ""
        coeff = -coeff if sign else coeff
        out = []
        for i, a in enumerate(args):
            tex = self._print(a)
            if _special(a):
                wrap = self._needs_mul_brackets(a, first=i == 0, last=i == len(args) - 1)
            else:
                wrap = precedence_traditional(a) <= PRECEDENCE["Mul"] or (
                    i < len(args) - 1 and a.has(sp.Sum))
            out.append(r"\left(%s\right)" % tex if wrap else tex)
        num, den = sp.fraction(coeff)
        if den != 1 and not any(o.startswith(r"\left(") for o in out):
            # c/d A B  ->  \frac{c A B}{d} when the matrix part needs no brackets
            top = [] if num == 1 else [self._coeff(num)]
            return sign + r"\frac{%s}{%s}" % (" ".join(top + out), self._print(den))
        if coeff != 1:
            out.insert(0, self._coeff(coeff))
        return sign + " ".join(out)

    def _coeff(self, c) -> str:
        tex = self._print(c)
        wrap = self._needs_mul_brackets(c, first=True) or c.has(sp.Sum) or c.is_Relational
        return r"\left(%s\right)" % tex if wrap and not c.is_Mul else tex

    def _print_Add(self, expr, order=None) -> str:
        terms = self._as_ordered_terms(expr, order=order)
        neg = [_negative(t) for t in terms]
        if neg[0]:  # lead with a positive term when there is one
            terms = [t for t, m in zip(terms, neg) if not m] + [t for t, m in zip(terms, neg) if m]
        tex = ""
        for i, term in enumerate(terms):
            if i and _negative(term):
                tex, term = tex + " - ", -term
            elif i:
                tex += " + "
            term_tex = self._print(term)
            tex += r"\left(%s\right)" % term_tex if self._needs_add_brackets(term) else term_tex
        return tex

    # -- matrix operators ------------------------------------------------
    def _postfix(self, mat, sup: str) -> str:
        tex = self._print(mat)
        op = _printed(mat)
        simple = isinstance(mat, (sp.MatrixSymbol, sp.Identity)) or (op is not None and op.postfix)
        if not simple or "^" in tex:
            return r"\left(%s\right)^{%s}" % (tex, sup)
        return _sup(tex, sup)

    def _print_Transpose(self, expr) -> str:
        return self._postfix(expr.arg, r"\top")

    def _print_MatPow(self, expr) -> str:
        return self._postfix(expr.base, self._print(expr.exp))

    def _print_Inverse(self, expr) -> str:
        return self._postfix(expr.arg, "-1")

    def _print_Relational(self, expr) -> str:
        op = {"==": "=", "!=": r"\ne", "<=": r"\le", ">=": r"\ge"}.get(expr.rel_op, expr.rel_op)
        return "%s %s %s" % (self._print(expr.lhs), op, self._print(expr.rhs))


def to_latex(expr, names: dict[str, str] | None = None, *, bold_matrices: bool = True,
             sequences: set[str] | frozenset[str] | None = None) -> str:
    r"""LaTeX (math mode, no delimiters) for a sympy expression.

    ``names`` maps a symbol, matrix, function or sequence name to its LaTeX
    (a declaration's ``latex=``); other names get a default (see
    :func:`name_latex`).  ``bold_matrices`` prints matrix symbols bold.
    Scalar sequences are applied functions ``v(t)``: those whose name is in
    ``sequences`` print ``v_{t}``.

    >>> import sympy as sp
    >>> from symbolic.algebra.nodes import Dot, Apply
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> u, v = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("v", n, 1)
    >>> print(to_latex(sp.Symbol("beta") * Dot(u.T * v)))
    \beta \mathbf{u}^{\top} \mathbf{v}
    >>> print(to_latex(Apply(sp.Symbol("sigma'"), u), {"u": r"\bm{a}"}))
    \sigma'\left( \bm{a} \right)
    >>> t = sp.Symbol("t")
    >>> print(to_latex(sp.Function("v")(t - 1)**2, sequences={"v"}))
    v_{t - 1}^{2}
    """
    expr = sp.sympify(expr) if not isinstance(expr, sp.Basic) else expr
    depth = expr_depth(expr)
    if depth > MAX_DEPTH:  # sympy's printer recurses per level: never try what cannot print
        return r"\text{(an expression nested %d deep; not printed)}" % depth
    printer = _Printer(dict(names or {}), set(sequences or ()), bold_matrices)
    return printer.doprint(expr)


def relation_latex(rel: str) -> str:
    r"""LaTeX for a step relation: ``=``, ``<=``, ``<``, ``>=``, ``>``, ``=>``, ``<=>``.

    >>> [relation_latex(r) for r in ["=", "<=", ">=", "=>", "<=>"]]
    ['=', '\\le', '\\ge', '\\Rightarrow', '\\Leftrightarrow']
    """
    try:
        return _RELATIONS[rel]
    except KeyError:
        raise ValueError(f"unknown relation {rel!r}; expected one of {sorted(_RELATIONS)}") from None
