"""The code checker (symbolic.codecheck) and the report's snippets (derivations.seed003_code).

Expected verdicts are written from what numpy does with each line, not copied from the
checker: a snippet's verdict is never PROVED (code is only run); a mistake must be
REFUTED with a small counterexample whose code, when run, shows the failure.
"""

from __future__ import annotations

import contextlib
import io

import latexify
import numpy as np
import pytest

from derivations import _registry
from derivations import seed003_code as sc
from symbolic import Source
from symbolic.codecheck import (
    CapReached, CodeCheck, Input, Output, array_check, capped, complexity, descent_check, half_square_gradient,
    relative_error,
)

C, R = "CONFIRMED", "REFUTED"
CONVS = ("1-D", "column")


def _table(q: str, **kinds: str) -> dict[str, str]:
    """Verdicts by probe: kinds maps 'shape_1D', 'value_column', ... to C or R (default C)."""
    names = {"shape": "shape", "value": "value", "effects": "inputs unchanged"}
    out = {}
    for conv in CONVS:
        for k, label in names.items():
            out[f"{q} {label} ({conv})"] = kinds.get(f"{k}_{conv.replace('-', '')}", C)
    return out


def _descent_table(verdict: str) -> dict[str, str]:
    probes = ("runs", "stops", "loss goes down", "reaches the minimizer")
    return {f"1.6 {p} ({c})": verdict for c in CONVS for p in probes}


EXPECTED: dict[str, dict[str, str]] = {
    # `sum += ...` inside gradient() makes sum local: UnboundLocalError on the first example.  With `somme`:
    # started at the minimizer the loop never stops (eta * 0 < epsilon forever); above it the loop is
    # skipped (no descent); below it theta moves up the gradient, away from the minimizer.
    "code_1_6_submitted": _descent_table(R),
    "code_1_6_corrected": _descent_table(C),
    # grad_oa = os aliases the outputs: right value and shape, but os is modified.
    "code_1_8_submitted": _table("1.8", effects_1D=R, effects_column=R),
    "code_1_8_corrected": _table("1.8"),
    # (m,) * (d_h,) broadcasts element-wise or fails; (m,1) * (1,d_h) is the outer product.
    "code_1_10_submitted": _table("1.10", shape_1D=R, value_1D=R),
    "code_1_10_corrected": _table("1.10"),
    # W2^T * g: (d_h,m) * (m,) is a d_h x m matrix; (d_h,m) * (m,1) fails or is m x m unless m = 1.
    "code_1_12_submitted": _table("1.12", shape_1D=R, value_1D=R, shape_column=R, value_column=R),
    "code_1_12_corrected": _table("1.12"),
    # (g + |g|)/2 = max(g, 0) keeps positive gradients; the mask is 1[h^a > 0].
    "code_1_14_submitted": _table("1.14", value_1D=R, value_column=R),
    "code_1_14_corrected": _table("1.14"),
    # as 1.10
    "code_1_16_submitted": _table("1.16", shape_1D=R, value_1D=R),
    "code_1_16_corrected": _table("1.16"),
}


@pytest.fixture(scope="module")
def checks() -> dict:
    return {name: getattr(sc, name)() for name in EXPECTED}


@pytest.fixture(scope="module")
def results(checks: dict) -> dict:
    return {name: c.check(seed=0, cache=False) for name, c in checks.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_probe_has_its_expected_verdict(name: str, results: dict) -> None:
    res = results[name]
    assert [s.label for s in res.steps] == list(EXPECTED[name])
    assert {s.label: s.verdict.value for s in res.steps} == EXPECTED[name]
    for s in res.steps:
        assert s.verdict.value != "PROVED"
        if s.verdict.value == C:
            assert s.evidence.samples >= 12 and s.evidence.max_error is not None and s.evidence.max_error <= 1e-6


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith("_corrected")))
def test_corrected_snippets_are_confirmed(name: str, results: dict) -> None:
    assert results[name].ok and results[name].counts["CONFIRMED"] == len(EXPECTED[name])


