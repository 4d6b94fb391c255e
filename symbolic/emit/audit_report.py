r"""The LaTeX/PDF report of an audit: the student's own lines, a mark per line, counterexamples, a summary.

Built from the audit's JSON document (:func:`symbolic.app.audit.audit`) and,
for each line, the LaTeX to show (the student's row with their macros
expanded, :func:`symbolic.app.audit.audit_lines`).  A line is re-typeset only
when :func:`~symbolic.emit.audit_latex.line_tex` lets it through; any other is
shown as written, escaped (:func:`~symbolic.emit.audit_latex.verbatim_tex`).
All other user text goes through :func:`~symbolic.emit.tex_text.tex_escape`.
The file ``stepcheck-audit.tex`` is the same bytes for the same input and
seed; the PDF is built by the report's own locked-down latexmk
(:func:`symbolic.emit.latex_build._latexmk`: no shell escape, reads and writes
only below the folder).

>>> doc = {"file": "a.md", "context": None, "questions": [{"question": "1", "first_wrong_line": 2, "lines": [
...     {"label": "3", "line": 2, "latex": "a = b", "relation": "=", "verdict": "REFUTED", "reason": None,
...      "counterexample": {"values": {"a": 1, "b": 0}, "lhs": 1, "rhs": 0, "gap": "lhs - rhs = 1"}}]}],
...     "summary": {"lines": 1, "read": 1, "checked": 1, "refuted": 1, "unread": 0, "problems": []}}
>>> tex = audit_tex(doc)
>>> r"\fitmath{a = b}" in tex, r"\vREFUTED" in tex, r"\fitmath{a = 1}; \fitmath{b = 0}" in tex
(True, True, True)
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable, Sequence

from ..algebra.printing import name_latex
from ..algebra.safe_latex import latex_problem
from .audit_latex import line_tex, verbatim_tex
from .audit_text import words
from .latex_build import _latexmk
from .latex_values import mark, value_tex
from .report_text import PREAMBLE, message, texts
from .tex_text import tex_escape

__all__ = ["AUDIT_MAIN", "audit_tex", "write_report"]

AUDIT_MAIN = "stepcheck-audit"
_VERDICTS = ("PROVED", "CONFIRMED", "REFUTED", "UNDECIDED", "UNREAD")
MAX_PROBLEMS = 40


def _text(text: Any) -> str:
    """User text, escaped, with a break allowed inside any long word (paths, LaTeX, numbers)."""
    return " ".join(r"\allowbreak{}".join(tex_escape(w[i:i + 12]) for i in range(0, len(w), 12)) if len(w) > 16
                    else tex_escape(w) for w in str(text).split())


def _label(label: Any) -> str:
    """An equation label for the narrow line column: a break allowed every 6 characters."""
    text = str(label)
    return r"\allowbreak{}".join(tex_escape(text[i:i + 6]) for i in range(0, len(text), 6))


def _name(key: str) -> str:
    """A counterexample's variable, in math: its LaTeX name when that is safe, else typewriter."""
    tex = name_latex(str(key))
    return tex if latex_problem(tex) is None else r"\text{\texttt{%s}}" % tex_escape(key)


def _value(v: Any) -> str:
    return value_tex(v) if not isinstance(v, str) else r"\text{\texttt{%s}}" % tex_escape(v)


def _shown(v: Any) -> str:
    return _text(v) if isinstance(v, str) else r"\fitmath{%s}" % value_tex(v)


def _counterexample(cx: dict, T: Callable[..., str]) -> str:
    values = {**dict(cx.get("dims") or {}), **{k: v for k, v in (cx.get("values") or {}).items()
                                                if k not in (cx.get("dims") or {})}}
    shown = [r"\fitmath{%s = %s}" % (_name(k), _value(v)) if not isinstance(v, str)
             else r"$%s$%s \texttt{%s}" % (_name(k), T("colon"), tex_escape(v)) for k, v in values.items()]
    gap = cx.get("gap")
    return "\n".join(x for x in [
        r"\raggedright\textbf{%s.} %s." % (T("counterexample"), "; ".join(shown)),
        r"\par %s%s %s; %s%s %s." % (T("lhs_value"), T("colon"), _shown(cx.get("lhs")), T("rhs_value"),
                                   T("colon"), _shown(cx.get("rhs"))),
        r"\par %s." % _text(gap) if gap else "",
    ] if x)


