"""Speed without changing verdicts: the shrinker does not re-verify a candidate it already tried, the
audit memo answers a timed-out step's second reading, and the audit spreads questions over the CPUs
with the same document as one process.  (No timing here: the seconds are measured in bench/audit.py.)"""

from __future__ import annotations

import numpy as np
import sympy as sp

import symbolic.app.audit as audit_module
import symbolic.checks.shrink as shrink_module
import symbolic.app.runner as runner_module
from symbolic import Derivation, check
from symbolic.app.audit import audit
from symbolic.read.loader import with_budget
from symbolic.checks.sampling import Sampler
from symbolic.verdicts.step_memo import StepMemo


def _fails(calls, u, v):
    from symbolic.checks.shrink import instance_key

    def pred(inst):  # fails while u, v are not both small: the shrinker walks to the smallest such values
        calls.append(instance_key(inst))
        return float(inst.values[u]) ** 2 + float(inst.values[v]) ** 2 > 0.2
    return pred


def _pair():
    d = Derivation("shrinkme")
    u, v = d.scalar("u"), d.scalar("v")
    return d, Sampler(d, 0).instance(0).with_values({u: 3.7, v: -2.3}), u, v


def test_the_shrinker_verifies_each_candidate_once_and_finds_what_it_found_before(monkeypatch):
    from symbolic.checks.shrink import shrink

    d, inst, u, v = _pair()
    cached_calls: list = []
    small = shrink(d, inst, _fails(cached_calls, u, v), Sampler(d, 0))
    assert len(cached_calls) == len(set(cached_calls))  # no candidate verified twice

    class Forgetful(shrink_module._Tried):  # the shrinker as it was: every candidate verified again
        def __call__(self, i):
            return shrink_module._safe(self.pred, i, self.sampler)

    monkeypatch.setattr(shrink_module, "_Tried", Forgetful)
    plain_calls: list = []
    plain = shrink(d, inst, _fails(plain_calls, u, v), Sampler(d, 0))
    assert len(plain_calls) > len(cached_calls)  # the last round retried what the round before had tried
    assert {str(k): v for k, v in small.values.items()} == {str(k): v for k, v in plain.values.items()}
    assert float(small.values[u]) ** 2 + float(small.values[v]) ** 2 > 0.2 and small.values != inst.values


def test_an_instance_key_tells_apart_values_types_shapes_and_functions():
    from symbolic.checks.shrink import instance_key

    x, A = sp.Symbol("x"), sp.MatrixSymbol("A", 2, 1)
    d, base, _, _ = _pair()
    one = base.with_values({x: 1, A: np.array([[1.0], [2.0]])})
    assert instance_key(one) == instance_key(one.with_values({}))
    assert instance_key(one) != instance_key(one.with_values({x: 1.0}))  # 1 and 1.0 print differently
    assert instance_key(one) != instance_key(one.with_values({A: np.array([[1.0, 2.0]])}))
    assert instance_key(one) != instance_key(one.with_values({A: np.array([[1.0], [2.5]])}))
    other = one.with_values({})
    other.functions = {"f": lambda t, b: t}
    assert instance_key(one) != instance_key(other)


def _slow_derivation(seconds: float):
    d = Derivation("slow")
    xs = [d.scalar(f"x{i}") for i in range(6)]
    big = sp.Mul(*[(x + 1) for x in xs]) ** 3
    d.start(sp.sqrt(big**2) / big).eq(1, "1")  # a hard simplification: it does not finish in a millisecond
    return with_budget(d, seconds)


def test_the_memo_answers_a_timed_out_step_under_the_same_budget_and_not_under_another():
    memo = StepMemo()
    d = _slow_derivation(0.002)
    first = check(d, cache=False, memo=memo).steps[0]
    assert first.verdict.value in ("UNDECIDED", "CONFIRMED", "REFUTED") and first.verdict.value != "PROVED"
    again = check(d, cache=False, memo=memo).steps[0]
    assert memo.hits == 1  # the same computation under the same budget: the first run's result
    assert (again.verdict, again.reason, str(again.counterexample)) == \
        (first.verdict, first.reason, str(first.counterexample))
    check(_slow_derivation(0.003), cache=False, memo=memo)
    assert memo.hits == 1  # another budget is another computation


