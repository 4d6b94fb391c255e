"""Check code snippets against the mathematics they implement: numeric only, never PROVED.

A snippet is a Python function transcribed from a submission; its reference is the
derived formula written with numpy on 1-D vectors.  A :class:`CodeCheck` runs the
snippet on deterministic random inputs (drawn from the seed; sizes cycle from all ones
to larger non-square plans) under both array conventions, 1-D arrays and n x 1
columns, and probes its shape, its value and its side effects (:func:`array_check`);
a procedure such as gradient descent runs on a small convex problem
(:func:`descent_check`).  Each probe yields the engine's value objects: REFUTED with
a shrunk :class:`~symbolic.model.results.Counterexample` (smallest sizes first, then values
0, 1, -1, ...) whose ``code`` calls the snippet, or CONFIRMED with the number of random
checks and the largest relative error.

>>> def double(v):
...     v *= 2            # modifies its argument
...     return v
>>> c = array_check("demo_double", double, lambda v: 2 * v, [Input("v", ("n",))], [Output("v2", ("n",))], question="d")
>>> r = c.check(seed=0)
>>> r.step("d value (1-D)").verdict.value, r.step("d inputs unchanged (1-D)").verdict.value
('CONFIRMED', 'REFUTED')
>>> r.step("d inputs unchanged (1-D)").counterexample.values
{'v': [1.0]}
"""

from __future__ import annotations

from .arrays import (
    CONVENTIONS, CodeCheck, Env, Input, METHOD, Outcome, Output, Probe, SIZE_PLANS, STYLES, TOL, array_check, complexity, in_convention, literal, plain, relative_error,
)
from .descent import CapReached, capped, descent_check, half_square_gradient

__all__ = [
    "CONVENTIONS",
    "CodeCheck",
    "Env",
    "Input",
    "METHOD",
    "Outcome",
    "Output",
    "Probe",
    "SIZE_PLANS",
    "STYLES",
    "TOL",
    "array_check",
    "complexity",
    "in_convention",
    "literal",
    "plain",
    "relative_error",
    "CapReached",
    "capped",
    "descent_check",
    "half_square_gradient",
]
