"""The picture of a class: per question, how many students went wrong first at which line.

:func:`first_wrong_counts` reads the class summary (:mod:`symbolic.app.audit_class_summary`) and counts,
per question, the students whose first refuted line is each line; :func:`draw_first_wrong` draws them as
one stacked bar per question (its most common first wrong lines named, the others together), and the
students with no refuted line in the question as a pale bar beside it.  The PDF is the same bytes for the
same summary (no dates or producer in its metadata).

>>> s = {"submissions": [{"first_wrong_lines": {"1": 3, "2": None}}, {"first_wrong_lines": {"1": 3, "2": 9}}]}
>>> first_wrong_counts(s)
{'1': {'wrong': {3: 2}, 'none': 0}, '2': {'wrong': {9: 1}, 'none': 1}}
"""

from __future__ import annotations

from pathlib import Path

from .figures import _METADATA, _RC

__all__ = ["first_wrong_counts", "draw_first_wrong"]

NAMED = 3  # first wrong lines named per question; the others are one segment


def first_wrong_counts(summary: dict) -> dict[str, dict]:
    """Question -> {"wrong": {line: students whose first wrong line it is}, "none": students with none}, in
    the order the questions first appear.

    >>> first_wrong_counts({"submissions": [{"first_wrong_lines": {"2": 5}}, {"first_wrong_lines": {}}]})
    {'2': {'wrong': {5: 1}, 'none': 0}}
    """
    out: dict[str, dict] = {}
    for s in summary["submissions"]:
        for q, line in (s.get("first_wrong_lines") or {}).items():
            row = out.setdefault(q, {"wrong": {}, "none": 0})
            if line is None:
                row["none"] += 1
            else:
                row["wrong"][line] = row["wrong"].get(line, 0) + 1
    return out


def draw_first_wrong(summary: dict, path: str | Path) -> Path:
    """Write the figure of :func:`first_wrong_counts` to ``path`` (PDF); the path.

    >>> import tempfile, pathlib
    >>> s = {"submissions": [{"first_wrong_lines": {"1": 3}}, {"first_wrong_lines": {"1": None}}]}
    >>> p = draw_first_wrong(s, pathlib.Path(tempfile.mkdtemp()) / "c.pdf")
    >>> p.read_bytes()[:4]
    b'%PDF'
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = first_wrong_counts(summary)
    questions = list(counts)
    path = Path(path)
    with matplotlib.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(max(4.5, 0.55 * len(questions) + 1.5), 3.0))
        try:
            for x, q in enumerate(questions):
                wrong = sorted(counts[q]["wrong"].items(), key=lambda kv: (-kv[1], kv[0]))
                named, rest = wrong[:NAMED], sum(n for _, n in wrong[NAMED:])
                bottom = 0
                for k, (line, n) in enumerate(named):
                    ax.bar(x - 0.18, n, 0.36, bottom=bottom, color=f"C{3 + k}", edgecolor="white", linewidth=0.5)
                    ax.text(x - 0.18, bottom + n / 2, f"l.{line}", ha="center", va="center", fontsize=6)
                    bottom += n
                if rest:
                    ax.bar(x - 0.18, rest, 0.36, bottom=bottom, color="0.6", edgecolor="white", linewidth=0.5)
                ax.bar(x + 0.18, counts[q]["none"], 0.36, color="C2", alpha=0.35)
            ax.set_xticks(range(len(questions)))
            ax.set_xticklabels(questions, rotation=45 if len(questions) > 8 else 0, ha="right" if len(questions) > 8 else "center")
            ax.set_xlabel("question")
            ax.set_ylabel("students")
            ax.set_title("first wrong line (left: by line; right, pale: none refuted)", fontsize=8)
            fig.tight_layout(pad=0.3)
            fig.savefig(path, format="pdf", metadata=_METADATA)
        finally:
            plt.close(fig)
    return path