def _run(code: str) -> tuple[dict, str, BaseException | None]:
    ns: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(code, "<counterexample>", "exec"), ns)  # noqa: S102 - our own generated snippet
        except Exception as exc:  # the snippet's failure is what the counterexample shows
            return ns, out.getvalue(), exc
    return ns, out.getvalue(), None


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith("_submitted")))
def test_counterexamples_are_small_and_their_code_reproduces_them(name: str, results: dict) -> None:
    for s in results[name].steps:
        if s.verdict.value != R:
            continue
        ce = s.counterexample
        assert ce is not None and ce.code and ce.gap
        assert all(v <= 3 for v in ce.dims.values()), (s.label, ce.dims)
        nums = [float(x) for v in ce.values.values() for x in np.ravel(np.asarray(v, dtype=float))]
        assert all(complexity(x) < 10 for x in nums), (s.label, ce.values)  # 0, 1, -1 or small integers
        fn = name.replace("code_", "").replace("_submitted", "")
        assert "from derivations.seed003_code import" in ce.code, ce.code
        ns, printed, exc = _run(ce.code)
        if ce.gap.startswith("raises "):
            assert exc is not None and ce.gap.startswith(f"raises {type(exc).__name__}"), (s.label, exc)
        elif "inputs unchanged" in s.label:
            assert exc is None and "False" in printed, (s.label, printed)
        elif "shape" in s.label:
            outs = ns["out"] if isinstance(ns["out"], tuple) else (ns["out"],)
            got = [list(np.shape(o)) for o in outs]
            assert exc is None and got == ce.lhs and got != ce.rhs, (fn, got, ce.lhs, ce.rhs)
        elif "value" in s.label:
            outs = ns["out"] if isinstance(ns["out"], tuple) else (ns["out"],)
            assert exc is None and all(relative_error(o, w) == 0 for o, w in zip(outs, ce.lhs))
            assert any(np.size(o) != np.size(w) or relative_error(o, w) > 1e-9
                       for o, w in zip(outs, ce.rhs)), (s.label, outs, ce.rhs)
        else:  # descent: the risk did not go down
            assert "loss goes down" in s.label and exc is None, (s.label, exc)
            X, theta = np.asarray(ce.values["dataset"]), np.ravel(ce.values["theta"])
            risk = lambda t: 0.5 * float(np.sum((X - np.ravel(t)) ** 2))  # noqa: E731
            assert risk(ns["out"]) >= risk(theta) > risk(X.mean(axis=0)), (ce.values, ns["out"])


def test_named_mistakes_show_in_the_counterexamples(results: dict) -> None:
    sub = {n: {s.label: s for s in r.steps} for n, r in results.items()}
    assert "UnboundLocalError" in sub["code_1_6_submitted"]["1.6 runs (1-D)"].counterexample.gap
    stops = sub["code_1_6_submitted"]["1.6 stops (1-D)"].counterexample
    assert "CapReached" in stops.gap and stops.values == {"dataset": [[0.0]], "theta": [0.0]}  # at the minimizer
    assert sub["code_1_8_submitted"]["1.8 inputs unchanged (column)"].counterexample.gap == "os is modified by the call"
    assert "grad_w2: shape (1,) instead of (1, 1)" in sub["code_1_10_submitted"]["1.10 shape (1-D)"].counterexample.gap
    ce = sub["code_1_14_submitted"]["1.14 value (1-D)"].counterexample
    assert ce.dims == {"d_h": 1} and 0.0 not in ce.values["h_a"]  # away from the kink


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_code_check_looks_like_a_derivation(name: str, checks: dict, results: dict) -> None:
    c = checks[name]
    assert isinstance(c, CodeCheck) and c.name == name and name in _registry._FACTORIES
    version = name.rsplit("_", 1)[1]
    assert c.source == Source("003_0082cff914aa8810.txt", c.source.question, version)
    assert c.review is (version == "submitted") and c.statement
    assert [s.label for s in c.steps] == [s.label for s in results[name].steps]
    assert all(s.kind == "code" and s.why for s in c.steps)
    assert not hasattr(c, "decls")  # how the report tells a code check from a derivation
    assert c.check(seed=0, cache=True, only=[c.steps[0].label]).steps[0].label == c.steps[0].label
    assert "def " in c.source_text() and "return" in c.source_text("reference")


