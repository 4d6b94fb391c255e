"""Question 1 of 000_fb61d5ace7e02265.txt: RNN hidden states and vanishing gradients.

The recurrent unit is h_t = W sigma(h_{t-1}) + U x_t + b; the usual form is
g_t = sigma(W g_{t-1} + U x_t + b).  Labels are the submission's equation
numbers; steps the submission states in prose carry a label like "1.3a".
"""

from __future__ import annotations

from symbolic import DiagOf, Jac, LambdaMax, MatProd, Norm, Source, sp
from symbolic import Derivation

from ._registry import register

SEED = "000_fb61d5ace7e02265.txt"


def _rnn(d: Derivation, *, t_lower: int = 0, bound: bool = True):
    """Declarations shared by the questions on the recurrent unit."""
    n = d.dim("n")
    t = d.index("t", lower=t_lower)
    W = d.matrix("W", n, n, latex=r"\mathbf{W}")
    U = d.matrix("U", n, n, latex=r"\mathbf{U}")
    b = d.vector("b", n, latex=r"\mathbf{b}")
    gamma = d.scalar("gamma", positive=True, latex=r"\gamma") if bound else None
    sigma = d.function("sigma", derivative_bound=gamma, latex=r"\sigma")
    x = d.sequence("x", size=n, latex=r"\mathbf{x}")
    return n, t, W, U, b, gamma, sigma, x


# -- 1.1 ---------------------------------------------------------------------

def _q1_1(name: str, version: str) -> Derivation:
    d = Derivation(name, statement="g_t = sigma(h_t): the two recurrences agree",
                   source=Source(SEED, "1.1", version))
    n, t, W, U, b, _, sigma, x = _rnn(d, t_lower=1, bound=False)
    g_t, g_prev = d.vector("g_t", n, latex=r"\mathbf{g}_{t}"), d.vector("g_prev", n, latex=r"\mathbf{g}_{t-1}")
    h_t, h_prev = d.vector("h_t", n, latex=r"\mathbf{h}_{t}"), d.vector("h_prev", n, latex=r"\mathbf{h}_{t-1}")
    d.define(g_t, sigma(W * g_prev + U * x(t) + b))
    d.define(h_t, W * sigma(h_prev) + U * x(t) + b)
    d.define(g_prev, sigma(h_prev))  # the induction hypothesis at t - 1
    d.start(g_t)
    d.eq(sigma(W * g_prev + U * x(t) + b), "1", why="definition of g_t")
    d.eq(sigma(W * sigma(h_prev) + U * x(t) + b), "2", why="induction hypothesis g_{t-1} = sigma(h_{t-1})")
    d.eq(sigma(h_t), "3", why="definition of h_t")
    return d


@register
def q1_1_induction_submitted() -> Derivation:
    """The inductive step as submitted; the base case is stated as g_0 = sigma(h_0)."""
    return _q1_1("q1_1_induction_submitted", "submitted")


@register
def q1_1_induction_corrected() -> Derivation:
    """The inductive step, then the whole claim by induction over the sequences themselves."""
    d = _q1_1("q1_1_induction_corrected", "corrected")
    n = d.decls["n"].symbol
    t = d.decls["t"].symbol
    W, U, b = (d.decls[k].symbol for k in ("W", "U", "b"))
    sigma = d._handles["sigma"]
    x = d._handles["x"]
    s = d.index("s", lower=0)
    h = d.sequence("h", size=n, index=s, start=0, latex=r"\mathbf{h}",
                   recurrence=lambda s, prev: W * sigma(prev) + U * x(s) + b)
    g = d.sequence("g", size=n, index=s, start=0, initial=sigma(h(0)), latex=r"\mathbf{g}",
                   recurrence=lambda s, prev: sigma(W * prev + U * x(s) + b))
    d.induction(g, sigma(h(s)), "1.1", why="base case g_0 := sigma(h_0); inductive step (1)-(3)", check_up_to=60)
    del t
    return d


# -- 1.2 ---------------------------------------------------------------------

def _gradients(d: Derivation):
    """The recurrence g_t = sigma(W g_{t-1} + U x_t + b) over T steps, and D(k) = diag(sigma'_{k+1})."""
    n, t, W, U, b, gamma, sigma, x = _rnn(d)
    T = d.index("T", lower=1)
    delta = d.scalar("delta", interval="[0, 1)", latex=r"\delta")
    g = d.sequence("g", size=n, index=t, start=0, latex=r"\mathbf{g}",
                   recurrence=lambda t, prev: sigma(W * prev + U * x(t) + b))

    def D(k):
        """diag(sigma'_{k+1}): the derivative of sigma at the pre-activation of step k + 1."""
        return DiagOf(sigma.prime(W * g(k) + U * x(k + 1) + b))

    return t, T, W, gamma, delta, g, D


