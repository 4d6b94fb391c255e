r"""The LaTeX report: check every derivation, write the .tex files, build the PDF.

:func:`build_report` writes into ``out_dir``:

* ``stepcheck-report.tex``: the main file (summary table, one section per
  question with its submitted and corrected versions side by side, figures);
* ``derivations/<name>.tex``: one section per derivation, ``\input`` by it;
* ``figures/*.pdf``: the figures of :mod:`symbolic.emit.figures`;
* ``run.log``: timings (never in the .tex, which are byte-for-byte
  reproducible: no dates, no timings, sorted order);
* ``stepcheck-report.pdf``: built by latexmk (aux files in ``build/``).

A LaTeX error, an undefined reference or a line running more than
:data:`OVERFULL_PT` points off the page fails the build, with one line that
says why and points at the log.

>>> import tempfile, pathlib
>>> from derivations import get
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> build_report(out, derivations=[get("example_square_of_sum")], pdf=False)  # doctest: +ELLIPSIS
wrote ...stepcheck-report.tex (1 derivation; PDF not requested)
0
>>> sorted(p.name for p in (out / "derivations").iterdir())
['example_square_of_sum.tex']
"""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess  # noqa: F401  (the build runs subprocess.run; tests patch it as report.subprocess)
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .latex_build import MAIN, OVERFULL_PT, _latexmk, log_problem
from .latex_report import Printer, derivation_body, mark, tex_escape
from .report_text import PREAMBLE, message, texts

__all__ = ["build_report", "log_problem", "OVERFULL_PT", "MAIN"]

_VERSIONS = {"submitted": 0, "corrected": 1, "example": 2, "textbook": 3, "planted": 4}
_TEXTBOOK = ("textbook", "planted")  # the textbook corpus: an identity and its planted mistake
_FIGURE_PAIRS = (("jacobian_norm", "moving_average"), ("taylor_step", "weight_norm"))


@dataclass
class _Entry:
    """One derivation (or code check) with its result."""

    obj: Any
    result: Any = None
    error: str | None = None
    seconds: float = 0.0
    partner: "_Entry | None" = None
    log: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def version(self) -> str:
        return getattr(getattr(self.obj, "source", None), "version", "example")


def natural_key(text: str) -> tuple:
    """Sort key that orders the numbers in a name by value: ``bp_1_2`` before ``bp_1_11``.

    >>> sorted(["bp_1_11", "bp_1_2", "bp_1_1"], key=natural_key)
    ['bp_1_1', 'bp_1_2', 'bp_1_11']
    """
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p)


def _group_key(e: _Entry) -> tuple:
    """``(kind, sort key, file, question)``: kind 0 is a question of a submission, 1 a family of the
    textbook corpus (its question), 2 the examples."""
    src = getattr(e.obj, "source", None)
    if e.version in _TEXTBOOK:
        return (1, natural_key(src.question), "", src.question)
    if src is None or not getattr(src, "file", ""):
        return (2, (), "", "")
    return (0, natural_key(src.file) + natural_key(src.question), src.file, src.question)


def _twin(e: _Entry) -> str:
    """The name of the derivation a review entry is read beside: a submission's corrected version,
    a planted mistake's identity (``tb_<name>_wrong`` beside ``tb_<name>``)."""
    if e.version == "planted":
        return e.name.removesuffix("_wrong")
    return e.name.replace("submitted", "corrected")


def _member_key(e: _Entry) -> tuple:
    if e.version in _TEXTBOOK:  # each identity followed by its planted mistake
        return (natural_key(_twin(e)), _VERSIONS[e.version])
    return (_VERSIONS.get(e.version, 5), e.name)


def _check(obj: Any, seed: int) -> _Entry:
    entry = _Entry(obj)
    t0 = time.perf_counter()
    try:
        if hasattr(obj, "steps") and hasattr(obj, "decls"):
            from ..verdicts.engine import check

            entry.result = check(obj, seed=seed)
        else:
            entry.result = obj.check(seed=seed, cache=True)
    except Exception as exc:  # a broken derivation gets a section that says so
        entry.error = f"{type(exc).__name__}: {exc}"
    entry.seconds = time.perf_counter() - t0
    for s in getattr(entry.result, "steps", ()):
        entry.log.append(f"  step {s.label}: {s.verdict.value} in {s.seconds:.3f} s"
                         + (" (cached)" if s.cached else ""))
    return entry


def _groups(entries: list[_Entry]) -> list[tuple[tuple, list[_Entry]]]:
    groups: dict[tuple, list[_Entry]] = {}
    for e in entries:
        groups.setdefault(_group_key(e), []).append(e)
    out = []
    for key in sorted(groups):
        members = sorted(groups[key], key=_member_key)
        for review, fixed in (("submitted", "corrected"), ("planted", "textbook")):
            fixes = [m for m in members if m.version == fixed]
            for m in members:
                if m.version == review and fixes:
                    m.partner = next((c for c in fixes if c.name == _twin(m)), fixes[0])
        out.append((key, members))
    return out


