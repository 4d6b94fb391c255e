"""Seed 000, Question 3: the second-order Taylor model, a gradient step on it, Newton's step.

The model (31) is f_hat(x) = f(x0) + (x - x0)^T g + 1/2 (x - x0)^T H (x - x0)
with x, x0, g of symbolic size n, H symmetric n x n (a Hessian) and f(x0) a
scalar symbol.  Each answer is encoded as submitted (the student's chain,
mistakes included, labelled with the equation numbers of the answer) and
corrected.
"""

from __future__ import annotations

from symbolic import Derivation, Dot, Grad, Source, sp

from ._registry import register

SEED_FILE = "000_fb61d5ace7e02265.txt"
HALF = sp.Rational(1, 2)


def _new(name: str, question: str, version: str, statement: str) -> Derivation:
    return Derivation(name, statement=statement, source=Source(SEED_FILE, question, version))


def _setup(d: Derivation, kinds: tuple[str, ...] = ("symmetric",)) -> tuple:
    """Declare n, H (with ``kinds``), x0, g and the scalar f(x0)."""
    n = d.dim("n")
    H = d.matrix("H", n, n, kinds=list(kinds), latex=r"\mathbf{H}")
    x0 = d.vector("x_0", n, latex=r"\mathbf{x}_0")
    g = d.vector("g", n, latex=r"\mathbf{g}")
    f0 = d.scalar("f_x0", latex=r"f(\mathbf{x}_0)")
    return n, H, x0, g, f0


def model(f0: sp.Expr, x0: sp.MatrixSymbol, g: sp.MatrixSymbol, H: sp.MatrixSymbol, x) -> sp.Expr:
    """The Taylor model (31) as a scalar (Dot of 1x1 products)."""
    return f0 + Dot((x - x0).T * g) + HALF * Dot((x - x0).T * H * (x - x0))


def after_step(f0: sp.Expr, g: sp.MatrixSymbol, H: sp.MatrixSymbol, eps: sp.Expr) -> sp.Expr:
    """The model's value after the step x1 = x0 - eps g, as in (35)."""
    return f0 - eps * Dot(g.T * g) + eps**2 / 2 * Dot(g.T * H * g)


# ---------------------------------------------------------------------- 3.1


def _mul(*factors) -> sp.MatMul:
    """A matrix product left as written (sympy's ``*`` would simplify it)."""
    return sp.MatMul(*factors, evaluate=False)


def _q3_1(d: Derivation, corrected: bool) -> Derivation:
    """(32)-(35): the model at x1 = x0 - eps g; the corrected chain drops the repeated (34)."""
    n, H, x0, g, f0 = _setup(d)
    eps = d.scalar("epsilon", positive=True, latex=r"\epsilon")
    x1 = d.vector("x_1", n, latex=r"\mathbf{x}_1")
    d.define(x1, x0 - eps * g)
    # unevaluated, so that the lines print as written: (x0 - eps g - x0) and (-eps g)^T
    step = sp.MatAdd(x0, -eps * g, -x0, evaluate=False)
    minus = sp.MatMul(-eps, g, evaluate=False)
    line32 = f0 + Dot(_mul(sp.Transpose(step), g)) + HALF * Dot(_mul(sp.Transpose(step), H, step))
    line33 = f0 + Dot(_mul(sp.Transpose(minus), g)) + HALF * Dot(_mul(sp.Transpose(minus), H, minus))
    d.start(model(f0, x0, g, H, x1))
    d.eq(line32, "32", why="x1 = x0 - epsilon g in (31)")
    d.eq(line33, "33", why="x0 - x0 cancels")
    if not corrected:
        d.eq(line33, "34", why="(the same line repeated)")
    d.eq(after_step(f0, g, H, eps), "35", why="take the scalars out")
    return d


@register
def q3_1_taylor_step_submitted() -> Derivation:
    """3.1 as submitted: the model after one gradient step, (32)-(35), (33) = (34) repeated."""
    d = _new("q3_1_taylor_step_submitted", "3.1", "submitted",
             "f_hat(x0 - eps g) = f(x0) - eps g^T g + eps^2/2 g^T H g")
    return _q3_1(d, corrected=False)


