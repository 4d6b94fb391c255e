r"""A condition in words before a display ("Pour $j \neq c$ :") is a case the rows of the display are checked
under (every instance drawn satisfies it); dimension statements ("A est p x q", "is of size", "\in R^{..}")
and equations between sides of different sizes are checked by shape inference (issue 15), on small files
written for these tests."""

from __future__ import annotations

from audit_files import audit_lines

CONTEXT = """dims = ["p", "q"]
[symbols.u]
kind = "vector"
size = "q"
[symbols.V]
kind = "matrix"
shape = ["p", "q"]
[symbols.c]
kind = "vector"
size = "p"
[symbols.g]
kind = "vector"
size = "p"
[symbols.s]
kind = "vector"
size = "p"
[symbols.j]
kind = "index"
lower = 1
[symbols.k]
kind = "index"
lower = 1
[definitions.sigma]
args = ["z"]
value = "Softmax(z)"
[definitions.e]
value = "exp(1)"
[graph.g]
value = "V*u + c"
[graph.J]
value = "Trace(g.T*g)"
"""

CASES = r"""# Question 1

Pour $j \neq k$ :

$$\begin{split} &\frac{\partial}{\partial g_j} \big( -g_k + \log \sum_{i=1}^p e^{g_i} \big) \\ &= 0 + \frac{\partial}{\partial g_j} \log \sum_{i=1}^p e^{g_i} \end{split}$$

# Question 2

When $j = k$:

$$\frac{\partial}{\partial g_j} \big( - g_k \big) = -1$$

# Question 3

For $j \neq k$,

$$\frac{\partial}{\partial g_j} \big( - g_k \big) = -1$$

# Question 4

$$\frac{\partial}{\partial g_j} \big( - g_k \big) = 0$$
"""

UNUSED = r"""# Question 1

$$\begin{array}{l} \frac{\partial J}{\partial V} = \frac{\partial J}{\partial g} u^T \\ - \frac{\partial J}{\partial V} \text{ est } p \times q \\ - \frac{\partial J}{\partial c} \text{ est } p \\ - \frac{\partial J}{\partial V} \text{ is of size } q \times p \\ - u \text{ est } 1 \times r \text{ car } V \text{ est } p \times q \\ V^T \in \mathbb{R}^{q \times p} \\ V u \text{ has shape } (p, 1) \\ w \text{ est de dimension } q \end{array}$$

# Question 2

$$s = \sigma(g) = \frac{1}{\sum_{i=1}^{p} e^{g_i}} (e^{g_1}, e^{g_2}, \dots, e^{g_r})$$
"""


def _lines(tmp_path, text):
    return audit_lines(tmp_path, text, CONTEXT)


def test_a_condition_in_words_before_a_display_is_a_case_of_its_rows(tmp_path):
    got = _lines(tmp_path, CASES)
    by = [(x["line"], x["verdict"]) for x in got]
    # the condition lines are hypotheses; the rows under them are checked under them, never set aside
    assert by == [(3, "UNDECIDED"), (5, "UNDECIDED"), (5, "PROVED"), (9, "UNDECIDED"), (11, "PROVED"),
                  (15, "UNDECIDED"), (17, "REFUTED"), (21, "REFUTED")]
    assert "condition" in got[0]["reason"] and "not a claim" in got[0]["reason"]
    assert "j \\neq k" in got[2]["reason"]  # true only where j != k: proved there, not refuted at j = k
    wrong = got[6]["counterexample"]["values"]  # false under its case: the counterexample satisfies it
    assert wrong["j"] != wrong["k"]
    free = got[7]["counterexample"]["values"]  # with no case, the same kind of claim is refuted at j = k
    assert free["j"] == free["k"]


def test_a_case_counts_only_its_own_instances():
    from symbolic import Derivation, sp
    from symbolic.app.audit_cases import check_cases

    d = Derivation("d")
    k, y = d.index("k", upper=3), d.index("y", upper=3)
    x = d.scalar("x")
    d.claim(sp.Abs(x) * (1 - sp.KroneckerDelta(k, y)) + sp.KroneckerDelta(k, y) * x, "=", sp.Abs(x), "1")
    step = check_cases(d, {"1": (sp.Ne(k, y), 2)}, seed=0).step("1")
    assert step.verdict.value in ("PROVED", "CONFIRMED")
    free = check_cases(d, {}, seed=0).step("1")
    assert free.verdict.value == "REFUTED"
    assert free.counterexample.values["k"] == free.counterexample.values["y"]