def _math(tex: str | None, latex: str) -> str:
    """The line re-typeset when its LaTeX is safe, else as written (escaped)."""
    safe = line_tex(tex) if tex else None
    return r"\fitmath{%s}" % safe if safe is not None else verbatim_tex(latex)


def _question(q: dict, shown: Sequence[str | None], W: Callable[..., str], T: Callable[..., str]) -> str:
    title = W("question_heading", q=tex_escape(q["question"])) if q["question"] else W("before_heading")
    out = [r"\section*{%s}" % title]
    first = q["first_wrong_line"]
    if first is not None:
        wrong = next(x for x in q["lines"] if x["line"] == first and x["verdict"] == "REFUTED")
        label = " (%s)" % tex_escape(wrong["label"]) if wrong["label"] else ""
        out.append(r"\textcolor{vrefuted}{%s}\par" % W("first_wrong", n=first, label=label))
    else:
        out.append(W("no_wrong") + r"\par")
    head = r"%s & %s & %s \\" % (W("col_line"), W("col_student"), W("col_verdict"))
    out += [r"\begin{longtable}{@{}>{\raggedright\arraybackslash\small}p{0.1\linewidth}"
            r">{\raggedright\arraybackslash}p{0.62\linewidth}"
            r">{\raggedright\arraybackslash\small}p{0.22\linewidth}@{}}",
            r"\toprule", head, r"\midrule\endfirsthead", r"\toprule", head, r"\midrule\endhead",
            r"\bottomrule\endlastfoot"]
    flagged = False
    for x, tex in zip(q["lines"], shown):
        where = str(x["line"]) + (r"\newline(%s)" % _label(x["label"]) if x["label"] else "")
        verdict = r"%s~\textsf{%s}" % (mark(x["verdict"]), W("verdict_" + x["verdict"]))
        if x["line"] == first and x["verdict"] == "REFUTED" and not flagged:  # rows of one line: the wrong one
            verdict += r"\newline\textcolor{vrefuted}{\footnotesize\itshape %s}" % W("first_wrong_mark")
            flagged = True
        more = x["reason"] or x["counterexample"]
        out.append(r"%s & %s & %s \\%s" % (where, _math(tex, x["latex"]), verdict, "*" if more else ""))
        if x["reason"]:
            out.append(r"& \multicolumn{2}{>{\raggedright\arraybackslash}p{0.84\linewidth}@{}}"
                       r"{\footnotesize\color{gray} %s} \\%s" % (_text(x["reason"]), "*" if x["counterexample"] else ""))
        if x["counterexample"]:
            out.append(r"\multicolumn{3}{@{}p{\linewidth}@{}}{\cxbox{%s}}\\" % _counterexample(x["counterexample"], T))
    out.append(r"\end{longtable}")
    return "\n".join(out)


def _summary(report: dict, W: Callable[..., str]) -> str:
    s = report["summary"]
    rows = [(W("sum_" + k), s[k]) for k in ("lines", "read", "checked", "proved", "confirmed", "refuted",
                                             "undecided", "unread") if k in s]
    out = [r"\section*{%s}" % W("summary"),
           r"\begin{tabular}{@{}lr@{}}", r"\toprule"]
    out += [r"%s & %d \\" % (name, value) for name, value in rows]
    out += [r"\bottomrule", r"\end{tabular}\par\medskip"]
    if report["questions"]:
        out += [r"\begin{longtable}{@{}lrrrl@{}}", r"\toprule",
                r"%s & %s & %s & %s & %s \\" % (W("col_question"), W("col_lines"), W("col_refuted"),
                                                W("col_unread"), W("col_first_wrong")),
                r"\midrule\endhead", r"\bottomrule\endlastfoot"]
        for q in report["questions"]:
            lines = q["lines"]
            name = tex_escape(q["question"]) if q["question"] else W("before_heading")
            first = q["first_wrong_line"]
            label = next((x["label"] for x in lines if x["line"] == first and x["verdict"] == "REFUTED"), None)
            out.append(r"%s & %d & %d & %d & %s \\" % (
                _text(name[:40]) if q["question"] else name, len(lines), sum(x["verdict"] == "REFUTED" for x in lines),
                sum(x["verdict"] == "UNREAD" for x in lines),
                W("none") if first is None else str(first) + (" (%s)" % tex_escape(label) if label else "")))
        out.append(r"\end{longtable}")
    problems = s.get("problems") or []
    if problems:
        out.append(r"\noindent\textbf{%s.}" % W("problems"))
        out.append(r"\begin{facts}%s\end{facts}" % "".join(r"\item %s" % _text(p) for p in problems[:MAX_PROBLEMS]))
        if len(problems) > MAX_PROBLEMS:
            out.append(W("more_problems", n=len(problems) - MAX_PROBLEMS) + r"\par")
    return "\n".join(out)


