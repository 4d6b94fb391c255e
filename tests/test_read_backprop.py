r"""Backprop lines read against a context's computation graph (issue 15): a network written for these tests,
never a seed's text.

Four mechanisms, each with a correct line checked and a wrong one refuted: the derivative of a declared
function applied to an entry of a node (``\partial act(q_j^a) / \partial q_j^a``), a plain subscript on a
declared vector (``x_j``: its entry, so ``\partial L / \partial x_j`` is read), the transpose of a parenthesised
factor after a matrix (``g (x)^T``: ``g x^T``, never ``(g x)^T``), and a penalty the context declares as a node
(``\mathcal{R} = tr(A^T A) + tr(B^T B)``), differentiated term by term and cross-checked numerically.
"""

from __future__ import annotations

import pytest

from symbolic.app.audit import audit
from symbolic.read.context import context_from_dict
from symbolic.read.latex import read_chain

CONTEXT = r"""
dims = ["n", "m", "c"]

[symbols.x]
kind = "vector"
size = "n"

[symbols.y]
kind = "index"
lower = 1

[symbols.A]
kind = "matrix"
shape = ["m", "n"]

[symbols.B]
kind = "matrix"
shape = ["c", "m"]

[symbols.lambda]
assumptions = ["positive"]

[symbols."q^a"]
kind = "vector"
size = "m"

[symbols."q^s"]
kind = "vector"
size = "m"

[symbols.r]
kind = "vector"
size = "c"

[functions.act]
kind = "relu"

[graph."q^a"]
value = "A*x"

[graph."q^s"]
value = "act(q^a)"

[graph.r]
value = "B*q^s"

[graph.L]
value = "-log(Entry(Softmax(r), y - 1))"

[graph."\\mathcal{R}"]
value = "Trace(A.T*A) + Trace(B.T*B)"
"""

SUBMISSION = r"""
## Question 1

$$\frac{\partial L}{\partial q_j^a} = \frac{\partial L}{\partial q_j^s} \frac{\partial act(q_j^a)}{\partial q_j^a}$$

$$\frac{\partial L}{\partial q_j^a} = \frac{\partial L}{\partial q_j^s} act(q_j^a)$$

## Question 2

$$\frac{\partial L}{\partial x_j} = \sum_{k=1}^{m} \frac{\partial L}{\partial q_k^a} A_{kj}$$

$$\frac{\partial L}{\partial x_j} = \sum_{k=1}^{m} \frac{\partial L}{\partial q_k^a} A_{kj} x_j$$

## Question 3

$$\frac{\partial L}{\partial A} = \frac{\partial L}{\partial q^a} (x)^T$$

$$\frac{\partial L}{\partial A} = 2 \frac{\partial L}{\partial q^a} (x)^T$$

## Question 4

$$\frac{\partial (L + \lambda \mathcal{R})}{\partial B_{kj}} = \frac{\partial L}{\partial B_{kj}} + 2 \lambda B_{kj}$$

$$\frac{\partial \lambda \mathcal{R}}{\partial B_{kj}} = \lambda B_{kj}$$

$$\frac{\partial \mathcal{R}}{\partial A} = 2 A$$

## Question 5

$$L(x, y) = -\log \frac{e^{r_y}}{\sum_{i=1}^{c} e^{r_i}}$$

$$L(x, y) = \log \frac{e^{r_y}}{\sum_{i=1}^{c} e^{r_i}}$$
"""

CHECKED = ("PROVED", "CONFIRMED")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backprop")
    (folder / "net.toml").write_text(CONTEXT, encoding="utf-8")
    (folder / "net.md").write_text(SUBMISSION, encoding="utf-8")
    doc = audit(folder / "net.md", context=folder / "net.toml", seed=0)
    return {q["question"]: [(x["verdict"], x["reason"]) for x in q["lines"]] for q in doc["questions"]}


def _verdicts(lines):
    return [v for v, _ in lines]


def test_the_derivative_of_a_declared_function_at_an_entry_of_a_node_is_its_derivative_there(report):
    (right, why), (wrong, _) = report["1"]
    assert right in CHECKED, why
    assert wrong == "REFUTED"  # act(q_j) is not act'(q_j)


def test_a_plain_subscript_on_a_declared_vector_is_its_entry(report):
    (right, why), (wrong, _) = report["2"]
    assert right in CHECKED, why
    assert wrong == "REFUTED"  # a stray factor x_j


def test_a_transpose_on_a_parenthesised_factor_stays_on_that_factor(report):
    (right, why), (wrong, _) = report["3"]
    assert right in CHECKED, why
    assert wrong == "REFUTED"


def test_a_penalty_the_context_declares_as_a_node_is_differentiated_term_by_term(report):
    (whole, why), (wrong, _), (matrix, why2) = report["4"]
    assert whole in CHECKED, why
    assert wrong == "REFUTED"  # the 2 of the square is missing
    assert matrix in CHECKED, why2


def test_a_node_written_at_all_it_is_computed_from_is_that_node_and_its_line_a_claim(report):
    (right, why), (wrong, _) = report["5"]
    assert right in CHECKED, why  # L(x, y): the loss of the graph, checked; never a new function L defined
    assert wrong == "REFUTED"


def test_a_subscripted_name_the_context_declares_is_that_name_not_an_entry():
    table = context_from_dict({"dims": ["n"], "symbols": {"x": {"kind": "vector", "size": "n"},
                                                          "x_0": {"kind": "vector", "size": "n"}}})
    assert str(read_chain(r"x_0 - x", table.scope()).exprs[0]) == "-x + x_0"  # the declared x_0, a vector
    assert str(read_chain(r"x_1 - x_0", table.scope()).exprs[0]) == "-x_0 + x_1"  # x_1: the point after x_0
    table = context_from_dict({"dims": ["n"], "symbols": {"x": {"kind": "vector", "size": "n"}}})
    assert str(read_chain(r"x_2 + x_j", table.scope()).exprs[0]) == "Entry(x, 1) + Entry(x, j - 1)"


def test_a_definition_of_the_context_written_without_a_backslash_is_that_definition():
    table = context_from_dict({"dims": ["m"], "symbols": {"z": {"kind": "vector", "size": "m"}, "x": {}},
                               "definitions": {"softmax": {"args": ["u"], "value": "Softmax(u)"}}})
    assert str(read_chain(r"softmax(z)", table.scope()).exprs[0]) == "Softmax(z)"  # never s*o*f*t*m*a*x*z
