"""The reader on recurrences and sequences: a case of the index, vector sums over a sequence's terms, a
recurrence the context declares (one or several readings), expectations of the terms of a sequence.

Each test writes its own small submission and context; the verdicts are the engine's, computed here.
"""

from __future__ import annotations

from audit_files import audit_lines

RNN = """
dims = ["n"]
[symbols.W]
kind = "matrix"
[symbols.b]
kind = "vector"
[symbols.t]
kind = "index"
lower = 1
[functions.sigma]
kind = "activation"
[sequences.h]
index = "t"
size = "n"
recurrence = "W*sigma(prev) + b"
[sequences.g]
index = "t"
size = "n"
recurrence = "sigma(W*prev + b)"
initial = "sigma(h(0))"
"""


def _audit(tmp_path, text: str, context: str) -> list[dict]:
    return audit_lines(tmp_path, text, context, dedent=True, seed=0)


def _verdicts(lines: list[dict]) -> dict[str, str]:
    return {x["latex"]: x["verdict"] for x in lines}


def test_a_case_of_the_index_is_not_substituted_in_the_lines_before_it(tmp_path):
    # "with t = 0" is the base case: read as a definition of t it made g_{t-1} the term at index -1
    lines = _audit(tmp_path, r"""
        Question 1

        We set $\mathbf{g}_{t-1} = \sigma(\mathbf{h}_{t-1})$ to prove it.

        $$\mathbf{g}_t = \sigma(\mathbf{h}_t)$$

        With $t = 0$, $\mathbf{g}_0 = \sigma(\mathbf{h}_0)$.
        """, RNN)
    v = _verdicts(lines)
    assert v[r"\mathbf{g}_{t-1} = \sigma(\mathbf{h}_{t-1})"] == "PROVED"  # by induction, at a shifted index
    assert v[r"\mathbf{g}_t = \sigma(\mathbf{h}_t)"] == "PROVED"
    assert v[r"\mathbf{g}_0 = \sigma(\mathbf{h}_0)"] == "PROVED"  # the initial term the context declares
    case = next(x for x in lines if x["latex"] == "t = 0")
    assert case["verdict"] == "UNDECIDED" and "a case of the index t" in case["reason"]


EMA = """
dims = ["n"]
[symbols.beta]
interval = "(0, 1)"
[symbols.t]
kind = "index"
lower = 1
[sequences.g]
index = "t"
size = "n"
[sequences.v]
index = "t"
size = "n"
recurrence = "beta*prev + (1 - beta)*g(t)"
"""

UNROLLED = r"""
    Question 1

    $$\mathbf{v}_t = \beta\mathbf{v}_{t-1} + (1 - \beta)\mathbf{g}_t \tag{1}$$

    $$= \beta(\beta\mathbf{v}_{t-2} + (1 - \beta)\mathbf{g}_{t-1}) + (1 - \beta)\mathbf{g}_t \tag{2}$$

    $$\mathbf{v}_t = \beta^t\mathbf{v}_0 + \sum_{i=1}^t \beta^{t-i}(1 - \beta)\mathbf{g}_i \tag{3}$$

    $$\mathbf{v}_t = \beta^t\mathbf{v}_0 + \sum_{i=1}^t \beta^{i}(1 - \beta)\mathbf{g}_i \tag{4}$$

    $$\mathbf{v}_t = \beta\mathbf{v}_{t-1} + \beta\mathbf{g}_t \tag{5}$$
    """


def _by_label(lines: list[dict]) -> dict[str, dict]:
    return {x["label"]: x for x in lines if x["label"] is not None}


def test_a_vector_sum_over_the_terms_of_a_sequence_is_checked_against_its_recurrence(tmp_path):
    got = _by_label(_audit(tmp_path, UNROLLED, EMA))
    assert got["1"]["verdict"] == "PROVED"  # the recurrence of the context, restated
    assert got["2"]["verdict"] in ("PROVED", "CONFIRMED")  # one unrolling: v_{t-1} is the term before v_t
    assert got["3"]["verdict"] == "PROVED", got["3"]  # the closed form, by induction on t, coordinate by coordinate
    assert "induction on t" in got["3"]["reason"] and "coordinate by coordinate" in got["3"]["reason"]
    assert got["4"]["verdict"] == "REFUTED"  # a wrong weight beta^i
    cex = got["4"]["counterexample"]
    assert cex is not None and "t" in cex["values"]
    assert got["5"]["verdict"] == "REFUTED"  # a restated recurrence that contradicts the context's


