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

Notebook math (``_repr_latex_``) is in :mod:`symbolic.emit.notebook`; numbers, values, verdict
marks and evidence in :mod:`symbolic.emit.latex_values`.

>>> from symbolic import Derivation
>>> d = Derivation("demo"); a = d.scalar("alpha")
>>> _ = d.start(a * (a + 1)).eq(a**2 + a, "1", why="expand_product")
>>> print(Printer(d)(a**2 + a))
\alpha^{2} + \alpha
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from ..algebra import sp
from ..algebra.printing import name_latex, relation_latex, to_latex
from ..algebra.safe_latex import latex_problem
from ..model.declarations import (
    DimDecl,
    FunctionDecl,
    IndexDecl,
    MatrixDecl,
    ScalarDecl,
    SequenceDecl,
    SequenceHandle,
)
from .latex_values import _shown, evidence_text, mark, number_tex, value_tex
from .tex_text import break_lines, lines_of, tex_escape, visible_len, why_tex

__all__ = ["Printer", "break_lines", "number_tex", "value_tex", "mark", "evidence_text", "derivation_body"]


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
        self.names = {n: x.latex for n, x in decls.items()  # unsafe LaTeX never reaches the report
                      if getattr(x, "latex", None) and latex_problem(x.latex) is None}
        self.sequences = {n for n, x in decls.items() if isinstance(x, SequenceDecl) and not x.is_vector}

    def __call__(self, expr: Any) -> str:
        try:
            return to_latex(expr, self.names, sequences=self.sequences)
        except Exception:  # an unprintable node must not break the report
            return r"\text{%s}" % tex_escape(expr)

    def symbol(self, name: str) -> str:
        """LaTeX of a declared (or undeclared) name, bold for matrices; ``g(0)`` is a sequence's term."""
        decl = self.decls.get(name)
        if isinstance(decl, (MatrixDecl, ScalarDecl, DimDecl, IndexDecl)):
            return self(decl.symbol)
        term = re.fullmatch(r"(\w+)\((-?\d+)\)", name)
        if term and isinstance(self.decls.get(term.group(1)), SequenceDecl):
            return self(SequenceHandle(self.decls[term.group(1)])(sp.Integer(term.group(2))))
        return name_latex(name, self.names)


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
    values = {**dict(cx.dims), **{k: v for k, v in cx.values.items() if k not in cx.dims}}
    shown = [r"\fitmath{%s = %s}" % (P.symbol(k), value_tex(v)) if not isinstance(v, str)
             else r"%s%s %s" % (tex_escape(k), T("colon"), tex_escape(v)) for k, v in values.items()]
    notes = list(getattr(res.evidence, "notes", ()) or ())
    if res.disagreement:
        notes.append(res.disagreement)
    return "\n".join([
        r"\raggedright\textbf{%s.} %s." % (T("counterexample"), "; ".join(shown)),
        r"\par %s%s %s; %s%s %s." % (T("lhs_value"), T("colon"), _shown(cx.lhs), T("rhs_value"), T("colon"),
                                   _shown(cx.rhs)),
        r"\par %s." % tex_escape(cx.gap) if cx.gap and cx.gap not in (cx.lhs, cx.rhs) else "",
        r"\par{\footnotesize\color{gray} %s}" % tex_escape("; ".join(notes)) if notes else "",
    ]).strip()


def _corrected(label: str, partner: Any, presult: Any, T: Callable[..., str]) -> str:
    steps = {s.label: s for s in getattr(partner, "steps", ())}
    if label not in steps:
        return T("no_corrected_step", label="(%s)" % tex_escape(label))
    step = steps[label]
    pres = {s.label: s for s in presult.steps} if presult is not None else {}
    textbook = getattr(getattr(partner, "source", None), "version", "") == "textbook"
    head = r"\textbf{%s} %s\par{\footnotesize\hyperref[d:%s]{%s}}" % (
        T("identity_step" if textbook else "corrected_step", label="(%s)" % tex_escape(label)),
        mark(getattr(pres.get(label), "verdict", None)), partner.name, _tt_name(partner.name))
    if step.lhs is None and step.rhs is None:
        return "\\raggedright %s\n\\par %s" % (head, why_tex(step.why))
    lhs, rel, rhs = _sides(step, Printer(partner))
    lhs_lines, rhs_lines = lines_of(lhs, 34), lines_of(rhs, 34)
    body = [" & " + lhs_lines[0]] + [r" & \quad " + x for x in lhs_lines[1:]]
    body += [" & %s %s" % (rel, rhs_lines[0])] + [r" & \quad " + x for x in rhs_lines[1:]]
    body = r"\begin{aligned}[t]%s\end{aligned}" % r" \\".join(body)
    why = r"\par{\footnotesize %s}" % why_tex(step.why) if step.why else ""
    return "\\raggedright %s\n\\par\\smallskip\\fitmath{%s}%s" % (head, body, why)


