"""Helpers shared by the tests that compare computed verdicts with expected tables."""

from __future__ import annotations

import numbers


def numbers_in(value):
    """Every number in a counterexample value (nested lists of rows included).

    >>> list(numbers_in([[1, 2], [3.5]]))
    [1.0, 2.0, 3.5]
    """
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from numbers_in(v)
    elif isinstance(value, numbers.Number):
        yield float(value)


def is_simple(x: float, limit: float = 10) -> bool:
    """A value a shrunk counterexample may hold: small, with at most one decimal.

    >>> is_simple(0.5), is_simple(0.123)
    (True, False)
    """
    return abs(x) <= limit and abs(x * 10 - round(x * 10)) < 1e-9


def assert_expected_verdicts(name: str, result, expected: dict) -> None:
    """Every step of ``result`` has one of the verdicts ``expected[label]`` allows, and no step is missing."""
    got = result.verdicts()
    assert set(got) == set(expected), f"{name}: steps checked {sorted(got)} differ from the table {sorted(expected)}"
    wrong = {s.label: (s.verdict.value, s.reason) for s in result.steps
             if s.verdict.value not in expected[s.label]}
    assert not wrong, f"{name}: unexpected verdicts {wrong}"


def assert_settled(name: str, result) -> None:
    """A corrected derivation: every step PROVED or CONFIRMED, none REFUTED or UNDECIDED."""
    assert result.first_unsettled_step is None, (name, result.verdicts())
    assert all(s.verdict.value in ("PROVED", "CONFIRMED") for s in result.steps), (name, result.verdicts())


def assert_source(name: str, d, seed_file: str) -> None:
    """Source file, version (from the name), one-line statement, and review flag of a seed derivation."""
    version = "submitted" if name.endswith("_submitted") else "corrected"
    assert d.source.file == seed_file
    assert d.source.version == version
    assert d.statement and "\n" not in d.statement
    assert d.review == (version == "submitted")
