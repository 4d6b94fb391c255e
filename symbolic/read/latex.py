r"""Read one line of LaTeX math into engine expressions, on a grammar we own.

The line is normalised (:func:`normalise`), parsed by ``grammar.lark``
(LALR) into a tree, and the tree is built into the engine's nodes by
:mod:`symbolic.read.build` under a scope that says what each name is (see
:mod:`symbolic.read.context`).  No stock LaTeX parser builds anything here:
they make commutative scalars and drop transposes.

>>> from symbolic.read.context import SymbolTable
>>> chain = read_chain(r"\mathbf{A}\mathbf{B} = \mathbf{B}\mathbf{A}", SymbolTable().scope())
>>> chain.relations, [str(e) for e in chain.exprs]
(('=',), ['A*B', 'B*A'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..exceptions import ReadError  # defined with the other errors; importable from here as before
from .build import build_chain
from .cases import mark_cases
from .given import mark_given
from .macros import braced
from .notation import explain, tidy
from .rows import drop_alignment

MAX_CHARS = 3000
OPERATORS = ("tr", "Tr", "trace", "diag", "softmax", "det", "sign", "sgn", "relu", "ReLU", "Var", "Cov", "rank",
             "vec", "sigmoid", "tanh", "exp", "log", "max", "min")
_TRANSPOSE_T = re.compile(r"\^\s*(?:\{\s*T\s*\}|T)")  # u^Tv: TeX's superscript is the one token T
_TRANSPOSE = re.compile(r"\^\s*(?:\{\s*(?:\\top|\\intercal|\\mathsf\s*\{\s*T\s*\}|\\mathrm\s*\{\s*T\s*\}|"
                        r"\\mathsf\s*T|\\rm\s*T|Tr|\\textsf\{T\})\s*\}|T(?![A-Za-z])|\\top(?![A-Za-z])|"
                        r"\\intercal(?![A-Za-z]))")
_TEXT = re.compile(r"\\(?:text|mathrm|textrm|operatorname\*?|textnormal|mathit|textit|rm)\s*\{\s*([^{}]*?)\s*\}")
_SIZES = re.compile(r"\\(?:left|right|middle|[bB]igg?[lrm]?)(?![a-zA-Z])\s*")
_SPACES = re.compile(r"(?<!\\)\\(?:[,;:! ]|(?:quad|qquad|enspace|thinspace|space|limits|displaylimits|nolimits|displaystyle|"
                     r"textstyle|scriptstyle)(?![a-zA-Z]))|\\[hv]space\*?\s*\{[^{}]*\}|~")
# a number right after the bounds of a sum or product (a one-character bound: a letter, or a digit alone, so
# that ^10 is never split)
_BIGOP_NUMBER = re.compile(r"(\\(?:sum|prod)\s*_\s*(?:\{[^{}]*\}|[A-Za-z]|\d(?!\d))"
                           r"(?:\s*\^\s*(?:\{[^{}]*\}|[A-Za-z]|\d(?!\d)))?)\s*(\d+(?:\.\d+)?)(?![\d.])")
_NAME = r"(?:\\mathbf\s*\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z])"
# \mathbf{s_1}, \hat{y_i}: the font or accent is on the letter, the subscript outside it
_NAME_SUB = re.compile(r"\\(mathbf|hat|tilde|bar|widehat|widetilde|overline|check|breve)\s*\{\s*(" + _NAME +
                       r")\s*(_\s*(?:\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z0-9]))\s*\}")
_WRAPS = re.compile(r"\\(boxed|color|textcolor|underbrace|overbrace|underset|overset|stackrel|[hv]?phantom|bbox|"
                    r"mathop|mathclap|mathrlap|mathllap|smash)(?![a-zA-Z])\s*")


@dataclass(frozen=True)
class Chain:
    """A read line: expressions joined by relations.

    ``continues`` is true when the line starts with a relation: its first
    relation joins the previous line's last expression to ``exprs[0]``.
    """

    exprs: tuple
    relations: tuple[str, ...]
    continues: bool


def normalise(text: str) -> str:
    r"""The line in the spelling the grammar reads.

    >>> normalise(r"\left\| \mathbf{W}^\top x \right\|_2 \le \|x\|")
    '\\lVert \\mathbf{W}^{\\transpose} x \\rVert _2 \\le \\lVert x\\rVert'
    >>> normalise(r"|a| + \operatorname{tr}(A)")
    '\\lvert a\\rvert + \\op{tr}(A)'
    """
    t = mark_cases(_unwrap(tidy(text)))
    t = t.replace("\\left\\|", "\\lVert ").replace("\\right\\|", "\\rVert ")
    t = t.replace("\\left|", "\\lvert ").replace("\\right|", "\\rvert ")
    t = re.sub(r"\\left\\[vV]ert|\\left\\lVert", r"\\lVert ", t)
    t = re.sub(r"\\right\\[vV]ert|\\right\\rVert", r"\\rVert ", t)
    t = _SIZES.sub("", t)
    t = re.sub(r"\\(?:bm|boldsymbol|vec|mathbfit|pmb|mathbold|bf)(?![a-zA-Z])", r"\\mathbf", t)
    t = re.sub(r"\\[dt]frac(?![a-zA-Z])", r"\\frac", t)
    t = re.sub(r"\\frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", t)  # \frac16: TeX's one-digit arguments
    t = re.sub(r"\\frac\s*(\{[^{}]*\}|[A-Za-z])\s*(\d)", r"\\frac{\1}{\2}", t)  # \frac{a}2, \frac a2
    t = _NAME_SUB.sub(r"\\\1{\2}\3", t)
    t = re.sub(r"\\mathbf\s*\{\s*([A-Za-z]{2,})\s*\}", lambda m: "".join(f"\\mathbf{{{c}}}" for c in m.group(1)), t)
    t = re.sub(r"\\Delta\s*(\\mathbf\s*\{[^{}]*\})", r"\\incr{\1}", t)
    t = re.sub(r"\\Delta\s*(?=\\(?:alpha|beta|gamma|theta|lambda|mu|sigma|phi|omega|epsilon|eta)(?![a-zA-Z])|[a-zA-Z])",
               r"\\incr ", t)  # \Delta\theta: the increment of theta, its own symbol
    t = re.sub(r"\^\s*\{?\s*\\prime\s*\}?", "'", t)
    t = _TRANSPOSE_T.sub(r"^{\\transposeT}", t)
    t = _TRANSPOSE.sub(r"^{\\transpose}", t)
    t = _TEXT.sub(lambda m: _text(m.group(1)), t)
    t = _dfrac(t)
    # log(x), exp(x), max(0, z) typed without the backslash (a PDF converted to Markdown): the function, never l*o*g
    t = re.sub(r"(?<![\\a-zA-Z])(log|ln|exp)(?=\s*[(\\{])", r"\\\1 ", t)
    t = re.sub(r"(?<![\\a-zA-Z{])(max|min)(?=\s*\()", r"\\\1 ", t)
    t = re.sub(r"\\(tr|Tr|diag|softmax|sign|sgn|relu|Var|Cov|rank)(?![a-zA-Z])", r"\\op{\1}", t)
    t = _SPACES.sub(" ", t)
    t = t.replace("\\{", "(").replace("\\}", ")").replace("\\lbrace", "(").replace("\\rbrace", ")")
    t = t.replace("\\lbrack", "[").replace("\\rbrack", "]").replace("\\lparen", "(").replace("\\rparen", ")")
    t = t.replace("\\|", "\\Vert ").replace("\\vert", "|").replace("\\mid", "|")
    t = re.sub(r"\\arg\s*\\(max|min)(?![a-zA-Z])|\\textname\{arg\s*(max|min)\}", r"\\arg\1\2", t)
    t = re.sub(r"\\mathbb\s*(?:\{\s*E\s*\}|E(?![A-Za-z]))(?=\s*[\[(_])", r"\\op{E}", t)  # an expectation
    t = re.sub(r"(?<![|\\])\|\|(?!\|)", r"\\Vert ", mark_given(t))  # ||x||: the norm (a ||-divergence is marked)
    t = _BIGOP_NUMBER.sub(r"\1 {\2}", t)  # \sum_{i=1}^m 2 x_i: the factor 2 of the body, braced for the lexer
    t = re.sub(r"(?<=[A-Za-z}])\s*\{\s*_\s*(\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z0-9])\s*\}", r"_\1", t)  # \theta{_k}: theta_k
    return " ".join(_pair_bars(t).split())


def _unwrap(t: str) -> str:
    r"""Drop the wrappers that only decorate: ``\boxed{X}``, ``\color{red}{X}``, ``\underbrace{X}_{..}``.

    ``\underset{x}{\max}`` becomes ``\max_{x}``; ``\overset{(a)}{=}`` the bare relation; a phantom disappears.

    >>> " ".join(_unwrap(r"\boxed{a = \underbrace{b}_{\text{one}}} + \phantom{+}c \overset{def}{=} \color{red}{d}").split())
    'a = {b} + c := d'
    """
    out: list[str] = []
    i = 0
    for _ in range(10000):
        m = _WRAPS.search(t, i)
        if m is None:
            break
        out.append(t[i:m.start()])
        cmd, j = m.group(1), m.end()
        if cmd == "bbox" and t.startswith("[", j):
            close = t.find("]", j)
            j = close + 1 if close > 0 else j
            while j < len(t) and t[j] == " ":
                j += 1
        groups: list[str] = []
        need = 2 if cmd in ("underset", "overset", "stackrel", "textcolor") else 1
        for _g in range(need):
            end = braced(t, j) if j < len(t) and t[j] == "{" else -1
            if end < 0:
                break
            groups.append(t[j + 1:end - 1])
            j = end
            while j < len(t) and t[j] == " ":
                j += 1
        if len(groups) < need:  # not the shape we know: leave it to the grammar (an unknown command)
            out.append(m.group(0))
            i = m.end()
            continue
        if cmd == "color":
            end = braced(t, j) if j < len(t) and t[j] == "{" else -1
            body = t[j + 1:end - 1] if end > 0 else ""
            j = end if end > 0 else j
            out.append(" " + _unwrap(body) + " ")
        elif cmd in ("underbrace", "overbrace"):
            k = j
            if t.startswith(("_", "^"), k):  # the brace's note: dropped
                k += 1
                while k < len(t) and t[k] == " ":
                    k += 1
                note = re.match(r"\\[A-Za-z]+|.", t[k:]) if k < len(t) else None
                end = braced(t, k) if t.startswith("{", k) else (k + note.end() if note else -1)
                j = end if end > 0 else j
            out.append(" {" + _unwrap(groups[0]) + "} ")
        elif cmd == "underset":
            out.append(" {" + _unwrap(groups[1]) + "}_{" + groups[0] + "} ")
        elif cmd in ("overset", "stackrel"):
            top = groups[0].strip().replace("\\text", "").replace("\\mathrm", "").strip("{} ")
            out.append(" := " if top in ("def", "\\triangle", "\\Delta") and groups[1].strip() == "=" else
                       " " + _unwrap(groups[1]) + " ")
        elif cmd.endswith("phantom"):
            out.append(" ")
        else:
            out.append(" {" + _unwrap(groups[-1]) + "} " if cmd not in ("boxed", "textcolor", "bbox") else
                       " " + _unwrap(groups[-1]) + " ")
        i = j
    out.append(t[i:])
    return "".join(out)


def _dfrac(t: str) -> str:
    r"""``\frac{dJ}{dW}`` and ``\frac{d}{dx}`` are derivatives (as ``\partial``), never d*J/(d*W).

    >>> _dfrac(r"\frac{dz}{dx} + \frac{d}{d b_j} f + \frac{d}{2}")
    '\\frac{\\partial z}{\\partial x} + \\frac{\\partial }{\\partial b_j} f + \\frac{d}{2}'
    """
    out: list[str] = []
    i = 0
    for m in re.finditer(r"\\frac\s*(?=\{)", t):
        if m.start() < i:
            continue
        a = m.end()
        b = braced(t, a)
        if b < 0:
            break
        k = b
        while k < len(t) and t[k] == " ":
            k += 1
        c = braced(t, k) if k < len(t) and t[k] == "{" else -1
        if c < 0:
            continue
        num, den = t[a + 1:b - 1].strip(), t[k + 1:c - 1].strip()
        if re.match(r"d\s*(?:\\[A-Za-z]|[A-Za-z]|\{)", den) and re.match(r"d(?:$|\s|\\|[A-Za-z{(^])", num):
            if num.startswith("d^") or re.match(r"d\s*[A-Za-z]\^", den):
                raise ReadError("a higher derivative d^k f / dx^k is not read yet")
            out.append(t[i:m.start()] + "\\frac{\\partial " + num[1:].lstrip() + "}{\\partial " + den[1:].lstrip() + "}")
            i = c
    out.append(t[i:])
    return "".join(out)


def _text(word: str) -> str:
    w = word.strip()
    if w in OPERATORS:
        return {"exp": "\\exp ", "log": "\\log ", "tanh": "\\tanh ", "max": "\\max ", "min": "\\min "}.get(
            w, f"\\op{{{w}}}")
    if re.fullmatch(r"[A-Za-z]", w):
        return w
    return f"\\textname{{{w}}}"


_OPENERS = re.compile(r"(^|[(\[{=+\-*/,<>&^_:]|\\(?:cdot|times|le|leq|ge|geq|lt|gt|neq|sum|prod|odot|circ|ast|pm|"
                      r"approx|implies|to|lvert|lVert|quad|qquad|exp|log)\s*)\s*$")


def _pair_bars(t: str) -> str:
    """Give every ``|`` and ``\\Vert`` its side: open after an operator or an opening, close otherwise."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(t):
        bar = "\\Vert" if t.startswith("\\Vert", i) and not t[i + 5:i + 6].isalpha() else "|" if t[i] == "|" else None
        if bar is None:
            out.append(t[i])
            i += 1
            continue
        opening = bool(_OPENERS.search("".join(out)))
        if stack and stack[-1] == bar and not opening:
            stack.pop()
            out.append("\\rVert " if bar == "\\Vert" else "\\rvert ")
        elif opening or bar not in stack:
            stack.append(bar)
            out.append("\\lVert " if bar == "\\Vert" else "\\lvert ")
        else:
            while stack and stack.pop() != bar:
                pass
            out.append("\\rVert " if bar == "\\Vert" else "\\rvert ")
        i += len(bar)
    return "".join(out)