def _q1_2_setup(name: str, version: str, statement: str):
    d = Derivation(name, statement=statement, source=Source(SEED, "1.2", version))
    t, T, W, gamma, delta, g, D = _gradients(d)
    d.assume(LambdaMax(W.T * W) <= delta**2 / gamma**2, name="largest eigenvalue bound")
    return d, t, T, W, gamma, delta, g, D


@register
def q1_2_vanishing_submitted() -> Derivation:
    """The bound on ||dg_T/dg_0|| as submitted: (9) takes the norm of a product as the product of norms."""
    d, t, T, W, gamma, delta, g, D = _q1_2_setup(
        "q1_2_vanishing_submitted", "submitted", "||dg_T/dg_0|| <= delta^T -> 0 when lambda_1(W^T W) <= delta^2/gamma^2")
    d.claim(Jac(g(T), g(0)), "=", MatProd(Jac(g(t + 1), g(t)), t, 0, T - 1), "5", why="chain rule (4)-(5)")
    d.claim(Jac(g(t + 1), g(t)), "=", D(t) * W, "6", why="derivative of sigma(W g_t + U x_{t+1} + b)")
    d.claim(Jac(g(T), g(0)), "=", MatProd(D(t) * W, t, 0, T - 1), "7", why="substituting (6) into (4)")
    d.start(Norm(Jac(g(T), g(0))))
    d.eq(Norm(MatProd(D(t) * W, t, 0, T - 1)), "8", why="norm of both sides of (7)")
    d.eq(sp.Product(Norm(D(t) * W), (t, 0, T - 1)), "9", why="norm of the product")
    d.le(sp.Product(Norm(D(t)) * Norm(W), (t, 0, T - 1)), "10", why="submultiplicativity")
    d.le(sp.Product(sp.Abs(gamma) * sp.sqrt(LambdaMax(W.T * W)), (t, 0, T - 1)), "11",
         why="|sigma'| <= gamma and ||W|| = sqrt(lambda_1(W^T W))")
    d.eq(sp.Product(sp.Abs(gamma) * delta / gamma, (t, 0, T - 1)), "11b",
         why="lambda_1(W^T W) = delta^2/gamma^2 (second half of (11))")
    d.eq(sp.Product(sp.Abs(delta), (t, 0, T - 1)), "12", why="gamma cancels")
    d.eq(sp.Abs(delta) ** T, "12b", why="product of T equal factors")
    d.claim(sp.Limit(Norm(Jac(g(T), g(0))), T, sp.oo), "=", sp.Limit(sp.Abs(delta) ** T, T, sp.oo), "13",
            why="limits of both sides of (12)")
    d.claim(sp.Limit(sp.Abs(delta) ** T, T, sp.oo), "=", 0, "13b", why="0 <= delta < 1")
    return d


@register
def q1_2_vanishing_corrected() -> Derivation:
    """The bound with submultiplicativity over the product and the eigenvalue bound used as an inequality."""
    d, t, T, W, gamma, delta, g, D = _q1_2_setup(
        "q1_2_vanishing_corrected", "corrected", "||dg_T/dg_0|| <= delta^T -> 0 when lambda_1(W^T W) <= delta^2/gamma^2")
    d.claim(Jac(g(t + 1), g(t)), "=", D(t) * W, "6",
            why="chain rule through sigma(W g_t + U x_{t+1} + b); CONFIRMED: no symbolic calculus for sequences")
    d.claim(Jac(g(T), g(0)), "=", MatProd(D(t) * W, t, 0, T - 1), "7",
            why="chain rule over T steps, factor for step T leftmost")
    d.start(Norm(Jac(g(T), g(0))))
    d.eq(Norm(MatProd(D(t) * W, t, 0, T - 1)), "8", why="(7)")
    d.le(sp.Product(Norm(D(t) * W), (t, 0, T - 1)), "9", why="submultiplicativity, T - 1 times")
    d.le(sp.Product(Norm(D(t)) * Norm(W), (t, 0, T - 1)), "10", why="submultiplicativity")
    d.le(sp.Product(gamma * sp.sqrt(LambdaMax(W.T * W)), (t, 0, T - 1)), "11",
         why="||diag(a)|| = max|a_i| <= gamma; ||W|| = sqrt(lambda_1(W^T W))")
    d.le(sp.Product(gamma * delta / gamma, (t, 0, T - 1)), "11b", why="hypothesis lambda_1(W^T W) <= delta^2/gamma^2")
    d.eq(delta**T, "12", why="gamma cancels; T equal factors")
    d.claim(sp.Limit(delta**T, T, sp.oo), "=", 0, "13", why="geometric sequence, 0 <= delta < 1")
    d.claim(sp.Limit(Norm(Jac(g(T), g(0))), T, sp.oo), "=", 0, "13b",
            why="squeeze: 0 <= ||dg_T/dg_0|| <= delta^T by (8)-(12); CONFIRMED numerically")
    return d


