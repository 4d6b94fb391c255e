"""Tests for the LaTeX report: the .tex files, the PDF, its pages, failures and languages.

The derivations are small ones built here (for speed and a stable content), plus
one full build of every built-in derivation.  Each expected verdict is stated
with the mathematics that justifies it.  Checks use an isolated verdict cache.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from symbolic import Derivation, Source, check, sp
from symbolic.model.derivation import Step
from symbolic.emit.latex_report import break_lines
from symbolic.emit.notebook import derivation_latex, result_table_latex
from symbolic.emit.report import MAIN, build_report, log_problem
from symbolic.emit.tex_text import tex_escape
from symbolic.model.results import Counterexample, DerivationResult, Evidence, StepResult, Verdict

SEED_FILE = "test_seed.txt"
CAPTIONS_EN = ["Spectral norm of", "Exponential moving average", "Second-order model",
               "Weight normalization"]
CAPTIONS_FR = ["Norme spectrale de", "Moyenne mobile exponentielle", "Modèle du second ordre",
               "Normalisation des poids"]
NASTY = "50% of a_b & #1 ^ ~ \\ {x} costs $2"
INSTALL = ("apt-get install -y --no-install-recommends texlive-latex-base texlive-latex-recommended "
           "latexmk lmodern poppler-utils")


# ----------------------------------------------------------------- test material


def square(version: str) -> Derivation:
    """(a + b)^2: the submission drops the cross term 2ab (false at a = b = 1: 4 != 2)."""
    d = Derivation(f"t_square_{version}", statement="(a + b)^2 for real a and b",
                   source=Source(SEED_FILE, "9.1", version))
    a, b = d.scalar("a"), d.scalar("b")
    d.start((a + b) ** 2).eq(a**2 + 2 * a * b + b**2, "1", why="expand the square")
    d.eq(a**2 + b**2 if version == "submitted" else a * (a + 2 * b) + b**2, "2",
         why="drop the cross term" if version == "submitted" else "factor a")
    return d


def transpose(version: str) -> Derivation:
    """(AB)^T = B^T A^T; the submission keeps the order, false for non-commuting A, B (n >= 2)."""
    d = Derivation(f"t_transpose_{version}", statement="transpose of a product",
                   source=Source(SEED_FILE, "9.2", version))
    n = d.dim("n")
    A, B = d.matrix("A", n, n), d.matrix("B", n, n)
    d.claim((A * B).T, "=", A.T * B.T if version == "submitted" else B.T * A.T, "T", why="transpose")
    return d


def nasty() -> Derivation:
    """Text that needs escaping, Greek and subscripted names, a long sum."""
    d = Derivation("t_escape_me", statement=NASTY + " ≤ σ", source=Source("", "example", "example"))
    x, s = d.scalar("x_hat"), d.scalar("sigma_1", positive=True)
    terms = sum((x + k) ** 2 for k in range(12))
    d.start(terms).eq(sp.expand(terms), "long_sum-1", why=NASTY)  # expanding is an identity: PROVED
    d.claim(s**2, ">", 0, "pos", why="square of a positive number")  # sigma_1 > 0: PROVED or CONFIRMED
    return d


def double_loop(v):
    for i in range(len(v)):
        v[i] = 2 * v[i]
    return v


def double(v):
    return 2 * v


def double_reference(v):
    return 2 * v


class CodeCheck:
    """A duck-typed code check: name, source, review, statement, steps, check(), snippet, reference."""

    def __init__(self, version: str) -> None:
        self.name = f"t_code_{version}"
        self.source = Source(SEED_FILE, "9.3", version)
        self.review = version == "submitted"
        self.statement = "double a vector without modifying it"
        self.snippet = double_loop if version == "submitted" else double
        self.reference = double_reference
        self.steps = [Step("inputs unchanged", "code", "=", None, None, "no input modified in place")]

    def check(self, seed: int = 0, cache=None) -> DerivationResult:
        v = np.array([1.0])
        self.snippet(v)
        if v[0] == 1.0:  # double leaves v alone
            res = StepResult("inputs unchanged", "=", Verdict.CONFIRMED, Evidence("running the code", 1, 0.0))
        else:  # double_loop writes 2 into v
            cx = Counterexample(values={"v": [1.0]}, lhs={"v": v.tolist()}, rhs={"v": [1.0]},
                                gap="v is modified by the call")
            res = StepResult("inputs unchanged", "=", Verdict.REFUTED, Evidence("running the code"),
                             counterexample=cx)
        return DerivationResult(self.name, (res,), seed, self.source)


def material() -> list:
    return [square("submitted"), square("corrected"), transpose("submitted"), transpose("corrected"),
            nasty(), CodeCheck("submitted"), CodeCheck("corrected"), "example_square_of_sum"]


NAMES = ["t_square_submitted", "t_square_corrected", "t_transpose_submitted", "t_transpose_corrected",
         "t_escape_me", "t_code_submitted", "t_code_corrected", "example_square_of_sum"]


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("STEPCHECK_CACHE", str(tmp_path_factory.getbasetemp() / "verdict-cache"))


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict[str, Path]:
    """The figures, drawn once per language; tests that do not test them copy these."""
    from symbolic.emit.figures import draw_all

    root = tmp_path_factory.mktemp("figures")
    for lang in ("en", "fr"):
        draw_all(root / lang, lang=lang)
    return {"en": root / "en", "fr": root / "fr"}


@pytest.fixture
def quick_figures(figures, monkeypatch):
    def copy(out_dir, seed=0, lang="en"):
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        return {p.stem.removesuffix("_fr"): Path(shutil.copy(p, out_dir)) for p in sorted(figures[lang].iterdir())}

    monkeypatch.setattr("symbolic.emit.figures.draw_all", copy)


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    """The report of the test material, as a PDF: (status, out_dir, stdout)."""
    out = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STEPCHECK_CACHE", str(tmp_path_factory.getbasetemp() / "verdict-cache"))
        t0 = time.perf_counter()
        status = build_report(out, derivations=material())
        print(f"small build: {time.perf_counter() - t0:.1f} s")
    return status, out


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"\s+", "", text)


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def tex_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.tex")) if "build" not in p.parts}


# ------------------------------------------------------------------ the PDF


def test_small_report_builds_a_pdf(small_build, pdf_tools):
    status, out = small_build
    assert status == 0
    pdf = out / f"{MAIN}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (out / f"{MAIN}.tex").exists()
    assert sorted(p.name for p in (out / "derivations").iterdir()) == sorted(f"{n}.tex" for n in NAMES)
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "jacobian_norm.pdf", "moving_average.pdf", "taylor_step.pdf", "weight_norm.pdf"]
    log = (out / "run.log").read_text()
    assert "latexmk:" in log and re.search(r"t_square_submitted: \d+\.\d{3} s", log)


def test_pdf_shows_every_derivation_and_figure(small_build, pdf_tools):
    _, out = small_build
    text = pdf_text(out / f"{MAIN}.pdf")
    for name in NAMES:
        assert name in text, name
    for i, caption in enumerate(CAPTIONS_EN, start=1):
        assert squeeze(f"Figure {i}: {caption}") in text, caption
    assert "allowsthegradienttoexplodebutdoesnotcauseit" in text
    assert squeeze("Where the versions part") in text and squeeze("Corrected step (2)") in text


def test_pdf_pages_are_images_with_content(small_build, tmp_path, pdf_tools):
    import matplotlib.image as mpimg

    _, out = small_build
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(out / f"{MAIN}.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 5
    for page in pages:
        img = mpimg.imread(page)[..., :3]
        assert img.shape[0] > img.shape[1] > 300  # portrait A4 at 50 dpi
        assert (img.mean(axis=2) < 0.5).mean() > 0.002, page.name  # ink on every page
        assert img.mean() > 0.7, page.name  # and mostly white paper


def test_verdicts_counterexamples_and_corrections_in_the_tex(small_build):
    _, out = small_build
    # the verdicts are the engine's: (a+b)^2 = a^2 + b^2 is false at a = b = 1; (AB)^T = A^T B^T
    # needs non-commuting matrices, so n >= 2; the corrected steps are identities.
    sub = check(square("submitted"), seed=0)
    assert sub.verdicts() == {"1": "PROVED", "2": "REFUTED"}
    assert check(square("corrected"), seed=0).verdicts() == {"1": "PROVED", "2": "PROVED"}
    assert check(transpose("submitted"), seed=0).verdicts() == {"T": "REFUTED"}
    assert check(transpose("corrected"), seed=0).verdicts()["T"] in ("PROVED", "CONFIRMED")
    tex = (out / "derivations" / "t_square_submitted.tex").read_text()
    assert r"\vREFUTED" in tex and r"\vPROVED" in tex and r"\cxbox{" in tex
    assert "Counterexample." in tex and "Corrected step (2)" in tex and r"\hyperref[d:t_square_corrected]" in tex
    for name, value in sub.step("2").counterexample.values.items():
        assert rf"\fitmath{{{name} = {value}}}" in tex
    cx = (out / "derivations" / "t_transpose_submitted.tex").read_text()
    assert re.search(r"\\mathbf\{A\} = \\begin\{pmatrix\}[^}]*&", cx)  # a matrix of at least 2 x 2
    main = (out / f"{MAIN}.tex").read_text()
    row = next(line for line in main.splitlines() if "{t\\_\\allowbreak{}square\\_\\allowbreak{}submitted}" in line)
    assert row.endswith("& 1 & 0 & 1 & 0 & (2) \\\\")  # counts per verdict, first wrong step
    assert main.index(r"\input{derivations/t_square_submitted.tex}") < main.index(
        r"\input{derivations/t_square_corrected.tex}") < main.index(r"\input{derivations/t_transpose_submitted.tex}")
    assert r"\section{Examples}" in main and "\\input{derivations/t_escape_me.tex}" in main


def test_user_text_is_escaped(small_build):
    _, out = small_build
    tex = (out / "derivations" / "t_escape_me.tex").read_text()
    assert tex_escape(NASTY) in tex
    assert r"50\% of a\_b \& \#1 \textasciicircum{} \textasciitilde{} \textbackslash{} \{x\} costs \$2" in tex
    assert r"\ensuremath{\le} \ensuremath{\sigma}" in tex  # from the statement's unicode
    assert r"\hat{x}" in tex and r"\sigma_{1}" in tex  # declared names typeset
    assert r"\begin{aligned}[t]" in tex  # the long sum is broken into lines
    assert squeeze(NASTY) in pdf_text(out / f"{MAIN}.pdf")


def test_code_is_rendered_with_latexify_or_listed(small_build):
    _, out = small_build
    sub = (out / "derivations" / "t_code_submitted.tex").read_text()
    cor = (out / "derivations" / "t_code_corrected.tex").read_text()
    assert "latexify could not render this function (LatexifyNotSupportedError)" in sub
    assert r"\mbox{}def~double\_loop(v):" in sub  # the fallback listing
    assert r"\mathrm{double}(v) = 2 v" in cor and r"\mathrm{double\_reference}(v) = 2 v" in cor
    assert r"left side: \fitmath{v = \begin{pmatrix} 2 \end{pmatrix}}" in sub  # v after the call
    assert "Corrected step (inputs unchanged)" in sub


# ------------------------------------------------------------ reproducibility


def test_tex_is_byte_identical_across_runs(tmp_path, quick_figures, capsys):
    first, second = tmp_path / "one", tmp_path / "two"
    assert build_report(first, derivations=material(), pdf=False) == 0
    assert build_report(second, derivations=material(), pdf=False) == 0  # from the verdict cache now
    a, b = tex_files(first), tex_files(second)
    assert len(a) == len(NAMES) + 1
    assert a == b
    assert not re.search(rb"\d+\.\d{3} s|seconds|\d{4}-\d\d-\d\d", b"".join(a.values()))  # no timings, no dates
    assert capsys.readouterr().out.count("PDF not requested") == 2


def test_stale_derivation_files_are_removed(tmp_path, quick_figures):
    assert build_report(tmp_path, derivations=[square("submitted"), nasty()], pdf=False) == 0
    assert (tmp_path / "derivations" / "t_escape_me.tex").exists()
    assert build_report(tmp_path, derivations=[square("submitted")], pdf=False) == 0
    assert [p.name for p in (tmp_path / "derivations").iterdir()] == ["t_square_submitted.tex"]
    assert "t_escape_me" not in (tmp_path / f"{MAIN}.tex").read_text()


def test_french(tmp_path, pdf_tools):
    status = build_report(tmp_path, lang="fr", derivations=[square("submitted"), square("corrected")])
    assert status == 0
    tex = (tmp_path / "derivations" / "t_square_submitted.tex").read_text()
    assert r"\subsection{Version soumise~: " in tex and "Contre-exemple." in tex and "Pas corrigé (2)" in tex
    main = (tmp_path / f"{MAIN}.tex").read_text()
    assert r"\section{Résumé}" in main and "Table des matières" in main and "moving_average_fr.pdf" in main
    text = pdf_text(tmp_path / f"{MAIN}.pdf")
    for words in ["Résumé", "Où les versions divergent", "membre de gauche", *CAPTIONS_FR]:
        assert squeeze(words) in text, words
    assert "Submitted version" not in text


# ------------------------------------------------------------------ failures


def broken(monkeypatch, extra: str) -> None:
    import symbolic.emit.report as report

    original = report.derivation_body
    monkeypatch.setattr(report, "derivation_body", lambda *a, **k: original(*a, **k) + extra + "\n")


@pytest.mark.parametrize("extra, why", [
    (r"\undefinedcommandforthetest", "Undefined control sequence"),
    (r"See section~\ref{sec:nowhere}.", "undefined reference(s) sec:nowhere"),
    (r"\par\noindent\rule{25cm}{1pt}\par", "off the page"),
])
def test_latex_problems_fail_the_build_in_one_line(tmp_path, monkeypatch, capsys, quick_figures, extra, why,
                                                    pdf_tools):
    broken(monkeypatch, extra)
    status = build_report(tmp_path, derivations=[square("corrected")])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("LaTeX")
    assert why in lines[0] and str(tmp_path / "build" / f"{MAIN}.log") in lines[0]
    assert not (tmp_path / f"{MAIN}.pdf").exists()
    assert (tmp_path / f"{MAIN}.tex").exists()


def test_missing_latexmk_still_writes_the_tex(tmp_path, monkeypatch, capsys, quick_figures):
    monkeypatch.setattr("symbolic.emit.report.shutil.which", lambda tool: None)
    status = build_report(tmp_path, derivations=[square("submitted")])
    out = capsys.readouterr().out.strip().splitlines()
    assert status == 0
    assert (tmp_path / f"{MAIN}.tex").exists() and (tmp_path / "derivations" / "t_square_submitted.tex").exists()
    assert not (tmp_path / f"{MAIN}.pdf").exists()
    assert len(out) == 1 and "latexmk and pdflatex not found" in out[0] and INSTALL in out[0]


def test_a_derivation_that_cannot_be_checked_is_reported(tmp_path, quick_figures, capsys):
    d = Derivation("t_undeclared", source=Source(SEED_FILE, "9.4", "submitted"))
    x = sp.Symbol("x")  # never declared: validation refuses the derivation
    d.start(x).eq(x + 0, "1")
    status = build_report(tmp_path, derivations=[d, square("corrected")], pdf=False)
    assert status == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1 derivation(s) could not be checked: t_undeclared" in err[0]
    tex = (tmp_path / "derivations" / "t_undeclared.tex").read_text()
    assert "This derivation could not be checked: InvalidInputError" in tex and r"\vNONE" in tex


def test_log_problem():
    assert log_problem("all good\nOverfull \\hbox (9.9pt too wide) in paragraph at lines 3--4\n") is None
    assert log_problem("./derivations/x.tex:12: Undefined control sequence.") == (
        "error in ./derivations/x.tex line 12: Undefined control sequence. (log line 1)")
    assert log_problem("! Missing $ inserted.").startswith("error: Missing $ inserted.")
    assert log_problem("LaTeX Warning: There were undefined references.") == "undefined reference(s) ?"
    assert "10.5pt off the page in derivations/y.tex" in log_problem(
        "(./stepcheck-report.tex (./derivations/y.tex\nOverfull \\hbox (10.5pt too wide) detected at line 3")


# ------------------------------------------------------------------ pieces


def test_notebook_latex():
    d = square("submitted")
    tex = derivation_latex(d)
    assert tex.startswith("$$\\begin{aligned}") and tex.endswith("\\end{aligned}$$")
    assert r"\left(a + b\right)^{2} &= a^{2} + 2 a b + b^{2}" in tex and r"&= a^{2} + b^{2}" in tex
    assert d._repr_latex_() == tex
    result = check(d, seed=0)
    table = result_table_latex(result)
    assert table.startswith("$$\\begin{array}") and r"{\color{green}\checkmark}" in table
    assert r"{\color{red}\times}" in table and result._repr_latex_() == table
    assert derivation_latex(CodeCheck("submitted")).startswith("$$")


def test_break_lines_keeps_delimiters_balanced():
    from symbolic.algebra.printing import to_latex

    x, y = sp.symbols("x y")
    tex = to_latex(x * sp.Add(*[sp.Function("f")(y + k) for k in range(1, 15)], evaluate=False) ** 2 + y)
    broken_tex = break_lines(tex, width=30)
    lines = broken_tex.removeprefix(r"\begin{aligned}[t]").removesuffix(r"\end{aligned}").split(r" \\")
    assert len(lines) >= 3
    for line in lines:
        assert line.count(r"\left") == line.count(r"\right"), line
        assert line.count("{") == line.count("}"), line
    assert break_lines("a + b", width=30) == "a + b"


def test_tex_escape():
    assert tex_escape("a_b%&#$^~\\{}") == (r"a\_b\%\&\#\$\textasciicircum{}\textasciitilde{}"
                                           r"\textbackslash{}\{\}")
    assert tex_escape("é ≤ λ Ω ☃") == r"é \ensuremath{\le} \ensuremath{\lambda} \ensuremath{\Omega} \texttt{[U+2603]}"


# ------------------------------------------------------------------ everything


def test_full_build_of_every_builtin_derivation(tmp_path, pdf_tools):
    from derivations import names

    t0 = time.perf_counter()
    status = build_report(tmp_path)
    seconds = time.perf_counter() - t0
    print(f"full build of {len(names())} derivations: {seconds:.1f} s")
    assert status == 0
    text = pdf_text(tmp_path / f"{MAIN}.pdf")
    for name in names():
        assert name in text, name
    assert sorted(p.stem for p in (tmp_path / "derivations").iterdir()) == names()
