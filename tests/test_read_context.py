"""Context files (issue 15): what a TOML context declares changes how a small LaTeX file is read and checked."""

from __future__ import annotations

import pytest

from symbolic.app.audit import audit
from symbolic.exceptions import InvalidInputError
from symbolic.read.context import load_context

SUBMISSION = r"""\documentclass{article}
\newcommand{\vx}{x}
\begin{document}
\section{Question 1}
\begin{align*}
\nabla_{\vx} (\vx^\top A \vx) &= (A + A^\top)\vx \tag{1}\\
(A \vx)^\top &= \vx^\top A^\top \tag{2}\\
\|A \vx\|^2 &= \vx^\top A^\top A \vx \tag{3}\\
\|A \vx\| &= \|A\| \|\vx\| \tag{4}
\end{align*}
Let $c = \lambda + 1$, then $c - 1 > 0$ and $q(\vx) = \vx^\top A \vx$.
\section{Question 2}
$$ A B = B A \tag{5}$$
\end{document}
"""

CONTEXT = """dims = ["n"]
[symbols.A]
kind = "matrix"
[symbols.x]
kind = "vector"
[symbols.lambda]
assumptions = ["positive"]
[definitions.q]
args = ["y"]
value = "Dot(y.T*A*y)"
[questions."2".symbols.A]
kind = "scalar"
[questions."2".symbols.B]
kind = "scalar"
"""


def verdicts(report):
    return [(x["label"], x["verdict"]) for q in report["questions"] for x in q["lines"]]


def test_a_small_latex_file_with_its_context_gives_each_line_its_verdict(tmp_path):
    sub, ctx = tmp_path / "hw.tex", tmp_path / "hw.toml"
    sub.write_text(SUBMISSION, encoding="utf-8")
    ctx.write_text(CONTEXT, encoding="utf-8")
    report = audit(sub, context=ctx)
    assert verdicts(report) == [("1", "PROVED"), ("2", "PROVED"), ("3", "PROVED"), ("4", "REFUTED"),
                                (None, "UNDECIDED"), (None, "PROVED"), (None, "PROVED"), ("5", "PROVED")]
    lines = report["questions"][0]["lines"]
    assert lines[3]["counterexample"] is not None and set(lines[3]["counterexample"]["values"]) >= {"A", "x"}
    assert lines[4]["reason"].startswith("read as the definition of c")
    # without the context x is a scalar and A open (scalar or matrix?): the same file reads differently
    plain = verdicts(audit(sub))
    assert plain != verdicts(report)


@pytest.mark.parametrize("text,message", [
    ('[symbols.W]\nkind = "tensor"\n', "kind 'tensor' of symbols.W"),
    ('[questions."2".symbols.W]\nshape = "n"\n', "questions.2.symbols.W.shape must be a list"),
    ('[definitions.q]\nargs = ["y"]\n', "definitions.q needs its value"),
    ('[questions."1"]\ncolour = 1\n', "unknown key 'colour' in questions.1"),
    ('[sequences.h]\nsize = "n"\n', "sequences.h needs its index"),
])
def test_bad_context_files_name_the_file_the_key_and_the_symbol(tmp_path, text, message):
    ctx = tmp_path / "bad.toml"
    ctx.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as err:
        load_context(ctx)
    assert message in str(err.value) and "bad.toml" in str(err.value)


LABELLED = r"""\section{Q}
$$ z^{s} = \mathrm{squash}(z^{a}) \unknowncommand $$
$$ z_k^s = 2 z_k^a $$
"""

LABELLED_CONTEXT = """dims = ["m"]
[symbols."z^a"]
kind = "vector"
size = "m"
[symbols."z^s"]
kind = "vector"
size = "m"
"""


def test_an_unread_definition_of_a_labelled_name_z_s_is_a_premise_no_refutation_on_z_s(tmp_path):
    # z^s = ... is not read, so z^s is free; a claim on z_k^s cannot be refuted from that freedom
    sub, ctx = tmp_path / "hw.md", tmp_path / "hw.toml"
    sub.write_text(LABELLED, encoding="utf-8")
    ctx.write_text(LABELLED_CONTEXT, encoding="utf-8")
    lines = [x for q in audit(sub, context=ctx)["questions"] for x in q["lines"]]
    assert [x["verdict"] for x in lines] == ["UNREAD", "UNDECIDED"]
    assert "not refuted" in lines[1]["reason"]


TWO_RULES = r"""\section{Q}
Rule one:
$$ r = 2 a \quad s = r + 1 $$
Rule two:
$$ r = 3 a \quad s = r - 1 $$
$$ s = 2 a + 1 \tag{1} $$
$$ s = 3 a - 1 \tag{2} $$
$$ s = 5 a \tag{3} $$
Then
$$ u_t = 2 u_{t-1} $$
$$ u_t = 4 u_{t-2} \tag{4} $$
"""