# -- 1.3 ---------------------------------------------------------------------

def _q1_3_setup(name: str, version: str, *, converse: bool):
    d = Derivation(name, statement="lambda_1(W^T W) > delta^2/gamma^2 is necessary, not sufficient, for explosion",
                   source=Source(SEED, "1.3", version),
                   review=version != "corrected")
    t, T, W, gamma, delta, g, D = _gradients(d)
    if converse:
        d.assume(LambdaMax(W.T * W) > delta**2 / gamma**2, name="reversed condition")
    return d, t, T, W, gamma, delta, g, D


# A counterexample to "lambda_1(W^T W) > delta^2/gamma^2 makes the gradient explode" that
# `q1_3_explosion_probe` finds (tests/test_seed000_rnn.py checks that it still does).
WITNESS = {"n": 1, "T": 1, "W": [[1]], "U": [[0]], "b": [[0]], "g(0)": [[0]], "x(1)": [[0]],
           "gamma": 1, "delta": 0.5, "sigma": "0.5*tanh(x)"}


@register
def q1_3_explosion_probe() -> Derivation:
    """The claim the tool must refute: the reversed condition makes ||dg_T/dg_0|| at least 1."""
    d, t, T, W, gamma, delta, g, D = _q1_3_setup("q1_3_explosion_probe", "example", converse=True)
    d.claim(Norm(Jac(g(T), g(0))), ">=", 1, "probe", why="reversed condition => the gradient does not shrink")
    return d


@register
def q1_3_converse_submitted() -> Derivation:
    """The submission's one-sentence answer: necessary (a lower bound) but not sufficient."""
    d, t, T, W, gamma, delta, g, D = _q1_3_setup("q1_3_converse_submitted", "submitted", converse=True)
    d.exists(Norm(Jac(g(T), g(0))), "<", 1, "1.3a", witness=WITNESS,
             why="not sufficient: the condition is only a lower bound")
    return d


@register
def q1_3_converse_corrected() -> Derivation:
    """Not sufficient (a witness), and the condition that is necessary: gamma^2 lambda_1(W^T W) > 1."""
    d, t, T, W, gamma, delta, g, D = _q1_3_setup("q1_3_converse_corrected", "corrected", converse=False)
    d.exists(Norm(Jac(g(T), g(0))), "<", 1, "1.3a", witness=WITNESS,
             why="a W with lambda_1(W^T W) > delta^2/gamma^2 whose gradient shrinks: not sufficient")
    d.exists(LambdaMax(W.T * W), ">", delta**2 / gamma**2, "1.3b", witness=WITNESS,
             why="the witness does satisfy the reversed condition")
    # (8)-(11) of 1.2 without the hypothesis: the gradient can only explode when gamma sqrt(lambda_1) > 1,
    # which implies lambda_1(W^T W) > 1/gamma^2 > delta^2/gamma^2: the reversed condition is necessary.
    d.start(Norm(Jac(g(T), g(0))))
    d.eq(Norm(MatProd(D(t) * W, t, 0, T - 1)), "1.3c", why="chain rule, as in 1.2 (7)")
    d.le(sp.Product(Norm(D(t) * W), (t, 0, T - 1)), "1.3d", why="submultiplicativity")
    d.le(sp.Product(Norm(D(t)) * Norm(W), (t, 0, T - 1)), "1.3e", why="submultiplicativity")
    d.le(sp.Product(gamma * sp.sqrt(LambdaMax(W.T * W)), (t, 0, T - 1)), "1.3f",
         why="|sigma'| <= gamma, ||W|| = sqrt(lambda_1(W^T W))")
    d.eq((gamma * sp.sqrt(LambdaMax(W.T * W))) ** T, "1.3g",
         why="T equal factors: bounded unless gamma sqrt(lambda_1) > 1")
    return d
