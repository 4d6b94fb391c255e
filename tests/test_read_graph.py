"""Derivatives with respect to intermediate quantities: the computation graph of a context file.

A two-layer network written for these tests (never a seed's text): a backprop chain read line by line
against the network the context declares, a wrong line refuted, the chain rule through an arbitrary
function of a defined name, and derivatives with respect to what no context declares left unread.
"""

from __future__ import annotations

import pytest

from symbolic.app.audit import audit
from symbolic.exceptions import InvalidInputError, ReadError
from symbolic.read.context import context_from_dict, tomllib
from symbolic.read.latex import normalise, read_chain

CONTEXT = r"""
dims = ["n", "m"]

[symbols.x]
kind = "vector"
size = "n"

[symbols.A]
kind = "matrix"
shape = ["n", "n"]

[symbols."c^{(1)}"]
kind = "vector"
size = "n"

[symbols.B]
kind = "matrix"
shape = ["m", "n"]

[symbols."c^{(2)}"]
kind = "vector"
size = "m"

[symbols.y]
kind = "index"
lower = 1

[symbols."q^a"]
kind = "vector"
size = "n"

[symbols."q^s"]
kind = "vector"
size = "n"

[symbols."r^a"]
kind = "vector"
size = "m"

[functions.act]
kind = "relu"

[graph."q^a"]
value = "A*x + c^(1)"

[graph."q^s"]
value = "act(q^a)"

[graph."r^a"]
value = "B*q^s + c^(2)"

[graph.L]
value = "-log(Entry(Softmax(r^a), y - 1))"

[questions."3".symbols.u]
kind = "vector"

[questions."3".symbols.g]
assumptions = ["positive"]

[questions."3".symbols.I]
kind = "matrix"
assumptions = ["identity"]

[questions."3".graph.w]
value = "g*u/Norm(u)"

[questions."3".graph.L]
of = ["w"]
"""

SUBMISSION = r"""
## Question 1

$$\frac{\partial L}{\partial q^s} = B^T \frac{\partial L}{\partial r^a}$$

$$\frac{\partial L}{\partial q_1^a} = \frac{\partial L}{\partial q_1^s} \frac{\partial q_1^s}{\partial q_1^a}$$

$$\frac{\partial L}{\partial c_1^{(1)}} = \frac{\partial L}{\partial q_1^a}$$

$$\frac{\partial L}{\partial c^{(1)}} = \frac{\partial L}{\partial q^a}$$

$$\frac{\partial L}{\partial x} = A^T \frac{\partial L}{\partial q^a}$$

## Question 2

$$\frac{\partial L}{\partial x} = A \frac{\partial L}{\partial q^a}$$

$$\frac{\partial L}{\partial q^s} = \frac{\partial L}{\partial r^a}^T B$$

## Question 3

$$\nabla_u L = \nabla_u w \nabla_w L$$

$$\nabla_u L = \frac{g}{\|u\|} \left(I - \frac{u u^T}{\|u\|^2}\right) \nabla_w L$$

$$\nabla_u L = \frac{g}{\|u\|} \left(I - \frac{u^T u}{\|u\|^2}\right) \nabla_w L$$

$$\nabla_w L = \nabla_w L$$

## Question 4

$$\frac{\partial L}{\partial p} = 0$$

$$\frac{\partial L}{\partial z_{j}} = 0$$
"""

