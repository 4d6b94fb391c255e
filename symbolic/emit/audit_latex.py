r"""A student's line of LaTeX, re-typeset only when it is safe to: an allow-list and a structure check.

The audit report shows each line of the submission as mathematics.  The
student's LaTeX is never compiled raw: :func:`line_tex` passes a line only
when every command is on an allow-list (:data:`~symbolic.algebra.safe_latex.SAFE_COMMANDS`,
the symbol names' list, with the structure of formulas added: ``\frac``,
``\sum``, ``\left``/``\right``, relations...), every character is plain
ASCII mathematics, braces, ``\left``/``\right`` and the few matrix
environments allowed are balanced, commands have their arguments, and no
atom has two superscripts or two subscripts (a TeX error).  Anything else
is shown as written, escaped, in typewriter type (:func:`verbatim_tex`).

>>> line_tex(r"\|\mathbf{A}\mathbf{B}\| \le \|\mathbf{A}\| \, \|\mathbf{B}\|")
'\\|\\mathbf{A}\\mathbf{B}\\| \\le \\|\\mathbf{A}\\| \\, \\|\\mathbf{B}\\|'
>>> line_tex(r"\input{/etc/passwd}") is None, line_tex(r"x^2^3") is None
(True, True)
"""

from __future__ import annotations

import re

from ..algebra.safe_latex import SAFE_COMMANDS
from .tex_text import tex_escape

__all__ = ["LINE_COMMANDS", "line_tex", "line_problem", "verbatim_tex"]

_TWO = {"frac", "dfrac", "tfrac", "binom", "overset", "underset", "stackrel"}
_ONE = {"sqrt", "overbrace", "underbrace", "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathcal", "mathbb",
        "mathfrak", "boldsymbol", "operatorname", "hat", "widehat", "tilde", "widetilde", "bar", "overline",
        "underline", "vec", "dot", "ddot", "check", "breve", "acute", "grave", "mathring"}
_DELIMITING = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
               "Biggl", "Biggr"}
_PLAIN = set(
    "sum prod int iint oint coprod bigcup bigcap bigoplus bigotimes lim limsup liminf max min sup inf arg log ln "
    "exp sin cos tan sinh cosh tanh arcsin arccos arctan det dim ker deg gcd Pr le ge leq geq neq ne approx "
    "leqslant geqslant equiv sim simeq cong propto ll gg prec succ to rightarrow leftarrow Rightarrow Leftarrow "
    "Leftrightarrow leftrightarrow implies impliedby iff mapsto longrightarrow Longrightarrow in notin ni subset "
    "subseteq supset supseteq cup cap setminus forall exists land lor lnot neg wedge vee odot otimes oplus ominus "
    "div cdots ldots dots vdots ddots colon mid displaystyle textstyle lfloor rfloor lceil rceil uparrow "
    "downarrow triangleq coloneqq approxeq therefore because angle".split())
