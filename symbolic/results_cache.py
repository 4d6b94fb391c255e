"""Whole-result cache: an unchanged project re-checks without building anything.

The fingerprint hashes the source of the engine and of the built-in
derivations (and the versions of Python, sympy and numpy).  While it holds,
a derivation's results are read back as they were, without importing sympy
or building a single expression.  When any source file changes, the
fingerprint changes and checking goes through the step-level cache, which
re-proves exactly the steps whose content or declarations changed.

>>> len(fingerprint()) == 64
True
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .cache import _from_json, _to_json, default_dir, engine_fingerprint, source_hash

def _derivation_dirs() -> list[Path]:
    return [Path(__file__).resolve().parent.parent / "derivations"]


def fingerprint() -> str:
    """Hash of the engine (:func:`~symbolic.cache.engine_fingerprint`) and every source file of the built-in derivations."""
    return source_hash(_derivation_dirs(), engine_fingerprint())


@dataclass(frozen=True)
class SourceStub:
    """The source of a derivation, as read back from the cache."""

    file: str
    question: str
    version: str

    def to_json(self) -> dict:
        return {"file": self.file, "question": self.question, "version": self.version}


@dataclass(frozen=True)
class DerivationStub:
    """What the command line shows of a derivation whose result comes from the cache."""

    name: str
    source: SourceStub
    review: bool
    statement: str = ""


def _path(fp: str, seed: int, samples: int) -> Path:
    return default_dir() / "results" / f"{fp[:32]}-{seed}-{samples}.json"


def load(fp: str, seed: int, samples: int) -> dict | None:
    """The cached entries for this fingerprint, or None."""
    try:
        return json.loads(_path(fp, seed, samples).read_text())
    except (OSError, ValueError):
        return None


def store(fp: str, seed: int, samples: int, pairs, *, all_names: list[str] | None = None) -> None:
    """Remember the results of built-in derivations (merged with what is there)."""
    data = load(fp, seed, samples) or {"entries": {}, "all_names": None}
    for d, result in pairs:
        data["entries"][d.name] = {
            "source": d.source.to_json(), "review": bool(d.review), "statement": getattr(d, "statement", ""),
            "seed": result.seed, "steps": [_to_json(s) for s in result.steps],
        }
    if all_names is not None:
        data["all_names"] = list(all_names)
    p = _path(fp, seed, samples)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, p)
    except OSError:
        pass


def lookup(data: dict, names: list[str]):
    """``[(stub, result)]`` for ``names`` when every one is cached, else None."""
    from .verdicts import DerivationResult

    out = []
    for name in names:
        e = data["entries"].get(name)
        if e is None:
            return None
        stub = DerivationStub(name, SourceStub(**e["source"]), e["review"], e.get("statement", ""))
        steps = tuple(_from_json(s) for s in e["steps"])
        out.append((stub, DerivationResult(name, steps, e["seed"], stub.source)))
    return out