@register
def q3_1_taylor_step_corrected() -> Derivation:
    """3.1 corrected: the same chain without the repeated line."""
    d = _new("q3_1_taylor_step_corrected", "3.1", "corrected",
             "f_hat(x0 - eps g) = f(x0) - eps g^T g + eps^2/2 g^T H g")
    return _q3_1(d, corrected=True)


# ---------------------------------------------------------------------- 3.2


@register
def q3_2_step_condition_submitted() -> Derivation:
    """3.2 as submitted: the prose answer, read as the claims it makes.

    The answer has no equation.  It says that the g^T g term "points opposite
    to" the minimizing direction and the g^T H g term "points towards" it,
    "hence the subtraction and the addition", that epsilon only controls the
    speed of the step, and that f(x0) is the starting value.  We read it as:

    * "model": the terms are those of (35) (the model after the step);
    * "first-order": the first-order term lowers the model, -eps g^T g <= 0;
    * "second-order": the second-order term is an addition, eps^2/2 g^T H g >= 0
      (the student's sign reading, false when H is not positive semidefinite);
    * "any-eps": no condition on epsilon is given, so the step is taken to
      decrease the model for every epsilon > 0 (g != 0), which is what the
      question asks to qualify.
    """
    d = _new("q3_2_step_condition_submitted", "3.2", "submitted",
             "-eps g^T g lowers the model, +eps^2/2 g^T H g raises it; epsilon only sets the speed")
    _n, H, x0, g, f0 = _setup(d)
    eps = d.scalar("epsilon", positive=True, latex=r"\epsilon")
    d.assume(Dot(g.T * g) > 0, name="g nonzero")
    d.claim(model(f0, x0, g, H, x0 - eps * g), "=", after_step(f0, g, H, eps), "model",
            why="the terms obtained in 3.1")
    d.claim(-eps * Dot(g.T * g), "<=", 0, "first-order", why="g^T g term: subtracted, lowers the model")
    d.claim(eps**2 / 2 * Dot(g.T * H * g), ">=", 0, "second-order", why="g^T H g term: added")
    d.claim(after_step(f0, g, H, eps), "<", f0, "any-eps",
            why="epsilon only controls the speed (no condition given)")
    return d


