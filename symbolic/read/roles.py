r"""Lines in math mode that are not claims: pseudo-code, and the declaration of a set of parameters.

``{\tt theta = init()}``, ``\texttt{grad = x}``, ``\text{grad\_b1} = \text{grad\_ha}`` are code typeset in
math: read as code, nothing to check (never UNREAD math, never a claim).  ``\theta = \{W, b\}`` names the
parameters of a model: a declaration, not an equation between values.

>>> written_role(r"{\tt theta = random}")[:11]
'pseudo-code'
>>> written_role(r"\theta = \{W^{(1)}, b^{(1)}\}")[:40]
'read as the declaration of the set of pa'
>>> written_role(r"x = \{a\}") is None
True
"""

from __future__ import annotations

import re

_TT = re.compile(r"\{\s*\\tt(?![A-Za-z])|\\(?:texttt|mathtt|verb)(?![A-Za-z])")
_TEXT = re.compile(r"\\(?:text|textrm|mathrm|mbox)\s*\{([^{}]*)\}")
_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:\\_[A-Za-z0-9]+)+|[A-Za-z]\w*\.[A-Za-z]\w*(?:\([^()]*\))?")
_NAME = r"(?:\\[A-Za-z]+|[A-Za-z])(?:\s*[_^]\s*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\?[A-Za-z0-9]+))*"
_SET = re.compile(r"^\s*(" + _NAME + r")\s*(?::=|=)\s*\\\{(.*)\\\}\s*[.,;]?\s*$", re.S)


def written_role(text: str) -> str | None:
    r"""Why the line is not a claim (pseudo-code, a set of parameters declared), or None for a line to read.

    >>> written_role(r"\text{grad\_b} = \text{grad\_h}")[:11], written_role(r"\text{loss} = 2")
    ('pseudo-code', None)
    """
    if _TT.search(text):
        return "pseudo-code ({\\tt ...}, \\texttt): read as code, not math; nothing to check"
    groups = _TEXT.findall(text)
    rest = _TEXT.sub(" ", text)
    if groups and all(_IDENT.fullmatch(g.strip()) for g in groups) and re.fullmatch(r"[\s=*+\-()]*", rest) \
            and "=" in rest:
        return "pseudo-code (program names such as grad\\_b, np.transpose(x)): read as code, not math; nothing to check"
    m = _SET.match(text)
    if m is not None:
        items = _items(m.group(2))
        if len(items) >= 2 and all(re.fullmatch(_NAME, x.strip()) for x in items):
            return (f"read as the declaration of the set of parameters {m.group(1).strip()} = "
                    f"{{{', '.join(x.strip() for x in items)}}}: a declaration, not a claim")
    return None


def _items(body: str) -> list[str]:
    """The comma-separated items of a set, cut outside braces."""
    out, depth, start = [], 0, 0
    for k, c in enumerate(body):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if c == "," and depth == 0:
            out.append(body[start:k])
            start = k + 1
    out.append(body[start:])
    return out
