"""The report's polish: machine-independent bytes, labels, quotes, math in justifications, user reports,
and the command line's ``list`` order and ``show`` math."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from symbolic.report import MAIN, build_report
from symbolic.report_text import texts
from symbolic.verdicts import Evidence, StepResult, Verdict

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STEPCHECK_CACHE", str(tmp_path / "empty-cache"))


def _tex_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.tex")) if "build" not in p.parts}


# -- item 11: the report's bytes do not depend on the machine ------------------------------
def test_confirmed_evidence_prints_the_tolerance_not_the_float64_noise():
    from symbolic import Derivation, check
    from symbolic.latex_report import evidence_text

    d = Derivation("noise")
    x = d.scalar("x", positive=True)
    d.start((x + 1) ** 3).eq(x**3 + 3 * x**2 + 3 * x + 1, "1", why="expand")
    r = check(d, cache=False).step("1")
    assert r.evidence.tolerance == 1e-9 and r.evidence.samples > 0
    text = evidence_text(r, texts("en"))
    assert "agree within $10^{-9}$" in text and "error" not in text
    # two machines whose float64 noise differs print the same words
    noisy = [StepResult("1", "=", Verdict.CONFIRMED, Evidence("numeric", 24, e, (), 1e-9)) for e in (3e-9, 3e-10)]
    assert len({evidence_text(n, texts("en")) for n in noisy}) == 1


def test_tolerance_survives_the_cache(tmp_path):
    from symbolic.cache import VerdictCache

    c = VerdictCache(tmp_path / "c")
    c.put("ab", StepResult("1", "=", Verdict.CONFIRMED, Evidence("numeric", 24, 1e-12, (), 2e-5)))
    assert c.get("ab").evidence.tolerance == 2e-5


def test_committed_report_is_regenerated_byte_for_byte(tmp_path):
    """CI check: the report's .tex, rebuilt from an empty cache for every built-in derivation, is the
    committed one (a stale report/ fails here: regenerate it with ``stepcheck report``)."""
    assert build_report(tmp_path / "report", pdf=False) == 0
    built, committed = _tex_files(tmp_path / "report"), _tex_files(REPO / "report")
    assert sorted(built) == sorted(committed)
    for name in sorted(built):
        if built[name] != committed[name]:
            diff = difflib.unified_diff(committed[name].decode().splitlines(), built[name].decode().splitlines(),
                                        f"report/{name} (committed)", f"report/{name} (rebuilt)", lineterm="", n=2)
            pytest.fail(f"report/{name} differs from a fresh build:\n" + "\n".join(list(diff)[:80]))
