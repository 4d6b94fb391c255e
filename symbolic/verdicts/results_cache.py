"""Whole-result cache: an unchanged project re-checks without building anything.

The fingerprint hashes the source of the engine and of the built-in
derivations (and the versions of Python, sympy and numpy).  While it holds,
a derivation's results are read back as they were, without importing sympy
or building a single expression.  When any source file changes, the
fingerprint changes and checking goes through the step-level cache, which
re-proves exactly the steps whose content or declarations changed.  The file
is signed like every step entry (:mod:`symbolic.verdicts.signed`): one that does not
verify, or has the wrong shape, is ignored, counted, and rebuilt.

>>> len(fingerprint()) == 64
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cache import _from_json, _to_json, engine_fingerprint, source_hash
from .signed import cache_dir
from .signed import IGNORED, read_entry, write_entry


def _derivation_dirs() -> list[Path]:
    return [Path(__file__).resolve().parent.parent / "derivations"]


def fingerprint() -> str:
    """Hash of the engine (:func:`~symbolic.verdicts.cache.engine_fingerprint`) and every source file of the built-in derivations."""
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
    return cache_dir() / "results" / f"{fp[:32]}-{seed}-{samples}.json"


def _key(fp: str, seed: int, samples: int) -> dict:
    return {"fingerprint": fp, "seed": seed, "samples": samples}


def load(fp: str, seed: int, samples: int) -> tuple[dict | None, int]:
    """``(entries, ignored)``: the verified cached entries for this fingerprint (or None), and 1 if a file was ignored.

    A file that does not verify (forged, written for other conditions,
    malformed: ``[]``, ``{"entries": []}``, garbage bytes) is ignored and
    rebuilt by the next :func:`store`.

    >>> load("0" * 64, 0, 24)
    (None, 0)
    """
    data = read_entry(_path(fp, seed, samples), "results", _key(fp, seed, samples))
    if data is None:
        return None, 0
    if data is IGNORED or not _well_formed(data):
        return None, 1
    return data, 0


def _well_formed(data) -> bool:
    """The shape :func:`lookup` reads (entries are parsed there: a bad one makes it answer None)."""
    if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
        return False
    names = data.get("all_names")
    if names is not None and not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        return False
    return all(isinstance(e, dict) and isinstance(e.get("steps"), list) for e in data["entries"].values())


def _entry(name: str, e: dict):
    from ..model.results import DerivationResult

    stub = DerivationStub(name, SourceStub(**e["source"]), bool(e["review"]), str(e.get("statement", "")))
    steps = tuple(_from_json(s) for s in e["steps"])
    if not isinstance(e["seed"], int):
        raise TypeError("seed")
    return stub, DerivationResult(name, steps, e["seed"], stub.source)


def store(fp: str, seed: int, samples: int, pairs, *, all_names: list[str] | None = None) -> None:
    """Remember the results of built-in derivations (merged with what is there and verifies), signed."""
    data = load(fp, seed, samples)[0] or {"entries": {}, "all_names": None}
    for d, result in pairs:
        data["entries"][d.name] = {
            "source": d.source.to_json(), "review": bool(d.review), "statement": getattr(d, "statement", ""),
            "seed": result.seed, "steps": [_to_json(s) for s in result.steps],
        }
    if all_names is not None:
        data["all_names"] = list(all_names)
    write_entry(_path(fp, seed, samples), "results", _key(fp, seed, samples), data)


def lookup(data: dict, names: list[str]):
    """``[(stub, result)]`` for ``names`` when every one is cached and readable, else None.

    >>> lookup({"entries": {}}, ["example_square_of_sum"]) is None
    True
    """
    out = []
    for name in names:
        e = data["entries"].get(name)
        if e is None:
            return None
        try:
            out.append(_entry(name, e))
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
    return out
