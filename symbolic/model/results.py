"""Verdicts and the evidence behind them: frozen value objects.

A verdict is earned, never assumed:

* ``PROVED``: a symbolic argument (simplification to zero, a named lemma
  with its side conditions met, an induction).  ``Evidence.method`` names it.
* ``REFUTED``: a concrete counterexample, re-verified at high precision and
  shrunk.  ``StepResult.counterexample`` holds it.
* ``CONFIRMED``: no proof, but ``Evidence.samples`` random checks passed with
  largest relative error ``Evidence.max_error``.
* ``UNDECIDED``: ``StepResult.reason`` says why.

>>> r = StepResult(label="1", relation="=", verdict=Verdict.PROVED,
...                evidence=Evidence(method="simplification to zero (expand)"))
>>> r.ok
True
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Mapping


class Verdict(str, enum.Enum):
    """The four verdicts a step can receive."""

    PROVED = "PROVED"
    CONFIRMED = "CONFIRMED"
    REFUTED = "REFUTED"
    UNDECIDED = "UNDECIDED"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@dataclass(frozen=True)
class Evidence:
    """How a verdict was reached.

    >>> Evidence(method="numeric", samples=40, max_error=1e-15).summary()
    'numeric; 40 samples; max rel. error 1.0e-15'
    """

    method: str
    samples: int = 0
    max_error: float | None = None
    notes: tuple[str, ...] = ()
    tolerance: float | None = None
    """The relative tolerance the samples were checked against (``None``: no numeric check, or exact)."""

    def summary(self) -> str:
        parts = [self.method]
        if self.samples:
            parts.append(f"{self.samples} samples")
        if self.max_error is not None:
            parts.append(f"max rel. error {self.max_error:.1e}")
        parts.extend(self.notes)
        return "; ".join(parts)


@dataclass(frozen=True)
class Counterexample:
    """Concrete values at which a step fails, re-verified at high precision.

    ``values`` maps symbol names to plain Python numbers or nested lists
    (matrices as lists of rows).  ``lhs``/``rhs`` are the two sides evaluated
    there, as floats or nested lists, and ``gap`` a short description of how
    they differ.  ``code`` is a snippet that reproduces the failure.

    >>> c = Counterexample(values={"x": 1}, lhs=2.0, rhs=3.0, gap="lhs - rhs = -1")
    >>> c.values["x"]
    1
    """

    values: Mapping[str, Any]
    lhs: Any
    rhs: Any
    gap: str
    dims: Mapping[str, int] = field(default_factory=dict)
    code: str = ""
    precision_digits: int = 50

    def to_json(self) -> dict:
        return {
            "values": dict(self.values),
            "dims": dict(self.dims),
            "lhs": self.lhs,
            "rhs": self.rhs,
            "gap": self.gap,
            "code": self.code,
        }


@dataclass(frozen=True)
class StepResult:
    """The verdict on one step, with its evidence and timing."""

    label: str
    relation: str
    verdict: Verdict
    evidence: Evidence | None = None
    counterexample: Counterexample | None = None
    reason: str | None = None
    seconds: float = 0.0
    cached: bool = False
    disagreement: str | None = None

    @property
    def ok(self) -> bool:
        """True for PROVED and CONFIRMED.

        >>> StepResult(label="1", relation="=", verdict=Verdict.UNDECIDED, reason="timeout").ok
        False
        """
        return self.verdict in (Verdict.PROVED, Verdict.CONFIRMED)

    @property
    def method(self) -> str:
        if self.evidence is not None:
            return self.evidence.method
        return "none"

    def to_json(self) -> dict:
        return {
            "label": self.label,
            "relation": self.relation,
            "verdict": self.verdict.value,
            "method": self.method,
            "evidence": self.evidence.summary() if self.evidence else None,
            "samples": self.evidence.samples if self.evidence else 0,
            "max_error": self.evidence.max_error if self.evidence else None,
            "counterexample": self.counterexample.to_json() if self.counterexample else None,
            "reason": self.reason,
            "disagreement": self.disagreement,
            "seconds": round(self.seconds, 6),
        }


@dataclass(frozen=True)
class DerivationResult:
    """The verdicts on every step of one derivation."""

    name: str
    steps: tuple[StepResult, ...]
    seed: int
    source: Any = None
    cache_ignored: int = 0
    """Cache entries met while checking that did not verify (forged, copied, malformed) and were ignored."""

    @property
    def first_wrong_step(self) -> str | None:
        """Label of the first REFUTED step, or ``None``.

        >>> DerivationResult("d", (), seed=0).first_wrong_step is None
        True
        """
        for s in self.steps:
            if s.verdict is Verdict.REFUTED:
                return s.label
        return None

    @property
    def first_unsettled_step(self) -> str | None:
        """Label of the first REFUTED or UNDECIDED step, or ``None``."""
        for s in self.steps:
            if not s.ok:
                return s.label
        return None

    @property
    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for s in self.steps:
            out[s.verdict.value] += 1
        return out

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    def step(self, label: str) -> StepResult:
        """The result of the step labelled ``label``."""
        for s in self.steps:
            if s.label == label:
                return s
        raise KeyError(f"derivation {self.name!r} has no step labelled {label!r}")

    def verdicts(self) -> dict[str, str]:
        """Map of step label to verdict name."""
        return {s.label: s.verdict.value for s in self.steps}

    def __repr__(self) -> str:
        c = self.counts
        counts = ", ".join(f"{k.lower()}={v}" for k, v in c.items() if v)
        wrong = self.first_wrong_step
        tail = f", first wrong step {wrong}" if wrong else ""
        return f"<DerivationResult {self.name}: {counts}{tail}>"

    def _repr_latex_(self) -> str:
        from ..emit.notebook import result_table_latex

        return result_table_latex(self)
