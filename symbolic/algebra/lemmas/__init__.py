"""Proving ``a <= b`` as an instance of named lemmas whose side conditions hold.

The prover works backwards from the goal with a small set of rules, each a
textbook lemma: submultiplicativity of the spectral norm, ``||A|| =
sqrt(lambda_1(A^T A))``, ``||diag(a)|| = max |a_i|``, the triangle and
Cauchy-Schwarz inequalities, monotonicity of products of bounded
non-negative factors, of powers and of sums; and the stated hypotheses.  A
proof returns the names of the lemmas used; no proof returns ``None``.

The rules live by family: :mod:`.orders` (products, powers, sums),
:mod:`.norms` (norm and inner-product lemmas); :mod:`.prover` holds the
search and the hypotheses.

>>> import sympy as sp
>>> x, y = sp.symbols("x y", positive=True)
>>> Prover(facts=[(x, y)]).prove_le(2*x, 2*y)
['hypothesis x <= y, scaled by a factor of known sign']
"""

from __future__ import annotations

from .prover import Prover, facts_from_hypotheses, strict_facts_from_hypotheses

__all__ = ["Prover", "facts_from_hypotheses", "strict_facts_from_hypotheses"]