@register
def q3_2_step_condition_corrected() -> Derivation:
    """3.2 corrected: the step decreases the model iff g^T H g <= 0, or 0 < eps < 2 g^T g / g^T H g.

    One derivation holds every case, so each case has its own symbols, whose
    hypotheses are independent: H is any symmetric matrix, H_p has positive
    curvature along g, H_n non-positive curvature along g.  The steps inside
    and outside the interval are parametrized, eps_in = theta 2 g^T g / g^T H_p g
    with 0 < theta < 1 and eps_out = lambda 2 g^T g / g^T H_p g with lambda >= 1,
    which is exactly eps_in in (0, 2 g^T g / g^T H_p g) and eps_out outside.
    """
    d = _new("q3_2_step_condition_corrected", "3.2", "corrected",
             "decrease iff g^T H g <= 0 (any eps > 0) or 0 < eps < 2 g^T g / g^T H g; "
             "best eps* = g^T g / g^T H g")
    n, H, x0, g, f0 = _setup(d)
    Hp = d.matrix("H_p", n, n, kinds=["symmetric"], latex=r"\mathbf{H}_{+}")
    Hn = d.matrix("H_n", n, n, kinds=["symmetric"], latex=r"\mathbf{H}_{-}")
    eps = d.scalar("epsilon", positive=True, latex=r"\epsilon")
    theta = d.scalar("theta", interval="(0, 1)", latex=r"\theta")
    lam = d.scalar("lambda", interval="[1, inf)", latex=r"\lambda")
    eps_in = d.scalar("epsilon_in", positive=True, latex=r"\epsilon_{\mathrm{in}}")
    eps_out = d.scalar("epsilon_out", positive=True, latex=r"\epsilon_{\mathrm{out}}")
    s = Dot(g.T * g)
    q, qp, qn = Dot(g.T * H * g), Dot(g.T * Hp * g), Dot(g.T * Hn * g)
    d.assume(s > 0, name="g nonzero")
    d.assume(qp > 0, name="positive curvature along g")
    d.assume(qn <= 0, name="non-positive curvature along g")
    d.define(eps_in, theta * 2 * s / qp).define(eps_out, lam * 2 * s / qp)
    # the model along the step, and its two algebraic forms
    d.claim(model(f0, x0, g, H, x0 - eps * g), "=", after_step(f0, g, H, eps), "model", why="3.1")
    d.claim(f0 - after_step(f0, g, H, eps), "=", eps * (s - eps / 2 * q), "decrease",
            why="factor epsilon out of the decrease")
    d.claim(after_step(f0, g, H, eps), "=", f0 - s**2 / (2 * q) + q / 2 * (eps - s / q)**2, "square",
            why="complete the square in epsilon (g^T H g != 0)")
    # case g^T H g <= 0: both terms of the decrease are >= 0, the first > 0
    d.claim(after_step(f0, g, Hn, eps), "<", f0, "case-nonpositive",
            why="eps g^T g > 0 and -eps^2/2 g^T H g >= 0")
    # case g^T H g > 0: decrease iff eps < 2 g^T g / g^T H g
    d.claim(after_step(f0, g, Hp, eps_in), "<", f0, "case-positive-inside",
            why="the decrease eps (g^T g - eps/2 g^T H g) has both factors > 0")
    d.claim(after_step(f0, g, Hp, eps_out), ">=", f0, "case-positive-outside",
            why="the second factor of the decrease is <= 0")
    # the best step: the vertex of the parabola in epsilon
    d.claim(after_step(f0, g, Hp, s / qp), "=", f0 - s**2 / (2 * qp), "best-value", why="eps* = g^T g / g^T H g")
    d.claim(after_step(f0, g, Hp, s / qp), "<=", after_step(f0, g, Hp, eps), "best",
            why="completed square with g^T H g > 0")
    return d


# ---------------------------------------------------------------------- 3.3


def _q3_3(d: Derivation, kinds: tuple[str, ...]) -> Derivation:
    """(36)-(38): the model's gradient, set to zero and solved for x; H has the given kinds."""
    n, H, x0, g, f0 = _setup(d, kinds)
    x = d.vector("x", n, latex=r"\mathbf{x}")
    # f_hat(x) as a 1 x 1 matrix expression, the same function as (31): written with Dot, the
    # engine's symbolic derivative turns it into index sums and differentiates them to 0
    f_hat = f0 * sp.Identity(1) + (x - x0).T * g + HALF * (x - x0).T * H * (x - x0)
    zero = sp.ZeroMatrix(n, 1)
    d.claim(Grad(f_hat, x), "=", g + H * (x - x0), "36", why="gradient of the quadratic model, H symmetric")
    d.equation(g + H * (x - x0), zero)
    d.implies(H.I * g + x - x0, zero, "37", unknown=x, why="left-multiply by H^-1")
    d.implies(x, x0 - H.I * g, "38", unknown=x, why="solve for x")
    return d


@register
def q3_3_newton_submitted() -> Derivation:
    """3.3 as submitted: grad f_hat = 0 gives Newton's step; H^-1 used, invertibility never stated."""
    d = _new("q3_3_newton_submitted", "3.3", "submitted",
             "grad f_hat(x) = g + H (x - x0) = 0  =>  x = x0 - H^-1 g")
    return _q3_3(d, kinds=("symmetric",))


@register
def q3_3_newton_corrected() -> Derivation:
    """3.3 corrected: the same steps with H symmetric and invertible, as stated assumptions."""
    d = _new("q3_3_newton_corrected", "3.3", "corrected",
             "H symmetric invertible: grad f_hat(x) = g + H (x - x0) = 0  <=>  x = x0 - H^-1 g")
    return _q3_3(d, kinds=("symmetric", "invertible"))