@lru_cache(maxsize=1)
def parser():
    """The LALR parser of ``grammar.lark`` (built on first use, then kept).

    >>> parser().parse("x = y").data
    Token('RULE', 'start')
    """
    from lark import Lark

    grammar = (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual", maybe_placeholders=False)


def parse_tree(text: str):
    """The parse tree of one normalised line; :class:`ReadError` when it does not parse.

    >>> parse_tree(r"\\frac{a}{b").__class__.__name__
    Traceback (most recent call last):
    ...
    symbolic.exceptions.ReadError: unbalanced braces (2 "{" and 1 "}") in "\\frac{a}{b"
    """
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    if len(text) > MAX_CHARS:
        raise ReadError(f"line longer than {MAX_CHARS} characters")
    opened, closed = len(re.findall(r"(?<!\\)\{", text)), len(re.findall(r"(?<!\\)\}", text))
    if opened != closed:
        raise ReadError(f'unbalanced braces ({opened} "{{" and {closed} "}}") in "{text}"')
    norm = normalise(text)
    try:
        return parser().parse(norm)
    except UnexpectedCharacters as err:
        raise ReadError(_where(norm, err.pos_in_stream, _unknown(norm, err.pos_in_stream))) from None
    except UnexpectedEOF:
        raise ReadError(f'unexpected end of the line (unbalanced braces?) in "{text}"') from None
    except UnexpectedToken as err:
        if err.token.type == "$END":
            raise ReadError(f'unexpected end of the line (unbalanced braces?) in "{text}"') from None
        raise ReadError(_where(norm, err.token.start_pos, explain(norm, err.token.start_pos,
                                                                  f'unexpected "{err.token}"'))) from None
    except UnexpectedInput as err:  # pragma: no cover - the three above are the cases lark raises
        raise ReadError(f"cannot read the line ({err})") from None


def _unknown(norm: str, pos: int) -> str:
    m = re.match(r"\\[A-Za-z]+", norm[pos:])
    if m:
        return explain(norm, pos, f"unknown command {m.group(0)}")
    return f'unexpected character "{norm[pos:pos + 1]}"'


def _where(norm: str, pos: int, what: str) -> str:
    return f'{what} at character {pos + 1} of "{norm}"'


def uses(tree) -> dict[str, set]:
    r"""How each name (by its letter, before any subscript) is used in a parse tree.

    Features: ``bold``, ``transposed``, ``product`` (a factor of an implicit
    or explicit product), ``called`` (written before ``(``), ``bound`` (the upper bound of a sum).

    >>> sorted(uses(parse_tree(r"A^T \mathbf{x}"))["A"])
    ['product', 'transposed']
    """
    out: dict[str, set] = {}

    def base(t):
        while getattr(t, "data", None) in ("subscript", "prime", "power") and t.children:
            if t.data == "power" and getattr(t.children[1], "data", None) != "transpose_mark":
                break
            t = t.children[0]
        return t

    def name(t):
        d = getattr(t, "data", None)
        if d == "letter":
            return str(t.children[0]).lstrip("\\"), False
        if d in ("styled", "accent") and len(t.children) > 1:
            inner = t.children[1]
            n, b = name(inner) if hasattr(inner, "data") else (str(inner).lstrip("\\"), False)
            if n is None:
                return None, False
            bold = b or (d == "styled" and str(t.children[0]) == "\\mathbf")
            if d == "accent":
                n = f"{n}_{str(t.children[0]).lstrip(chr(92))}"
            elif str(t.children[0]) != "\\mathbf":
                n = f"{str(t.children[0])[5:]}_{n}"
            return n, bold
        return None, False

    def mark(t, feat):
        n, bold = name(base(t))
        if n is not None:
            out.setdefault(n, set()).add(feat)

    def walk(t):
        d = getattr(t, "data", None)
        if d is None:
            return
        n, bold = name(t)
        if n is not None:
            out.setdefault(n, set()).update({"bold"} if bold else set())
        if d == "power" and getattr(t.children[1], "data", None) == "transpose_mark" and \
                str(t.children[1].children[0] if t.children[1].children else "") != "\\transposeT":
            mark(t.children[0], "transposed")
        if d == "power" and getattr(t.children[1], "data", None) == "transpose_mark":
            mark(t.children[0], "transposed?")
        if d == "mul":
            for c in (t.children[0], t.children[-1]):
                mark(c, "product")
            left = t.children[0]
            while getattr(left, "data", None) == "mul":
                left = left.children[-1]
            if getattr(left, "data", None) == "power" and getattr(left.children[1], "data", None) == "transpose_mark":
                mark(t.children[-1], "partner")
        if d in ("bigop", "bigop_neg") and len(t.children) > 3 and getattr(t.children[2], "data", None) == "letter":
            mark(t.children[2], "upper")  # \sum_{n=1}^{N}: N counts terms
        if d in ("bigop", "bigop_neg") and len(t.children) > 3 and getattr(t.children[2], "data", None) == \
                "transpose_mark" and str(t.children[2].children[0]) == "\\transposeT":
            out.setdefault("T", set()).add("upper")  # \sum_{t=1}^{T}: the letter T
        if d == "call":
            head = t.children[0]
            if getattr(head, "data", None) == "func" and len(head.children) > 1:  # \log P(x): P is called
                head = head.children[1]
            mark(head, "called")
            if len(t.children) > 2:
                mark(head, "several")  # f(x, y): a function of several arguments
        for c in t.children:
            walk(c)

    walk(tree)
    kids = getattr(tree.children[0], "children", []) if getattr(tree, "children", None) else []
    if len(kids) > 1 and getattr(kids[0], "data", None) == "inner" and getattr(kids[1], "data", None) == "rel" \
            and kids[1].children[0].type == "DEF":  # <x, y> := x^T S y: an inner product defined
        out.setdefault("\\langle", set()).add("defined")
    for feats in out.values():
        if "transposed?" in feats:
            feats.discard("transposed?")
            feats.add("transposed" if len(feats & {"product"}) else "transposed?")
    return out


def _declared_calls(text: str, functions) -> str:
    r"""A function of several letters the context declares, written bare before ``(`` (``rect(z)``): that function,
    never the product of its letters.

    >>> _declared_calls(r"\partial rect(z) + direct(z)", {"rect": None})
    '\\partial \\text{rect}(z) + direct(z)'
    """
    for name in sorted((n for n in functions if len(n) > 1 and n.isalpha()), key=len, reverse=True):
        text = re.sub(r"(?<![\\A-Za-z{])" + name + r"(?=\s*\()", r"\\text{" + name + "}", text)
    return text


def read_chain(text: str, scope: Any) -> Chain:
    r"""Read ``text`` (one line, macros already expanded) under ``scope``.

    >>> from symbolic.read.context import SymbolTable
    >>> c = read_chain(r"&= \|\mathbf{x}\|^2", SymbolTable().scope())
    >>> c.continues, str(c.exprs[0])
    (True, 'Norm(x)**2')
    """
    table = getattr(scope, "table", None)
    called = {**getattr(table, "functions", {}), **{n: None for n, spec in getattr(table, "definitions", {}).items()
                                                    if getattr(spec, "args", ())}}  # softmax(z) the context defines
    tree = parse_tree(_declared_calls(drop_alignment(text), called))
    try:
        exprs, rels, continues = build_chain(tree.children[0], scope)
    except RecursionError:
        raise ReadError("the line is nested too deeply to read") from None
    except (TypeError, ValueError, AttributeError, IndexError, KeyError, ZeroDivisionError, NotImplementedError) as err:
        # a combination the builder does not know how to make: the line is UNREAD, never a crash
        raise ReadError(f"the line could not be built ({type(err).__name__}: {err})") from None
    return Chain(tuple(exprs), tuple(rels), continues)
