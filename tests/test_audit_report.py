"""stepcheck audit --report, --lang, -j and --seed (issue 15): the report of an audit, in two languages,
the same in N processes as in one, and the JSON exactly as its schema says."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from symbolic.app import audit as audit_module
from symbolic.app.audit import audit, render
from symbolic.app.cli import main
from symbolic.emit.toolchain import INSTALL

ROOT = Path(__file__).resolve().parents[1]
AUDIT_MAIN = "stepcheck-audit"


def audit_lines(*args, **kw):
    return audit_module.audit_lines(*args, **kw)


def write_report(*args, **kw):
    from symbolic.emit.audit_report import write_report

    return write_report(*args, **kw)


def audit_tex(*args, **kw):
    from symbolic.emit.audit_report import audit_tex

    return audit_tex(*args, **kw)


def _latex():
    from symbolic.emit import audit_latex

    return audit_latex
SCHEMA = json.loads((ROOT / "tests" / "schema" / "stepcheck-audit.schema.json").read_text())

# Written for these tests: three questions, a macro, an align* chain, a wrong line in two of them,
# a line that cannot be read, and a line with LaTeX that must never reach TeX raw.
SUBMISSION = r"""\documentclass{article}
\newcommand{\vz}{\mathbf{z}}
\begin{document}
\section{Question 1}
\begin{align*}
(\mathbf{P}\mathbf{Q})^\top &= \mathbf{Q}^\top \mathbf{P}^\top \tag{3}\\
\|\mathbf{P}\mathbf{Q}\| &= \|\mathbf{P}\| \|\mathbf{Q}\| \\
\vz^\top \vz &= \|\vz\|^2
\end{align*}
\section{Question 2}
$$ (u - w)^2 = u^2 - 2uw + w^2 \tag{eq:squareOfTheDifference} $$
$$ \frac{u^2 - w^2}{u - w} = u - w $$
$$ \zap{u} = \csname relax\endcsname $$
\section{Question 3}
$$ \mathbf{P}\mathbf{Q} = \mathbf{Q}\mathbf{P} $$
\end{document}
"""


@pytest.fixture
def submission(tmp_path):
    p = tmp_path / "hw.tex"
    p.write_text(SUBMISSION, encoding="utf-8")
    return p


def _verdicts(report):
    return [(x["line"], x["verdict"]) for q in report["questions"] for x in q["lines"]]


def _without_seconds(report):
    doc = copy.deepcopy(report)
    doc["summary"].pop("seconds")
    return doc


def test_report_tex_shows_each_line_its_mark_the_counterexample_and_is_byte_identical(submission, tmp_path):
    report, shown = audit_lines(submission, seed=3)
    assert _verdicts(report) == [(6, "PROVED"), (7, "REFUTED"), (8, "PROVED"), (11, "PROVED"), (12, "REFUTED"),
                                 (13, "UNREAD"), (15, "REFUTED")]
    status, line = write_report(report, tmp_path / "a", shown=shown, pdf=False)
    assert status == 0 and line.startswith("wrote ") and line.endswith("(7 lines; PDF not requested)")
    tex = (tmp_path / "a" / f"{AUDIT_MAIN}.tex").read_text(encoding="utf-8")
    # every line, with its mark, in the order of the file; the student's macro expanded and re-typeset
    rows = [r for r in tex.splitlines() if r.split(" & ")[0].split(r"\newline")[0] in {"6", "7", "8", "11", "12",
                                                                                       "13", "15"}]
    assert [r.split(" & ")[0].split(r"\newline")[0] for r in rows] == ["6", "7", "8", "11", "12", "13", "15"]
    marks = [r.split(" & ")[2].split("~")[0] for r in rows]
    assert marks == [r"\vPROVED", r"\vREFUTED", r"\vPROVED", r"\vPROVED", r"\vREFUTED", r"\vUNREAD", r"\vREFUTED"]
    assert r"\fitmath{\mathbf{z}^\top \mathbf{z} = \|\mathbf{z}\|^2}" in rows[2]
    assert rows[0].startswith(r"6\newline(3) & ")  # the equation number of the source
    assert rows[3].startswith(r"11\newline(eq:squ\allowbreak{}areOfT\allowbreak{}")  # breakable in its column
    # the counterexample under each wrong line: its values, as the JSON has them
    for q in report["questions"]:
        for x in q["lines"]:
            if x["verdict"] == "REFUTED":
                block = tex.split(rows[[r.split(" & ")[0].split(r"\newline")[0] for r in rows].index(str(x["line"]))])[1]
                box = block.split(r"\cxbox{", 1)[1].split(r"\end{longtable}")[0]
                assert r"\textbf{Counterexample.}" in box
                assert all(f"{k} = " in box for k in x["counterexample"]["values"])
                assert x["counterexample"]["gap"].split(":")[0] in box
    # the first wrong line of each question, and the summary
    assert tex.count("The first wrong line of this question is line 7.") == 1
    assert "The first wrong line of this question is line 12." in tex
    assert "The first wrong line of this question is line 15." in tex
    assert r"math lines & 7 \\" in tex and r"unread & 1 \\" in tex and r"refuted & 3 \\" in tex
    assert r"read & 6 \\" in tex and r"checked (proved, confirmed or refuted) & 6 \\" in tex
    # a line outside the allow-list is shown as written, escaped, never as LaTeX
    assert r"\csname" not in tex and r"\zap" not in tex
    assert r"{\ttfamily \textbackslash{}zap\{u\} = \textbackslash{}csname" in tex
    # byte-identical on a second run with the same input and seed
    again, shown2 = audit_lines(submission, seed=3)
    write_report(again, tmp_path / "b", shown=shown2, pdf=False)
    assert (tmp_path / "b" / f"{AUDIT_MAIN}.tex").read_bytes() == (tmp_path / "a" / f"{AUDIT_MAIN}.tex").read_bytes()


@pytest.mark.parametrize("tex, why", [
    (r"\input{/etc/passwd}", r"the command \input is not allowed"),
    (r"x = \csname foo\endcsname", r"the command \csname is not allowed"),
    (r"x^^5c = 1", "^ needs an argument, not '^'"),
    (r"\catcode`\@=11", r"the command \catcode is not allowed"),
    (r"\def\x{1} \x", r"the command \def is not allowed"),
    ("x = 50% of y", "the character '%' is not allowed"),
    ("#1 = x", "the character '#' is not allowed"),
    ("a $ b", "the character '$' is not allowed"),
    ("a & b", "the character '&' is not allowed"),
    ("x^2^3", "a double superscript or subscript"),
    ("x_1_2 = y", "a double superscript or subscript"),
    ("x^2' = y", "a prime after a superscript"),
    (r"x = \frac{a}", r"\frac needs 2 arguments"),
    (r"\frac{\frac{a}}{b}", r"\frac needs 2 arguments"),
    (r"\left( x = y", r"a \left without its \right"),
    (r"x \right)", r"a \right without its \left"),
    (r"\left x \right)", r"\left needs a delimiter"),
    ("x}{y", "unbalanced braces"),
    ("{x", "unbalanced braces"),
    (r"\begin{document} x", "the environment document is not allowed"),
    (r"\end{pmatrix} x", r"an \end without its \begin"),
    (r"\begin{pmatrix} a \end{bmatrix}", r"\begin{pmatrix} ended by another \end"),
    (r"\text{a_b}", r"the character '_' inside \text is not allowed"),
    (r"\text{\input{x}}", r"\input inside \text is not allowed"),
    (r"\sqrt[3 x", "an unclosed ["),
    ("x ≤ y", "the character '≤' is not allowed"),
])
def test_line_latex_outside_the_allow_list_or_malformed_is_never_typeset(tex, why):
    L = _latex()
    assert L.line_tex(tex) is None and L.line_problem(tex) == why
    assert "\\" + "input{" not in L.verbatim_tex(tex) and "\\csname" not in L.verbatim_tex(tex)


@pytest.mark.parametrize("tex", [
    r"\nabla_{\mathbf{x}} f = \left(\mathbf{A} + \mathbf{A}^{\top}\right)\mathbf{x}",
    r"\left\| \frac{\partial \mathbf{g}_T}{\partial \mathbf{g}_0} \right\| \leq \prod_{t=0}^{T-1} |\delta|",
    r"x'^2 = \sqrt[3]{y} \cdot \hat{\boldsymbol{\theta}}_{t-1}",
    r"f(x) = \begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}",
    r"\lim_{T \to \infty} \mathbb{E}[v_T] = \mu, \quad \operatorname{tr}(\mathbf{A}) \ge 0",
    r"{x^2}^3 = x^6",
])
def test_well_formed_ml_notation_is_typeset(tex):
    L = _latex()
    assert L.line_tex(tex) == tex, L.line_problem(tex)


def test_report_pdf_builds_with_the_locked_down_latexmk(submission, tmp_path, pdf_tools, capsys):
    long_name = tmp_path / ("a_long_submission_file_name_" * 4 + ".tex")  # no space to break at: still fits
    long_name.write_bytes(submission.read_bytes())
    out = tmp_path / "rep"
    status = main(["audit", str(long_name), "--report", str(out), "--seed", "3"])
    printed = capsys.readouterr().out.strip().splitlines()
    assert status == 0, printed[-1]
    assert printed[-1] == f"wrote {out / (AUDIT_MAIN + '.pdf')} (7 lines)"
    text = subprocess.run(["pdftotext", "-layout", str(out / f"{AUDIT_MAIN}.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "REFUTED" in text and "PROVED" in text and "UNREAD" in text and "Counterexample." in text
    assert "first wrong line" in text and "Question 3" in text


def test_without_tex_the_tex_is_still_written_and_one_line_says_so(submission, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("symbolic.emit.audit_report.shutil.which", lambda tool: None)
    out = tmp_path / "rep"
    status = main(["audit", str(submission), "--report", str(out), "--json"])
    captured = capsys.readouterr()
    assert status == 0
    json.loads(captured.out)  # stdout stays one JSON document
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "latexmk and pdflatex not found" in lines[0] and INSTALL in lines[0]
    assert (out / f"{AUDIT_MAIN}.tex").exists() and not (out / f"{AUDIT_MAIN}.pdf").exists()


def test_french_words_in_the_table_and_the_report_while_the_json_keeps_its_verdict_names(submission, tmp_path,
                                                                                         capsys):
    assert main(["audit", str(submission), "--lang", "fr", "--report", str(tmp_path / "fr")]) == 0
    table = capsys.readouterr().out
    assert "question 1, première ligne fausse 7" in table and "RÉFUTÉ" in table and "DÉMONTRÉ" in table
    assert "NON LU" in table and "lignes 7, lues 6, vérifiées 6, réfutées 3, non lues 1" in table
    assert "REFUTED" not in table and "first wrong line" not in table
    tex = (tmp_path / "fr" / f"{AUDIT_MAIN}.tex").read_text(encoding="utf-8")
    assert r"\section*{Résumé}" in tex and r"\textbf{Contre-exemple.}" in tex
    assert "La première ligne fausse de cette question est la ligne 7." in tex and "RÉFUTÉ" in tex
    assert main(["audit", str(submission), "--lang", "fr", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {x["verdict"] for q in doc["questions"] for x in q["lines"]} == {"PROVED", "REFUTED", "UNREAD"}
    assert main(["audit", str(submission), "--lang", "de"]) == 2


def test_jobs_give_the_same_verdicts_and_bytes_as_one_process(submission, capsys):
    one, shown1 = audit_lines(submission, seed=5, jobs=1)
    two, shown2 = audit_lines(submission, seed=5, jobs=2)
    assert len(one["questions"]) == 3
    assert _without_seconds(one) == _without_seconds(two) and shown1 == shown2
    assert render(one) == render(two)
    assert audit_tex(one, shown=shown1) == audit_tex(two, shown=shown2)
    assert main(["audit", str(submission), "-j", "2", "--seed", "5", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert _without_seconds(doc) == json.loads(json.dumps(_without_seconds(one)))


def test_seed_is_used_recorded_and_the_json_follows_its_schema_exactly(submission, capsys):
    assert main(["audit", str(submission), "--json", "--seed", "11"]) == 0
    first = json.loads(capsys.readouterr().out)
    jsonschema.validate(first, SCHEMA)
    assert first["summary"]["seed"] == 11
    assert set(first) == {"file", "context", "questions", "summary"}
    for q in first["questions"]:
        assert set(q) == {"question", "first_wrong_line", "lines"}
        for x in q["lines"]:
            assert set(x) == {"label", "line", "latex", "relation", "verdict", "reason", "counterexample"}
    assert main(["audit", str(submission), "--json", "--seed", "11"]) == 0
    assert _without_seconds(json.loads(capsys.readouterr().out)) == _without_seconds(first)
    other = audit(submission, seed=12)
    jsonschema.validate(other, SCHEMA)
    assert other["summary"]["seed"] == 12 and _verdicts(other) == _verdicts(first)
    bad = copy.deepcopy(first)
    bad["summary"]["extra"] = 1  # the schema is closed: a renamed or added key is an error
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)


def test_bench_without_seed_files_says_so_in_one_line_and_fails_only_under_ci(tmp_path):
    for ci, expected in (("", 0), ("true", 1)):
        env = dict(os.environ, CI=ci, PYTHONPATH=str(ROOT))
        proc = subprocess.run([sys.executable, str(ROOT / "bench" / "audit.py"), str(tmp_path / "none")],
                              capture_output=True, text=True, env=env)
        assert proc.returncode == expected
        assert proc.stdout.strip().splitlines() == [f"audit: no seed files at {tmp_path / 'none'}; nothing measured"]
