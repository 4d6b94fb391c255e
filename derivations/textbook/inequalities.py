"""Norm inequalities: orderings of the norms of one vector or matrix, Cauchy-Schwarz, Hölder,
the triangle inequality, submultiplicativity (Horn and Johnson, Matrix Analysis, ch. 5)."""

from symbolic import Dot, norm, sp

from ._corpus import textbook


@textbook("Spectral norm below Frobenius norm: ||A||_2 <= ||A||_F", "a flipped inequality")
def spectral_below_frobenius(d, wrong):
    m, n = d.dim("m"), d.dim("n")
    A = d.matrix("A", m, n)
    d.claim(norm(A), ">=" if wrong else "<=", norm(A, "fro"), "1")


@textbook("Frobenius norm below sqrt(rank) times the spectral norm: ||A||_F <= sqrt(n) ||A||_2",
          "a missing sqrt(n)")
def frobenius_below_sqrt_rank_spectral(d, wrong):
    n = d.dim("n")
    A = d.matrix("A", n, n)
    d.claim(norm(A, "fro"), "<=", (1 if wrong else sp.sqrt(n)) * norm(A), "1")


@textbook("Nuclear norm between the Frobenius norm and sqrt(n) times it", "a missing sqrt(n)")
def nuclear_below_sqrt_rank_frobenius(d, wrong):
    n = d.dim("n")
    A = d.matrix("A", n, n)
    d.claim(norm(A, "nuc"), "<=", (1 if wrong else sp.sqrt(n)) * norm(A, "fro"), "1")


@textbook("Frobenius norm below the nuclear norm: ||A||_F <= ||A||_*", "a flipped inequality")
def frobenius_below_nuclear(d, wrong):
    n = d.dim("n")
    A = d.matrix("A", n, n)
    d.claim(norm(A, "fro"), ">=" if wrong else "<=", norm(A, "nuc"), "1")


@textbook("Vector norms: ||x||_inf <= ||x||_2 <= ||x||_1", "a flipped inequality")
def vector_norm_chain(d, wrong):
    n = d.dim("n")
    x = d.vector("x", n)
    d.claim(norm(x, sp.oo), "<=", norm(x), "1")
    d.claim(norm(x), ">=" if wrong else "<=", norm(x, 1), "2")


@textbook("||x||_1 <= sqrt(n) ||x||_2 (Cauchy-Schwarz against the ones vector)", "a missing sqrt(n)")
def one_norm_below_sqrt_n_two_norm(d, wrong):
    n = d.dim("n")
    x = d.vector("x", n)
    d.claim(norm(x, 1), "<=", (1 if wrong else sp.sqrt(n)) * norm(x), "1")


@textbook("||x||_2 <= sqrt(n) ||x||_inf", "a missing sqrt(n)")
def two_norm_below_sqrt_n_max_norm(d, wrong):
    n = d.dim("n")
    x = d.vector("x", n)
    d.claim(norm(x), "<=", (1 if wrong else sp.sqrt(n)) * norm(x, sp.oo), "1")


@textbook("Cauchy-Schwarz: |x^T y| <= ||x|| ||y||", "a flipped inequality")
def cauchy_schwarz_absolute(d, wrong):
    n = d.dim("n")
    x, y = d.vector("x", n), d.vector("y", n)
    d.claim(sp.Abs(Dot(x.T * y)), ">=" if wrong else "<=", norm(x) * norm(y), "1")


@textbook("Hölder with p = 1, q = oo: |x^T y| <= ||x||_1 ||y||_inf", "the wrong dual norm (oo for 1)")
def holder_one_infinity(d, wrong):
    n = d.dim("n")
    x, y = d.vector("x", n), d.vector("y", n)
    d.claim(sp.Abs(Dot(x.T * y)), "<=", norm(x, sp.oo if wrong else 1) * norm(y, sp.oo), "1")


@textbook("Cauchy-Schwarz for the trace inner product: |tr(A^T B)| <= ||A||_F ||B||_F",
          "the spectral norms for the Frobenius norms")
def trace_cauchy_schwarz(d, wrong):
    n = d.dim("n")
    A, B = d.matrix("A", n, n), d.matrix("B", n, n)
    p = 2 if wrong else "fro"
    d.claim(sp.Abs(sp.Trace(A.T * B)), "<=", norm(A, p) * norm(B, p), "1")


@textbook("Triangle inequality of the 1-norm: ||x + y||_1 <= ||x||_1 + ||y||_1", "a flipped sign")
def triangle_one_norm(d, wrong):
    n = d.dim("n")
    x, y = d.vector("x", n), d.vector("y", n)
    d.claim(norm(x + y, 1), "<=", norm(x, 1) + (-1 if wrong else 1) * norm(y, 1), "1")


@textbook("Triangle inequality of the Frobenius norm: ||A + B||_F <= ||A||_F + ||B||_F",
          "a dropped cross term: the squares added")
def triangle_frobenius(d, wrong):
    n = d.dim("n")
    A, B = d.matrix("A", n, n), d.matrix("B", n, n)
    if wrong:
        d.claim(norm(A + B, "fro")**2, "<=", norm(A, "fro")**2 + norm(B, "fro")**2, "1")
    else:
        d.claim(norm(A + B, "fro"), "<=", norm(A, "fro") + norm(B, "fro"), "1")


@textbook("Operator norm: ||A x|| <= ||A|| ||x||", "a missing factor ||A||")
def operator_norm_bound(d, wrong):
    n = d.dim("n")
    A, x = d.matrix("A", n, n), d.vector("x", n)
    d.claim(norm(A * x), "<=", (1 if wrong else norm(A)) * norm(x), "1")


@textbook("Submultiplicativity of the Frobenius norm: ||A B||_F <= ||A||_F ||B||_F",
          "the spectral norms on the right")
def frobenius_submultiplicative(d, wrong):
    n = d.dim("n")
    A, B = d.matrix("A", n, n), d.matrix("B", n, n)
    p = 2 if wrong else "fro"
    d.claim(norm(A * B, "fro"), "<=", norm(A, p) * norm(B, p), "1")