def _file_tag(file: str) -> str:
    stem = Path(file).stem
    return stem.split("_")[0] if "_" in stem else stem


def _summary(groups: list, T: Callable[..., str]) -> str:
    cols = "".join(r" & \v%s" % v for v in ("PROVED", "CONFIRMED", "REFUTED", "UNDECIDED"))
    head = r"%s & %s & {\normalfont\normalsize %s}%s & %s \\" % (T("col_question"), T("col_version"), T("col_derivation"),
                                        cols, T("col_first_wrong"))
    rows = [r"\begin{longtable}{@{}p{0.14\linewidth}p{0.13\linewidth}"
            r">{\raggedright\arraybackslash\ttfamily\footnotesize}p{0.39\linewidth}cccc"
            r">{\raggedright\arraybackslash}p{0.13\linewidth}@{}}",
            r"\caption{%s}\label{tab:summary}\\" % T("summary_caption"),
            r"\toprule", head, r"\midrule\endfirsthead", r"\toprule", head, r"\midrule\endhead",
            r"\bottomrule\endfoot"]
    for g, (key, members) in enumerate(groups):
        if g:
            rows.append(r"\addlinespace[2pt]")
        for i, e in enumerate(members):
            q = ""
            if i == 0 and key[0] == 1:
                q = r"%s {\scriptsize(%s)}" % (tex_escape(key[3]), T("textbook_tag"))
            elif i == 0:
                q = T("examples_heading") if key[0] else r"%s {\scriptsize(%s)}" % (
                    tex_escape(key[3]), tex_escape(_file_tag(key[2])))
            counts = (" & --" * 4) if e.result is None else "".join(
                " & %d" % e.result.counts.get(v, 0) for v in ("PROVED", "CONFIRMED", "REFUTED", "UNDECIDED"))
            wrong = T("error") if e.error else (
                "(%s)" % tex_escape(e.result.first_wrong_step) if e.result.first_wrong_step else T("none"))
            name = tex_escape(e.name).replace(r"\_", r"\_\allowbreak{}")
            rows.append(r"%s & %s & \hyperref[d:%s]{%s}%s & %s \\" % (
                q, T("version_" + e.version) if e.version in _VERSIONS else tex_escape(e.version),
                e.name, name, counts, wrong))
    rows.append(r"\end{longtable}")
    return "\n".join(rows)


def _comparison(pairs: list[tuple[_Entry, _Entry]], T: Callable[..., str]) -> str:
    """Verdicts of both versions, label by label: where they part."""
    def verdicts(e: _Entry) -> dict[str, str]:
        return {s.label: s.verdict.value for s in e.result.steps} if e.result is not None else {}

    rows = [r"\subsection*{%s}" % T("parting")]
    for sub, cor in pairs:
        vs, vc = verdicts(sub), verdicts(cor)
        labels = list(vs) + [x for x in vc if x not in vs]
        wrong = sub.result.first_wrong_step if sub.result is not None else None
        text = T("parting_at", label="(%s)" % tex_escape(wrong)) if wrong else T("parting_none")
        if len(pairs) > 1:
            text = r"\texttt{%s} / \texttt{%s}%s %s" % (tex_escape(sub.name), tex_escape(cor.name), T("colon"), text)
        rows += [text + r"\par", r"\begin{longtable}{@{}lcc@{}}", r"\toprule",
                 r"%s & %s & %s \\" % (T("col_label"), T("col_submitted"), T("col_corrected")),
                 r"\midrule"]
        for x in labels:
            shade = r"\rowcolor{refutedbg}" if x == wrong else ""
            rows.append(r"%s{}(%s) & %s & %s \\" % (shade, tex_escape(x), mark(vs.get(x)), mark(vc.get(x))))
        rows += [r"\bottomrule", r"\end{longtable}"]
    return "\n".join(rows)


def _functions(obj: Any) -> list[tuple[str, Callable, Any]]:
    """Functions an object shows as mathematics: ``(title, function, formula)``.

    A code check's ``snippet`` comes with its ``reference`` as the formula;
    any object may instead list ``(title, function, formula)`` in a
    ``latex_functions()`` method (formula: a function, LaTeX or a sympy
    expression, or ``None``).
    """
    if callable(getattr(obj, "snippet", None)):
        return [(obj.snippet.__name__, obj.snippet, getattr(obj, "reference", None))]
    if callable(getattr(obj, "latex_functions", None)):
        return [tuple(item) for item in obj.latex_functions()]
    return []


