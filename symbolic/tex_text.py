r"""User text made safe for LaTeX, and long formulas broken into lines that fit a column.

:func:`tex_escape` escapes text (justifications, names) and turns the
mathematical characters students type (≤, →, Greek letters) into LaTeX;
:func:`break_lines` breaks a long formula before ``+`` and ``-`` and between
bracketed factors, outermost cuts first, closing and reopening
``\left``/``\right`` delimiters across a cut.

>>> tex_escape("a_1 <= 50%")
'a\\_1 <= 50\\%'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["tex_escape", "math_text", "visible_len", "lines_of", "break_lines"]


_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\textasciicircum{}",
            "~": r"\textasciitilde{}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
            "\t": " ", "\n": " ", "\r": " ", "\u00a0": "~", "–": "--", "—": "---", "‘": "`", "’": "'",
            "“": "``", "”": "''", "…": r"\ldots{}"}
_MATH_CHARS = {"≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "→": r"\to", "←": r"\leftarrow",
               "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow", "×": r"\times", "·": r"\cdot",
               "∂": r"\partial", "∇": r"\nabla", "∑": r"\sum", "∏": r"\prod", "√": r"\surd",
               "∞": r"\infty", "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "≡": r"\equiv",
               "∀": r"\forall", "∃": r"\exists", "‖": r"\|", "∥": r"\|", "⊤": r"\top", "ᵀ": r"^{\top}",
               "−": "-", "±": r"\pm", "∘": r"\circ", "⊙": r"\odot", "⊗": r"\otimes", "⁻": "^{-}",
               "ε": r"\varepsilon", "φ": r"\varphi", "ς": r"\varsigma", "ϵ": r"\epsilon", "ϕ": r"\phi"}
_MATH_CHARS.update({chr(0x2080 + i): "_{%d}" % i for i in range(10)})
_MATH_CHARS.update({c: "^{%d}" % i for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")})
_GREEK_CAPITALS = {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}


def _math_char(c: str) -> str | None:
    """Math for a unicode symbol or Greek letter (``σ`` -> ``\\sigma``), else ``None``."""
    if c in _MATH_CHARS:
        return _MATH_CHARS[c]
    m = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER ([A-Z]+)", unicodedata.name(c, ""))
    if not m or m.group(2) == "OMICRON":
        return None
    word = m.group(2).lower().replace("lamda", "lambda")
    word = word if m.group(1) == "SMALL" else word.capitalize()
    return "\\" + word if m.group(1) == "SMALL" or word in _GREEK_CAPITALS else None


def tex_escape(text: object) -> str:
    r"""Text-mode LaTeX for user text: specials escaped, unicode mathematics mapped.

    Latin letters with accents pass through (UTF-8, T1); symbols such as
    ``≤`` or ``σ`` become math; any other character becomes ``[U+XXXX]``.

    >>> print(tex_escape("a_b 50% & #1 ^ ~ \\ {x} ≤ σ Σ é ☃"))
    a\_b 50\% \& \#1 \textasciicircum{} \textasciitilde{} \textbackslash{} \{x\} \ensuremath{\le} \ensuremath{\sigma} \ensuremath{\Sigma} é \texttt{[U+2603]}
    """
    out = []
    for c in str(text):
        math = None if c in _SPECIAL else _math_char(c)
        if c in _SPECIAL:
            out.append(_SPECIAL[c])
        elif math is not None:
            out.append(r"\ensuremath{%s}" % math)
        elif 32 <= ord(c) < 0x180 and c != "\x7f":
            out.append(c)
        else:
            out.append(" " if ord(c) < 32 else r"\texttt{[U+%04X]}" % ord(c))
    return "".join(out)


def math_text(text: object) -> str:
    r"""``\text{...}`` that MathJax and LaTeX both read: specials go to math mode.

    >>> math_text("a_b")
    '\\text{a}\\_\\text{b}'
    """
    table = {"\\": r"\backslash ", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\hat{}", "~": r"\sim ",
             "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&"}
    parts = re.split(r"([\\{}_^~#$%&])", str(text).replace("\n", " "))
    return "".join(table[p] if p in table else (r"\text{%s}" % p if p else "") for p in parts)


# -- long formulas, in lines ------------------------------------------------------
def visible_len(tex: str) -> int:
    r"""Rough printed width of math LaTeX, in characters (binary operators count 3).

    >>> visible_len(r"\left(\mathbf{W}^{\top} + 1\right)")
    8
    """
    tex = re.sub(r"\\(left|right)\b\\?", "", tex)
    tex = re.sub(r"\\(mathbf|mathrm|operatorname|boldsymbol|mathbb|frac|text|hat|bar|tilde|"
                 r"mathopen|mathclose|displaystyle|begin|end|quad|qquad)\b", "", tex)
    tex = re.sub(r"\\[A-Za-z]+", "x", tex)
    tex = re.sub(r"[\s{}^_]", "", tex)
    return len(tex) + 2 * len(re.findall(r"[-+=<>]", tex))  # binary operators come with spaces


_AFTER_BRACKET = re.compile(r"\\right(?:\)|\]|\\\||\|)(?:[\^_](?:\{[^{}]*\}|[^{}\s]))*\}?$")
_OPEN = {"left": r"\left. ", "bare": "{"}
_CLOSE = {"left": r" \right.", "bare": "}"}


def _terms(tex: str) -> list[tuple[str, tuple, bool]]:
    """Cut math where a line may break: at `` + ``/`` - `` and between bracketed factors.

    Never inside a command's argument or an environment; inside ``\\left``
    groups and bare ``{...}`` groups, which a line break closes and reopens.
    Returns ``(piece, open_groups, product)`` triples: the groups still open
    after the piece, and whether the cut after it splits a product.
    """
    pieces, stack, start, i = [], [], 0, 0
    while i < len(tex):
        if tex.startswith("\\left", i) and not tex[i + 5:i + 6].isalpha():
            stack.append("left")
            i += 5
            continue
        if tex.startswith("\\right", i) and not tex[i + 6:i + 7].isalpha():
            stack.pop() if stack else None
            i += 6
            continue
        if tex.startswith("\\begin{", i) or tex.startswith("\\end{", i):
            stack.append("env") if tex[i + 1] == "b" else (stack.pop() if stack else None)
            i = tex.index("}", i) + 1
            continue
        c = tex[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            arg = i > 0 and (tex[i - 1] in "^_}]" or re.search(r"\\[A-Za-z]+$", tex[:i]))
            stack.append("arg" if arg else "bare")
        elif c == "}":
            stack.pop() if stack else None
        elif "arg" not in stack and "env" not in stack and tex[start:i].strip():
            groups = tuple(stack)
            if c in "+-" and tex[i - 1:i] == " " and tex[i + 1:i + 2] == " ":
                pieces.append((tex[start:i].strip(), groups, False))
                start = i
            elif c == " " and tex[i + 1:i + 2] not in ("+", "-", "=", "", "^", "_", "}") and \
                    _AFTER_BRACKET.search(tex[:i]):
                pieces.append((tex[start:i].strip(), groups, True))
                start = i
        i += 1
    pieces.append((tex[start:].strip(), (), False))
    return pieces


def _pack(pieces: list, width: int, level: int = 0) -> list[list]:
    """Lines of pieces: cut at the shallowest level first, deeper only inside what is too long."""
    segments, current = [], []
    for p in pieces:
        current.append(p)
        if len(p[1]) <= level:
            segments.append(current)
            current = []
    if current:
        segments.append(current)
    lines: list[list] = []
    for seg in segments:
        deeper = _size(seg) > width and any(len(p[1]) > level for p in seg[:-1])
        for line in (_pack(seg, width, level + 1) if deeper else [seg]):
            if lines and _size(lines[-1]) + _size(line) <= width:
                lines[-1] = lines[-1] + line
            else:
                lines.append(line)
    return lines


def _size(pieces: list) -> int:
    return sum(visible_len(p[0]) for p in pieces)


def lines_of(tex: str, width: int) -> list[str]:
    r"""Math cut into lines of about ``width`` characters (see :func:`break_lines`).

    >>> lines_of(r"a \left(b + c\right)", 4)
    ['a \\left(b \\right.', '\\left. + c\\right)']
    """
    out, groups, product = [], (), False
    for line in _pack(_terms(tex), width):
        text = "".join(_OPEN[g] for g in groups) + (r"\cdot " if product else "") + " ".join(p[0] for p in line)
        groups, product = line[-1][1], line[-1][2]
        out.append(text + "".join(_CLOSE[g] for g in reversed(groups)))
    return out


def break_lines(tex: str, width: int = 44) -> str:
    r"""Break long math into a top-aligned ``aligned`` block of lines about ``width`` wide.

    Lines break before a ``+`` or ``-`` and between bracketed factors (the
    next line then starts with ``\cdot``), never inside a command's argument;
    outermost cuts first, deeper ones only inside what is still too long.
    A cut inside ``\left(...\right)`` closes the open delimiters with
    ``\right.`` and reopens them with ``\left.`` on the next line.

    >>> break_lines("a + b", width=44)
    'a + b'
    >>> print(break_lines("a + b - c", width=2))
    \begin{aligned}[t] & a \\ & \quad + b \\ & \quad - c\end{aligned}
    >>> print(break_lines(r"x \left(a + b\right)", width=4))
    \begin{aligned}[t] & x \left(a \right. \\ & \quad \left. + b\right)\end{aligned}
    >>> print(break_lines(r"\left(a\right)^{2} \left(b\right)", width=5))
    \begin{aligned}[t] & \left(a\right)^{2} \\ & \quad \cdot \left(b\right)\end{aligned}
    """
    if visible_len(tex) <= width:
        return tex
    lines = lines_of(tex, width)
    if len(lines) == 1:
        return tex
    body = [(r" & \quad " if i else " & ") + line for i, line in enumerate(lines)]
    return r"\begin{aligned}[t]" + r" \\".join(body) + r"\end{aligned}"