TWO_RULES = """
dims = ["n"]
[symbols.alpha]
interval = "(0, 1)"
[symbols.epsilon]
assumptions = ["positive"]
[symbols.beta]
interval = "(0, 1)"
[symbols.t]
kind = "index"
lower = 1
[sequences.g]
index = "t"
size = "n"
[sequences.v]
index = "t"
size = "n"
recurrence = ["alpha*prev + epsilon*g(t)", "beta*prev + (1 - beta)*g(t)"]
"""


def test_two_update_rules_of_one_name_are_read_one_at_a_time(tmp_path):
    got = _by_label(_audit(tmp_path, r"""
        Question 1

        $$\mathbf{v}_t = \alpha\mathbf{v}_{t-1} + \epsilon\mathbf{g}_t \tag{1}$$

        $$\mathbf{v}_t = \beta\mathbf{v}_{t-1} + (1 - \beta)\mathbf{g}_t \tag{2}$$

        $$\mathbf{v}_t = \beta^t\mathbf{v}_0 + \sum_{i=1}^t \beta^{t-i}(1 - \beta)\mathbf{g}_i \tag{3}$$

        $$\mathbf{v}_t = \alpha^t\mathbf{v}_0 + \sum_{i=1}^t \alpha^{t-i}\epsilon\mathbf{g}_i \tag{4}$$

        $$\mathbf{v}_t = \alpha^t\mathbf{v}_0 + \sum_{i=1}^t \alpha^{t-i}(1 - \alpha)\mathbf{g}_i \tag{5}$$
        """, TWO_RULES))
    assert got["1"]["verdict"] == "PROVED" and "definition 1" in got["1"]["reason"]
    assert got["2"]["verdict"] == "PROVED" and "definition 2" in got["2"]["reason"]
    assert got["3"]["verdict"] == "PROVED" and "the update rules of v" in got["3"]["reason"]
    assert got["4"]["verdict"] == "PROVED"
    assert got["5"]["verdict"] == "REFUTED"  # (1 - alpha) where the momentum rule has epsilon: no rule gives it


EXPECTED = r"""
    Question 1

    $$\mathbb{E}[\mathbf{v}_t] = \beta^t \mathbb{E}[\mathbf{v}_0] + \sum_{i=1}^t \beta^{t-i} (1 - \beta) \mathbb{E}[\mathbf{g}_i] \tag{1}$$

    $$= \beta^t \mathbb{E}[\mathbf{v}_0] + \mathbb{E}[\mathbf{g}_t] \sum_{i=1}^t \beta^{t-i} (1 - \beta) \tag{2}$$

    $$\mathbb{E}[\mathbf{g}_t] = \frac{\mathbb{E}[\mathbf{v}_t] - \beta^t \mathbb{E}[\mathbf{v}_0]}{\sum_{i=1}^t \beta^{t-i} (1 - \beta)} \tag{3}$$

    $$\mathbb{E}[\mathbf{g}_t] = \frac{\mathbb{E}[\mathbf{v}_t] - \beta^t \mathbb{E}[\mathbf{v}_0]}{\sum_{i=1}^t \beta^{t-i}} \tag{4}$$

    $$\mathbb{E}[\mathbf{v}_t] = \mathbb{E}[\mathbf{g}_t] \tag{5}$$
    """


def test_expectations_of_the_terms_of_an_identically_distributed_sequence(tmp_path):
    law = EMA.replace('[sequences.g]\nindex = "t"\nsize = "n"\n',
                      '[sequences.g]\nindex = "t"\nsize = "n"\nlaw = "identically distributed"\n')
    got = _by_label(_audit(tmp_path, EXPECTED, law))
    assert got["1"]["verdict"] == "CONFIRMED"  # linearity of expectation through the recurrence
    assert got["2"]["verdict"] == "PROVED"  # E[g_i] = E[g_t]: the same law for every i; then linear in the vectors
    assert got["3"]["verdict"] == "CONFIRMED"  # the bias correction, isolated
    assert got["4"]["verdict"] == "REFUTED"  # the weights without (1 - beta)
    assert "E[v](0)" in got["4"]["counterexample"]["values"]  # the mean of the free v_0: an unknown of its own
    assert got["5"]["verdict"] == "REFUTED"  # biased: E[v_t] is not E[g_t]


