"""A label written in the other position (z_h for the declared z^h, z_{h_k} for its entry k, z_h^k under a sum
over k) and a bare superscript digit (c_k^2 for the declared c^{(2)}_k): read as the declared name only when it
is no guess, and said in the line's reason; small files written for these tests."""

from __future__ import annotations

import pytest

from symbolic.app.audit import audit
from symbolic.exceptions import ReadError
from symbolic.read.context import context_from_dict
from symbolic.read.latex import read_chain

CONTEXT = """dims = ["n", "m"]
[symbols.u]
kind = "vector"
size = "n"
[symbols.A]
kind = "matrix"
shape = ["m", "n"]
[symbols."c^{(2)}"]
kind = "vector"
size = "m"
[symbols."z^h"]
kind = "vector"
size = "m"
[symbols."p_t"]
[symbols."p^t"]
[graph."z^h"]
value = "A*u + c^(2)"
"""

SUBMISSION = r"""## Question 1

$$z_h = A u + c^{(2)}$$

$$z_h = A u - c^{(2)}$$

$$z_{h_k} = c_k^2 + \sum_{j=1}^n A_{kj} u_j$$

$$z_{h_k} = c_k^2 - \sum_{j=1}^n A_{kj} u_j$$

$$\frac{\partial z_{h_k}}{\partial c_k^2} = 1$$

$$p_t = p^t$$
"""


@pytest.fixture(scope="module")
def lines(tmp_path_factory):
    d = tmp_path_factory.mktemp("aliases")
    (d / "ctx.toml").write_text(CONTEXT, encoding="utf-8")
    (d / "sub.md").write_text(SUBMISSION, encoding="utf-8")
    report = audit(d / "sub.md", context=d / "ctx.toml")
    return {x["line"]: x for q in report["questions"] for x in q["lines"]}


def test_a_label_in_the_other_position_reads_the_declared_name_and_says_so(lines):
    assert lines[3]["verdict"] == "PROVED"
    assert "z_h is read as the declared z^h" in lines[3]["reason"]
    assert lines[7]["verdict"] in ("PROVED", "CONFIRMED")  # entry k of z^h; c_k^2 is entry k of c^(2)
    assert "entry k of the declared z^h" in lines[7]["reason"] and "c_k^2 is read as c^(2)_k" in lines[7]["reason"]
    assert lines[11]["verdict"] in ("PROVED", "CONFIRMED")  # d z^h_k / d c^(2)_k = 1, never 0


def test_a_wrong_line_read_through_the_alias_is_refuted_with_a_counterexample(lines):
    for n in (5, 9):
        assert lines[n]["verdict"] == "REFUTED" and lines[n]["counterexample"] is not None


def test_no_alias_when_both_forms_are_declared(lines):
    assert lines[3]["verdict"] == "PROVED"  # the alias where it is one ...
    assert "read as the declared" not in (lines[13]["reason"] or "")
    assert lines[13]["verdict"] != "PROVED"  # p_t and p^t are two parameters: never one name


def _table(**extra):
    return context_from_dict({"dims": ["n"], "symbols": {"z^h": {"kind": "vector", "size": "n"},
                                                         "c^{(2)}": {"kind": "vector", "size": "n"}, **extra}})


def test_no_alias_when_the_label_is_an_index_or_the_bare_letter_is_declared():
    (a,) = read_chain(r"z_h", _table().scope()).exprs  # ... and not where it would be a guess:
    assert str(a) == "z^h"
    (s,) = read_chain(r"\sum_{h=1}^{n} z_h", _table().scope()).exprs  # h is the sum's index: z_h a term
    assert "z^h" not in str(s)
    (e,) = read_chain(r"z_h", _table(z={"kind": "vector", "size": "n"}).scope()).exprs  # z declared: z_h its entry
    assert "z^h" not in str(e)
    (e,) = read_chain(r"z_h", _table(h={"kind": "scalar"}).scope()).exprs  # h a declared variable
    assert "z^h" not in str(e)


def test_elided_terms_over_the_entries_of_an_aliased_vector():
    scope = _table().scope()
    lhs, rhs = read_chain(r"z_{h_1} + z_{h_2} + \dots + z_{h_n} = \sum_{i=1}^{n} z^h_i", scope).exprs
    assert lhs == rhs
    (s,) = read_chain(r"\sum_{k=1}^{n} z_h^k", _table().scope()).exprs  # z_h^k: entry k, label and index swapped
    assert str(s) == "Sum(Entry(z^h, k - 1), (k, 1, n))"


def test_a_bare_superscript_digit_with_two_readings_is_not_read():
    table = _table(c={"kind": "vector", "size": "n"})  # c declared too: (c_k)^2 or c^(2)_k?
    with pytest.raises(ReadError, match="two readings"):
        read_chain(r"c_k^2", table.scope())
    (v,) = read_chain(r"c^2", table.scope()).exprs  # a vector has no square: only c^(2) is well-typed
    assert str(v) == "c^(2)"