def _listing(fn: Callable, T: Callable[..., str]) -> str:
    try:
        source = textwrap.dedent(inspect.getsource(fn)).rstrip().splitlines()
    except (OSError, TypeError):
        return T("source_unavailable")
    lines = [w for line in source for w in (textwrap.wrap(line, 90, subsequent_indent="    ",
                                                           drop_whitespace=False) or [""])]
    body = r"\\".join(r"\mbox{}" + tex_escape(x).replace(" ", "~") for x in lines)
    return r"{\ttfamily\footnotesize %s\par}" % body


def _latexify(fn: Callable, T: Callable[..., str], log: list[str]) -> tuple[str, bool]:
    """A function as mathematics with latexify (``True``), or its source when latexify cannot."""
    import latexify

    try:
        return r"\fitmath{%s}" % latexify.get_latex(fn, use_math_symbols=True), True
    except Exception as exc:  # latexify covers a subset of Python: fall back to the source
        log.append(f"  latexify failed on {getattr(fn, '__name__', fn)}: {type(exc).__name__}: {exc}")
        return T("latexify_failed", error=tex_escape(type(exc).__name__)) + r"\par" + _listing(fn, T), False


def _code_section(obj: Any, T: Callable[..., str], log: list[str]) -> str:
    functions = _functions(obj)
    if not functions:
        return ""
    out = [r"\subsubsection*{%s}" % T("code_heading"), T("code_intro") + r"\par"]
    P = Printer(obj)
    for title, fn, formula in functions:
        code, ok = _latexify(fn, T, log)
        out.append(r"\par\medskip\textbf{%s}\par\nobreak" % tex_escape(title))
        if formula is None:
            out.append(code + r"\par")
            continue
        if callable(formula):
            ftex, fok = _latexify(formula, T, log)
        else:
            ftex, fok = r"\fitmath{%s}" % (formula if isinstance(formula, str) else P(formula)), True
        if ok and fok:  # side by side
            out.append(r"\begin{minipage}[t]{0.485\linewidth}\textbf{%s}\par %s\end{minipage}\hfill"
                       r"\begin{minipage}[t]{0.485\linewidth}\textbf{%s}\par %s\end{minipage}\par"
                       % (T("code_col"), code, T("formula_col"), ftex))
        else:  # a source listing needs the full width
            out.append(r"\textbf{%s}\par %s\par\smallskip\textbf{%s}\par %s\par"
                       % (T("code_col"), code, T("formula_col"), ftex))
    return "\n".join(out) + "\n"


def _figures(paths: dict[str, Path], T: Callable[..., str]) -> str:
    out = [r"\clearpage", r"\section{%s}" % T("figures"), T("figures_intro") + r"\par"]
    for pair in _FIGURE_PAIRS:
        out.append(r"\begin{figure}[!htb]")
        for i, name in enumerate(pair):
            out.append(r"\begin{minipage}[t]{0.485\linewidth}\centering"
                       r"\includegraphics[width=\linewidth]{figures/%s}" % paths[name].name)
            out.append(r"\caption{%s}\label{fig:%s}\end{minipage}%s" % (
                T("caption_" + name), name, r"\hfill" if i == 0 else ""))
        out.append(r"\end{figure}")
    return "\n".join(out)


def _main_tex(groups: list, T: Callable[..., str], seed: int, figures: dict | None, n: int) -> str:
    from .. import __version__

    # a submission beside its corrected version (the textbook corpus says its own)
    paired = any(m.partner is not None for key, members in groups if key[0] != 1 for m in members)
    out = [PREAMBLE.rstrip(),
           r"\renewcommand{\contentsname}{%s}" % T("contents"),
           r"\renewcommand{\tablename}{%s}" % T("table"),
           r"\renewcommand{\figurename}{%s}" % T("figure"),
           r"\hypersetup{pdftitle={stepcheck}}",
           r"\begin{document}",
           r"\begin{center}{\LARGE %s}\\[4pt]{\large %s}\end{center}" % (T("title"), T("subtitle")),
           T("intro", n=n, seed=seed, version=__version__) + (" " + T("intro_pairs") if paired else "") + r"\par",
           r"\begin{facts}%s\end{facts}" % "".join(
               r"\item[\v%s] %s" % (v, T("legend_" + v)) for v in ("PROVED", "CONFIRMED", "REFUTED", "UNDECIDED")),
           r"\tableofcontents",
           r"\section{%s}" % T("summary"), _summary(groups, T)]
    textbook = False
    for key, members in groups:
        if key[0] == 1:  # the textbook corpus: one section, a subsection per family, each identity
            if not textbook:  # followed by its planted mistake (a refuted step shows the identity's beside it)
                out += [r"\section{%s}" % T("textbook_heading"), T("textbook_intro") + r"\par"]
                textbook = True
            out.append(r"\subsection{%s}" % T("family_heading", family=tex_escape(key[3])))
            out.extend(r"\input{derivations/%s.tex}" % m.name for m in members)
            continue
        if key[0]:
            out.append(r"\section{%s}" % T("examples_heading"))
        else:
            out.append(r"\section{%s \texorpdfstring{{\normalfont\small(\texttt{%s})}}{(%s)}}" % (
                T("question_heading", q=tex_escape(key[3])), tex_escape(key[2]), tex_escape(key[2])))
        pairs = [(m, m.partner) for m in members if m.partner is not None]
        if pairs:
            out.append(_comparison(pairs, T))
        for m in members:
            out.append(r"\input{derivations/%s.tex}" % m.name)
    if figures:
        out.append(_figures(figures, T))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def _objects(derivations: Iterable[Any] | None) -> list[Any]:
    import derivations as registry

    if derivations is None:
        return registry.all_derivations()
    return [registry.get(d) if isinstance(d, str) else d for d in derivations]


