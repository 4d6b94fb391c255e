"""Batch and layer normalization, forward pass: the normalized entries have mean 0 and variance 1,
and centring ignores a shift of the inputs."""

from symbolic import Dot, sp

from ._corpus import textbook


@textbook("Batch norm: the centred batch sums to zero, 1^T (x - mean(x) 1) = 0", "a missing term (the mean)")
def batch_norm_mean_zero(d, wrong):
    N = d.dim("N")
    x, one = d.vector("x", N), sp.OneMatrix(N, 1)
    c = x if wrong else x - one * (one.T * x) / N
    d.claim(one.T * c, "=", sp.ZeroMatrix(1, 1), "1")


@textbook("Batch norm: the normalized batch has variance 1 (biased variance, divided by N)",
          "a wrong factor (the unbiased N - 1 in the variance)")
def batch_norm_unit_variance(d, wrong):
    N = d.dim("N")
    x, one = d.vector("x", N), sp.OneMatrix(N, 1)
    c = x - one * (one.T * x) / N
    var = Dot(c.T * c) / (N - 1 if wrong else N)
    d.claim(Dot(c.T * c) / (N * var), "=", 1, "1")


@textbook("Layer norm: centring is invariant to a shift of every input, x + c 1", "a missing term (the shift kept)")
def layer_norm_shift_invariance(d, wrong):
    N = d.dim("N")
    x, one, a = d.vector("x", N), sp.OneMatrix(N, 1), d.scalar("c")
    centre = lambda v: v - one * (one.T * v) / N
    d.claim(centre(x + a * one), "=", centre(x) + a * one if wrong else centre(x), "1")
