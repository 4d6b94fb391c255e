"""The audit's step memo: a step checked unchanged under another reading is answered from the first run,
and only when it is the same computation (symbolic/verdicts/step_memo.py)."""

from __future__ import annotations

import sympy as sp

import symbolic.app.audit as audit_module
from symbolic import Derivation, check
from symbolic.app.audit import audit
from symbolic.verdicts.step_memo import StepMemo


def _steps(res):
    return [(s.label, s.verdict.value, s.reason, None if s.counterexample is None else str(s.counterexample))
            for s in res.steps]


def _claims(d, x):
    d.start(sp.sqrt(x**2)).eq(x, "1")  # false for a negative x: REFUTED with a counterexample, unless x > 0
    d.start((x + 1)**2).eq(x**2 + 2*x + 1, "2")
    return d


def test_a_memo_returns_the_verdicts_reasons_and_counterexamples_of_the_check_itself():
    d = Derivation("memo")
    _claims(d, d.scalar("x"))
    plain = _steps(check(d, cache=False))
    memo = StepMemo()
    first = _steps(check(d, cache=False, memo=memo))
    assert memo.hits == 0
    again = _steps(check(d, cache=False, memo=memo))
    assert memo.hits == 2  # both steps answered from the memo
    assert plain == first == again
    assert plain[0][1] == "REFUTED" and plain[1][1] == "PROVED"


def test_a_changed_declaration_is_not_answered_from_the_memo():
    memo = StepMemo()
    d = Derivation("memo")
    _claims(d, d.scalar("x"))
    assert _steps(check(d, cache=False, memo=memo))[0][1] == "REFUTED"
    e = Derivation("memo")  # the same name, the same steps: x now declared positive
    _claims(e, e.scalar("x", positive=True))
    got = _steps(check(e, cache=False, memo=memo))
    assert memo.hits == 0
    assert got == _steps(check(e, cache=False)) and got[0][1] != "REFUTED"


def test_a_declaration_the_step_does_not_use_still_keys_the_memo_it_changes_the_random_draws():
    memo = StepMemo()
    d = Derivation("memo")
    x = d.scalar("x")
    _claims(d, x)
    check(d, cache=False, memo=memo)
    e = Derivation("memo")
    e.scalar("a")  # drawn before x from the same stream: x's random values change
    _claims(e, e.scalar("x"))
    got = _steps(check(e, cache=False, memo=memo))
    assert memo.hits == 0
    assert got == _steps(check(e, cache=False))


QUESTION = r"""## Question 1
$$y = a + 1$$
$$y - 1 = a$$
$$y = 2a$$
$$y - a = a$$
$$(b + 1)^2 = b^2 + 2b + 1$$
$$\sqrt{b^2} = b$$
"""


def test_an_audit_with_the_memo_gives_the_same_document_as_without(tmp_path, monkeypatch):
    p = tmp_path / "sub.md"
    p.write_text(QUESTION, encoding="utf-8")
    made = []

    class Counting(StepMemo):
        def __init__(self):
            super().__init__()
            made.append(self)

    monkeypatch.setattr(audit_module, "StepMemo", Counting)
    with_memo = audit(p)
    assert sum(m.hits for m in made) > 0  # y defined twice: two readings, the lines about b checked once

    class Never(StepMemo):
        def get(self, key):
            return None

    monkeypatch.setattr(audit_module, "StepMemo", Never)
    without = audit(p)
    for doc in (with_memo, without):
        doc["summary"].pop("seconds")
    assert with_memo == without
    verdicts = [x["verdict"] for q in without["questions"] for x in q["lines"]]
    assert "REFUTED" in verdicts and "PROVED" in verdicts
