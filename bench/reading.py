"""Reading benchmark: audit every file of ../shared/corpus/ with no context (defaults only).

Prints per file: math lines found, read, UNREAD (by reason), seconds; then a last line
``reading: files N, lines L, read R, unread U, crashes C, seconds S``.  A file that raises or
runs past the time limit is a crash (a hang is a crash with the reason "timeout").

    PYTHONPATH=. python bench/reading.py [CORPUS_DIR] [--budget SECONDS] [--limit SECONDS]

Without ../shared/corpus/ it says so on one line and exits 0 (under CI=true it exits 1).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from symbolic.app.audit import audit  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
for candidate in (ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")):
    if candidate.is_dir():
        DEFAULT_CORPUS = candidate
        break


def reason_class(reason: str) -> str:
    """A short class of an UNREAD reason, for counting."""
    r = re.sub(r"^line \d+, column \d+: ", "", reason or "")
    m = re.match(r"unknown command (\\[A-Za-z]+)", r)
    if m:
        return f"unknown {m.group(1)}"
    m = re.match(r'unexpected "(.{1,12}?)"', r)
    if m:
        return f'unexpected "{m.group(1)}"'
    for key in ("unbalanced", "shape mismatch", "not read yet", "no line before", "relation", "where a scalar",
                "undeclared", "subscript", "macro", "text", "matrix"):
        if key in r:
            return key
    return r[:40]


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--budget", type=float, default=5.0, help="time budget of each step (default 5 s)")
    p.add_argument("--limit", type=int, default=600, help="seconds a file may take before it counts as a hang")
    args = p.parse_args()
    if not args.corpus.is_dir():
        print(f"reading: no corpus at {args.corpus}; nothing measured")
        return 1 if os.environ.get("CI") == "true" else 0
    files = sorted(f for f in args.corpus.iterdir() if f.suffix in (".tex", ".md", ".markdown", ".txt")
                   and f.name != "README.md")
    totals = collections.Counter()
    t_all = time.perf_counter()
    signal.signal(signal.SIGALRM, _alarm)
    for f in files:
        t0 = time.perf_counter()
        signal.alarm(args.limit)
        try:
            report = audit(f, budget=args.budget)
        except _Timeout:
            totals["crashes"] += 1
            print(f"{f.name}: HANG (more than {args.limit} s)")
            continue
        except Exception as exc:  # a crash is what this bench counts
            totals["crashes"] += 1
            print(f"{f.name}: CRASH {type(exc).__name__}: {exc}")
            continue
        finally:
            signal.alarm(0)
        lines = [x for q in report["questions"] for x in q["lines"]]
        unread = collections.Counter(reason_class(x["reason"]) for x in lines if x["verdict"] == "UNREAD")
        verdicts = collections.Counter(x["verdict"] for x in lines)
        n, u = len(lines), sum(unread.values())
        totals.update(lines=n, read=n - u, unread=u, files=1)
        seconds = time.perf_counter() - t0
        print(f"{f.name}: lines {n}, read {n - u}, unread {u}, seconds {seconds:.1f}; verdicts "
              + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
        for why, k in unread.most_common(8):
            print(f"    unread {k:4d}  {why}")
    print(f"reading: files {totals['files'] + totals['crashes']}, lines {totals['lines']}, read {totals['read']}, "
          f"unread {totals['unread']}, crashes {totals['crashes']}, seconds {time.perf_counter() - t_all:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