SECOND = r"""
## Question 3

$$\nabla_u \left(u^T \nabla_w L\right) = \nabla_w L$$
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("graph")
    (folder / "net.toml").write_text(CONTEXT, encoding="utf-8")
    (folder / "net.md").write_text(SUBMISSION, encoding="utf-8")
    doc = audit(folder / "net.md", context=folder / "net.toml", seed=0)
    return {q["question"]: q["lines"] for q in doc["questions"]}


def test_a_correct_backprop_chain_is_checked_line_by_line(report):
    lines = report["1"]
    assert [x["verdict"] for x in lines] != [] and len(lines) == 5
    for x in lines:
        assert x["verdict"] in ("PROVED", "CONFIRMED"), (x["latex"], x["verdict"], x["reason"])


def test_a_missing_transpose_is_refuted_with_a_counterexample(report):
    wrong, right = report["2"]
    assert wrong["verdict"] == "REFUTED" and wrong["counterexample"] is not None, wrong["reason"]
    assert right["verdict"] != "REFUTED"  # (dL/ds)^T B is a row: read as a line of its own, never refuted


def test_the_chain_rule_through_an_arbitrary_function_of_a_defined_name(report):
    chain, projection, wrong, same = report["3"]
    assert chain["verdict"] in ("PROVED", "CONFIRMED"), chain["reason"]  # grad_u w is taken through w = g u/||u||
    assert projection["verdict"] in ("PROVED", "CONFIRMED"), projection["reason"]
    assert wrong["verdict"] == "REFUTED" and wrong["counterexample"] is not None  # u^T u where u u^T belongs
    assert same["verdict"] == "PROVED"


def test_a_derivative_with_respect_to_an_undeclared_name_stays_unread_with_its_reason(report):
    for x in report["4"]:
        assert x["verdict"] == "UNREAD", (x["latex"], x["verdict"])
        assert "neither declared nor a node" in x["reason"] or "unknown" in x["reason"]


def test_a_second_derivative_of_an_arbitrary_function_is_never_taken_as_zero(tmp_path):
    (tmp_path / "net.toml").write_text(CONTEXT, encoding="utf-8")
    (tmp_path / "q.md").write_text(SECOND, encoding="utf-8")
    (line,) = [x for q in audit(tmp_path / "q.md", context=tmp_path / "net.toml")["questions"] for x in q["lines"]]
    assert line["verdict"] == "UNREAD" and "second derivative" in line["reason"]


def test_the_graph_section_of_a_context_file_is_checked():
    t = context_from_dict({"graph": {"w": {"value": "2*u"}, "L": {"of": ["w"]}}})
    assert t.graph["w"].value == "2*u" and t.graph["L"].of == ("w",)
    with pytest.raises(InvalidInputError, match="graph.L needs a value"):
        context_from_dict({"graph": {"L": {}}})
    with pytest.raises(InvalidInputError, match="unknown key 'formula' in graph.L"):
        context_from_dict({"graph": {"L": {"formula": "x"}}})


def test_a_derivative_of_a_node_with_respect_to_a_name_computed_otherwise_is_never_zero():
    # o is declared as computed from q^s (depends_on) but is no node of the graph: dL/do is unknown, never 0
    data = tomllib.loads(CONTEXT)
    data["symbols"]["o"] = {"kind": "vector", "size": "m", "depends_on": ["q^s"]}
    table = context_from_dict(data)
    for line in (r"\frac{\partial L}{\partial o} = 0", r"\frac{\partial L}{\partial o_1} = 0"):
        with pytest.raises(ReadError, match="not a node of the graph|neither declared nor a node"):
            read_chain(normalise(line), table.scope())
    lam = context_from_dict({**data, "symbols": {**data["symbols"], "lambda": {}}})
    (d, zero) = read_chain(normalise(r"\frac{\partial L}{\partial \lambda} = 0"), lam.scope()).exprs
    assert zero == 0 and "lambda" in str(d)  # a declared symbol no node uses: read (its derivative is 0)


SOFTMAX_ROW = r"""
## Question 1

$$\frac{\partial L}{\partial r_j^a} = \frac{e^{r_j^a}}{\sum_{i=1}^m e^{r_i^a}}$$

## Question 2

For $j \neq y$:

$$\frac{\partial L}{\partial r_j^a} = \frac{e^{r_j^a}}{\sum_{i=1}^m e^{r_i^a}}$$
"""


def test_an_entry_index_is_an_integer_in_range_and_a_case_set_aside_in_words_is_not_refuted(tmp_path):
    # j indexes entries of r^a: an integer 1..m (never 0.5, where an entry and a Kronecker delta disagree), so
    # the row, true only for j != y, is refuted at j = y; after "for j \neq y" the same row holds: it is checked
    # under the condition (every instance drawn has j != y)
    (tmp_path / "net.toml").write_text(CONTEXT, encoding="utf-8")
    (tmp_path / "q.md").write_text(SOFTMAX_ROW, encoding="utf-8")
    doc = audit(tmp_path / "q.md", context=tmp_path / "net.toml")
    bare, (case, cased) = [q["lines"] for q in doc["questions"]]
    assert [x["verdict"] for x in bare] == ["REFUTED"]
    values = bare[0]["counterexample"]["values"]
    assert values["j"] == values["y"] and isinstance(values["j"], int)
    assert cased["verdict"] in ("PROVED", "CONFIRMED") and "checked under the condition" in cased["reason"]
