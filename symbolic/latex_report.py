r"""LaTeX for one derivation and its verdicts: the body of a report section.

All mathematics goes through :func:`symbolic.algebra.printing.to_latex` with
the declarations' LaTeX names; all user text (statements, justifications,
names, reasons) through :func:`tex_escape`.  The chain of steps is a
``longtable`` with a relation column, the step, its justification and
evidence, its label and a verdict mark; a refuted step is followed by its
counterexample and, beside it, the corrected version's step with the same
label.  Long right-hand sides are broken at top-level ``+``/``-`` into an
``aligned`` block, and ``\fitmath`` (defined in the report's preamble)
scales down whatever is still wider than its column.

For notebooks, :func:`derivation_latex` and :func:`result_table_latex` return
self-contained ``$$...$$`` math (used by ``_repr_latex_``).

>>> from symbolic import Derivation
>>> d = Derivation("demo"); a = d.scalar("alpha")
>>> _ = d.start(a * (a + 1)).eq(a**2 + a, "1", why="expand_product")
>>> print(derivation_latex(d).splitlines()[1])
\alpha \left(\alpha + 1\right) &= \alpha^{2} + \alpha &&\qquad \text{(1) expand}\_\text{product}\\
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Iterable

from .algebra import SeqTerm, sp
from .algebra.printing import name_latex, relation_latex, to_latex
from .declarations import DimDecl, FunctionDecl, IndexDecl, MatrixDecl, ScalarDecl, SequenceDecl

__all__ = ["tex_escape", "Printer", "break_lines", "derivation_body", "derivation_latex",
           "result_table_latex", "mark"]

_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\textasciicircum{}",
            "~": r"\textasciitilde{}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
            "\t": " ", "\n": " ", "\r": " "}
_MATH_CHARS = {"≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "→": r"\to", "←": r"\leftarrow",
               "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow", "×": r"\times", "·": r"\cdot",
               "∂": r"\partial", "∇": r"\nabla", "∑": r"\sum", "∏": r"\prod", "√": r"\surd",
               "∞": r"\infty", "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "≡": r"\equiv",
               "∀": r"\forall", "∃": r"\exists", "‖": r"\|", "∥": r"\|", "⊤": r"\top", "ᵀ": r"^{\top}",
               "−": "-", "±": r"\pm", "∘": r"\circ", "⊙": r"\odot", "⊗": r"\otimes", "⁻": "^{-}",
               "λ": r"\lambda", "ε": r"\varepsilon", "ϵ": r"\epsilon", "φ": r"\varphi", "ϕ": r"\phi"}
_MATH_CHARS.update({chr(0x2080 + i): "_{%d}" % i for i in range(10)})
_MATH_CHARS.update({c: "^{%d}" % i for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")})
_GREEK = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho varsigma " \
         "sigma tau upsilon phi chi psi omega".split()
for _i, _g in enumerate(_GREEK):
    if _g != "o":
        _MATH_CHARS.setdefault(chr(0x3B1 + _i), "\\" + _g)
        if _g[0].upper() + _g[1:] in ("Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi",
                                      "Psi", "Omega"):
            _MATH_CHARS.setdefault(chr(0x391 + _i), "\\" + _g[0].upper() + _g[1:])
_TEXT_CHARS = {"–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "…": r"\ldots{}",
               "\u00a0": "~"}


def tex_escape(text: Any) -> str:
    r"""Text-mode LaTeX for user text: specials escaped, unicode mathematics mapped.

    Latin letters with accents pass through (UTF-8, T1); symbols such as
    ``≤`` or ``σ`` become math; any other character becomes ``[U+XXXX]``.

    >>> print(tex_escape("a_b 50% & #1 ^ ~ \\ {x} ≤ σ é"))
    a\_b 50\% \& \#1 \textasciicircum{} \textasciitilde{} \textbackslash{} \{x\} \ensuremath{\le} \ensuremath{\sigma} é
    """
    out = []
    for c in str(text):
        if c in _SPECIAL:
            out.append(_SPECIAL[c])
        elif c in _TEXT_CHARS:
            out.append(_TEXT_CHARS[c])
        elif c in _MATH_CHARS:
            out.append(r"\ensuremath{%s}" % _MATH_CHARS[c])
        elif ord(c) < 32:
            out.append(" ")
        elif ord(c) < 0x180 and c not in "\x7f":
            out.append(c)
        else:
            out.append(r"\texttt{[U+%04X]}" % ord(c))
    return "".join(out)


def _math_text(text: Any) -> str:
    r"""``\text{...}`` that MathJax and LaTeX both read: specials go to math mode.

    >>> _math_text("a_b")
    '\\text{a}\\_\\text{b}'
    """
    table = {"\\": r"\backslash ", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\hat{}", "~": r"\sim ",
             "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&"}
    parts = re.split(r"([\\{}_^~#$%&])", str(text).replace("\n", " "))
    return "".join(table[p] if p in table else (r"\text{%s}" % p if p else "") for p in parts)


def _tt_name(name: str) -> str:
    return r"\texorpdfstring{\texttt{%s}}{%s}" % (tex_escape(name), tex_escape(name))


class Printer:
    """Print expressions of one derivation with its declared LaTeX names.

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); b = d.scalar("beta", latex=r"\\beta_1")
    >>> Printer(d)(b**2)
    '\\\\beta_1^{2}'
    """

    def __init__(self, d: Any) -> None:
        decls = getattr(d, "decls", {}) or {}
        self.decls = decls
        self.names = {n: x.latex for n, x in decls.items() if getattr(x, "latex", None)}
        self.sequences = {n for n, x in decls.items() if isinstance(x, SequenceDecl) and not x.is_vector}

    def __call__(self, expr: Any) -> str:
        try:
            return to_latex(expr, self.names, sequences=self.sequences)
        except Exception:  # an unprintable node must not break the report
            return r"\text{%s}" % tex_escape(expr)

    def symbol(self, name: str) -> str:
        """LaTeX of a declared (or undeclared) name, bold for matrices."""
        decl = self.decls.get(name)
        if isinstance(decl, (MatrixDecl, ScalarDecl, DimDecl, IndexDecl)):
            return self(decl.symbol)
        return name_latex(name, self.names)


def _visible_len(tex: str) -> int:
    """Rough printed width of math LaTeX, in characters."""
    tex = re.sub(r"\\(left|right)\b\\?", "", tex)
    tex = re.sub(r"\\(mathbf|mathrm|operatorname|boldsymbol|mathbb|frac|text|hat|bar|tilde|"
                 r"mathopen|mathclose|displaystyle|begin|end|quad|qquad)\b", "", tex)
    tex = re.sub(r"\\[A-Za-z]+", "x", tex)
    return len(re.sub(r"[\s{}^_]", "", tex))


def _top_level_terms(tex: str) -> list[str]:
    """Split ``a + b - c`` at its top-level `` + `` and `` - `` (outside braces and brackets)."""
    pieces, depth, start, i = [], 0, 0, 0
    while i < len(tex):
        if tex.startswith("\\left", i) and not tex[i + 5:i + 6].isalpha():
            depth, i = depth + 1, i + 5
        elif tex.startswith("\\right", i) and not tex[i + 6:i + 7].isalpha():
            depth, i = depth - 1, i + 6
        elif tex[i] == "\\":
            i += 2
        else:
            depth += {"{": 1, "}": -1}.get(tex[i], 0)
            if depth == 0 and tex[i] in "+-" and tex[i - 1:i] == " " and tex[i + 1:i + 2] == " " and i > start:
                pieces.append(tex[start:i].strip())
                start = i
            i += 1
    pieces.append(tex[start:].strip())
    return [p for p in pieces if p]


def break_lines(tex: str, width: int = 44) -> str:
    r"""Break long math at top-level ``+``/``-`` into a top-aligned ``aligned`` block.

    >>> break_lines("a + b", width=44)
    'a + b'
    >>> print(break_lines("a + b - c", width=2))
    \begin{aligned}[t] & a \\ & \quad + b \\ & \quad - c\end{aligned}
    """
    if _visible_len(tex) <= width:
        return tex
    lines: list[str] = []
    for term in _top_level_terms(tex):
        if lines and _visible_len(lines[-1]) + _visible_len(term) <= width:
            lines[-1] += " " + term
        else:
            lines.append(term)
    if len(lines) == 1:
        return tex
    body = [" & " + lines[0]] + [r" & \quad " + line for line in lines[1:]]
    return r"\begin{aligned}[t]" + r" \\".join(body) + r"\end{aligned}"


def number_tex(x: Any) -> str:
    r"""A number for a counterexample or witness: ints exact, floats to 6 digits.

    >>> [number_tex(v) for v in (3, -0.5, 1.25e-07, 2.0, "1/3")]
    ['3', '-0.5', '1.25 \\times 10^{-7}', '2', '\\texttt{1/3}']
    """
    if isinstance(x, bool):
        return str(int(x))
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
            return str(int(x))
        m = re.fullmatch(r"(-?[\d.]+)e([+-]\d+)", "%.6g" % x)
        return r"%s \times 10^{%d}" % (m.group(1), int(m.group(2))) if m else "%.6g" % x
    if isinstance(x, sp.Basic):
        return to_latex(x)
    return r"\texttt{%s}" % tex_escape(x)


def value_tex(v: Any) -> str:
    r"""A value: a number, or a matrix (rows of numbers) as a ``pmatrix``.

    >>> value_tex([[1, 0], [0.5, 2]])
    '\\begin{pmatrix} 1 & 0 \\\\ 0.5 & 2 \\end{pmatrix}'
    """
    if isinstance(v, (list, tuple)):
        rows = [r if isinstance(r, (list, tuple)) else [r] for r in v]
        return r"\begin{pmatrix} %s \end{pmatrix}" % r" \\ ".join(
            " & ".join(number_tex(x) for x in row) for row in rows)
    return number_tex(v)


def mark(verdict: Any) -> str:
    r"""The report macro for a verdict mark (``\vPROVED``, ...; ``\vNONE`` when unchecked).

    >>> mark(None), mark("REFUTED")
    ('\\vNONE', '\\vREFUTED')
    """
    return "\\v" + (getattr(verdict, "value", verdict) or "NONE")


def _error_tex(x: float) -> str:
    if x == 0:
        return "$0$"
    if x < 1e-3:
        return r"$< 10^{%d}$" % math.ceil(math.log10(x))
    return "$%s$" % number_tex(float("%.2g" % x))


def evidence_text(res: Any, T: Callable[..., str]) -> str:
    """Compact evidence of a step result: method, samples, largest error, reason."""
    if res is None:
        return ""
    ev = getattr(res, "evidence", None)
    parts = []
    if ev is not None:
        parts.append(tex_escape(ev.method))
        if ev.samples:
            parts.append("%d %s" % (ev.samples, T("samples")))
        if ev.max_error is not None:
            parts.append("%s %s" % (T("max_error"), _error_tex(ev.max_error)))
    if getattr(res, "reason", None):
        parts.append(tex_escape(res.reason))
    return "; ".join(parts)


def _relation(rel: str) -> str:
    try:
        return relation_latex(rel)
    except ValueError:
        return {"->": r"\to", "exists": r"\exists"}.get(rel, r"\text{%s}" % tex_escape(rel))


def _sides(step: Any, P: Printer) -> tuple[str, str, str]:
    if step.kind == "implies":
        (a, b), (c, e) = step.lhs, step.rhs
        return "%s = %s" % (P(a), P(b)), r"\Rightarrow", "%s = %s" % (P(c), P(e))
    return P(step.lhs), _relation(step.relation), P(step.rhs)


def _witness(step: Any, P: Printer) -> str:
    items = step.option("witness") or ()
    return ", ".join(r"\fitmath{%s = %s}" % (P.symbol(k), value_tex(v)) for k, v in items)


def _counterexample(res: Any, P: Printer, T: Callable[..., str]) -> str:
    cx = res.counterexample
    values = [r"\fitmath{%s = %s}" % (P.symbol(k), value_tex(v)) for k, v in sorted(cx.dims.items())]
    values += [r"\fitmath{%s = %s}" % (P.symbol(k), value_tex(v)) for k, v in sorted(cx.values.items())
               if k not in cx.dims]
    notes = list(getattr(res.evidence, "notes", ()) or ())
    if res.disagreement:
        notes.append(res.disagreement)
    return "\n".join([
        r"\textbf{%s.} %s." % (T("counterexample"), "; ".join(values)),
        r"\par %s: \fitmath{%s}; %s: \fitmath{%s}." % (T("lhs_value"), value_tex(cx.lhs),
                                                      T("rhs_value"), value_tex(cx.rhs)),
        r"\par %s." % tex_escape(cx.gap),
        r"\par{\footnotesize\color{gray} %s}" % tex_escape("; ".join(notes)) if notes else "",
    ]).strip()


def _corrected(label: str, partner: Any, presult: Any, T: Callable[..., str]) -> str:
    steps = {s.label: s for s in getattr(partner, "steps", ())}
    if label not in steps:
        return T("no_corrected_step", label="(%s)" % tex_escape(label))
    step, P = steps[label], Printer(partner)
    lhs, rel, rhs = _sides(step, P)
    pres = {s.label: s for s in presult.steps} if presult is not None else {}
    head = r"\textbf{%s} %s \hfill \hyperref[d:%s]{%s}" % (
        T("corrected_step", label="(%s)" % tex_escape(label)),
        mark(getattr(pres.get(label), "verdict", None)), partner.name, _tt_name(partner.name))
    body = r"\begin{aligned}[t] & %s \\ & %s %s\end{aligned}" % (lhs, rel, break_lines(rhs, 34))
    why = r"\par{\footnotesize %s}" % tex_escape(step.why) if step.why else ""
    return "%s\n\\par\\smallskip\\fitmath{%s}%s" % (head, body, why)


def _label(label: str) -> str:
    r"""A step label for a narrow column: ``(1.3a)``, breakable after ``-``, ``_`` and ``.``.

    >>> _label("case-positive_2")
    '(case-\\allowbreak{}positive\\_\\allowbreak{}2)'
    """
    text = tex_escape(label)
    for c in ("-", r"\_", "."):
        text = text.replace(c, c + r"\allowbreak{}")
    return "(%s)" % text


def _row(rel: str, math_tex: str, why: str = "", label: str = "", vmark: str = "",
         shade: bool = False) -> str:
    color = r"\rowcolor{refutedbg}" if shade else ""
    cell = r"\fitmath{%s}" % math_tex if math_tex else ""
    return "%s%s & %s & %s & %s & %s \\\\" % (color, rel or "{}", cell, why, label, vmark)


def _chain(d: Any, result: Any, T: Callable[..., str], partner: Any = None, presult: Any = None) -> str:
    P = Printer(d)
    res = {s.label: s for s in result.steps} if result is not None else {}
    head = r"& %s & %s & %s & \\" % (T("col_step"), T("col_why"), T("col_label"))
    rows = [r"\begin{longtable}{@{}>{$}c<{$}>{\raggedright\arraybackslash}p{0.53\linewidth}"
            r">{\raggedright\arraybackslash\footnotesize}p{0.24\linewidth}"
            r">{\raggedleft\arraybackslash\footnotesize}p{0.085\linewidth}c@{}}",
            r"\toprule", head, r"\midrule\endfirsthead", r"\toprule", head, r"\midrule\endhead",
            r"\midrule\multicolumn{5}{r}{\footnotesize\itshape %s}\\\endfoot" % T("continued"),
            r"\bottomrule\endlastfoot"]
    previous, steps = None, list(getattr(d, "steps", ()))
    for step in steps:
        lhs, rel, rhs = _sides(step, P)
        if step.kind == "exists":
            lhs, rel, rhs = "", r"\exists", "%s %s %s" % (lhs, rel, rhs)
        r = res.get(step.label)
        verdict = getattr(r, "verdict", None)
        refuted = getattr(verdict, "value", None) == "REFUTED"
        start = step.lhs if step.kind != "exists" else None
        if lhs and (previous is None or start != previous):
            if previous is not None:
                rows.append(r"\addlinespace[3pt]")
            rows.append(_row("", break_lines(lhs), shade=refuted))
        why = tex_escape(step.why)
        if step.kind == "exists":
            why += r"\newline %s: %s" % (T("witness"), _witness(step, P))
        ev = evidence_text(r, T)
        if ev:
            why += r"\newline{\scriptsize\color{gray} %s}" % ev
        rows.append(_row(rel, break_lines(rhs), why, _label(step.label), mark(verdict), refuted))
        if refuted and r.counterexample is not None:
            cx = _counterexample(r, P, T)
            if partner is not None and partner is not d:
                cx = (r"\begin{minipage}[t]{0.485\linewidth}%s\end{minipage}\hfill"
                      r"\begin{minipage}[t]{0.485\linewidth}%s\end{minipage}"
                      % (cx, _corrected(step.label, partner, presult, T)))
            rows.append(r"\rowcolor{refutedbg}\multicolumn{5}{@{}p{\linewidth}@{}}{\small %s}\\" % cx)
        previous = step.rhs if step.kind != "exists" else None
    if not steps and result is not None:  # a code check: its verdicts only
        for r in result.steps:
            rows.append(_row("", r"\text{%s}" % tex_escape(r.label), evidence_text(r, T),
                             "", mark(r.verdict)))
    rows.append(r"\end{longtable}")
    return "\n".join(rows)


def _kinds(decl: MatrixDecl, T: Callable[..., str]) -> str:
    words = [T("matrix_" + k) for k in sorted(decl.kinds)]
    if decl.random:
        words.append(T("kind_random"))
    words.append(T("kind_vector") if decl.shape[1] == 1 else T("kind_matrix"))
    return " ".join(words)


def _scalar_set(decl: ScalarDecl, P: Printer) -> str:
    x, ring = P(decl.symbol), r"\mathbb{Z}" if decl.integer else r"\mathbb{R}"
    lo, hi = decl.lower, decl.upper
    if lo is not None and hi is not None:
        return r"%s \in %s%s, %s%s" % (x, "(" if decl.lower_open else "[", number_tex(lo),
                                       number_tex(hi), ")" if decl.upper_open else "]")
    if lo is not None:
        return r"%s %s %s" % (x, ">" if decl.lower_open else r"\ge", number_tex(lo))
    if hi is not None:
        return r"%s %s %s" % (x, "<" if decl.upper_open else r"\le", number_tex(hi))
    return r"%s \in %s" % (x, ring)


def _declarations(d: Any, P: Printer, T: Callable[..., str]) -> tuple[list[str], list[str]]:
    """(short inline items, display items) describing every declaration, in order."""
    inline, display = [], []
    for name, decl in d.decls.items():
        if isinstance(decl, DimDecl):
            inline.append(r"$%s \ge 1$ (%s)" % (P(decl.symbol), T("kind_dimension")))
        elif isinstance(decl, IndexDecl):
            inline.append(r"$%s \ge %d$ (%s)" % (P(decl.symbol), decl.lower, T("kind_index")))
        elif isinstance(decl, ScalarDecl):
            inline.append(r"$%s$ (%s)" % (_scalar_set(decl, P), T("kind_scalar")))
        elif isinstance(decl, MatrixDecl):
            rows, cols = decl.shape
            space = P(rows) if cols == 1 else r"%s \times %s" % (P(rows), P(cols))
            inline.append(r"$%s \in \mathbb{R}^{%s}$ (%s)" % (P(decl.symbol), space, _kinds(decl, T)))
            mean, second = getattr(d, "moments", {}).get(decl.symbol, (None, None))
            x = P(decl.symbol)
            if mean is not None:
                display.append(r"\mathbb{E}\left[%s\right] = %s" % (x, P(mean)))
            if second is not None:
                display.append(r"\mathbb{E}\left[%s %s^{\top}\right] = %s" % (x, x, P(second)))
        elif isinstance(decl, FunctionDecl):
            f = name_latex(name, P.names)
            inline.append(r"$%s$ (%s%s)" % (f, T("kind_function"), ", ReLU" if decl.kind == "relu" else ""))
            if decl.derivative_bound is not None:
                display.append(r"\left|%s'(x)\right| \le %s" % (f, P(decl.derivative_bound)))
        elif isinstance(decl, SequenceDecl):
            display.extend(_sequence(decl, P, T, inline))
    return inline, display


def _sequence(decl: SequenceDecl, P: Printer, T: Callable[..., str], inline: list[str]) -> list[str]:
    from .declarations import SequenceHandle

    h = SequenceHandle(decl)
    t = decl.index if decl.index is not None else sp.Symbol("t", integer=True)
    term = P(h(t))
    out = []
    if decl.step is None:
        inline.append(r"$%s$ (%s)" % (term, T("kind_free_sequence")))
        if decl.mean is not None:
            out.append(r"\mathbb{E}\left[%s\right] = %s" % (term, P(decl.mean)))
    else:
        inline.append(r"$%s$ (%s)" % (term, T("kind_sequence")))
        prev = h(t - 1) if not decl.is_vector else SeqTerm(sp.Symbol(decl.name), t - 1, decl.rows, decl.cols)
        out.append(r"%s = %s" % (term, P(decl.step.xreplace({decl.prev: prev}))))
        if decl.initial is not None:
            out.append(r"%s = %s" % (P(h(decl.start)), P(decl.initial)))
    if decl.bound is not None:
        out.append(r"\left|%s\right| \le %s" % (term, P(decl.bound)))
    return out


def _facts(items: Iterable[str]) -> str:
    items = list(items)
    if not items:
        return ""
    return "\\begin{facts}\n%s\n\\end{facts}" % "\n".join(r"\item \fitmath{%s}" % i for i in items)


def derivation_body(d: Any, result: Any, T: Callable[..., str], *, title: str, partner: Any = None,
                    presult: Any = None, error: str | None = None) -> str:
    """The report section of one derivation: heading, statement, symbols, chain."""
    P = Printer(d)
    src = getattr(d, "source", None)
    out = [r"\subsection{%s: %s}\label{d:%s}" % (title, _tt_name(d.name), d.name)]
    if src is not None and getattr(src, "file", ""):
        out.append(T("source", file=tex_escape(src.file), q=tex_escape(src.question)) + r"\par")
    if getattr(d, "statement", ""):
        out.append(r"\noindent\textbf{%s.} %s\par" % (T("statement"), tex_escape(d.statement)))
    if getattr(d, "decls", None):
        inline, display = _declarations(d, P, T)
        out.append(r"\noindent\textbf{%s.} %s.\par" % (T("declarations"), "; ".join(inline)))
        out.append(_facts(display))
    hyps = getattr(d, "hypotheses", [])
    if hyps:
        out.append(r"\noindent\textbf{%s.}\par" % T("hypotheses"))
        out.append(_facts(r"%s\quad\text{(%s)}" % (P(h), tex_escape(n)) for n, h in hyps))
    defs = getattr(d, "definitions", [])
    if defs:
        out.append(r"\noindent\textbf{%s.}\par" % T("definitions"))
        out.append(_facts(r"%s \coloneqq %s" % (P(s), P(e)) for s, e in defs))
    if getattr(d, "lemmas", None):
        out.append(r"\noindent\textbf{%s.} %s.\par" % (
            T("cites"), ", ".join(r"\texttt{%s}" % tex_escape(x.name) for x in d.lemmas)))
    if error:
        out.append(r"\noindent\textcolor{vrefuted}{%s}\par" % T("check_error", error=tex_escape(error)))
    out.append(r"\subsubsection*{%s}" % T("chain"))
    out.append(_chain(d, result, T, partner, presult))
    return "\n".join(x for x in out if x) + "\n"


_NB_MARKS = {"PROVED": r"{\color{green}\checkmark}", "CONFIRMED": r"{\color{teal}\sim}",
             "REFUTED": r"{\color{red}\times}", "UNDECIDED": r"{\color{orange}?}"}


def derivation_latex(d: Any) -> str:
    r"""The chain of a derivation as notebook math: ``$$\begin{aligned}...\end{aligned}$$``.

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); x = d.scalar("x")
    >>> print(derivation_latex(d.start(x * x).eq(x**2, "1")))
    $$\begin{aligned}
    x^{2} &= x^{2} &&\qquad \text{(1) }\\
    \end{aligned}$$
    """
    P, rows, previous = Printer(d), [], None
    for step in getattr(d, "steps", ()):
        lhs, rel, rhs = _sides(step, P)
        first = lhs if previous is None or step.lhs != previous else ""
        rows.append(r"%s &%s %s &&\qquad %s\\" % (first, rel, rhs, _math_text("(%s) %s" % (step.label, step.why))))
        previous = step.rhs if step.kind != "exists" else None
    if not rows:
        rows.append(r"%s\\" % _math_text(getattr(d, "name", "")))
    return "$$\\begin{aligned}\n%s\n\\end{aligned}$$" % "\n".join(rows)


def result_table_latex(result: Any) -> str:
    r"""The verdicts of a result as a notebook table: ``$$\begin{array}...$$``.

    >>> from symbolic.verdicts import DerivationResult, StepResult, Verdict
    >>> r = DerivationResult("d", (StepResult("1", "=", Verdict.PROVED),), seed=0)
    >>> print(result_table_latex(r).splitlines()[3])
    \text{1} & {\color{green}\checkmark} & \text{PROVED} & \\
    """
    rows = [r"\text{step} & & \text{verdict} & \text{evidence}\\", r"\hline"]
    for s in result.steps:
        ev = s.evidence.summary() if s.evidence is not None else (s.reason or "")
        rows.append(r"%s & %s & \text{%s} & %s\\" % (_math_text(s.label), _NB_MARKS[s.verdict.value],
                                                      s.verdict.value, _math_text(ev) if ev else ""))
    return "$$\\begin{array}{llll}\n%s\n\\end{array}$$" % "\n".join(rows)
