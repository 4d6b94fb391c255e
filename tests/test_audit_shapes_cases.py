r"""Dimension statements ("A est p x q", "is of size", "\in R^{..}") and equations between sides of different
sizes are checked by shape inference (issue 15), on small files written for these tests (the context is the
inline-case tests' own)."""

from __future__ import annotations

from audit_files import audit_lines
from test_audit_cases_inline import CONTEXT as CASES_CONTEXT

CONTEXT = CASES_CONTEXT + '[graph.s]\nvalue = "Softmax(g)"\n'

SHAPES = r"""# Question 1

$$\begin{array}{l} \frac{\partial J}{\partial V} = \frac{\partial J}{\partial g} u^T \\ - \frac{\partial J}{\partial V} \text{ est } p \times q \\ - \frac{\partial J}{\partial c} \text{ est } p \\ - \frac{\partial J}{\partial V} \text{ is of size } q \times p \\ - u \text{ est } 1 \times r \text{ car } V \text{ est } p \times q \\ V^T \in \mathbb{R}^{q \times p} \\ V u \text{ has shape } (p, 1) \\ w \text{ est de dimension } q \end{array}$$

# Question 2

$$s = \sigma(g) = \frac{1}{\sum_{i=1}^{p} e^{g_i}} (e^{g_1}, e^{g_2}, \dots, e^{g_r})$$
"""


def _lines(tmp_path, text):
    return audit_lines(tmp_path, text, CONTEXT)


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
