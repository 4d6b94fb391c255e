"""Class benchmark: a synthetic class built from the seed submissions, audited as a folder.

From each seed file of ../shared/seeds/ (``--seeds``, default both) it writes ``--copies`` copies into a
temporary folder, deterministically from ``--seed``: in each copy ``--k`` display lines that the audit of the
seed itself verifies (PROVED or CONFIRMED) are changed by one mistake written in the LaTeX (a dropped
transpose, a flipped sign, two bold factors swapped, a square made a cube), the rest left as written.  It
knows which lines it planted, so it scores the audit of the folder against the audit of each seed alone:

* planted refuted P/Q: of the Q planted lines, P are REFUTED (a mutant can be equivalent: a sign flipped
  on a zero term; those are listed);
* verdict changes C: rows before the first planted row of their question (or in a question with none)
  whose verdict differs from the seed's own audit (a row after a planted one may depend on it: a chain
  compares it with the planted right-hand side, an implication derives it);
* dedup D: distinct steps checked over lines read.

It audits the folder with ``stepcheck audit DIR -j 2`` in a fresh process (cold: a new output folder and step
store), with ``-j 1`` for the speedup unless ``--no-j1``, and on a Dask ``LocalCluster`` of 2 workers
(``--scheduler local -j 2``) unless ``--no-dask``; it ends with the class line:
``class: submissions N, seconds S, speedup-j2 X, dask-vs-j2 R, planted refuted P/Q, verdict changes C,
dedup D, peak worker MiB M`` (S: the ``-j 2`` run; X: its speedup over ``-j 1``; R: the Dask run's seconds over
S; the peak is the largest resident size of the audit's processes, from ``getrusage``).  Before it, the planted
lines not refuted, by verdict (UNREAD: the mistake made the line unreadable, e.g. a product of mismatched
shapes; PROVED or CONFIRMED: an equivalent mutant, or a lenient reading, the reason says which).

    PYTHONPATH=. python bench/class.py [--copies 100] [--k 3] [--seeds 000] [--seed 0] [--no-j1] [--no-dask] [--keep DIR]

Without ../shared/seeds/ it says so on one line and exits 0 (under CI=true it exits 1).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit import SEEDS, context_for  # noqa: E402  (bench/audit.py: where the seeds are, their context files)

MUTATIONS = [  # (name, pattern, replacement): one mistake, at one place of the LaTeX
    ("drop transpose", re.compile(r"\^(?:\{(?:\\top|\\intercal|T)\}|\\top|\\intercal|T)(?![A-Za-z0-9{])"),
     lambda m: ""),
    ("flip sign", re.compile(r"(?<=\s)[+-](?=\s)"), lambda m: "-" if m.group(0) == "+" else "+"),
    ("swap factors", re.compile(r"(\\mathbf\{[A-Za-z]\})(\\mathbf\{[A-Za-z]\})"),
     lambda m: m.group(2) + m.group(1) if m.group(1) != m.group(2) else None),
    ("square to cube", re.compile(r"\^2(?![0-9])"), lambda m: "^3"),
]


def audit_json(path: Path, context: Path | None) -> dict:
    from symbolic.app.audit import audit

    return audit(path, context=context, seed=0)


def rows_by_line(report: dict) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for q in report["questions"]:
        for x in q["lines"]:
            out.setdefault(x["line"], []).append(x)
    return out


def sites(text: str, line_no: int) -> list[tuple[int, str, int, int, str]]:
    """Where a mistake can be planted on line ``line_no`` of ``text``: (line, mutation, start, end, new)."""
    line = text.splitlines()[line_no - 1]
    found = []
    for m_math in re.finditer(r"\$\$(.+?)\$\$", line):
        for name, pattern, repl in MUTATIONS:
            for m in pattern.finditer(m_math.group(1)):
                new = repl(m)
                if new is not None:
                    off = m_math.start(1)
                    found.append((line_no, name, off + m.start(), off + m.end(), new))
    return found


def plant(text: str, chosen: list[tuple]) -> str:
    lines = text.splitlines(keepends=True)
    for line_no, _name, a, b, new in chosen:
        s = lines[line_no - 1]
        lines[line_no - 1] = s[:a] + new + s[b:]
    return "".join(lines)


def build(seed_file: Path, reference: dict, copies: int, k: int, rng: random.Random, folder: Path) -> list[dict]:
    """Write the copies of ``seed_file`` into ``folder``; what each planted."""
    text = seed_file.read_text(encoding="utf-8")
    rows = rows_by_line(reference)
    verified = [n for n, xs in sorted(rows.items())
                if all(x["verdict"] in ("PROVED", "CONFIRMED") for x in xs) and len(xs) == 1]
    candidates = [s for n in verified for s in sites(text, n)]
    plans = []
    for i in range(copies):
        chosen, used = [], set()
        for s in rng.sample(candidates, len(candidates)):
            if len(chosen) == k:
                break
            if s[0] not in used:
                chosen.append(s)
                used.add(s[0])
        name = f"{seed_file.stem}_{i:03d}.txt"
        (folder / name).write_text(plant(text, chosen), encoding="utf-8")
        plans.append({"file": name, "seed": seed_file.name, "planted": {s[0]: s[1] for s in chosen}})
    return plans


def run_class(folder: Path, jobs: int, seeds_used: list[Path], extra: tuple = ()) -> tuple[dict, float, float]:
    """Audit ``folder`` in a fresh process (a new output folder: cold); (class summary, seconds, peak MiB)."""
    out = Path(tempfile.mkdtemp(prefix="class-out-"))
    ctx = [context_for(s) for s in seeds_used]
    if len({str(c) for c in ctx}) != 1:
        raise SystemExit("bench/class.py: one context per class: pass --seeds with one seed (or seeds sharing one)")
    cmd = [sys.executable, "-m", "symbolic", "audit", str(folder), "--json", "-j", str(jobs), "--out", str(out),
           *extra]
    cmd += ["--context", str(ctx[0])] if ctx[0] is not None else []
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - t0
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    if proc.returncode != 0:
        raise SystemExit(f"bench/class.py: the audit of the class failed: {proc.stderr.strip()[-500:]}")
    summary = json.loads(proc.stdout)
    summary["_out"] = str(out)
    return summary, seconds, peak


def score(plans: list[dict], references: dict[str, dict], summary: dict) -> tuple[int, int, int, list[str]]:
    out = Path(summary["_out"])
    planted = refuted = changes = 0
    missed = []
    for plan in plans:
        entry = json.loads((out / f"{plan['file']}.json").read_text())
        if entry["status"] != "ok":
            missed.append(f"{plan['file']}: {entry['status']} ({entry['reason']})")
            continue
        ref, got = references[plan["seed"]], entry["report"]
        after: set[int] = set()  # rows at or after the first planted row of their question: they may depend on it
        for q in got["questions"]:
            seen = False
            for x in q["lines"]:
                seen = seen or x["line"] in plan["planted"]
                if seen:
                    after.add(x["line"])
        rows, ref_rows = rows_by_line(got), rows_by_line(ref)
        for n, xs in rows.items():
            if n in plan["planted"]:
                planted += 1
                if any(x["verdict"] == "REFUTED" for x in xs):
                    refuted += 1
                else:
                    missed.append(f"{plan['file']} line {n} ({plan['planted'][n]}): "
                                  f"{', '.join(x['verdict'] for x in xs)}: {xs[0]['latex'][:70]}")
                continue
            for x, r in zip(xs, ref_rows.get(n, [])):
                if n not in after and x["verdict"] != r["verdict"]:
                    changes += 1
                    missed.append(f"{plan['file']} line {n} changed: {r['verdict']} -> {x['verdict']}: "
                                  f"{x['latex'][:60]}")
    return refuted, planted, changes, missed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=100, help="copies of each seed file (default 100)")
    ap.add_argument("--k", type=int, default=3, help="lines changed in each copy (default 3)")
    ap.add_argument("--seeds", nargs="*", default=["000"], help="seed numbers (default 000)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the planting (default 0)")
    ap.add_argument("--no-j1", action="store_true", help="skip the -j 1 run (no speedup measured)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    ap.add_argument("--keep", type=Path, help="write the class into DIR instead of a temporary folder")
    args = ap.parse_args(argv)
    files = [p for n in args.seeds for p in sorted(SEEDS.glob(f"{n}_*.txt"))]
    if not files:
        print(f"class: no seed files in {SEEDS} (they are not part of the repository)")
        return 1 if os.environ.get("CI") == "true" else 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="class-"))
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    references, plans = {}, []
    for f in files:
        references[f.name] = audit_json(f, context_for(f))
        plans += build(f, references[f.name], args.copies, args.k, rng, folder)
    summary, seconds, peak = run_class(folder, 2, files)
    j1 = None if args.no_j1 else run_class(folder, 1, files)[1]
    dask = None if args.no_dask else run_class(folder, 2, files, ("--scheduler", "local"))
    refuted, planted, changes, missed = score(plans, references, summary)
    read = sum((s["summary"] or {}).get("read", 0) for s in summary["submissions"])
    dedup = summary["steps_checked"] / read if read else 0.0
    if dask is not None:
        again = score(plans, references, dask[0])
        if again[:3] != (refuted, planted, changes):
            print(f"  the Dask run scored otherwise: planted refuted {again[0]}/{again[1]}, changes {again[2]}")
        peak = max(peak, dask[2])
    for m in missed[:40]:
        print("  " + m)
    kinds: dict[str, int] = {}
    for m in missed:
        if "): " in m and " changed:" not in m:
            verdict = m.split("): ", 1)[1].split(":", 1)[0]
            kinds[verdict] = kinds.get(verdict, 0) + 1
    print("  planted, not refuted: " + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none"))
    speed = f"{j1 / seconds:.2f}" if j1 else "n/a"
    ratio = f"{dask[1] / seconds:.2f}" if dask else "n/a"
    print(f"class: submissions {len(plans)}, seconds {seconds:.1f}, speedup-j2 {speed}, dask-vs-j2 {ratio}, "
          f"planted refuted {refuted}/{planted}, verdict changes {changes}, dedup {dedup:.3f}, "
          f"peak worker MiB {peak:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
