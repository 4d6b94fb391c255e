r"""``P \implies Q`` inside one line: its consequent is checked when its premise is a hypothesis in force.

A derivation's hypotheses hold for every line, so ``Q`` checked as a claim is ``Q`` under them: when ``P``
is one of them (the assignment's, from the context, or a line read as a hypothesis), the line is checked as
``Q``.  A premise for one line only is not supported (assuming it would assume it for every line), so any
other ``P`` leaves the line not checked, saying why.  ``E \to L \text{ as } T \to \infty`` in ``Q`` is the
limit ``\lim_{T \to \infty} E = L``.

>>> split_implication(r"a \leq b \quad \implies \quad c \geq d")
('a \\leq b', 'c \\geq d')
>>> as_limit(r" \|x_T\| \rightarrow 0 \text{ as } T \rightarrow \infty")
'\\lim_{T \\to \\infty} \\|x_T\\| = 0'
"""

from __future__ import annotations

import re

from ..algebra import sp

_IMPLIES = re.compile(r"\\(?:implies|Rightarrow|Longrightarrow)(?![a-zA-Z])")
_TO = r"(?:\\(?:rightarrow|to|longrightarrow)(?![a-zA-Z]))"
_AS = re.compile(rf"^(?P<e>.+?){_TO}\s*(?P<l>.+?)\s*\\(?:text|mathrm|textrm)\{{\s*(?:as|when|quand|lorsque)\s*\}}"
                 rf"\s*(?P<v>\\?[A-Za-z]+)\s*{_TO}\s*(?P<to>\\infty|\+\s*\\infty|[0-9]+)\s*[.,;]?\s*$", re.S)
_SPACING = re.compile(r"\\(?:quad|qquad|,|;|:|!)(?![a-zA-Z])|~")
REL = {"<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt, "=": sp.Eq}


def split_implication(text: str) -> tuple[str, str] | None:
    """The premise and the consequent of a line holding one ``\\implies`` outside braces, else None."""
    hits = [m for m in _IMPLIES.finditer(text) if _depth(text, m.start()) == 0]
    if len(hits) != 1:
        return None
    m = hits[0]
    return _SPACING.sub("", text[:m.start()]).strip(), _SPACING.sub("", text[m.end():]).strip()


def as_limit(text: str) -> str:
    """``E \\to L \\text{ as } T \\to \\infty``, written as ``\\lim_{T \\to \\infty} E = L``; other text as it is."""
    m = _AS.match(text)
    if not m:
        return text
    e, lim, v, to = (m.group(k).strip() for k in ("e", "l", "v", "to"))
    return f"\\lim_{{{v} \\to {to.replace(' ', '')}}} {e} = {lim}"


def in_force(exprs: tuple, rels: tuple, hypotheses) -> bool:
    """Whether the relation ``exprs[0] rels[0] exprs[1]`` is one of ``hypotheses`` (name, relational) as written.

    >>> a, b = sp.symbols("a b")
    >>> in_force((a, b), ("<=",), [("h", sp.Le(a, b))]), in_force((a, b), ("<",), [("h", sp.Le(a, b))])
    (True, False)
    """
    if len(rels) != 1 or rels[0] not in REL or len(exprs) != 2:
        return False
    stated = REL[rels[0]](exprs[0], exprs[1], evaluate=False)
    return any(h == stated or h == stated.reversed for _, h in hypotheses)


def _depth(text: str, pos: int) -> int:
    depth = 0
    for ch in text[:pos]:
        depth += ch == "{"
        depth -= ch == "}"
    return depth
