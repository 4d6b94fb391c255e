r"""Dimension statements: a row that says the shape of an expression, in English or French.

``\frac{\partial L}{\partial W} \text{ est } d_h \times n``, ``x \text{ is of size } d``,
``A \text{ has shape } (m, n)``, ``W x \in \mathbb{R}^{m \times 1}``, joined by ``\text{ car }``,
``\text{ and }``... (:func:`dimension_statement`).  Each clause is a subject (LaTeX, read by the
audit) and the stated dimensions (:func:`stated_dims`, sympy expressions in positive integers).

>>> row = r"- A \text{ est } d_h \times n \text{ car } x \text{ is } 1"
>>> [(c.subject, c.dims) for c in dimension_statement(row, {"n"})]
[('A', ['d_h', 'n']), ('x', ['1'])]
>>> dimension_statement(r"a = b \text{ car } c") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..algebra import sp

_TEXT = re.compile(r"\\(?:text|textrm|textnormal|textit|mbox)\s*\{([^{}]*)\}")
_VERB = re.compile(r"^(?:is|are|has|have|est|sont|a|ont)?\s*(?:(?:of|de)\s+)?(?:a\s+|une?\s+)?"
                   r"(?:(?:matrix|vector|matrice|vecteur)\s+)?"
                   r"(?:(?:of|with|de|avec)\s+)?(?:(?:the|la|les)\s+)?(?:size|shape|dimensions?|taille|forme)?\s*"
                   r"(?:(?:is|est|of|de|:)\s*)?$", re.I)
_CORE = re.compile(r"\b(?:is|are|est|sont)\b", re.I)
_SHAPE = re.compile(r"\b(?:size|shape|dimensions?|taille|forme)\b", re.I)
_LINK = re.compile(r"^(?:car|et|and|because|since|puisque|as|donc|so|while|alors que|,|;)$", re.I)
_LEAD = re.compile(r"^(?:(?:la|les|the)\s+(?:dimensions?|taille|shape|size|forme)\s+(?:de|of|du|des)\s*:?)$", re.I)
_IN_R = re.compile(r"\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*\^\s*(\{(?P<b>[^{}]*)\}|(?P<t>\\?\w))")
_TIMES = re.compile(r"\\times|\\cdot|×|\*")
_NAME = re.compile(r"[A-Za-z](?:_\{?\w+\}?)?")


@dataclass(frozen=True)
class Clause:
    """One ``subject is dims`` of a dimension statement (LaTeX texts)."""

    subject: str
    dims: list[str]


def dimension_statement(text: str, dims: frozenset = frozenset()) -> list[Clause] | None:
    r"""The clauses of a row that states shapes (each ``subject verb dims``), or None when the row is not
    only that: every word in ``\text{}`` is a verb of shape (est, is, of size, has shape, de dimension...),
    a link (car, et, and, because...) or a lead (la dimension de); the dimensions are products of names
    and numbers separated by ``\times``, or a pair ``(m, n)``.  A verb is ``is``/``est`` or says a shape word
    (size, shape, dimension, taille...); after a bare ``is``/``est``, one dimension must be a number or a name
    of ``dims`` (the declared dimensions): ``f \text{ is } g`` is not a shape.

    >>> [c.dims for c in dimension_statement(r"W x \in \mathbb{R}^{m \times 1}")]
    [['m', '1']]
    >>> dimension_statement(r"f \text{ est convexe}") is None
    True
    """
    text = re.sub(r"^\s*(?:[-\u2022]|\\bullet|\\item)\s*", "", text.strip())
    parts: list[tuple[str, str]] = []  # (kind, text): "math", "verb", "link"
    pos = 0
    for m in _TEXT.finditer(text):
        parts.append(("math", text[pos:m.start()]))
        word = " ".join(m.group(1).split()).strip()
        verb = bool(word) and bool(_VERB.match(word)) and bool(_CORE.search(word) or _SHAPE.search(word))
        kind = ("verb" if _SHAPE.search(word) else "is") if verb else "link" if _LINK.match(word) else \
            "lead" if _LEAD.match(word) else None
        if kind is None:
            return None
        parts.append((kind, word))
        pos = m.end()
    parts.append(("math", text[pos:]))
    clauses: list[Clause] = []
    subject: str | None = None
    bare = False  # the verb before the dimensions is a bare is/est
    for kind, chunk in parts:
        if kind == "math":
            if not chunk.strip():
                continue
            if subject is None:
                inside = _IN_R.search(chunk)
                if inside and not chunk[inside.end():].strip():
                    found = _dims(inside.group("b") or inside.group("t"))
                    if found is None or not chunk[:inside.start()].strip():
                        return None
                    clauses.append(Clause(chunk[:inside.start()].strip(), found))
                    continue
                subject = chunk.strip()
            else:
                found = _dims(chunk)
                if found is None or (bare and len(found) == 1 and not _known(found[0], dims)):
                    return None
                clauses.append(Clause(subject, found))
                subject = None
        elif kind in ("verb", "is"):
            if subject is None:
                return None
            bare = kind == "is"
        elif kind == "link":
            if subject is not None:
                return None
        elif clauses or subject is not None:  # a lead opens the row only
            return None
    return clauses if clauses and subject is None else None


def _known(text: str, dims: frozenset) -> bool:
    """A number, or an expression in the names ``dims`` only."""
    e = stated_dim(text)
    return e is not None and {s.name for s in e.free_symbols} <= set(dims)


def _dims(text: str) -> list[str] | None:
    """``d_h \\times n`` -> ['d_h', 'n']; ``(m, n)`` -> ['m', 'n']; None when not dimensions."""
    text = text.strip().rstrip(".,;").strip()
    pair = re.fullmatch(r"\(\s*([^()]+?)\s*,\s*([^()]+?)\s*\)", text)
    pieces = [pair.group(1), pair.group(2)] if pair else _TIMES.split(text)
    out = [" ".join(p.split()) for p in pieces]
    if not 1 <= len(out) <= 2 or any(stated_dim(p) is None for p in out):
        return None
    return out


def stated_dim(text: str):
    """A stated dimension as a sympy expression in positive integers (names by their LaTeX name), or None.

    >>> stated_dim("d_h + 1"), stated_dim("d_{h}"), stated_dim("x^2 =") is None
    (d_h + 1, d_h, True)
    """
    text = re.sub(r"_\{(\w+)\}", r"_\1", text.strip())
    if not text or not re.fullmatch(r"[\w\s+\-()]+", text):
        return None
    names: dict = {}

    def name(m: re.Match) -> str:
        key = f"N{len(names)}"
        names[key] = sp.Symbol(m.group(0), integer=True, positive=True)
        return key

    code = _NAME.sub(name, text)
    if re.search(r"[A-Za-z_]\s*[A-Za-z(]|\d\s*N", re.sub(r"N\d+", "N", code)):  # two names side by side: not read
        return None
    try:
        return sp.sympify(code, locals=names)
    except (sp.SympifyError, SyntaxError, TypeError):
        return None
