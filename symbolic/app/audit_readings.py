r"""Readings a line leaves open, read both ways and compared: a derivative with respect to ``W_{kj}`` of an
expression of ``W^{(1)}`` (:mod:`symbolic.read.unlabelled`: the entry of ``W^{(1)}``, or a variable of its own),
and a row with an unclosed ``(`` (:mod:`symbolic.read.repairs`: each place its ``)`` may go).  The question is
checked once per reading; a line whose verdicts agree gets that verdict (said in its reason where the reading
mattered), a line whose verdicts differ is reported with all of them, never a silent choice.

>>> from symbolic.read.source import Line
>>> from symbolic.app.audit_question import LineVerdict
>>> ln = Line("a.md", 4, 1, "x", None, "")
>>> a, b = [LineVerdict(ln, "=", "PROVED", "r1")], [LineVerdict(ln, "=", "REFUTED", "r2")]
>>> combine_two([("u an entry", a), ("u a variable", b)])[0].reason
'ambiguous: read with u an entry it is PROVED, with u a variable it is REFUTED; write the label to settle it'
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from .audit_question import LineVerdict
from ..checks.shrink import SHRINKING
from ..read.source import Document
from ..read.unlabelled import ENTRY, OWN, UNSET, labels

Run = Callable[[dict], tuple[list[LineVerdict], set]]


def read_both(run: Run) -> list[LineVerdict]:
    """``run(choices)`` -> (verdicts, open choices): with the choices the lines meet read as variables of their
    own (reported alone only when they meet none), then, when they met some, with all of them read as the entries
    of the labelled names; the two compared line by line (:func:`combine_two`)."""
    b, open_ = run({UNSET: OWN})  # the choices met read as variables of their own: that reading's run
    if not open_:
        return b
    keys = sorted(open_)
    a, _ = run({k: ENTRY for k in keys})
    both = combine_two([("; ".join(labels(k)[0] for k in keys), a), ("; ".join(labels(k)[1] for k in keys), b)])
    settled = chains_naming(a, keys)
    return [_settled(x, keys) if i in settled and x.verdict != y.verdict and x.verdict != "UNREAD" else z
            for i, (x, y, z) in enumerate(zip(a, b, both))]


def chains_naming(lines: list[LineVerdict], keys: list[tuple]) -> set[int]:
    r"""The indices of the lines whose chain (a row and the rows that continue it with a relation) writes, in a
    derivative, the labelled entry of every choice of ``keys`` with the same subscript: ``\partial W^{(1)}_{kj}``
    for ``W_{kj}``.  In such a chain the unlabelled ``W_{kj}`` is that entry, its label dropped along the chain:
    as a variable of its own the chain would differentiate by two variables it writes alike, one of them absent
    from every expression it differentiates.

    >>> from symbolic.read.source import Line
    >>> rows = [r"\frac{\partial L}{\partial W^{(1)}_{kj}} = a", r"= \frac{\partial h}{\partial W_{kj}}", r"\frac{\partial h}{\partial W_{kj}} = b"]
    >>> ls = [LineVerdict(Line("a.md", i, 1, t, None, "1", t, continues=t.startswith("=")), "=", "PROVED") for i, t in enumerate(rows)]
    >>> sorted(chains_naming(ls, [("W", "W^(1)", "W_{kj}")]))
    [0, 1]
    """
    chains: list[list[int]] = []
    for i, x in enumerate(lines):
        if not chains or not x.line.continues:
            chains.append([])
        chains[-1].append(i)
    out: set[int] = set()
    for chain in chains:
        text = "".join("".join(lines[i].line.text.split()) for i in chain)
        if all(re.search(_labelled_derivative(k), text) for k in keys):
            out.update(chain)
    return out


def _labelled_derivative(key: tuple) -> str:
    r"""A pattern of ``\partial W^{(1)}_{kj}`` (either order, braces optional) for the choice ``key``."""
    letter, target, written = key
    label = r"\(?" + re.escape(target[len(letter) + 1:].strip("{}()")) + r"\)?"  # W^{(1)}, W^1
    sub = re.escape("".join(written[len(letter) + 1:].split()).strip("{}"))
    up, down = rf"\^\{{?{label}\}}?", rf"_\{{?{sub}\}}?"
    return rf"\\partial\{{?{re.escape(letter)}(?:{up}{down}|{down}{up})(?![A-Za-z0-9'])"


def _settled(x: LineVerdict, keys: list[tuple]) -> LineVerdict:
    said = "; ".join(f"{k[2]} is read as the entry of {k[1]}: the chain of this line differentiates by that entry "
                     f"written with its label, and {k[2]} as a variable of its own would be absent from what is "
                     "differentiated (a derivative 0 by absence, not a reading)" for k in keys)
    reason = (x.reason or "").replace("; the other reading, a variable of its own, is checked too", "")
    return replace(x, reason=f"{reason}; {said}" if reason else said)


def combine_two(results: list[tuple[str, list[LineVerdict]]]) -> list[LineVerdict]:
    """The verdict of each line under two readings: the same verdict, kept (with both readings named where the
    reasons differ); different verdicts (a reading not read included), UNDECIDED with both."""
    (la, a), (lb, b) = results
    out = []
    for x, y in zip(a, b):
        if x.verdict == y.verdict:
            same = x.reason == y.reason or x.verdict == "UNREAD"
            note = "" if same else f" (the same verdict under both readings: {la}; {lb})"
            out.append(replace(x, reason=(x.reason or "") + note) if note else x)
        else:
            out.append(LineVerdict(x.line, x.relation or y.relation, "UNDECIDED",
                                   f"ambiguous: read with {la} it is {_said(x)}, with {lb} it is {_said(y)}; "
                                   "write the label to settle it", None))
    return out


def _said(v: LineVerdict) -> str:
    return f"UNREAD ({v.reason})" if v.verdict == "UNREAD" else v.verdict


def placements(doc: Document, repairs: dict[int, tuple[int, list[tuple[str, str]]]], run: Callable[[Document], list]
               ) -> list[LineVerdict]:
    """The verdicts under each placement of the ``)`` of the rows with an unclosed ``(`` (``repairs``: line index
    -> (its character, [(where, row), ...])): ``run(doc)`` checks the question of ``doc`` with the rows so
    closed; a line gets a verdict where every placement gives it, else it is UNREAD with them all."""
    keys = sorted(repairs)
    combos: list[tuple[int, ...]] = [()]
    for i in keys:
        combos = [c + (k,) for c in combos for k in range(len(repairs[i][1]))]
    runs = []
    for n, combo in enumerate(combos):
        lines = list(doc.lines)
        for i, k in zip(keys, combo):
            lines[i] = replace(lines[i], text=repairs[i][1][k][1])
        # only the first placement's counterexamples are shown: the others are compared by verdict alone
        token = SHRINKING.set(n == 0)
        try:
            runs.append(run(replace(doc, lines=tuple(lines))))
        finally:
            SHRINKING.reset(token)

    def which(combo, rows) -> str:
        return ", ".join(f"line {doc.lines[i].line} closed {repairs[i][1][k][0]}" for i, k in zip(rows, combo))

    def what(i: int) -> str:
        return f"an unclosed ( at character {repairs[i][0]} of line {doc.lines[i].line}"

    out = []
    for j, vs in zip(rows_of(doc, runs[0]), zip(*runs)):
        x = vs[0]
        if len({v.verdict for v in vs}) == 1:
            if j in repairs:
                places = ", ".join(where for where, _ in repairs[j][1])
                said = (f"{what(j)} is closed {places}: the only placement that reads" if len(repairs[j][1]) == 1
                        else f"{what(j)} is closed {places}: every placement gives the same verdict")
                out.append(replace(x, reason=f"{said}; {x.reason}" if x.reason else said))
            else:
                out.append(x)
            continue
        upto = [n for n, i in enumerate(keys) if i <= j] or list(range(len(keys)))  # the rows it may depend on
        each = "; ".join(dict.fromkeys(f"{which(tuple(c[n] for n in upto), [keys[n] for n in upto])}: {v.verdict}"
                                       for c, v in zip(combos, vs)))
        own = what(j) if j in repairs else f"its verdict depends on where {' and '.join(what(keys[n]) for n in upto)} closes"
        out.append(LineVerdict(x.line, None, "UNREAD", f"line {x.line.line}, column {x.line.column}: {own}: the "
                               f"placements of its ) give different verdicts ({each}): not read", None))
    return out


def rows_of(doc: Document, verdicts: list[LineVerdict]) -> list[int]:
    """The index in ``doc.lines`` of each verdict's line (its file position)."""
    at = {(ln.line, ln.column): i for i, ln in enumerate(doc.lines)}
    return [at.get((v.line.line, v.line.column), -1) for v in verdicts]
