r"""Which LaTeX a declaration's ``latex=`` may hold: an allow-list of safe math.

A symbol's LaTeX name is printed into the report verbatim, so it must not
read files (``\input``), define macros (``\def``), build command names
(``\csname``, ``^^5c``) or change category codes: only letters, digits,
``_ ^ { } '``, spaces, a little punctuation and the commands of
:data:`SAFE_COMMANDS` pass, with balanced braces.

>>> latex_problem(r"\mathbf{h}_{t-1}") is None
True
"""

from __future__ import annotations

import re

from symbolic.algebra.printing import _GREEK

__all__ = ["SAFE_COMMANDS", "latex_problem"]

#: The commands a declaration's ``latex=`` may use: math alphabets, accents, Greek, a few symbols.
#: An allow-list: anything else (``\input``, ``\catcode``, ``\csname``, ``\def`` ...) is refused.
SAFE_COMMANDS = frozenset(
    _GREEK | {"varepsilon", "vartheta", "varpi", "varrho", "varsigma", "varphi", "varkappa", "digamma"}
    | set("mathbf mathrm mathit mathsf mathtt mathcal mathbb mathfrak boldsymbol operatorname text "
          "hat widehat tilde widetilde bar overline underline vec dot ddot check breve acute grave mathring "
          "top intercal prime ell nabla partial infty star ast dagger ddagger circ bullet cdot times pm mp "
          "hbar imath jmath emptyset varnothing perp parallel sharp flat natural aleph beth "
          "lbrack rbrack langle rangle lvert rvert lVert rVert vert Vert "
          "quad qquad".split())
)
_SAFE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_^{}' ()[]+-*/,.|:;!=<>")
_CONTROL = re.compile(r"\\([A-Za-z]+|.?)")


def latex_problem(tex: str) -> str | None:
    r"""Why ``tex`` is not safe math LaTeX for a symbol name (``None`` when it is).

    Letters, digits, ``_ ^ { } '``, spaces, a little punctuation and the
    commands of :data:`SAFE_COMMANDS`, with balanced braces: a name is
    printed into the report verbatim, so nothing that reads files, defines
    macros or changes category codes may pass.

    >>> latex_problem(r"\mathbf{W}^{(1)}") is None, latex_problem(r"\Delta\boldsymbol{\theta}_{t-1}") is None
    (True, True)
    >>> print(latex_problem(r"\input{/etc/hostname}"))
    the command \input is not allowed in a symbol name (allowed: Greek letters, \mathbf, \mathrm, \hat, ...)
    >>> latex_problem("x}{")
    'unbalanced braces'
    """
    if not isinstance(tex, str):
        return f"expected text, got {type(tex).__name__}"
    if "^^" in tex:
        return "'^^' (a character code) is not allowed in a symbol name"
    depth, i = 0, 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            m = _CONTROL.match(tex, i)
            name = m.group(1)
            if name in (",", ";", ":", "!", "|", " ") or name in SAFE_COMMANDS:
                i = m.end()
                continue
            shown = "the command \\" + name if name else "a lone backslash"
            return (f"{shown} is not allowed in a symbol name "
                    "(allowed: Greek letters, \\mathbf, \\mathrm, \\hat, ...)")
        if c not in _SAFE_CHARS:
            return f"the character {c!r} is not allowed in a symbol name"
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return "unbalanced braces"
        i += 1
    return "unbalanced braces" if depth else None
