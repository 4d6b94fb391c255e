"""On-disk verdict cache keyed by a content hash of the step and what it depends on.

The folder is ``$STEPCHECK_CACHE`` or ``.stepcheck-cache`` in the current
directory; deleting it is always safe.

>>> import tempfile
>>> c = VerdictCache(tempfile.mkdtemp())
>>> c.get("k") is None
True
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path

from .verdicts import Counterexample, Evidence, StepResult, Verdict

ENGINE_VERSION = "2"
"""The format of the cached entries; the engine's code is fingerprinted by :func:`engine_fingerprint`."""


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
    return source_hash([Path(__file__).resolve().parent], "\x1f".join(versions))


def default_dir() -> Path:
    return Path(os.environ.get("STEPCHECK_CACHE", ".stepcheck-cache"))


class VerdictCache:
    """A folder of small JSON files, one per step key."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_dir()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> StepResult | None:
        p = self._path(key)
        try:
            data = json.loads(p.read_text())
        except (OSError, ValueError):
            return None
        try:
            return _from_json(data)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, result: StepResult) -> None:
        p = self._path(key)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_suffix(".tmp%d" % os.getpid())
            tmp.write_text(json.dumps(_to_json(result)))
            os.replace(tmp, p)
        except OSError:
            pass  # a read-only disk only costs speed


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
