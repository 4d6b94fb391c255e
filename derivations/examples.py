"""Small examples that show each verdict; used by the README and the tests."""

from __future__ import annotations

from symbolic import Derivation, Jac, Norm, Source, sp

from ._registry import register


@register
def example_square_of_sum() -> Derivation:
    """(a + b)^2 expanded: one correct step and one wrong step."""
    d = Derivation("example_square_of_sum", statement="(a + b)^2 = a^2 + 2ab + b^2",
                   source=Source("", "example", "example"), review=True)
    a, b = d.scalar("a"), d.scalar("b")
    d.start((a + b) ** 2)
    d.eq(a**2 + 2 * a * b + b**2, "1", why="expand the square")
    d.eq(a**2 + b**2, "2", why="drop the cross term (wrong)")
    return d


@register
def example_weight_norm_trap() -> Derivation:
    """d(g u/||u||)/du: sympy's matrix calculus drops the norm's dependence on u."""
    d = Derivation("example_weight_norm_trap", statement="Jacobian of g u / ||u||",
                   source=Source("", "example", "example"), review=True)
    n = d.dim("n")
    u = d.vector("u", n)
    g = d.scalar("g")
    I = sp.Identity(n)
    d.claim(Jac(g * u / Norm(u), u), "=", g / Norm(u) * (I - u * u.T / Norm(u) ** 2), "right",
            why="quotient rule")
    d.claim(Jac(g * u / Norm(u), u), "=", g / Norm(u) * I, "sympy", why="what sympy's diff returns")
    return d
