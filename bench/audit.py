"""Audit benchmark: ``stepcheck audit`` on each seed submission of ../shared/seeds/, with its report.

For each seed file (with ``derivations/contexts/seedNNN.toml`` when that context file exists) it runs
the audit in a fresh process, as a user would (``python -m symbolic audit FILE --report DIR``),
times it, and prints one line per file; then a last line
``audit: files N, lines L, read R, checked K, refuted X, unread U, seconds S, pdf ok|missing``
(``pdf missing`` when any report PDF was not built).  The issue's target: under 30 s per seed file.
``-j`` is passed to the audit (default: the audit's own, one process per CPU over the questions).
``--against ROOT`` also times the checkout at ROOT (e.g. the base worktree) on each file just before,
under the same load, and ends each file's line with ``, ROOT S s, ratio R`` (this tree's seconds over
ROOT's) and the summary line with the total ratio: machines shared with other work time differently
from one minute to the next, so only such ratios compare two trees.

    PYTHONPATH=. python bench/audit.py [SEEDS_DIR] [-j N] [--out DIR] [--against ROOT]

Without ../shared/seeds/ it says so on one line and exits 0 (under CI=true it exits 1).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
for candidate in (ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")):  # a worktree of /work/main too
    if candidate.is_dir():
        SEEDS = candidate
        break
CONTEXTS = ROOT / "derivations" / "contexts"
TARGET_SECONDS = 30.0


def context_for(seed_file: Path) -> Path | None:
    """``derivations/contexts/seedNNN.toml`` for ``NNN_<hash>.txt``, when it exists."""
    m = re.match(r"(\d+)_", seed_file.name)
    ctx = CONTEXTS / f"seed{m.group(1)}.toml" if m else None
    return ctx if ctx is not None and ctx.is_file() else None


def run_one(seed_file: Path, out: Path, jobs: int | None, root: Path = ROOT) -> tuple[dict, float, bool, str]:
    """Audit ``seed_file`` in a new process with the code at ``root``; (JSON summary, seconds, PDF built,
    the report's line)."""
    ctx = context_for(seed_file)
    cmd = [sys.executable, "-m", "symbolic", "audit", str(seed_file), "--json", "--report", str(out)]
    cmd += (["-j", str(jobs)] if jobs is not None else []) + (["--context", str(ctx)] if ctx else [])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)
    seconds = time.perf_counter() - t0
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"audit: {seed_file.name} printed no JSON (status {proc.returncode}): "
                         f"{(proc.stderr.strip().splitlines() or ['?'])[-1]}")
    line = (proc.stderr.strip().splitlines() or [""])[-1]
    return doc["summary"], seconds, (out / "stepcheck-audit.pdf").is_file(), line


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("seeds", nargs="?", type=Path, default=SEEDS)
    p.add_argument("-j", dest="jobs", type=int, default=None,
                   help="processes per audit (default: the audit's, one per CPU over the questions)")
    p.add_argument("--out", type=Path, default=None, help="where the reports go (default: a temporary folder)")
    p.add_argument("--against", type=Path, default=None, metavar="ROOT",
                   help="also time the checkout at ROOT just before each file, and print the ratios")
    args = p.parse_args()
    files = sorted(args.seeds.glob("*.txt")) if args.seeds.is_dir() else []
    if not files:
        print(f"audit: no seed files at {args.seeds}; nothing measured")
        return 1 if os.environ.get("CI") == "true" else 0
    out_root = args.out or Path(tempfile.mkdtemp(prefix="stepcheck-audit-bench-"))
    totals = dict(lines=0, read=0, checked=0, refuted=0, unread=0)
    seconds, pdf_ok, against = 0.0, True, 0.0
    for f in files:
        other = ""
        if args.against is not None:
            _, s0, _, _ = run_one(f, out_root / f"{f.stem}-against", args.jobs, args.against.resolve())
            against += s0
        summary, s, pdf, line = run_one(f, out_root / f.stem, args.jobs)
        if args.against is not None:
            other = f", {args.against} {s0:.1f} s, ratio {s / s0:.2f}"
        ctx = context_for(f)
        for k in totals:
            totals[k] += summary[k]
        seconds += s
        pdf_ok &= pdf
        print(f"{f.name}: context {ctx.name if ctx else 'none'}, lines {summary['lines']}, read {summary['read']}, "
              f"checked {summary['checked']}, refuted {summary['refuted']}, unread {summary['unread']}, "
              f"{s:.1f} s{'' if s < TARGET_SECONDS else ' (over the 30 s target)'}, "
              f"pdf {'ok' if pdf else 'missing'}{'' if pdf else ' (' + line + ')'}{other}")
    print(f"audit: files {len(files)}, lines {totals['lines']}, read {totals['read']}, checked {totals['checked']}, "
          f"refuted {totals['refuted']}, unread {totals['unread']}, seconds {seconds:.1f}, "
          f"pdf {'ok' if pdf_ok else 'missing'}"
          + (f", {args.against} {against:.1f} s, ratio {seconds / against:.2f}" if args.against and against else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