def test_a_restatement_that_contradicts_the_declared_initial_term_is_refuted(tmp_path):
    lines = _audit(tmp_path, r"""
        Question 1

        $$\mathbf{g}_0 = \mathbf{h}_0$$

        $$\mathbf{g}_{t-1} = \mathbf{h}_{t-1}$$
        """, RNN)
    assert [x["verdict"] for x in lines] == ["REFUTED", "REFUTED"]


def test_a_closed_form_that_holds_only_in_the_declared_range_is_not_refuted(tmp_path):
    # v_t = beta^{t-1} v_1 for t >= 1 (the context's range) fails at the start t = 0: no induction from 0 proves
    # it, and the claim itself is checked at t >= 1 only
    got = _by_label(_audit(tmp_path, r"""
        Question 1

        $$\mathbf{v}_t = \beta^{t-1}\mathbf{v}_1 \tag{1}$$
        """, EMA.replace('recurrence = "beta*prev + (1 - beta)*g(t)"', 'recurrence = "beta*prev"')))
    assert got["1"]["verdict"] == "CONFIRMED", got["1"]


def test_an_expectation_of_nothing_random_is_not_read(tmp_path):
    # no sequence of the context inside: x and y would be constants, and E[x y] = E[x] E[y] proved
    lines = _audit(tmp_path, r"""
        Question 1

        $$\mathbb{E}[x y] = \mathbb{E}[x] \mathbb{E}[y]$$
        """, EMA)
    # read as two unknown values (symbolic/read/given.py), never as constants: neither proved nor refuted
    assert [x["verdict"] for x in lines] in (["UNREAD"], ["UNDECIDED"])


def test_without_a_common_law_the_expectations_are_not_checked(tmp_path):
    got = _by_label(_audit(tmp_path, EXPECTED, EMA))  # g_t of no declared law: E[g_i] is unknown
    assert {x["verdict"] for x in got.values()} == {"UNDECIDED"}
    assert "could not be reduced exactly" in got["2"]["reason"]


def test_the_context_schema_of_update_rules_and_laws():
    import pytest

    from symbolic.exceptions import InvalidInputError
    from symbolic.read.context import context_from_dict

    t = context_from_dict({"sequences": {"v": {"index": "t", "recurrence": ["2*prev", "3*prev"]},
                                         "g": {"index": "t", "law": "identically distributed"}}})
    assert (t.sequences["v"].recurrence, t.sequences["v"].alternatives) == ("2*prev", ("3*prev",))
    assert t.sequences["g"].law == "identically distributed"
    for bad in ({"recurrence": []}, {"recurrence": 3}, {"law": "iid"}):
        with pytest.raises(InvalidInputError, match="sequences.v"):
            context_from_dict({"sequences": {"v": {"index": "t", **bad}}})


def test_every_pairing_of_a_text_definition_with_a_context_rule_is_a_reading(tmp_path):
    # the text defines u_t twice, in the other order than the context's rules: (1) holds with definition 1 and
    # update rule 2 only, never with the pairings by position
    got = _by_label(_audit(tmp_path, r"""
        Question 1

        $$\mathbf{u}_t = 2\mathbf{v}_t$$

        $$\mathbf{u}_t = 3\mathbf{v}_t$$

        $$\mathbf{u}_t = 2(\beta\mathbf{v}_{t-1} + (1 - \beta)\mathbf{g}_t) \tag{1}$$

        $$\mathbf{u}_t = 5\mathbf{v}_t \tag{2}$$
        """, TWO_RULES))
    assert got["1"]["verdict"] == "PROVED" and "definition 1 and update rule 2" in got["1"]["reason"]
    assert got["2"]["verdict"] == "REFUTED"
