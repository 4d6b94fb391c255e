"""The reader on lines that are not claims of their own at first sight: the conclusion of an implication stated
in words whose premise is a line just before it ("a x = b x implies a = b"), and a hypothesis that is the range
of a summation index.

Each test writes its own small submission and context; the verdicts are the engine's, computed here.
"""

from __future__ import annotations

from audit_files import audit_lines

CTX = """
dims = ["n"]
[symbols.a]
interval = "(0, 1)"
[symbols.b]
interval = "(0, 1)"
[symbols.c]
assumptions = ["positive"]
[symbols.k]
assumptions = ["positive"]
[symbols.m]
kind = "index"
lower = 1
[symbols.p]
kind = "vector"
[symbols.q]
kind = "vector"
[sequences.z]
index = "m"
size = "n"
"""


def _audit(tmp_path, text: str, context: str = CTX) -> dict[str, dict]:
    return {x["latex"]: x for x in audit_lines(tmp_path, text, context, dedent=True, seed=0)}


def test_the_conclusion_of_an_implication_in_words_is_checked_against_its_premise(tmp_path):
    # "a p = b p and c q = k (1 - a) q imply a = b and c = k (1 - a)": coefficients compared term by term
    v = _audit(tmp_path, r"""
        Question 1

        Term by term, $a \mathbf{p} = b \mathbf{p}$ and $c \mathbf{q} = k(1 - a)\mathbf{q}$ imply $a = b$ and
        $c = k(1 - a)$ respectively.
        """)
    assert v["a = b"]["verdict"] == "PROVED", v["a = b"]
    assert v["c = k(1 - a)"]["verdict"] == "PROVED", v["c = k(1 - a)"]
    assert "premise" in v["a = b"]["reason"]


def test_the_vector_of_the_premise_may_have_a_nonzero_factor(tmp_path):
    # a (-k p) = b (-k p) with k > 0 gives a = b: the premise's vector times a nonzero number
    v = _audit(tmp_path, r"""
        Question 1

        Term by term, $a(-k\mathbf{p}) = b(-k\mathbf{p})$ implies $a = b$.
        """)
    assert v["a = b"]["verdict"] == "PROVED", v["a = b"]


def test_a_conclusion_its_premise_does_not_give_is_not_proved(tmp_path):
    # a p = b p does not give c = 2 a: no factor of its premise; and a wrong coefficient is not proved either
    v = _audit(tmp_path, r"""
        Question 1

        Term by term, $a \mathbf{p} = b \mathbf{p}$ and $c \mathbf{q} = k(1 - a)\mathbf{q}$ imply $c = 2 a$ and
        $c = k(1 + a)$ respectively.
        """)
    assert v["c = 2 a"]["verdict"] != "PROVED", v["c = 2 a"]
    wrong = v["c = k(1 + a)"]
    assert wrong["verdict"] == "UNDECIDED" and "do not differ" in wrong["reason"], wrong  # checked, not refuted


RULES = """
dims = ["n"]
[symbols.a]
interval = "(0, 1)"
[symbols.b]
interval = "(0, 1)"
[symbols.c]
assumptions = ["positive"]
[symbols.k]
assumptions = ["positive"]
[symbols.t]
kind = "index"
lower = 1
[sequences.g]
index = "t"
size = "n"
[sequences.v]
index = "t"
size = "n"
recurrence = ["a*prev + c*g(t)", "b*prev + (1 - b)*g(t)"]
[definitions.theta_incr]
index = "t"
value = ["-v(t)", "-k*v(t)"]
"""


def test_a_definition_the_context_gives_one_value_per_update_rule_is_checked_against_it(tmp_path):
    # the statement's Delta theta_t = -v_t (momentum) and = -k v_t (moving average), restated: checked, not defined
    v = _audit(tmp_path, r"""
        Question 1

        $$\Delta\boldsymbol{\theta}_t = -\mathbf{v}_t$$

        $$\Delta\boldsymbol{\theta}_t = -k\mathbf{v}_t$$

        $$\Delta\boldsymbol{\theta}_{t-1} = -k\mathbf{v}_{t-1}$$

        $$\Delta\boldsymbol{\theta}_t = a\Delta\boldsymbol{\theta}_{t-1} - c\mathbf{g}_t$$

        $$\Delta\boldsymbol{\theta}_t = -2\mathbf{v}_t$$
        """, RULES)
    assert v[r"\Delta\boldsymbol{\theta}_t = -\mathbf{v}_t"]["verdict"] == "PROVED"
    assert v[r"\Delta\boldsymbol{\theta}_t = -k\mathbf{v}_t"]["verdict"] == "PROVED"
    assert v[r"\Delta\boldsymbol{\theta}_{t-1} = -k\mathbf{v}_{t-1}"]["verdict"] == "PROVED"
    assert v[r"\Delta\boldsymbol{\theta}_t = a\Delta\boldsymbol{\theta}_{t-1} - c\mathbf{g}_t"]["verdict"] == "PROVED"
    wrong = v[r"\Delta\boldsymbol{\theta}_t = -2\mathbf{v}_t"]
    assert wrong["verdict"] == "REFUTED" and wrong["counterexample"], wrong


def test_a_hypothesis_that_is_the_range_of_a_summation_index_is_checked_against_the_sum(tmp_path):
    # "v_t as a combination of the g_i (1 <= i <= t)": the range the sum gives its index, restated
    v = _audit(tmp_path, r"""
        Question 1

        Write $\mathbf{v}_t$ with the $\mathbf{g}_i$ ($1 \leq i \leq t$), and the $\mathbf{g}_j$ ($0 \leq j \leq t$).

        $$\mathbf{v}_t = b^t\mathbf{v}_0 + \sum_{i=1}^t b^{t-i}(1 - b)\mathbf{g}_i$$

        $$\mathbf{w}_t = \sum_{j=1}^t \mathbf{g}_j$$
        """, RULES)
    ok = v[r"1 \leq i \leq t"]
    assert ok["verdict"] == "PROVED" and "summation index" in ok["reason"], ok
    assert v[r"0 \leq j \leq t"]["verdict"] == "UNDECIDED"  # not the range of the sum over j: a hypothesis
