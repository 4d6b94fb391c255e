r"""Anti-unification of parse trees, for the elided terms of :mod:`symbolic.read.elision`: where two written terms
differ (:func:`diffs`), the tree at a path, a tree with paths replaced, and the parse tree of an affine index.

>>> from symbolic.read.latex import parse_tree
>>> a, b = (parse_tree(t).children[0].children[0] for t in ("W_{k1} h_1", "W_{kn} h_n"))
>>> [text(at(a, p)) + " / " + text(at(b, p)) for p in diffs(a, b)]
['1 / n', '1 / n']
"""

from __future__ import annotations

from lark import Token, Tree

from ..algebra import sp
from ..exceptions import ReadError


def is_dots(t) -> bool:
    r"""Whether ``t`` is the parse tree of an elision (``\dots``, ``\cdots``, ``...``).

    >>> is_dots(Tree("dots", [])), is_dots(Tree("letter", []))
    (True, False)
    """
    return getattr(t, "data", None) == "dots"


def terms(t) -> list[tuple[int, object]]:
    """The signed terms of a sum tree, in order.

    >>> from symbolic.read.latex import parse_tree
    >>> [(s, text(x)) for s, x in terms(parse_tree("a - b + c").children[0].children[0])]
    [(1, 'a'), (-1, 'b'), (1, 'c')]
    """
    d = getattr(t, "data", None)
    if d == "add":
        return terms(t.children[0]) + [(1, t.children[2])]
    if d == "sub":
        return terms(t.children[0]) + [(-1, t.children[2])]
    if d == "neg":
        return [(-1, t.children[1])]
    if d == "pos":
        return [(1, t.children[1])]
    return [(1, t)]


def diffs(a, b, path=()) -> list[tuple]:
    """The maximal paths at which trees ``a`` and ``b`` differ (anti-unification).

    >>> x1, xn = Tree("subscript", [Tree("letter", ["x"]), Tree("digit", ["1"])]), Tree("subscript", [
    ...     Tree("letter", ["x"]), Tree("letter", ["n"])])
    >>> diffs(x1, xn), diffs(x1, x1)
    ([(1,)], [])
    """
    if a == b:
        return []
    if (isinstance(a, Tree) and isinstance(b, Tree) and a.data == b.data and len(a.children) == len(b.children)
            and all(x == y for x, y in zip(a.children, b.children) if isinstance(x, Token) or isinstance(y, Token))):
        out: list[tuple] = []
        for k, (x, y) in enumerate(zip(a.children, b.children)):
            out += diffs(x, y, path + (k,))
        return out
    return [path]


def shape(t):
    """The tree with its leaves forgotten: two terms of one shape differ only in names and numbers.

    >>> shape(Tree("subscript", [Tree("letter", ["x"]), Tree("digit", ["1"])]))
    ('subscript', ('.', '.'))
    """
    if not isinstance(t, Tree):
        return "."
    if t.data in ("letter", "number", "digit", "styled", "accent", "textname"):
        return "."
    return (t.data, tuple(shape(c) for c in t.children))


def at(t, path):
    """The subtree of ``t`` at ``path``.

    >>> text(at(Tree("subscript", [Tree("letter", ["x"]), Tree("digit", ["1"])]), (1,)))
    '1'
    """
    for k in path:
        t = t.children[k]
    return t


def replace(t, subs: dict):
    """A copy of ``t`` with the subtree at each path of ``subs`` replaced by its value.

    >>> text(replace(Tree("subscript", [Tree("letter", ["x"]), Tree("digit", ["1"])]), {(1,): Tree("letter", ["i"])}))
    'x_i'
    """
    if () in subs:
        return subs[()]
    kids = []
    for k, c in enumerate(t.children):
        inner = {p[1:]: v for p, v in subs.items() if p[0] == k}
        kids.append(replace(c, inner) if inner else c)
    return Tree(t.data, kids)