def test_a_name_defined_twice_is_read_with_each_definition_and_a_recurrence_is_not_refuted(tmp_path):
    sub = tmp_path / "hw.md"
    sub.write_text(TWO_RULES, encoding="utf-8")
    lines = {x["label"]: x for q in audit(sub)["questions"] for x in q["lines"]}
    assert lines["1"]["verdict"] == "PROVED" and "definition 1" in lines["1"]["reason"]
    assert lines["2"]["verdict"] == "PROVED" and "definition 2" in lines["2"]["reason"]
    assert lines["3"]["verdict"] == "REFUTED"  # wrong with both definitions
    # u_t = 2 u_{t-1} holds at every t; substituted at u_t only it cannot refute u_t = 4 u_{t-2}
    assert lines["4"]["verdict"] == "UNDECIDED" and "recurrence" in lines["4"]["reason"]


SOFT = r"""\section{Q}
$$ z^{s} = \mathrm{squash}(z^{a}) \unknowncommand $$
$$ z_k^s = \frac{e^{z_k^a}}{\sum_{i=1}^m e^{z_i^a}} $$
$$ z_k^s = \frac{e^{z_k^a}}{\sum_{i=1}^m e^{z_i^a}} + 1 $$
"""


def test_a_context_defined_labelled_vector_is_checked_past_an_unread_restatement_of_it(tmp_path):
    # W^{(1)}-style braces in the context keys are the reader's W^(1); z^s defined by the context: the unread
    # line z^{s} = ... is a premise on z^s only (the name it states), never on z^a
    sub, ctx = tmp_path / "hw.md", tmp_path / "hw.toml"
    sub.write_text(SOFT, encoding="utf-8")
    ctx.write_text(LABELLED_CONTEXT.replace('[symbols."z^s"]', '[symbols."z^{s}"]')
                   + '[definitions."z^s"]\nvalue = "Softmax(z^a)"\n[definitions.e]\nvalue = "exp(1)"\n', encoding="utf-8")
    lines = [x for q in audit(sub, context=ctx)["questions"] for x in q["lines"]]
    assert [x["verdict"] for x in lines] in (["UNREAD", "CONFIRMED", "REFUTED"], ["UNREAD", "PROVED", "REFUTED"])


def test_two_declared_parameters_set_equal_are_a_condition_never_refuted(tmp_path):
    sub, ctx = tmp_path / "hw.md", tmp_path / "hw.toml"
    sub.write_text("# Q\nThe rules agree when $p = q$, and $p = p$.\n", encoding="utf-8")
    ctx.write_text("[symbols.p]\nassumptions = ['positive']\n[symbols.q]\nassumptions = ['positive']\n", encoding="utf-8")
    lines = [x for q in audit(sub, context=ctx)["questions"] for x in q["lines"]]
    assert [x["verdict"] for x in lines] == ["UNDECIDED", "PROVED"]
    assert "condition" in lines[0]["reason"]


def test_a_hypothesis_the_context_already_declares_is_proved_from_the_declarations(tmp_path):
    sub, ctx = tmp_path / "hw.md", tmp_path / "hw.toml"
    sub.write_text("# Q\nfor some $p > 0$ we have $p + 1 > 1$.\n", encoding="utf-8")
    ctx.write_text("[symbols.p]\nassumptions = ['positive']\n", encoding="utf-8")
    lines = [x for q in audit(sub, context=ctx)["questions"] for x in q["lines"]]
    assert [x["verdict"] for x in lines] == ["PROVED", "PROVED"]


def test_the_premises_of_an_implication_stated_in_words_are_not_refuted(tmp_path):
    sub, ctx = tmp_path / "hw.md", tmp_path / "hw.toml"
    sub.write_text("# Q\nTerm by term, $p a = q a$ and $r a = s a$ implies $p = q$ and $r = 2 s$.\n", encoding="utf-8")
    ctx.write_text("".join(f"[symbols.{n}]\nassumptions = ['positive']\n" for n in "pqrs"), encoding="utf-8")
    lines = [x for q in audit(sub, context=ctx)["questions"] for x in q["lines"]]
    assert [x["verdict"] for x in lines] == ["UNDECIDED"] * 4
    assert "implication" in lines[0]["reason"] and "implication" in lines[1]["reason"]
    assert "condition" in lines[3]["reason"]


def test_an_ellipsis_row_is_read_and_checks_nothing(tmp_path):
    sub = tmp_path / "hw.md"
    sub.write_text("# Q\n$$a = a \\tag{1}$$\n$$\\vdots \\tag{2}$$\n", encoding="utf-8")
    lines = [x for q in audit(sub)["questions"] for x in q["lines"]]
    assert [x["verdict"] for x in lines] == ["PROVED", "UNDECIDED"] and "ellipsis" in lines[1]["reason"]