def build_report(out_dir: Path = Path("report"), *, lang: str = "en", seed: int = 0,
                 derivations: Iterable[Any] | None = None, pdf: bool = True, figures: bool = True) -> int:
    """Check every built-in derivation (or those given) and write the LaTeX report.

    ``derivations`` may hold derivation objects, code checks or registry
    names.  Returns 0 on success; 1 when a derivation could not be checked
    or the PDF build failed (one line on stderr says why).  Without TeX
    Live the .tex files are still written, a line says how to install it,
    and the status is that of the .tex part.  ``figures=False`` leaves out
    the figures, which illustrate the built-in derivations (a user's own
    report does not carry them).

    >>> import tempfile, pathlib
    >>> build_report(pathlib.Path(tempfile.mkdtemp()), lang="fr", derivations=[], pdf=False)  # doctest: +ELLIPSIS
    wrote ...stepcheck-report.tex (0 derivations; PDF not requested)
    0
    """
    T = texts(lang)
    t_start = time.perf_counter()
    out_dir = Path(out_dir)
    parts = out_dir / "derivations"
    parts.mkdir(parents=True, exist_ok=True)
    entries = [_check(obj, seed) for obj in _objects(derivations)]
    groups = _groups(entries)
    log = [f"stepcheck report: {len(entries)} derivations, seed {seed}, lang {lang}"]
    written = set()
    for _, members in groups:
        for e in members:
            title = T("version_title_" + e.version) if e.version in _VERSIONS else tex_escape(e.version)
            partner = e.partner
            body = derivation_body(e.obj, e.result, T, title=title, error=e.error,
                                   partner=partner.obj if partner else None,
                                   presult=partner.result if partner else None,
                                   level="subsubsection" if e.version in _TEXTBOOK else "subsection")
            body += _code_section(e.obj, T, e.log)
            (parts / f"{e.name}.tex").write_text(body, encoding="utf-8", newline="\n")
            written.add(f"{e.name}.tex")
            log.append(f"{e.name}: {e.seconds:.3f} s" + (f" ERROR {e.error}" if e.error else ""))
            log.extend(e.log)
    for stale in parts.glob("*.tex"):
        if stale.name not in written:
            stale.unlink()
    drawn = None
    if figures:
        t0 = time.perf_counter()
        try:
            from .figures import draw_all

            drawn = draw_all(out_dir / "figures", seed=seed, lang=lang)
        except Exception as exc:  # the report stands without its figures
            log.append(f"figures failed: {type(exc).__name__}: {exc}")
        log.append(f"figures: {time.perf_counter() - t0:.3f} s")
    main = out_dir / f"{MAIN}.tex"
    main.write_text(_main_tex(groups, T, seed, drawn, len(entries)), encoding="utf-8", newline="\n")
    count = f"{len(entries)} derivation{'' if len(entries) == 1 else 's'}"
    status, line = 0, message("tex_only", tex=main, n=count)
    failed = [e.name for e in entries if e.error]
    if pdf:
        missing = [tool for tool in ("latexmk", "pdflatex") if shutil.which(tool) is None]
        if missing:
            line = message("no_tex", what=" and ".join(missing), dir=out_dir)
        else:
            t0 = time.perf_counter()
            status, problem = _latexmk(out_dir)
            log.append(f"latexmk: {time.perf_counter() - t0:.3f} s, status {status}")
            line = problem or message("built", pdf=out_dir / f"{MAIN}.pdf", n=count)
    if failed and status == 0:
        status, line = 1, message("check_failed", n=len(failed), names=", ".join(failed),
                                  log=out_dir / "run.log")
    log.append(f"total: {time.perf_counter() - t_start:.3f} s")
    (out_dir / "run.log").write_text("\n".join(log) + "\n", encoding="utf-8")
    print(line, file=sys.stderr if status else sys.stdout)
    return status