def text(t) -> str:
    """Compact LaTeX-like text of a parse tree, for reasons.

    >>> from symbolic.read.latex import parse_tree
    >>> text(parse_tree(r"W_{k1} h^{(2)}_{s_1}").children[0].children[0])
    'W_{k1} h^{(2)}_{s_1}'
    """
    if not isinstance(t, Tree):
        return str(t)
    d, kids = t.data, t.children
    if is_dots(t):
        return "\\dots"
    if d in ("subscript", "power") and len(kids) == 2:
        arg = text(kids[1])
        return text(kids[0]) + ("_" if d == "subscript" else "^") + (arg if len(arg) == 1 else "{" + arg + "}")
    if d == "paren":
        return "(" + "".join(text(c) for c in kids) + ")"
    if d == "frac" and len(kids) == 3:
        return "\\frac{%s}{%s}" % (text(kids[1]), text(kids[2]))
    if d == "mul":
        parts = [text(c) for c in kids]
        leaves = all(getattr(c, "data", None) in ("letter", "number", "digit") for c in kids)
        return "".join(parts) if leaves or any(isinstance(c, Token) for c in kids) else " ".join(parts)
    return "".join(text(c) for c in kids) if kids else d


def names(t) -> set[str]:
    r"""The tokens of ``t`` (letters, commands without their backslash, numbers).

    >>> sorted(names(Tree("subscript", [Tree("letter", [Token("GREEK", "\\alpha")]), Tree("digit", ["1"])])))
    ['1', 'alpha']
    """
    out = set()
    for x in t.iter_subtrees() if isinstance(t, Tree) else ():
        for c in x.children:
            if not isinstance(c, Tree):
                out.add(str(c).lstrip("\\"))
    return out


def integral(n) -> bool:
    """Whether ``n`` is an integer, or a polynomial with integer coefficients (an integer at integer values).

    >>> n = sp.Symbol("n")
    >>> integral(n - 1), integral((n - 1) / 2), integral(sp.Rational(3, 2))
    (True, False, False)
    """
    n = sp.sympify(n)
    if n.is_number:
        return bool(n.is_Integer)
    try:
        return all(c.is_Integer for c in sp.Poly(n, *sorted(n.free_symbols, key=str)).coeffs())
    except sp.PolynomialError:
        return False


def index_tree(e, first, path):
    """The parse tree of the index expression ``e`` at ``path`` of ``first`` (parenthesised unless it stands
    alone: a subscript, an exponent, inside parentheses).

    >>> i = sp.Symbol("i", integer=True)
    >>> text(index_tree(2 * i - 1, Tree("paren", [Tree("letter", ["x"])]), (0,)))
    '2i-1'
    """
    tree = _tree_of(sp.expand(e))
    parent = getattr(at(first, path[:-1]), "data", None) if path else None
    atom = isinstance(e, (sp.Symbol, sp.Integer)) and not (e.is_Integer and e < 0)
    if atom or (parent in ("subscript", "power") and path[-1] == 1) or parent in ("paren", "tuple", "frac"):
        return tree
    return Tree("paren", [tree])


def _name_tree(name: str):
    if len(name) == 1 and name.isalpha():
        return Tree("letter", [Token("LETTER", name)])
    if name.isalpha():
        return Tree("letter", [Token("GREEK", "\\" + name)])
    base, _, sub = name.partition("_")
    if base and sub and "_" not in sub and (sub.isalpha() or sub.isdigit()):
        sub_tree = _name_tree(sub.strip("{}")) if not sub.isdigit() else Tree("number", [Token("NUMBER", sub)])
        return Tree("subscript", [_name_tree(base), sub_tree])
    raise ReadError(f"the index {name} of the elided terms cannot be written back: not read yet")


def _tree_of(e):
    """A parse tree of the affine integer expression ``e``."""
    const, terms = e.as_coeff_add()
    parts = []
    for t in sorted(terms, key=str):
        c, rest = t.as_coeff_Mul()
        if not isinstance(rest, sp.Symbol) or not c.is_Integer:
            raise ReadError(f"the index {e} of the elided terms is not affine: not read yet")
        body = _name_tree(rest.name)
        if abs(c) != 1:
            body = Tree("mul", [Tree("number", [Token("NUMBER", str(abs(c)))]), body])
        parts.append((c < 0, body))
    if const != 0 or not parts:
        if not const.is_Integer:
            raise ReadError(f"the index {e} of the elided terms is not an integer: not read yet")
        parts.append((const < 0, Tree("number", [Token("NUMBER", str(abs(const)))])))
    negative, tree = parts[0]
    if negative:
        tree = Tree("neg", [Token("MINUS", "-"), tree])
    for negative, body in parts[1:]:
        tree = Tree("sub" if negative else "add", [tree, Token("MINUS" if negative else "PLUS", "-" if negative else "+"),
                                                    body])
    return tree