def test_checks_are_deterministic_and_depend_on_the_seed(checks: dict) -> None:
    c = checks["code_1_14_submitted"]
    a, b = c.check(seed=3), c.check(seed=3)
    assert [(s.verdict, s.counterexample) for s in a.steps] == [(s.verdict, s.counterexample) for s in b.steps]
    assert c.env(0, 7)["grad_hs"].tolist() != c.env(1, 7)["grad_hs"].tolist()


@pytest.mark.parametrize("q", sorted(sc.SNIPPETS))
def test_latexify_renders_every_corrected_reference(q: str) -> None:
    _, corrected, reference, *_ = sc.SNIPPETS[q]
    for fn in (reference, corrected):
        tex = str(latexify.get_latex(fn))
        assert fn.__name__.replace("_", r"\_") in tex
    assert r"\mathrm{theta}" in str(latexify.get_latex(sc.descent_step_reference))


# -- the references are the derived mathematics: compare them with finite differences ----------------------
def _fd(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        g[idx] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def _loss(o: np.ndarray, y: int) -> float:
    return float(-o[y] + np.log(np.sum(np.exp(o))))


@pytest.mark.parametrize("seed", range(4))
def test_references_match_finite_differences_of_the_loss(seed: int) -> None:
    rng = np.random.default_rng(seed)
    d, dh, m = rng.integers(1, 6, size=3)
    W1, b1, W2, b2, x = (rng.normal(size=s) for s in ((dh, d), (dh,), (m, dh), (m,), (d,)))
    y = int(rng.integers(0, m))
    ha = W1 @ x + b1
    ha[np.abs(ha) < 1e-3] = 0.5  # away from the kink
    b1 = ha - W1 @ x
    hs = np.maximum(ha, 0)
    oa = W2 @ hs + b2
    os = np.exp(oa) / np.sum(np.exp(oa))

    def net(W1=W1, b1=b1, W2=W2, b2=b2, x=x):
        return _loss(W2 @ np.maximum(W1 @ x + b1, 0) + b2, y)

    g_oa = sc.grad_oa_reference(os, y, m)
    assert relative_error(g_oa, _fd(lambda o: _loss(o, y), oa)) < 1e-6
    g_b2, g_w2 = sc.grads_layer2_reference(g_oa, hs)
    assert relative_error(g_b2, _fd(lambda v: net(b2=v), b2)) < 1e-6
    assert relative_error(g_w2, _fd(lambda v: net(W2=v), W2)) < 1e-6
    g_hs = sc.grad_hs_reference(W2, g_oa)
    assert relative_error(g_hs, _fd(lambda v: _loss(W2 @ v + b2, y), hs)) < 1e-6
    g_ha = sc.grad_ha_reference(g_hs, ha)
    assert relative_error(g_ha, _fd(lambda v: _loss(W2 @ np.maximum(v, 0) + b2, y), ha)) < 1e-6
    g_b1, g_w1 = sc.grads_layer1_reference(g_ha, x)
    assert relative_error(g_b1, _fd(lambda v: net(b1=v), b1)) < 1e-6
    assert relative_error(g_w1, _fd(lambda v: net(W1=v), W1)) < 1e-6


# -- the checker itself, on small functions ---------------------------------------------------------------
def test_the_checker_refutes_a_wrong_value_and_shrinks_to_small_simple_inputs() -> None:
    c = array_check("demo_abs", lambda v: np.abs(v), lambda v: v, [Input("v", ("n",))], [Output("v", ("n",))],
                    question="abs")
    res = c.check(seed=0)
    assert res.step("abs shape (1-D)").verdict.value == C and res.step("abs inputs unchanged (column)").ok
    ce = res.step("abs value (1-D)").counterexample
    assert ce.dims == {"n": 1} and ce.values == {"v": [-1.0]} and ce.lhs == [[1.0]] and ce.rhs == [[-1.0]]
    assert res.step("abs value (column)").counterexample.values == {"v": [[-1.0]]}


def test_the_checker_tells_the_conventions_apart() -> None:
    def dot(u, v):
        return u.T @ v  # a number for 1-D arrays, a 1 x 1 matrix for columns

    c = array_check("demo_dot", dot, lambda u, v: u @ v, [Input("u", ("n",)), Input("v", ("n",))],
                    [Output("s", ())], question="dot")
    res = c.check(seed=0)
    assert res.verdicts() == {"dot shape (1-D)": C, "dot value (1-D)": C, "dot inputs unchanged (1-D)": C,
                              "dot shape (column)": R, "dot value (column)": C, "dot inputs unchanged (column)": C}
    ce = res.step("dot shape (column)").counterexample
    assert ce.dims == {"n": 1} and ce.lhs == [[1, 1]] and ce.rhs == [[]]


def test_the_checker_reports_exceptions_with_their_type() -> None:
    def broken(v):
        raise ZeroDivisionError("nope")

    c = array_check("demo_broken", broken, lambda v: v, [Input("v", ("n",))], [Output("v", ("n",))], question="b")
    ce = c.check(seed=0).step("b value (1-D)").counterexample
    assert ce.gap == "raises ZeroDivisionError: nope" and ce.dims == {"n": 1}


def test_inputs_are_drawn_as_declared() -> None:
    rng = np.random.default_rng(0)
    p = Input("p", ("m",), "prob").draw(rng, {"m": 4})
    assert np.isclose(p.sum(), 1) and (p > 0).all()
    assert all(0 <= Input("y", ("m",), "label").draw(rng, {"m": 3}) < 3 for _ in range(20))
    assert (Input("h", ("m",), "nonneg").draw(rng, {"m": 5}) >= 0).all()
    assert (Input("z", ("m",), "nonzero").draw(rng, {"m": 9}, "ternary") != 0).all()
    assert Input("z", ("m",), "nonzero").entry_candidates(0.3) == [1.0, -1.0, 0.5]
    assert sorted([2.0, -1.0, 0.0, 1.0], key=complexity) == [0.0, 1.0, -1.0, 2.0]


def test_descent_check_on_a_correct_and_on_an_ascending_procedure() -> None:
    def ascent(theta, data, grad, eta, eps):
        g = sum(grad(theta, x) for x in data)
        while np.linalg.norm(eta * g) >= eps:
            theta = theta + eta * g
            g = sum(grad(theta, x) for x in data)
        return theta

    res = descent_check("demo_ascent", ascent, question="a", cap=500).check(seed=0)
    assert res.step("a runs (1-D)").verdict.value == C  # hitting the cap is not an error
    assert res.step("a stops (column)").verdict.value == R
    assert res.step("a loss goes down (1-D)").verdict.value == R
    ok = descent_check("demo_gd", sc.gradient_descent_corrected, question="g").check(seed=1)
    assert ok.ok and all(s.verdict.value == C for s in ok.steps)


def test_capped_gradient_stops_runaway_loops() -> None:
    g = capped(half_square_gradient, 3)
    for _ in range(3):
        g(np.array([1.0]), np.array([0.0]))
    with pytest.raises(CapReached):
        g(np.array([2.0]), np.array([0.0]))
    assert g.calls == 4 and g.last.tolist() == [2.0]