#: Every command a re-typeset line may use: the symbol names' allow-list and the structure of formulas.
LINE_COMMANDS = frozenset(SAFE_COMMANDS | _TWO | _ONE | _DELIMITING | _PLAIN | {"begin", "end"})
_ENVS = {"pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "matrix", "smallmatrix", "cases"}
_SYMBOLS = set(",;:!| {}%#&$_")  # control symbols: \, \; \| \{ \% ...
_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-*/=<>()[]|,.;:!'")
_DELIMS = set("()[]|./")
_DELIM_CS = {"|", "{", "}", "langle", "rangle", "lvert", "rvert", "lVert", "rVert", "vert", "Vert", "lfloor",
             "rfloor", "lceil", "rceil", "uparrow", "downarrow"}
_TEXT_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:!?()[]-+=/'")
_TOKEN = re.compile(r"\\([A-Za-z]+)|\\(.)|(\s+)|(.)", re.S)
MAX_CHARS = 3000
MAX_DEPTH = 40


class _Bad(Exception):
    pass


def line_problem(tex: str) -> str | None:
    r"""Why ``tex`` may not be typeset as it is (``None`` when it may).

    >>> line_problem(r"\frac{a}{b} = \left(\sum_{i=1}^{n} x_i\right)^2") is None
    True
    >>> line_problem(r"\frac{a}"), line_problem(r"\left( x"), line_problem(r"\mathscr{L}")
    ('\\frac needs 2 arguments', 'a \\left without its \\right', 'the command \\mathscr is not allowed')
    """
    if len(tex) > MAX_CHARS:
        return f"longer than {MAX_CHARS} characters"
    tokens = [("cs", m.group(1) or m.group(2)) if m.group(1) or m.group(2) is not None else
              ("sp", " ") if m.group(3) else ("ch", m.group(4)) for m in _TOKEN.finditer(tex)]
    try:
        end = _Group(tokens, 0, None, 0).run()
        if end != len(tokens):
            raise _Bad("unbalanced braces")
    except _Bad as err:
        return str(err)
    return None


def line_tex(tex: str) -> str | None:
    r"""``tex`` itself when it is safe to typeset (see the module docstring), else ``None``.

    >>> line_tex(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}^{\top} = \mathbf{M}")
    '\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}^{\\top} = \\mathbf{M}'
    >>> line_tex("a & b") is None, line_tex(r"\text{if $x$}") is None
    (True, True)
    """
    tex = tex.strip()
    return tex if tex and line_problem(tex) is None else None


class _Group:
    """Walk the tokens of one group until ``closer`` (``}``, ``]``, ``right``, an environment's end, or the end)."""

    def __init__(self, tokens: list, i: int, closer: str | None, depth: int, env: bool = False) -> None:
        if depth > MAX_DEPTH:
            raise _Bad("nested too deeply")
        self.t, self.i, self.closer, self.depth, self.env = tokens, i, closer, depth, env
        self.scripts: set[str] = set()

    def peek(self) -> tuple[str, str] | None:
        while self.i < len(self.t) and self.t[self.i][0] == "sp":
            self.i += 1
        return self.t[self.i] if self.i < len(self.t) else None

    def run(self) -> int:
        while True:
            tok = self.peek()
            if tok is None:
                if self.closer is not None:
                    raise _Bad({"}": "unbalanced braces", "]": "an unclosed [", "right": r"a \left without its \right"}
                               .get(self.closer, rf"\begin{{{self.closer}}} without its \end"))
                return self.i
            kind, val = tok
            if self.closes(tok):
                return self.i
            self.i += 1
            if kind == "ch" and val in "^_":
                if val in self.scripts:
                    raise _Bad("a double superscript or subscript")
                self.scripts.add(val)
                self.argument(val)
            elif kind == "ch" and val == "'":
                if "^" in self.scripts:
                    raise _Bad("a prime after a superscript")
            elif kind == "ch" and val == "{":
                self.i = _Group(self.t, self.i, "}", self.depth + 1).run() + 1
                self.scripts = set()
            elif kind == "ch" and val == "&" and self.env:
                self.scripts = set()
            elif kind == "ch":
                if val not in _CHARS:
                    raise _Bad(f"the character {val!r} is not allowed")
                self.scripts = set()
            else:
                self.command(val)

    def closes(self, tok: tuple[str, str]) -> bool:
        kind, val = tok
        if kind == "ch" and val == "}":
            if self.closer != "}":
                raise _Bad("unbalanced braces")
            return True
        if kind == "ch" and val == "]" and self.closer == "]":
            return True
        if kind == "cs" and val == "right":
            if self.closer != "right":
                raise _Bad(r"a \right without its \left")
            self.i += 1
            self.delimiter("right")
            return True
        if kind == "cs" and val == "end":
            if self.closer in (None, "}", "]", "right"):
                raise _Bad(r"an \end without its \begin")
            self.i += 1
            if self.env_name() != self.closer:
                raise _Bad(rf"\begin{{{self.closer}}} ended by another \end")
            return True
        return False

    def command(self, name: str) -> None:
        if len(name) == 1 and not name.isalpha():
            if name == "\\" and self.env:
                self.scripts = set()
                return
            if name not in _SYMBOLS:
                raise _Bad(f"the command \\{name} is not allowed")
            self.scripts = set()
            return
        if name not in LINE_COMMANDS:
            raise _Bad(f"the command \\{name} is not allowed")
        if name in ("left", "big", "Big", "bigg", "Bigg", "bigl", "Bigl", "biggl", "Biggl", "bigr", "Bigr",
                    "biggr", "Biggr"):
            self.delimiter(name)
            if name == "left":
                self.i = _Group(self.t, self.i, "right", self.depth + 1).run()
        elif name == "begin":
            env = self.env_name()
            if env not in _ENVS:
                raise _Bad(f"the environment {env} is not allowed")
            self.i = _Group(self.t, self.i, env, self.depth + 1, env=True).run()
        elif name == "text":
            self.text()
        elif name in _TWO or name in _ONE:
            if name == "sqrt" and self.peek() == ("ch", "["):
                self.i = _Group(self.t, self.i + 1, "]", self.depth + 1).run() + 1
            for _ in range(2 if name in _TWO else 1):
                self.argument(name)
        self.scripts = set()

    def argument(self, what: str) -> None:
        tok = self.peek()
        shown = what if what in "^_" else "\\" + what
        if tok is None or tok in (("ch", "}"), ("ch", "&"), ("cs", "\\"), ("cs", "right"), ("cs", "end")):
            raise _Bad(f"{shown} needs {2 if what in _TWO else 1} argument{'s' if what in _TWO else ''}")
        kind, val = tok
        self.i += 1
        if kind == "ch" and val == "{":
            self.i = _Group(self.t, self.i, "}", self.depth + 1).run() + 1
        elif kind == "ch" and (val in "^_'&" or val not in _CHARS):
            raise _Bad(f"{shown} needs an argument, not {val!r}")
        elif kind == "cs" and (val in _TWO or val in _ONE or val in _DELIMITING or val in ("begin", "text")
                               or (val not in LINE_COMMANDS and val not in _SYMBOLS)):
            raise _Bad(f"write the argument of {shown} in braces")

    def delimiter(self, what: str) -> None:
        tok = self.peek()
        if tok is None or not ((tok[0] == "ch" and tok[1] in _DELIMS) or (tok[0] == "cs" and tok[1] in _DELIM_CS)):
            raise _Bad(f"\\{what} needs a delimiter")
        self.i += 1

    def env_name(self) -> str:
        if self.peek() != ("ch", "{"):
            raise _Bad("an environment without its name")
        name = []
        self.i += 1
        while self.i < len(self.t) and self.t[self.i] != ("ch", "}"):
            if self.t[self.i][0] != "ch":
                raise _Bad("an environment name with a command")
            name.append(self.t[self.i][1])
            self.i += 1
        self.i += 1
        return "".join(name)

    def text(self) -> None:
        if self.peek() != ("ch", "{"):
            raise _Bad(r"write the argument of \text in braces")
        self.i += 1
        depth = 1
        while self.i < len(self.t):
            kind, val = self.t[self.i]
            self.i += 1
            if kind == "ch" and val in "{}":
                depth += 1 if val == "{" else -1
                if depth == 0:
                    return
            elif kind == "cs" and val not in (" ", ",", ";", "!"):
                raise _Bad(rf"\{val} inside \text is not allowed")
            elif kind == "ch" and val not in _TEXT_CHARS and not (val.isalpha() and 0xC0 <= ord(val) < 0x180):
                raise _Bad(rf"the character {val!r} inside \text is not allowed")
        raise _Bad("unbalanced braces")


def verbatim_tex(text: str, limit: int = 1500) -> str:
    r"""``text`` as written, escaped, in typewriter type, breakable every few characters.

    >>> verbatim_tex(r"\foo{x} &= 1")
    '{\\ttfamily \\textbackslash{}foo\\{x\\} \\&= 1}'
    >>> verbatim_tex("abcdefghij")
    '{\\ttfamily abcdefgh\\allowbreak{}ij}'
    """
    text = " ".join(text.split())
    more = len(text) - limit
    text = text[:limit] if more > 0 else text
    chunks = [c for c in re.split(r"(\s+|[^\s]{1,8})", text) if c]
    out = r"\allowbreak{}".join(tex_escape(c) for c in chunks)
    out = re.sub(r"\\allowbreak\{\}( +)\\allowbreak\{\}", r"\1", out)
    if more > 0:
        out += r" [\ldots{} +%d]" % more
    return r"{\ttfamily %s}" % out
