"""The textbook corpus (derivations/textbook/): is every identity proved, every planted mistake refuted?

Every identity of ``derivations.textbook._corpus.IDENTITIES`` is checked cold
(``check(d, cache=False)``: no verdict cache), in its correct form and in its
planted wrong form, each built fresh and timed separately.

* correct form: ``proved`` when all its steps are PROVED, ``confirmed`` when
  all are PROVED or CONFIRMED, else ``other`` (a REFUTED or UNDECIDED step);
* wrong form: ``refuted`` when a step is REFUTED by a counterexample at which
  both sides are defined (finite numbers), else ``other``;
* loc: non-blank, non-comment lines of the factory's body (declarations and
  steps; the ``@textbook`` decorator, the ``def`` line and a docstring left
  out), one factory writing both forms;
* seconds: the check of the correct form plus that of the wrong form (the
  build of the derivations is not timed); the median is over identities.

A row per identity (name, family, verdicts, seconds, loc), then exactly one line:
``textbook: identities N, correct proved A confirmed B other C, wrong refuted D other E, median loc F, median seconds G``

Run: ``python bench/textbook.py [-k PATTERN] [--seed N] [-j N] [--json]``
(``-j`` defaults to 1 on a machine of at most 2 cores).  Exit status 0
whatever the verdicts; only a crash exits otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def run_identity(args: tuple[str, int]) -> dict:
    """Check one identity's two forms cold; its row as a dict."""
    name, seed = args
    import derivations.textbook  # noqa: F401  (registers the corpus)
    from derivations import fresh
    from derivations.textbook._corpus import IDENTITIES, correct_outcome, wrong_outcome
    from symbolic.verdicts.engine import check

    ident = IDENTITIES[name]
    row = {"name": name, "family": ident.family, "loc": ident.loc()}
    for form, outcome in (("correct", correct_outcome), ("wrong", wrong_outcome)):
        d = fresh(f"tb_{name}_wrong" if form == "wrong" else f"tb_{name}")
        t0 = time.perf_counter()
        try:
            result = check(d, seed=seed, cache=False)
        except Exception as exc:  # a broken identity is a row that says so, not a crash of the bench
            row[form] = {"outcome": "other", "verdicts": [], "error": f"{type(exc).__name__}: {exc}"}
        else:
            row[form] = {"outcome": outcome(result), "verdicts": [s.verdict.value for s in result.steps]}
        row[form]["seconds"] = time.perf_counter() - t0
    row["seconds"] = row["correct"]["seconds"] + row["wrong"]["seconds"]
    return row


def summary(rows: list[dict]) -> dict:
    """The counts and medians of the last line.

    >>> r = {"loc": 4, "seconds": 0.2, "correct": {"outcome": "proved"}, "wrong": {"outcome": "refuted"}}
    >>> summary([r])["median_loc"], summary([r])["wrong_refuted"]
    (4, 1)
    """
    def count(form: str, outcome: str) -> int:
        return sum(1 for r in rows if r[form]["outcome"] == outcome)

    return {
        "identities": len(rows),
        "correct_proved": count("correct", "proved"), "correct_confirmed": count("correct", "confirmed"),
        "correct_other": count("correct", "other"),
        "wrong_refuted": count("wrong", "refuted"), "wrong_other": count("wrong", "other"),
        "median_loc": statistics.median(r["loc"] for r in rows) if rows else 0,
        "median_seconds": statistics.median(r["seconds"] for r in rows) if rows else 0.0,
    }


def last_line(s: dict) -> str:
    """The bench's one last line.

    >>> last_line({"identities": 1, "correct_proved": 1, "correct_confirmed": 0, "correct_other": 0,
    ...            "wrong_refuted": 1, "wrong_other": 0, "median_loc": 4, "median_seconds": 0.123})
    'textbook: identities 1, correct proved 1 confirmed 0 other 0, wrong refuted 1 other 0, median loc 4, median seconds 0.12'
    """
    return (f"textbook: identities {s['identities']}, correct proved {s['correct_proved']} "
            f"confirmed {s['correct_confirmed']} other {s['correct_other']}, wrong refuted {s['wrong_refuted']} "
            f"other {s['wrong_other']}, median loc {s['median_loc']:g}, median seconds {s['median_seconds']:.2f}")


def _row_text(r: dict) -> str:
    def form(f: str) -> str:
        x = r[f]
        return f"{x['outcome']} [{' '.join(v[:4] for v in x['verdicts']) or x.get('error', '')}]"

    return (f"{r['name']:<40} {r['family']:<14} correct {form('correct'):<28} wrong {form('wrong'):<28} "
            f"{r['seconds']:6.2f} s  {r['loc']:3d} loc")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-k", dest="pattern", help="only identities whose name or family contains PATTERN")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-j", dest="jobs", type=int, default=1 if (os.cpu_count() or 1) <= 2 else 2)
    p.add_argument("--json", action="store_true", help="print the rows and the summary as one JSON object")
    args = p.parse_args(argv)
    import derivations.textbook  # noqa: F401
    from derivations.textbook._corpus import IDENTITIES

    names = sorted((i.family, i.name) for i in IDENTITIES.values()
                   if not args.pattern or args.pattern in i.name or args.pattern in i.family)
    work = [(n, args.seed) for _, n in names]
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            rows = list(pool.map(run_identity, work))
    else:
        rows = [run_identity(w) for w in work]
    s = summary(rows)
    if args.json:
        print(json.dumps({"rows": rows, "summary": s}, indent=1))
    else:
        for r in rows:
            print(_row_text(r))
    print(last_line(s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