def _label(label: str) -> str:
    r"""A step label for a narrow column, breakable after ``-``, ``_``, ``.`` and in long words.

    >>> _label("1.3a"), _label("case-positive")
    ('(1.\\allowbreak{}3a)', '(case-\\allowbreak{}positive)')
    >>> _label("1.6 loss goes down")
    '(1.\\allowbreak{}6 loss goes down)'
    >>> _label("coefficients_match")
    '(coeffici\\allowbreak{}ents\\_\\allowbreak{}match)'

    """
    parts = re.split(r"([-_.]| +)", str(label))
    out = []
    for p in parts:
        chunks = [p[i:i + 8] for i in range(0, len(p), 8)] if len(p) > 10 else [p]
        out.append(r"\allowbreak{}".join(tex_escape(c) for c in chunks))
        if p in ("-", "_", "."):
            out.append(r"\allowbreak{}")
    return "(%s)" % "".join(out)


NARROW, WIDE = 44, 64  # characters of math in the step column, and across step + justification


def _row(rel: str, math_tex: str, why: str = "", label: str = "", vmark: str = "") -> str:
    """One chain row; math too long for the step column spans the justification's too."""
    end = "\\\\" if rel else "\\\\*"  # keep a chain's first expression with its first step
    rel = rel or "{}"
    lines = lines_of(math_tex, NARROW) if math_tex else [""]
    if max(visible_len(x) for x in lines) <= NARROW * 1.1 and len(lines) <= 4:
        cell = r"\fitmath{%s}" % break_lines(math_tex, NARROW) if math_tex else ""
        return "%s & %s & %s & %s & %s %s" % (rel, cell, why, label, vmark, end)
    wide = (r"\multicolumn{2}{>{\raggedright\arraybackslash}p{\dimexpr0.755\linewidth+2\tabcolsep\relax}}"
            r"{\fitmath{%s}}" % break_lines(math_tex, WIDE))
    row = "%s & %s & %s & %s %s" % (rel, wide, label, vmark, "\\\\*" if why else end)
    return row + ("\n{} & & %s & & \\\\" % why if why else "")


def _details(d: Any, r: Any, T: Callable[..., str], partner: Any, presult: Any) -> list[str]:
    """The counterexample row of a refuted step, with the corrected step beside it."""
    if getattr(getattr(r, "verdict", None), "value", None) != "REFUTED" or r.counterexample is None:
        return []
    cx = _counterexample(r, Printer(d), T)
    if partner is not None and partner is not d:
        cx = (r"\begin{minipage}[t]{0.485\linewidth}%s\end{minipage}\hfill"
              r"\begin{minipage}[t]{0.485\linewidth}%s\end{minipage}"
              % (cx, _corrected(r.label, partner, presult, T)))
    return [r"\multicolumn{5}{@{}p{\linewidth}@{}}{\cxbox{%s}}\\" % cx]


def _chain(d: Any, result: Any, T: Callable[..., str], partner: Any = None, presult: Any = None) -> str:
    P = Printer(d)
    res = {s.label: s for s in result.steps} if result is not None else {}
    head = r"& %s & %s & %s & \\" % (T("col_step"), T("col_why"), T("col_label"))
    rows = [r"\begin{longtable}{@{}>{$}c<{$}>{\raggedright\arraybackslash}p{0.52\linewidth}"
            r">{\raggedright\arraybackslash\footnotesize}p{0.235\linewidth}"
            r">{\raggedleft\arraybackslash\footnotesize}p{0.1\linewidth}c@{}}",
            r"\multicolumn{5}{@{}l}{\large\bfseries %s}\\[2pt]" % T("chain"),
            r"\toprule", head, r"\midrule\endfirsthead", r"\toprule", head, r"\midrule\endhead",
            r"\midrule\multicolumn{5}{r}{\footnotesize\itshape %s}\\\endfoot" % T("continued"),
            r"\bottomrule\endlastfoot"]
    previous, steps = None, list(getattr(d, "steps", ()))
    for step in steps:
        r = res.get(step.label)
        if step.lhs is None and step.rhs is None:  # a code check's probe: words, no mathematics
            ev = r"{\scriptsize\color{gray} %s}" % evidence_text(r, T)
            rows.append(r"{} & %s & %s & %s & %s \\" % (why_tex(step.why), ev, _label(step.label),
                                                            mark(getattr(r, "verdict", None))))
            rows.extend(_details(d, r, T, partner, presult))
            previous = None
            continue
        lhs, rel, rhs = _sides(step, P)
        if step.kind == "exists":
            lhs, rel, rhs = "", r"\exists", "%s %s %s" % (lhs, rel, rhs)
        verdict = getattr(r, "verdict", None)
        start = step.lhs if step.kind != "exists" else None
        if lhs and (previous is None or start != previous):
            if previous is not None:
                rows.append(r"\addlinespace[3pt]")
            rows.append(_row("", lhs))
        why = why_tex(step.why)
        if step.kind == "exists":
            why += r"\newline %s%s %s" % (T("witness"), T("colon"), _witness(step, P))
        ev = evidence_text(r, T)
        if ev:
            why += r"\newline{\scriptsize\color{gray} %s}" % ev
        rows.append(_row(rel, rhs, why, _label(step.label), mark(verdict)))
        rows.extend(_details(d, r, T, partner, presult))
        previous = step.rhs if step.kind != "exists" else None
    if not steps and result is not None:  # a code check: its verdicts only
        for r in result.steps:
            rows.append(_row("{}", r"\text{%s}" % tex_escape(r.label), evidence_text(r, T),
                             "", mark(r.verdict)))
    rows.append(r"\end{longtable}")
    return "\n".join(rows)


