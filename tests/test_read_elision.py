r"""Elided terms (\dots, \cdots, \vdots, ...): sums, products and vectors written out, read by anti-unification of
the written terms (symbolic/read/elision.py), on small lines written for these tests."""

from __future__ import annotations

import pytest

from symbolic.algebra import sp
from symbolic.algebra.evaluate import Instance, evaluate
from symbolic.app.audit import audit
from symbolic.exceptions import ReadError
from symbolic.read.context import SymbolTable, context_from_dict
from symbolic.read.latex import read_chain

CONTEXT = """dims = ["n"]
[symbols.z]
kind = "vector"
[symbols.h]
kind = "vector"
[symbols.W]
kind = "matrix"
[symbols.b]
kind = "vector"
[symbols.k]
kind = "index"
lower = 1
[definitions.e]
value = "exp(1)"
"""

SUBMISSION = r"""$$ a_1 + a_2 + \dots + a_n = \sum_{i=1}^{n} a_i $$

$$ \sum_{i=1}^{n} a_i = a_1 + a_2 + \dots + a_{n-1} $$

$$ W_{k1} h_1 + W_{k2} h_2 + \cdots + W_{kn} h_n + b_k = \sum_{j=1}^{n} W_{kj} h_j + b_k $$

$$ \mathrm{softmax}(\mathbf{z}) = \frac{1}{\sum_{j=1}^{n} e^{z_j}} (e^{z_1}, e^{z_2}, \dots, e^{z_n}) $$

$$ \mathrm{softmax}(\mathbf{z}) = \frac{1}{\sum_{j=1}^{n} e^{z_j}} \begin{bmatrix} e^{z_1} \\ e^{z_2} \\ \vdots \\ e^{z_n} \end{bmatrix} $$

$$ \mathrm{softmax}(\mathbf{z}) = \frac{1}{\sum_{j=1}^{n} e^{z_j}} (z_1, z_2, \dots, z_n) $$

$$ c_1 c_2 \cdots c_n = \prod_{i=1}^{n} c_i $$

$$ c_N c_{N-1} \cdots c_1 = \prod_{t=1}^{N} c_t $$

$$ c_1 c_2 \cdots c_n = \prod_{i=2}^{n} c_i $$

$$ x_1 y_1 + x_2 y_2 + \dots + x_n y_m = 0 $$
"""


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    d = tmp_path_factory.mktemp("elision")
    (d / "ctx.toml").write_text(CONTEXT, encoding="utf-8")
    (d / "sub.md").write_text(SUBMISSION, encoding="utf-8")
    report = audit(d / "sub.md", context=d / "ctx.toml", seed=0)
    return {x["line"]: x for q in report["questions"] for x in q["lines"]}


CHECKED = ("PROVED", "CONFIRMED")


def test_written_out_sum_equals_its_sum_form_and_a_wrong_last_term_is_refuted(verdicts):
    assert verdicts[1]["verdict"] in CHECKED, verdicts[1]["reason"]
    assert verdicts[3]["verdict"] == "REFUTED" and verdicts[3]["counterexample"] is not None
    assert verdicts[5]["verdict"] in CHECKED, verdicts[5]["reason"]  # two indices (W_{kj}, h_j) move together


def test_written_out_vector_equals_the_softmax_and_a_wrong_one_is_refuted(verdicts):
    assert verdicts[7]["verdict"] in CHECKED, verdicts[7]["reason"]
    assert verdicts[9]["verdict"] in CHECKED, verdicts[9]["reason"]  # the same vector as a column with \vdots
    assert verdicts[11]["verdict"] == "REFUTED" and verdicts[11]["counterexample"] is not None


def test_written_out_products_ascending_descending_and_wrong(verdicts):
    assert verdicts[13]["verdict"] in CHECKED, verdicts[13]["reason"]
    assert verdicts[15]["verdict"] in CHECKED, verdicts[15]["reason"]  # factors indexed downwards
    assert verdicts[17]["verdict"] == "REFUTED"


def test_inconsistent_indices_stay_unread_with_the_reason(verdicts):
    line = verdicts[19]
    assert line["verdict"] == "UNREAD" and "vary inconsistently" in line["reason"]
    assert "n - 1 steps" in line["reason"] and "m - 1 steps" in line["reason"]


CHAIN_CONTEXT = """dims = ["n"]
[symbols.W]
kind = "matrix"
[symbols.T]
kind = "index"
lower = 1
[functions.sigma]
kind = "activation"
[sequences.g]
index = "t"
size = "n"
recurrence = "sigma(W*prev)"
"""

