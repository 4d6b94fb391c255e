"""On-disk verdict cache keyed by a content hash of the step and what it depends on.

The folder is ``$STEPCHECK_CACHE``, else the user's cache directory (see
:mod:`symbolic.verdicts.signed`), never the folder being checked; deleting it is
always safe.  Every entry stores its full key and an HMAC made with this
user's secret: an entry that does not verify (forged, copied from another
step, malformed) is ignored, counted in :attr:`VerdictCache.ignored`, and
rebuilt by the check that follows.

>>> import tempfile
>>> c = VerdictCache(tempfile.mkdtemp())
>>> c.get("k") is None
True
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from importlib import metadata
from pathlib import Path

from .signed import IGNORED, cache_dir, read_entry, write_entry
from ..model.results import Counterexample, Evidence, StepResult, Verdict

ENGINE_VERSION = "3"
"""The format of the cached entries; the engine's code is fingerprinted by :func:`engine_fingerprint`."""
ENGINE_ROOT = Path(__file__).resolve().parents[1]
"""The package whose every source file the fingerprint hashes (every layer, not this folder alone)."""


def source_hash(folders, prefix: str = "") -> str:
    """Hash of every ``*.py`` file below ``folders`` (paths and bytes), after ``prefix``.

    >>> import tempfile
    >>> source_hash([tempfile.mkdtemp()]) == source_hash([tempfile.mkdtemp()])
    True
    """
    h = hashlib.sha256(prefix.encode())
    for folder in folders:
        folder = Path(folder)
        for path in sorted(folder.rglob("*.py")):
            h.update(str(path.relative_to(folder.parent)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """Hash of the engine's source files, the Python version and the numeric libraries' versions.

    Part of every cache key: a verdict or a counterexample computed by other
    code (an upgrade, an edit of the engine) is never read back.

    >>> len(engine_fingerprint())
    64
    """
    versions = [ENGINE_VERSION, sys.version]
    for dist in ("sympy", "numpy", "mpmath"):
        try:
            versions.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    return source_hash([ENGINE_ROOT], "\x1f".join(versions))


class VerdictCache:
    """A folder of small signed JSON files, one per step key; counts its hits and the entries it ignored."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder is not None else cache_dir()
        self.hits = 0
        self.ignored = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> StepResult | None:
        """The verified result stored under ``key``, or None (a miss, or an entry that did not verify).

        >>> import tempfile
        >>> from symbolic.model.results import StepResult, Verdict
        >>> c = VerdictCache(tempfile.mkdtemp())
        >>> c.put("ab1", StepResult("1", "=", Verdict.PROVED))
        >>> _ = c._path("ab1").rename(c._path("ab2"))  # an entry moved to another key
        >>> c.get("ab2"), c.ignored
        (None, 1)
        """
        data = read_entry(self._path(key), "step", key)
        if data is None:
            return None
        if data is not IGNORED:
            try:
                hit = _from_json(data)
            except (KeyError, TypeError, ValueError, AttributeError):
                hit = None
            if hit is not None:
                self.hits += 1
                return hit
        self.ignored += 1
        return None

    def put(self, key: str, result: StepResult) -> None:
        """Store ``result`` under ``key``, signed (a read-only disk only costs speed).

        >>> import tempfile
        >>> from symbolic.model.results import StepResult, Verdict
        >>> c = VerdictCache(tempfile.mkdtemp())
        >>> c.put("k", StepResult("1", "=", Verdict.PROVED))
        >>> c.get("k").verdict.value, c.get("k").cached, c.hits
        ('PROVED', True, 2)
        """
        write_entry(self._path(key), "step", key, _to_json(result))


def _to_json(r: StepResult) -> dict:
    ev = r.evidence
    ce = r.counterexample
    return {
        "label": r.label, "relation": r.relation, "verdict": r.verdict.value,
        "evidence": None if ev is None else {"method": ev.method, "samples": ev.samples,
                                             "max_error": ev.max_error, "notes": list(ev.notes),
                                             "tolerance": ev.tolerance},
        "counterexample": None if ce is None else {
            "values": ce.values, "lhs": ce.lhs, "rhs": ce.rhs, "gap": ce.gap, "dims": ce.dims, "code": ce.code},
        "reason": r.reason, "seconds": r.seconds, "disagreement": r.disagreement,
    }


def _from_json(d: dict) -> StepResult:
    ev = d["evidence"]
    ce = d["counterexample"]
    return StepResult(
        label=d["label"], relation=d["relation"], verdict=Verdict(d["verdict"]),
        evidence=None if ev is None else Evidence(ev["method"], ev["samples"], ev["max_error"], tuple(ev["notes"]),
                                               ev.get("tolerance")),
        counterexample=None if ce is None else Counterexample(ce["values"], ce["lhs"], ce["rhs"], ce["gap"],
                                                              ce["dims"], ce["code"]),
        reason=d["reason"], seconds=d["seconds"], cached=True, disagreement=d.get("disagreement"),
    )