QUESTIONS = r"""Question 1
$$(p + q)^2 = p^2 + 2 p q + q^2$$
$$(p + q)^2 = p^2 + q^2$$
Question 2
$$\sqrt{r^2} = r$$
$$r \cdot r = r^2$$
Question 3
$$\mathbf{M}\mathbf{N} = \mathbf{N}\mathbf{M}$$
"""


def test_the_audit_spreads_its_questions_by_default_with_the_document_of_one_process(tmp_path, monkeypatch):
    p = tmp_path / "sub.md"
    p.write_text(QUESTIONS, encoding="utf-8")
    asked = []
    real = runner_module.run_checks

    def spy(work, **kw):
        asked.append(kw["jobs"])
        return real(work, **kw)

    monkeypatch.setattr(runner_module, "run_checks", spy)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    spread = audit(p)
    one = audit(p, jobs=1)
    two = audit(p, jobs=2)
    single = tmp_path / "one.md"
    single.write_text("$$a + a = 2 a$$\n", encoding="utf-8")
    assert audit(single)["questions"][0]["lines"][0]["verdict"] == "PROVED"
    assert asked == [2, 1, 2, 1]  # one question: checked here, no fork
    for doc in (spread, one, two):
        doc["summary"].pop("seconds")
    assert spread == one == two
    verdicts = [x["verdict"] for q in one["questions"] for x in q["lines"]]
    assert verdicts.count("REFUTED") == 3 and "PROVED" in verdicts
    assert all(x["counterexample"] for q in one["questions"] for x in q["lines"] if x["verdict"] == "REFUTED")


def test_a_nested_product_reads_each_factor_shape_a_bounded_number_of_times():
    from symbolic.algebra import Apply

    reads = []

    class Counted(sp.MatrixSymbol):
        @property
        def shape(self):
            reads.append(1)
            return self.args[1], self.args[2]

    n = sp.Symbol("n", integer=True, positive=True)
    W, b, f = sp.MatrixSymbol("W", n, n), sp.MatrixSymbol("b", n, 1), sp.Symbol("f")
    x = Counted("x", n, 1)
    e = x
    for _ in range(14):  # W f(W f(... x ...) + b) + b: 14 products nested through f
        e = W * Apply(f, e) + b
    reads.clear()
    assert e.shape == (n, 1) and (W * Apply(f, e)).shape == (n, 1)
    assert len(reads) <= 30  # linear in the depth; sympy's own property reads it about 2**14 times


def test_a_proof_attempt_simplifies_each_expression_once_and_answers_as_before(monkeypatch):
    from symbolic.algebra.prove import prove_equal, prove_zero

    x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
    calls = []
    real = sp.simplify

    def counting(e, *a, **kw):
        calls.append(e)
        return real(e, *a, **kw)

    monkeypatch.setattr(sp, "simplify", counting)
    assert prove_zero(sp.sin(x) ** 2 + sp.cos(y) ** 2 - 1) is None  # no sum, no limit: one expression
    assert len(calls) == len(set(calls)) >= 1  # sympy asked once per expression (it was asked 4 times)
    calls.clear()
    assert prove_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1) == "sum manipulation"  # the first rung that closes it


def test_the_heaviest_work_goes_first_and_the_results_keep_their_order():
    # the workers take the heaviest unit first; the results still come in the order they were given
    from symbolic import Derivation
    from symbolic.app.runner import dispatch_order, run_checks

    ds = []
    for k in range(4):
        d = Derivation(f"d{k}")
        x = d.scalar("x")
        d.start(x * (k + 1)).eq(x + k * x if k != 2 else x, "1")  # d2 is wrong
        ds.append(d)
    assert dispatch_order([1, 3, 3, 2]) == [1, 2, 3, 0]
    got = run_checks(ds, cache=False, jobs=2, weights=[1, 3, 3, 2])
    assert [r.name for r in got] == ["d0", "d1", "d2", "d3"]
    assert [r.step("1").verdict.value for r in got] == ["PROVED", "PROVED", "REFUTED", "PROVED"]