def _law_tex(x: str, law, P) -> str:
    """``x ~ N(mu, S)``, ``x ~ Bernoulli(p)`` (entrywise), or the declared moments of a scalar."""
    if law.kind == "gaussian":
        return r"%s \sim \mathcal{N}\left(%s, %s\right)" % (x, P(law.mean), P(law.cov))
    if law.kind == "bernoulli":
        tex = r"\operatorname{Bernoulli}\left(%s\right)" % P(law.p)
        return r"%s \sim %s" % (x, tex + (r" / %s" % P(law.p) if law.scaled else ""))
    return r",\ ".join(r"\mathbb{E}\left[%s^{%d}\right] = %s" % (x, k + 1, P(v)) for k, v in enumerate(law.raw)) or x


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
            if decl.symbol in getattr(d, "distributions", {}):
                display.append(_law_tex(P(decl.symbol), d.distributions[decl.symbol], P))
        elif isinstance(decl, MatrixDecl):
            rows, cols = decl.shape
            space = P(rows) if cols == 1 else r"%s \times %s" % (P(rows), P(cols))
            inline.append(r"$%s \in \mathbb{R}^{%s}$ (%s)" % (P(decl.symbol), space, _kinds(decl, T)))
            mean, second = getattr(d, "moments", {}).get(decl.symbol, (None, None))
            x = P(decl.symbol)
            if getattr(decl, "probability", False):  # declared entry bounds, for every entry i
                display.append(r"%s_{i} \ge 0 \ \forall i,\quad \sum_{i} %s_{i} = 1" % (x, x))
            elif getattr(decl, "entries", None) is not None:
                entry = _scalar_set(ScalarDecl(name, sp.Symbol("entry"), *decl.entries), P)
                display.append(r"%s \ \forall i" % entry.replace(P(sp.Symbol("entry")), x + "_{i}", 1))
            law = getattr(d, "distributions", {}).get(decl.symbol)
            if law is not None and law.kind != "moments":
                display.append(_law_tex(x, law, P))
                mean = second = None
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
        out.append(r"%s = %s" % (term, P(decl.step.xreplace({decl.prev: h(t - 1)}))))
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
                    presult: Any = None, error: str | None = None, level: str = "subsection") -> str:
    r"""The report section of one derivation: heading, statement, symbols, chain.

    ``partner`` (with its result ``presult``) is the corrected version whose
    steps appear beside this one's refuted steps; ``error`` says why ``d``
    could not be checked (``result`` is then ``None``); ``level`` is the sectioning command of
    its heading (a textbook identity sits in its family's subsection).

    >>> from symbolic import Derivation, check
    >>> from symbolic.emit.report_text import texts
    >>> d = Derivation("demo"); x = d.scalar("x")
    >>> _ = d.start(x * (x + 1)).eq(x**2 + x, "1", why="expand")
    >>> body = derivation_body(d, check(d, cache=False), texts("en"), title="Example")
    >>> body.splitlines()[0]
    '\\subsection{Example: \\texorpdfstring{\\texttt{demo}}{demo}}\\label{d:demo}'
    >>> r"= & \fitmath{x^{2} + x} & expand" in body, r"\vPROVED" in body
    (True, True)
    """
    P = Printer(d)
    src = getattr(d, "source", None)
    out = [r"\%s{%s%s %s}\label{d:%s}" % (level, title, T("colon"), _tt_name(d.name), d.name)]
    # a textbook identity's reference (its source's file) opens its statement: not repeated
    if src is not None and getattr(src, "file", "") and src.version not in ("textbook", "planted"):
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
    out.append(_chain(d, result, T, partner, presult))
    return "\n".join(x for x in out if x) + "\n"