def audit_tex(report: dict, *, lang: str = "en", shown: Sequence[Sequence[str | None]] | None = None) -> str:
    """The whole LaTeX file of the audit ``report``; ``shown[q][i]`` is the LaTeX to show for line i of question q.

    Without ``shown`` each line's own ``latex`` is used.

    >>> audit_tex({"file": "a.md", "context": None, "questions": [], "summary": {"lines": 0, "read": 0,
    ...     "checked": 0, "refuted": 0, "unread": 0, "problems": []}}, lang="fr").count("Audit")
    1
    """
    W, T = words(lang, "report"), texts(lang)
    if shown is None:
        shown = [[x["latex"] for x in q["lines"]] for q in report["questions"]]
    s = report["summary"]
    facts = [(W("file"), _text(report["file"])),
             (W("context"), _text(report["context"]) if report["context"] else W("no_context"))]
    if "seed" in s:
        facts.append((W("seed"), str(int(s["seed"]))))
    legend = "".join(r"\item[\v%s] %s" % (v, T("legend_" + v) if v != "UNREAD" else W("legend_UNREAD"))
                     for v in _VERDICTS)
    out = [PREAMBLE.rstrip(),
           r"\newcommand{\vUNREAD}{\textcolor{gray}{$\circ$}}",
           r"\hypersetup{pdftitle={stepcheck audit}}",
           r"\begin{document}",
           r"\sloppy",  # file names, paths and long labels: a loose line rather than one off the page
           r"\begin{center}{\LARGE %s}\end{center}" % W("title"),
           r"\begin{facts}%s\end{facts}" % "".join(r"\item[] \textbf{%s}%s %s" % (k, T("colon"), v) for k, v in facts),
           W("intro") + r"\par",
           r"\begin{facts}%s\end{facts}" % legend,
           _summary(report, W)]
    for q, tex in zip(report["questions"], shown):
        out.append(_question(q, tex, W, T))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def write_report(report: dict, out_dir: str | Path, *, lang: str = "en",
                 shown: Sequence[Sequence[str | None]] | None = None, pdf: bool = True) -> tuple[int, str]:
    """Write ``stepcheck-audit.tex`` into ``out_dir`` and build its PDF; ``(status, one line saying what was done)``.

    Without latexmk or pdflatex the .tex is still written and the line says
    how to install TeX Live (status 0, as ``stepcheck report``); a LaTeX
    error is status 1 with the log's reason.

    >>> import tempfile
    >>> doc = {"file": "a.md", "context": None, "questions": [], "summary": {"lines": 0, "read": 0,
    ...     "checked": 0, "refuted": 0, "unread": 0, "problems": []}}
    >>> write_report(doc, tempfile.mkdtemp(), pdf=False)[1]  # doctest: +ELLIPSIS
    'wrote .../stepcheck-audit.tex (0 lines; PDF not requested)'
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    main = out_dir / f"{AUDIT_MAIN}.tex"
    main.write_text(audit_tex(report, lang=lang, shown=shown), encoding="utf-8", newline="\n")
    n = report["summary"]["lines"]
    count = f"{n} line{'' if n == 1 else 's'}"
    if not pdf:
        return 0, message("tex_only", tex=main, n=count)
    gone = [tool for tool in ("latexmk", "pdflatex") if shutil.which(tool) is None]
    if gone:
        return 0, message("no_tex", what=" and ".join(gone), dir=out_dir)
    status, problem = _latexmk(out_dir, AUDIT_MAIN)
    return status, problem or message("built", pdf=out_dir / f"{AUDIT_MAIN}.pdf", n=count)

