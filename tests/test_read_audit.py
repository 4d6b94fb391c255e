"""stepcheck audit: a submission as written, every line a checked step (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from symbolic.app.audit import audit, render
from symbolic.app.cli import main

SCHEMA = json.loads((Path(__file__).parent / "schema" / "stepcheck-audit.schema.json").read_text())

SUBMISSION = r"""\documentclass{article}
\newcommand{\bx}{\mathbf{x}}
\begin{document}
\section{Question 1}
\begin{align*}
\nabla_{\bx} (\bx^\top \mathbf{A} \bx) &= (\mathbf{A} + \mathbf{A}^\top)\bx \tag{1}\\
\|\mathbf{A}\mathbf{B}\| &\le \|\mathbf{A}\| \|\mathbf{B}\| \\
\|\mathbf{A}\mathbf{B}\| &= \|\mathbf{A}\| \|\mathbf{B}\| \\
(\mathbf{A}\mathbf{B})^\top &= \mathbf{A}^\top \mathbf{B}^\top \\
\bx^\top \bx &= \|\bx\|^2 \\
             &= \sum_{i=1}^{n} x_i^2 \\
\foo{x} &= 1
\end{align*}
\section{Question 2}
$$ \mathbf{A}\mathbf{B} = \mathbf{B}\mathbf{A} $$
$$ (a+b)^2 = a^2 + 2ab + b^2 $$
\end{document}
"""


def lines_of(report):
    return [(x["line"], x["verdict"]) for q in report["questions"] for x in q["lines"]]


def test_audit_of_a_small_latex_file_gives_each_line_its_verdict(tmp_path):
    p = tmp_path / "sub.tex"
    p.write_text(SUBMISSION, encoding="utf-8")
    report = audit(p)
    jsonschema.validate(report, SCHEMA)
    assert lines_of(report) == [(6, "PROVED"), (7, "PROVED"), (8, "REFUTED"), (9, "REFUTED"), (10, "PROVED"),
                                (11, "CONFIRMED"), (12, "UNREAD"), (15, "REFUTED"), (16, "PROVED")]
    q1, q2 = report["questions"]
    assert (q1["question"], q1["first_wrong_line"], q2["first_wrong_line"]) == ("1", 8, 15)
    assert q1["lines"][0]["label"] == "1"
    wrong = q1["lines"][2]
    assert wrong["counterexample"] is not None and set(wrong["counterexample"]["values"]) == {"A", "B"}
    assert q1["lines"][3]["counterexample"] is not None  # the dropped order of a transposed product
    unread = q1["lines"][6]
    assert unread["latex"] == r"\foo{x} &= 1" and unread["counterexample"] is None
    assert unread["reason"].startswith("line 12, column 1: unknown command \\foo")
    # x_i in the sum is an entry of the vector x (linked, not a free symbol): no proof, checked numerically
    assert q1["lines"][5]["relation"] == "=" and "samples" in q1["lines"][5]["reason"]
    assert report["summary"]["unread"] == 1 and report["summary"]["refuted"] == 3
    assert "first wrong line 8" in render(report)


def test_ambiguous_reading_is_reported_not_silently_chosen(tmp_path):
    p = tmp_path / "amb.md"
    p.write_text("$$ AB = BA $$\n\n$$ A + B = B + A $$\n", encoding="utf-8")
    (l1, l2), = [q["lines"] for q in audit(p)["questions"]]
    assert l1["verdict"] == "UNDECIDED" and l1["reason"].startswith("ambiguous: read with A, B scalars it is PROVED,"
                                                                     " with A, B matrices it is REFUTED")
    assert l2["verdict"] == "PROVED"
    ctx = tmp_path / "ctx.toml"
    ctx.write_text('dims = ["n"]\n[symbols.A]\nkind = "matrix"\n[symbols.B]\nkind = "matrix"\n', encoding="utf-8")
    (l1, _), = [q["lines"] for q in audit(p, context=ctx)["questions"]]
    assert l1["verdict"] == "REFUTED" and l1["counterexample"] is not None


def test_context_file_declares_functions_and_assumptions_and_definitions_are_substituted(tmp_path):
    ctx = tmp_path / "rnn.toml"
    ctx.write_text('dims = ["n"]\n'
                   '[symbols.W]\nkind = "matrix"\n[symbols.b]\nkind = "vector"\n'
                   '[symbols.gamma]\nkind = "scalar"\nassumptions = ["positive"]\n'
                   '[functions.f]\nkind = "smooth"\n', encoding="utf-8")
    sub = tmp_path / "s.md"
    sub.write_text("Question 1\n\n$$ h = f(W b) $$\n\n$$ h = f(W b) $$\n\n$$ \\sqrt{\\gamma^2} = \\gamma $$\n"
                   "\n$$ |z| = z $$\n", encoding="utf-8")
    (q,) = audit(sub, context=ctx)["questions"]
    assert [x["verdict"] for x in q["lines"]] == ["UNDECIDED", "PROVED", "PROVED", "REFUTED"]
    assert q["lines"][0]["reason"].startswith("read as the definition of h")


def test_bad_input_each_ends_in_a_clear_message_and_the_rest_is_audited(tmp_path):
    p = tmp_path / "bad.tex"
    p.write_bytes(b"\\def\\loop{\\loop\\loop}\n$$ \\loop = 1 $$\n\\end{proof}\n$$ x = {1 $$\n"
                  b"caf\xe9\n$$ 2 + 2 = 4 $$\n")
    report = audit(p)
    jsonschema.validate(report, SCHEMA)
    assert [x.replace(str(tmp_path) + "/", "") for x in report["summary"]["problems"]] == [
        "bad.tex:5:4: not UTF-8 (byte 0xe9): undecodable bytes are replaced by U+FFFD and the rest is read",
        "bad.tex:3:1: \\end{proof} without \\begin{proof}"]
    lines = report["questions"][0]["lines"]
    assert [(x["line"], x["verdict"]) for x in lines] == [(2, "UNREAD"), (4, "UNREAD"), (6, "PROVED")]
    assert lines[0]["reason"] == ("line 2, column 4: macro \\loop expands without end "
                                  "(more than 32 levels or 20000 characters)")
    assert "unbalanced braces" in lines[1]["reason"]
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    assert audit(empty)["summary"]["problems"] == [f"{empty}:1:1: the file is empty: no math to read"]


def test_cli_audit_json_and_table(tmp_path, capsys):
    p = tmp_path / "s.md"
    p.write_text("## 1.1\n\n$$ \\mathbf{A}\\mathbf{B} = \\mathbf{B}\\mathbf{A} $$\n", encoding="utf-8")
    assert main(["audit", str(p), "--json", "--seed", "3"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, SCHEMA)
    assert doc["questions"][0]["question"] == "1.1" and doc["questions"][0]["lines"][0]["verdict"] == "REFUTED"
    assert main(["audit", str(p)]) == 0
    out = capsys.readouterr().out
    assert "REFUTED" in out and "question 1.1, first wrong line 3" in out
    assert main(["audit", str(p), "--context", str(tmp_path / "none.toml")]) == 2


def test_hypotheses_increments_and_expectations_are_not_misread_as_claims_or_products(tmp_path):
    p = tmp_path / "h.md"
    p.write_text("Let $\\gamma > 0$ and $0 \\le \\delta < 1$.\n\n"
                 "$$ \\sqrt{\\gamma^2} = \\gamma $$\n\n"
                 "$$ \\Delta\\boldsymbol{\\theta} = \\Delta\\boldsymbol{\\theta} + 0 $$\n\n"
                 "$$ \\mathbb{E}[\\mathbf{v}] = \\beta \\mathbb{E}[\\mathbf{v}] $$\n\n"
                 "On pose $\\mathbf{g} = \\mathbf{W}\\mathbf{x}$, so $\\mathbf{g} = \\mathbf{W}\\mathbf{x}$.\n",
                 encoding="utf-8")
    (q,) = audit(p)["questions"]
    got = [(x["line"], x["verdict"], (x["reason"] or "")[:40]) for x in q["lines"]]
    assert got[0][1:] == ("UNDECIDED", "read as a hypothesis: assumed in the lin")
    assert got[1][1:] == ("UNDECIDED", "read as a hypothesis: assumed in the lin")
    assert got[2][1] in ("PROVED", "CONFIRMED")  # sqrt(gamma^2) = gamma: refuted (gamma = -1) without gamma > 0
    assert got[3][1] == "PROVED"  # Delta theta is one symbol, not Delta times theta
    assert got[4][1] == "UNREAD" and got[4][2].startswith("line 7, column 4: ") and "expectation" in got[4][2]
    assert [x[1] for x in got[5:]] == ["UNDECIDED", "PROVED"]  # "on pose": a definition, then a claim


def test_the_upper_bound_T_of_a_sum_or_product_is_the_letter_never_a_transpose(tmp_path):
    f = tmp_path / "t.md"
    f.write_text("# Q\n$$\\prod_{t=1}^{T} a_t = \\prod_{t=1}^{T} a_t$$\n"
                 "$$\\sum_{t=1}^T c = T c$$\n$$\\sum_{t=1}^{T} c = (T + 1) c$$\n"
                 "$$\\sum_{t=1}^{T} t = \\frac{T(T+1)}{2}$$\n", encoding="utf-8")
    verdicts = [x["verdict"] for x in [x for q in audit(f, seed=0)["questions"] for x in q["lines"]]]
    assert verdicts == ["PROVED", "PROVED", "REFUTED", "PROVED"]  # T counts: an integer, never T = -1


def test_an_internal_fault_on_one_line_costs_that_line_and_the_rest_of_the_file_is_audited(tmp_path, monkeypatch):
    import symbolic.app.audit_question as aq

    real = aq.read_chain

    def faulty(text, scope):
        if "b^2" in text:
            raise NameError("name 'Token' is not defined")
        return real(text, scope)

    monkeypatch.setattr(aq, "read_chain", faulty)
    f = tmp_path / "f.md"
    f.write_text("# Q\n$$(a+b)^2 = a^2 + 2ab + b^2$$\n$$a + a = 2a$$\n$$a + a = 3a$$\n", encoding="utf-8")
    lines = [x for q in audit(f, seed=0)["questions"] for x in q["lines"]]
    assert [x["verdict"] for x in lines] == ["UNREAD", "PROVED", "REFUTED"]
    assert "internal fault of the reader (NameError" in lines[0]["reason"] and "line 2" in lines[0]["reason"]


def test_a_definition_never_changes_what_the_lines_before_it_claim(tmp_path):
    # "a + b = b" is written while a is free: the later "on pose a = 0" must not prove it
    f = tmp_path / "d.md"
    f.write_text("# Q\n\n$$ a + b = b $$\n\nOn pose $a = 0$.\n\n$$ a + c = c $$\n", encoding="utf-8")
    lines = [x for q in audit(f, seed=0)["questions"] for x in q["lines"]]
    assert [x["verdict"] for x in lines] == ["REFUTED", "UNDECIDED", "PROVED"]
    assert "free a" in lines[1]["reason"]
