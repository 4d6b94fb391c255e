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
            "“": "``", "”": "''", "…": r"\ldots{}", "`": r"\textasciigrave{}"}
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
    Text in backticks is set in typewriter type; a lone backtick is a grave accent.

    >>> print(tex_escape("read `sum` as `somme`, a ` alone"))
    read \texttt{sum} as \texttt{somme}, a \textasciigrave{} alone
    >>> print(tex_escape("a_b 50% & #1 ^ ~ \\ {x} ≤ σ Σ é ☃"))
    a\_b 50\% \& \#1 \textasciicircum{} \textasciitilde{} \textbackslash{} \{x\} \ensuremath{\le} \ensuremath{\sigma} \ensuremath{\Sigma} é \texttt{[U+2603]}
    """
    parts = re.split(r"`([^`\n]+)`", str(text))  # `code` pairs: typewriter, not two opening quotes
    if len(parts) > 1:
        return "".join(r"\texttt{%s}" % _escape_chars(p) if i % 2 else _escape_chars(p) for i, p in enumerate(parts))
    return _escape_chars(text)


def _escape_chars(text: object) -> str:
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


# -- ASCII mathematics in justifications ------------------------------------------------
_GREEK_NAMES = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
                "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"}
_FUNCTIONS = {"sqrt": r"\sqrt", "max": r"\max", "min": r"\min", "log": r"\log", "exp": r"\exp", "sum": r"\sum",
              "det": r"\det", "tanh": r"\tanh", "sin": r"\sin", "cos": r"\cos", "diag": r"\operatorname{diag}",
              "tr": r"\operatorname{tr}", "argmin": r"\operatorname{argmin}", "argmax": r"\operatorname{argmax}"}
_STRONG_OPS = {"<=": r"\le", ">=": r"\ge", "!=": r"\ne", "->": r"\to", "=>": r"\Rightarrow", "=": "=", "<": "<",
               ">": ">", "||": r"\|", "|": "|"}
_WEAK_OPS = {"+": "+", "-": "-", "*": "*", "/": "/", "(": "(", ")": ")", "^": r"\hat{}"}
_ATOM = r"(?:\{[^{}]*\}|[A-Za-z0-9]+)"
_TOKENS = re.compile(r"(?P<space>\s+)|(?P<sup>\^(?:\{[^{}]*\}|[A-Za-z0-9]+))|(?P<op><=|>=|!=|->|=>|\|\||[=<>|])|(?P<weak>[-+*/()])|"
                     r"(?P<word>[A-Za-z]+\d*(?:_%s)?'*(?:\^%s)?(?:_%s)?'*)|(?P<num>\d+(?:\.\d+)?)|(?P<other>.)"
                     % (_ATOM, _ATOM, _ATOM))
_WORD = re.compile(r"([A-Za-z]+\d*)(?:_(%s))?('*)(?:\^(%s))?(?:_(%s))?('*)$" % (_ATOM, _ATOM, _ATOM))
_ENGLISH = {"is", "by", "of", "in", "to", "as", "at", "an", "or", "on", "if", "be", "we", "so", "it", "no", "and"}


def _math_escape(c: str) -> str:
    table = {"\\": r"\backslash ", "{": r"\{", "}": r"\}", "_": r"\_", "~": r"\sim ", "#": r"\#", "$": r"\$",
             "%": r"\%", "&": r"\&", ",": ",", ".": ".", ";": ";", ":": ":", "!": "!", "[": "[", "]": "]"}
    if c in table:
        return table[c]
    math = _math_char(c)
    return math + " " if math else r"\text{%s}" % tex_escape(c)


def _word_math(word: str) -> tuple[str, bool]:
    """A word as math, and whether it is surely mathematics (Greek, a function, decorated)."""
    base, sub, prime1, sup, sub2, prime2 = _WORD.match(word).groups()
    sub = sub or sub2
    short = len(base) <= 3 and (sub is None or len(sub) <= 2 or sub.startswith("{"))
    strong = bool(sub or sup or prime1 or prime2)
    if base in _GREEK_NAMES or base.capitalize() in _GREEK_CAPITALS and base[0].isupper():
        out, strong = "\\" + base, True
    elif base in _FUNCTIONS:
        out, strong = _FUNCTIONS[base], True
    elif (len(base) <= 2 and base not in _ENGLISH) or (strong and short):
        out = base
    else:
        return r"\text{%s}" % base, False
    if sub:
        out += "_{%s}" % _math_run(sub[1:-1] if sub.startswith("{") else sub)
    out += prime1
    if sup:
        top = sup[1:-1] if sup.startswith("{") else sup
        out += "^{\\top}" if top == "T" and base[0].isupper() and (len(base) == 1 or base[1:].isdigit()) else "^{%s}" % _math_run(top)
    return out + prime2, strong


def _math_run(text: str) -> str:
    """All of ``text`` as math (inside a subscript, a superscript or a square root)."""
    out, i = [], 0
    while i < len(text):
        m = _TOKENS.match(text, i)
        kind, tok = m.lastgroup, m.group()
        i = m.end()
        if kind == "word" and tok == "sqrt" and text[i:i + 1] == "(":
            inner, i = _balanced(text, i)
            out.append(r"\sqrt{%s}" % _math_run(inner))
        elif kind == "word":
            out.append(_word_math(tok)[0])
        elif kind == "sup" and out:  # braced base: h^s^T is {h^{s}}^{T}, never a double superscript
            out[-1] = "{%s}^{%s}" % (out[-1], _math_run(tok[1:].strip("{}")))
        elif kind == "op":
            out.append(" %s " % _STRONG_OPS[tok])
        elif kind == "weak":
            out.append(_WEAK_OPS[tok])
        elif kind == "space":
            out.append(" ")
        elif kind == "num":
            out.append(tok)
        else:
            out.append(_math_escape(tok))
    return " ".join("".join(out).split())


def _balanced(text: str, i: int) -> tuple[str, int]:
    """The text inside the parenthesis opening at ``i`` and the index after its match (or the end)."""
    depth, j = 0, i
    while j < len(text):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1:j], j + 1
        j += 1
    return text[i + 1:], len(text)


def why_tex(text: object) -> str:
    r"""A justification in LaTeX: the ASCII mathematics students type becomes math, the rest text.

    ``|x|``, ``||W||``, ``sqrt(...)``, ``lambda_1(...)``, ``<=``, ``>=``,
    ``sigma'``, ``W^T`` and Greek names are recognised in runs that contain
    an unmistakable piece of mathematics (a relation, a bar, a Greek letter,
    a subscript); words stay words, and everything is escaped, so no user
    text reaches LaTeX raw.  Code in backticks is set in typewriter type.

    >>> print(why_tex("|sigma'| <= gamma and ||W|| = sqrt(lambda_1(W^T W))"))
    $|\sigma'| \le \gamma$ and $\|W\| = \sqrt{\lambda_{1}(W^{\top} W)}$
    >>> print(why_tex("expand (8)-(12) with `np.dot` & 50%"))
    expand (8)-(12) with \texttt{np.dot} \& 50\%
    """
    text = str(text)
    out: list[str] = []
    run: list[tuple[str, str, bool]] = []  # (raw, math, strong)

    def flush() -> None:
        trail = []
        while run and run[-1][0].isspace():
            trail.insert(0, run.pop()[0])
        lead = []
        while run and (run[0][0].isspace() or run[0][0] == ")"):
            lead.append(run.pop(0)[0])
        out.append(tex_escape("".join(lead)))
        if any(strong for _, _, strong in run):
            out.append("$%s$" % " ".join("".join(m for _, m, _ in run).split()))
        else:
            out.append(tex_escape("".join(r for r, _, _ in run)))
        out.append(tex_escape("".join(trail)))
        run.clear()

    i = 0
    while i < len(text):
        if text[i] == "`" and "`" in text[i + 1:]:
            j = text.index("`", i + 1)
            flush()
            out.append(r"\texttt{%s}" % tex_escape(text[i + 1:j]))
            i = j + 1
            continue
        m = _TOKENS.match(text, i)
        kind, tok = m.lastgroup, m.group()
        i = m.end()
        if kind == "word" and tok == "sqrt" and text[i:i + 1] == "(":
            inner, i = _balanced(text, i)
            run.append((tok + "(" + inner + ")", r"\sqrt{%s}" % _math_run(inner), True))
        elif kind == "word":
            math, strong = _word_math(tok)
            if math.startswith(r"\text{"):  # a word of the sentence, not a symbol
                flush()
                out.append(tex_escape(tok))
            else:
                run.append((tok, math, strong))
        elif kind == "sup" and run:  # a power of what precedes: ||u||^2, (a + b)^2
            raw, math, strong = run.pop()
            run.append((raw + tok, "{%s}^{%s}" % (math, _math_run(tok[1:].strip("{}"))), strong))
        elif kind == "op":
            run.append((tok, " %s " % _STRONG_OPS[tok] if tok not in "||" else _STRONG_OPS[tok], True))
        elif kind in ("weak", "num"):
            run.append((tok, _WEAK_OPS.get(tok, tok), False))
        elif kind == "space":
            run.append((tok, " ", False))
        else:
            flush()
            out.append(r"\textasciigrave{}" if tok == "`" else tex_escape(tok))  # a lone "^" too
    flush()
    return "".join(out)
