r"""A condition in words before a display ("Pour $j \neq c$ :") is a case the rows of the display are checked
under (every instance drawn satisfies it); dimension statements ("A est p x q", "is of size", "\in R^{..}")
and equations between sides of different sizes are checked by shape inference (issue 15), on small files
written for these tests."""

from __future__ import annotations

from symbolic.app.audit import audit

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
[graph.s]
value = "Softmax(g)"
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

SHAPES = r"""# Question 1

$$\begin{array}{l} \frac{\partial J}{\partial V} = \frac{\partial J}{\partial g} u^T \\ - \frac{\partial J}{\partial V} \text{ est } p \times q \\ - \frac{\partial J}{\partial c} \text{ est } p \\ - \frac{\partial J}{\partial V} \text{ is of size } q \times p \\ - u \text{ est } 1 \times r \text{ car } V \text{ est } p \times q \\ V^T \in \mathbb{R}^{q \times p} \\ V u \text{ has shape } (p, 1) \\ w \text{ est de dimension } q \end{array}$$

# Question 2

$$s = \sigma(g) = \frac{1}{\sum_{i=1}^{p} e^{g_i}} (e^{g_1}, e^{g_2}, \dots, e^{g_r})$$
"""


def _lines(tmp_path, text):
    (tmp_path / "ctx.toml").write_text(CONTEXT, encoding="utf-8")
    p = tmp_path / "sub.md"
    p.write_text(text, encoding="utf-8")
    report = audit(p, context=tmp_path / "ctx.toml")
    return [x for q in report["questions"] for x in q["lines"]]


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


def test_dimension_statements_are_checked_by_shape_inference(tmp_path):
    got = _lines(tmp_path, SHAPES)
    by = [x["verdict"] for x in got]
    assert by == ["PROVED", "PROVED", "PROVED", "REFUTED", "REFUTED", "PROVED", "PROVED", "UNDECIDED", "UNDECIDED"]
    assert "shape inference" in got[1]["reason"]
    assert got[3]["counterexample"]["dims"] == {"p": 1, "q": 2}  # p x q is not q x p where p != q
    assert got[4]["counterexample"]["dims"]["q"] != 1 or got[4]["counterexample"]["dims"]["r"] != 1
    assert "declaration" in got[7]["reason"]  # w, never declared: a declaration of its shape, not a claim


READINGS = r"""# Question 1

$$\begin{array}{l} - V \text{ est } p \times r \\ - \frac{\partial J}{\partial V} \text{ is of size } p \times r \text{ and } u \text{ est } 1 \times r \\ - V \text{ has shape } (q, r) \end{array}$$

# Question 2

$$u = \frac{1}{\sum_{i=1}^{p} e^{g_i}} (e^{g_1}, e^{g_2}, \dots, e^{g_r})$$

# Question 3

$$g = (e^{g_1}, e^{g_2}, \dots, e^{g_q})$$
"""


def test_an_equation_between_sides_of_different_sizes_is_ambiguous_when_an_undeclared_size_may_be_declared(
        tmp_path):
    got = _lines(tmp_path, SHAPES)[-1]  # r undeclared: with r any size it is refuted, with r = p it holds
    assert got["verdict"] == "UNDECIDED" and got["counterexample"] is None
    assert "ambiguous" in got["reason"] and "REFUTED" in got["reason"] and "never equal" in got["reason"]
    assert "with r = p it is CONFIRMED" in got["reason"] or "with r = p it is PROVED" in got["reason"]


def test_an_undeclared_stated_dimension_is_read_both_ways(tmp_path):
    got = _lines(tmp_path, READINGS)
    assert [x["verdict"] for x in got] == ["UNDECIDED", "REFUTED", "REFUTED", "REFUTED", "REFUTED"]
    # V is p x q: p x r is refuted with r any size and proved with r = q: both said, no silent choice
    assert got[0]["reason"].startswith("ambiguous") and "with r = q it is PROVED" in got[0]["reason"]
    # with r = q the derivative is p x q, as stated, but u (a column of size q) is not 1 x q: refuted under
    # every reading of r, at the sizes of the most charitable one (r = q), re-verified
    assert "refuted under every reading of r" in got[1]["reason"]
    assert got[1]["counterexample"]["dims"] == {"q": 2} and got[1]["counterexample"]["rhs"] == "1 x 2"
    assert "r = q" in got[1]["reason"]
    assert "refuted under every reading of r" in got[2]["reason"]  # (r, q) is p x q under no reading of r
    # u is free: with r = q the sizes agree but the values differ; refuted under both readings
    assert "refuted under every reading of r" in got[3]["reason"] and got[3]["counterexample"]["values"]
    # q is declared: no other reading; sizes p and q differ at p = 1, q = 2
    assert got[4]["counterexample"]["dims"] == {"p": 1, "q": 2} and "never equal" in got[4]["reason"]


def test_the_sides_of_a_size_mismatch_are_never_printed():
    """str() of 1/sum_{i=1}^m e^{o_i} times a vector made sympy evaluate the sum: minutes per line."""
    from symbolic.algebra import sp
    from symbolic.app.audit_shapes import sides_apart

    class Mute(sp.MatrixSymbol):
        def __str__(self):
            raise AssertionError("a side was printed")

        __repr__ = __str__

    p, r = sp.symbols("p r", integer=True, positive=True)
    got = sides_apart([Mute("a", p, 1), Mute("b", r, 1)], ["="])
    assert got[0] == "REFUTED" and got[2]["dims"] == {"p": 1, "r": 2}
