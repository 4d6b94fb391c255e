r"""Definitions by cases, arrays of rows, rows that state a condition for the rows that follow, \max of two
arguments, pseudo-code and parameter sets (issue 15), on small files written for these tests."""

from __future__ import annotations

from audit_files import audit_lines
from symbolic.app.audit import audit

CASES = r"""\section{Question 1}
$$\frac{\partial \max(0, z)}{\partial z} = \begin{cases} 0 & \text{if } z \le 0 \\ 1 & \text{otherwise} \end{cases}$$
$$\frac{\partial \max(0, z)}{\partial z} = \begin{cases} 0 \text{ si } z \leq 0 \\ z \text{ sinon} \end{cases}$$
$$\max(a, b) = \begin{cases} a, & a \ge b \\ b, & \text{otherwise} \end{cases}$$
$$\min(a, b) = \begin{cases} a, & a \ge b \\ b, & \text{otherwise} \end{cases}$$
$$h \cdot I_{\{h > 0\}} = \max(h, 0)$$
"""

ARRAY = r"""\section{Question 1}
$$\begin{array}{l} a + b = b + a \\ a - b = b - a \end{array}$$
\begin{equation}
\begin{gathered} (a + b)^2 = a^2 + 2 a b + b^2 \\ (a - b)^2 = a^2 + b^2 \end{gathered}
\end{equation}
"""

CONDITIONS = r"""\section{Question 1}
\begin{align*}
&\text{Pour } z > 0 : \\
&\frac{\partial \max(0, z)}{\partial z} = 1 \\
&|z| = z \\
&\text{for } z \le 0: \\
&\frac{\partial \max(0, z)}{\partial z} = 0 \\
&|z| = z
\end{align*}
$$ |u| = -u \text{ si } u < 0 $$
$$ |u| = u \text{ if } u < 0 $$
$$ |x| = x, \text{ if } x > 0 $$
$$ |y| = y, \quad \text{if } y < 0 $$
"""

ROLES = r"""\section{Question 1}
$\theta = \{W, b\}$ are the parameters.
${\tt theta = init \ params}$
$$\text{grad\_b} = \text{grad\_h}$$
"""


def _verdicts(tmp_path, text, name="sub.tex"):
    return [(x["line"], x["verdict"], x) for x in audit_lines(tmp_path, text, name=name)]


def test_a_derivative_by_cases_is_checked_and_a_wrong_branch_refuted(tmp_path):
    got = _verdicts(tmp_path, CASES)
    assert [(n, v) for n, v, _ in got] == [(2, "CONFIRMED"), (3, "REFUTED"), (4, "CONFIRMED"), (5, "REFUTED"),
                                           (6, "CONFIRMED")]
    wrong = got[1][2]["counterexample"]["values"]
    assert float(wrong["z"]) > 0  # the branch "z sinon" is wrong where z > 0 (it should be 1)
    a, b = (float(got[3][2]["counterexample"]["values"][k]) for k in ("a", "b"))
    assert a != b  # min(a, b) is not a where a > b


def test_an_array_or_gathered_display_is_one_line_per_row(tmp_path):
    got = _verdicts(tmp_path, ARRAY)
    assert [(n, v) for n, v, _ in got] == [(2, "PROVED"), (2, "REFUTED"), (4, "PROVED"), (4, "REFUTED")]


def test_a_condition_row_is_a_local_hypothesis_for_the_rows_that_follow(tmp_path):
    got = _verdicts(tmp_path, CONDITIONS)
    verdicts = [(n, v) for n, v, _ in got]
    assert verdicts == [(3, "UNDECIDED"), (4, "CONFIRMED"), (5, "CONFIRMED"), (6, "UNDECIDED"), (7, "CONFIRMED"),
                        (8, "REFUTED"), (10, "CONFIRMED"), (11, "REFUTED"), (12, "CONFIRMED"), (13, "REFUTED")]
    assert "condition" in got[0][2]["reason"] and "not a claim" in got[0][2]["reason"]
    assert "line 3" in got[2][2]["reason"]  # |z| = z, true only where z > 0: checked there, never refuted
    assert float(got[5][2]["counterexample"]["values"]["z"]) < 0  # under z <= 0 (line 6), |z| = z is wrong
    assert float(got[7][2]["counterexample"]["values"]["u"]) < 0  # its own trailing condition u < 0
    assert float(got[9][2]["counterexample"]["values"]["y"]) < 0  # "a, if c": one statement under c, not two


def test_pseudo_code_and_a_set_of_parameters_are_not_claims_nor_unread(tmp_path):
    got = _verdicts(tmp_path, ROLES, "roles.md")
    assert [(n, v) for n, v, _ in got] == [(2, "UNDECIDED"), (3, "UNDECIDED"), (4, "UNDECIDED")]
    assert "declaration" in got[0][2]["reason"] and "set of parameters" in got[0][2]["reason"]
    assert "code" in got[1][2]["reason"] and "code" in got[2][2]["reason"]


DECLARED = r"""\section{Question 1}
\begin{align*}
&\frac{\partial rect(z)}{\partial z} = \begin{cases} 0 \text{ si } z \leq 0 \\ 1 \text{ sinon} \end{cases} \\
&\text{Pour } z > 0 : \\
&rect(z) = z \\
&rect(z) = 0
\end{align*}
"""


def test_a_declared_function_written_bare_is_that_function_never_a_product_of_letters(tmp_path):
    ctx = tmp_path / "ctx.toml"
    ctx.write_text('[functions.rect]\nkind = "relu"\n\n[definitions.e]\nvalue = "exp(1)"\n', encoding="utf-8")
    p = tmp_path / "rect.tex"
    p.write_text(DECLARED, encoding="utf-8")
    got = [(x["line"], x["verdict"], x) for q in audit(p, context=ctx)["questions"] for x in q["lines"]]
    assert [(n, v) for n, v, _ in got] == [(3, "CONFIRMED"), (4, "UNDECIDED"), (5, "CONFIRMED"), (6, "REFUTED")]
    values = got[3][2]["counterexample"]["values"]
    assert float(values["z"]) > 0 and not {"r", "c", "t"} & set(values)  # rect(z) under z > 0, not r*e*c*t*z