CHAIN = r"""$$ \frac{\partial \mathbf{g}_T}{\partial \mathbf{g}_0} = \frac{\partial \mathbf{g}_T}{\partial \mathbf{g}_{T-1}}
\frac{\partial \mathbf{g}_{T-1}}{\partial \mathbf{g}_{T-2}} \cdots \frac{\partial \mathbf{g}_1}{\partial \mathbf{g}_0} $$

$$ \frac{\partial \mathbf{g}_T}{\partial \mathbf{g}_0} = \frac{\partial \mathbf{g}_1}{\partial \mathbf{g}_0}
\frac{\partial \mathbf{g}_2}{\partial \mathbf{g}_1} \cdots \frac{\partial \mathbf{g}_T}{\partial \mathbf{g}_{T-1}} $$
"""


def test_a_product_of_jacobians_keeps_its_written_order(tmp_path):
    (tmp_path / "ctx.toml").write_text(CHAIN_CONTEXT, encoding="utf-8")
    (tmp_path / "chain.md").write_text(CHAIN, encoding="utf-8")
    report = audit(tmp_path / "chain.md", context=tmp_path / "ctx.toml", seed=0)
    down, up = [x for q in report["questions"] for x in q["lines"]]
    assert down["verdict"] in CHECKED, down["reason"]  # the chain rule: the factor of step T leftmost
    assert up["verdict"] == "REFUTED" and "written order" in up["reason"]  # the same factors, the other order


def _read(text, table=None):
    return read_chain(text, (table or SymbolTable()).scope()).exprs


def test_the_general_term_and_its_range():
    (s,) = _read(r"a_1 + a_3 + \dots + a_{2n-1}")
    assert str(s) == "Sum(a_seq(2*i - 1), (i, 1, n))"  # n terms a_{2i-1}
    (s,) = _read(r"a_N + a_{N-1} + \cdots + a_1")
    assert str(s) == "Sum(a_seq(i), (i, 1, N))"
    (s,) = _read(r"b + 1^2 + 2^2 + \dots + n^2")
    n, b = (next(x for x in s.free_symbols if str(x) == name) for name in ("n", "b"))
    assert sp.simplify(s.subs(n, 4).doit() - b) == 30
    (s,) = _read(r"a_1 + a_2 + \dots + a_4")  # a numeric count: the terms written out, each read as written
    assert str(s) == "a_1 + a_2 + a_3 + a_4"


def test_a_written_out_vector_evaluates_entry_by_entry():
    table = context_from_dict({"dims": ["n"], "symbols": {"z": {"kind": "vector"}}})
    (v,) = _read(r"\begin{bmatrix} z_1^2 \\ z_2^2 \\ \vdots \\ z_n^2 \end{bmatrix}", table)
    z = next(a for a in v.atoms(sp.MatrixSymbol) if a.name == "z")
    n = next(s for s in v.free_symbols if str(s) == "n")
    import numpy as np

    out = evaluate(v, Instance(values={n: 3, z: np.array([[1.0], [2.0], [3.0]])}))
    assert out.ravel().tolist() == [1.0, 4.0, 9.0]


@pytest.mark.parametrize("text, why", [
    (r"\sigma_T + \dots + \sigma_1", "one term before the dots, whose index T is not a number"),
    (r"a_5 + \dots + a_1", "the step is unknown"),
    (r"a_1 + a_3 + \dots + a_n", "the step 2 from 1 does not divide"),
    (r"x + y + \dots + z", "not one pattern in an integer index"),
    (r"a_1 - a_2 + \dots + a_n", "change sign"),
    (r"a_1 + a_2 + \dots", "nothing after the dots"),
    (r"a_1 + a_2 + \dots + a_2", "repeats the one before"),
    (r"a_1 + a_1 + \dots + a_n", "do not move"),
    (r"a_1 + a_2 + a_4 + \dots + a_n", "do not move by one step"),
    (r"b_1 + a_1 + a_2 + \dots + a_n", "ambiguous"),
    (r"h_{s_1} + h_{s_2} + \dots + h_{s_n}", "subscript of a subscript"),
    (r"e^{a_1, \dots, a_n}", "inside a subscript or a superscript"),
    (r"f(x_1, \dots, x_n)", "a function of elided arguments"),
    (r"\frac{\partial}{\partial x} a_1 a_2 \cdots a_n", "a derivative operator among the factors"),
    (r"\begin{pmatrix} a_{11} & \cdots & a_{1n} \\ \vdots & \ddots & \vdots \end{pmatrix}", "two directions"),
])
def test_what_does_not_fit_one_pattern_stays_unread_with_its_reason(text, why):
    with pytest.raises(ReadError, match=why.replace("(", r"\(")):
        _read(text)
