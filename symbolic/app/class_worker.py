r"""What a worker of a class audit does: check one question of one submission, with the class's step store.

The unit of work of :mod:`symbolic.app.audit_class` is a question written alike by one or more submissions
(:func:`symbolic.app.audit.question_key`); :func:`check_unit` checks it in the process it runs in (a forked
worker of :mod:`symbolic.app.class_pool`, or a Dask worker of :mod:`symbolic.app.class_dask`).  The process
keeps, for all the units it checks: the context read once, the last submissions read, and one step store
(:class:`symbolic.verdicts.shared_store.SharedStepStore`, when the class has a store file; else an
in-memory :class:`~symbolic.verdicts.step_memo.StepMemo`), so a step written alike in two questions is
checked once, by whichever worker meets it first.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"
>>> _ = p.write_text("Question 1\n$$a + a = 3a$$\n", encoding="utf-8")
>>> got = check_unit(Unit(str(p), 0), Settings(None, 0, 10.0, None, "run"))
>>> [x["verdict"] for x in got["lines"]], got["checked"]
(['REFUTED'], 1)
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

__all__ = ["Settings", "Unit", "check_unit", "guarded"]


@dataclass(frozen=True)
class Settings:
    """What every unit of a class is checked under: the context file, the seed, the step budget, the store
    file (None: in memory, per process) and the name of the run."""

    context: str | None
    seed: int
    budget: float
    store: str | None
    run: str


@dataclass(frozen=True)
class Unit:
    """Question ``number`` (0 the first) of the submission at ``path``: the one this unit's check reads."""

    path: str
    number: int


_STATE: dict = {}  # this process's: the settings in force, their table and step store, the documents read


def _state(settings: Settings) -> dict:
    from . import audit as audit_module
    from ..read.context import SymbolTable, load_context
    from ..verdicts.shared_store import SharedStepStore
    from ..verdicts.step_memo import StepMemo

    if _STATE.get("settings") != settings:
        _STATE.clear()
        _STATE["settings"] = settings
        _STATE["table"] = load_context(settings.context) if settings.context is not None else SymbolTable()
        memo = SharedStepStore(settings.store, settings.run) if settings.store is not None else StepMemo()
        _STATE["memo"] = memo
        _STATE["docs"] = OrderedDict()
    audit_module.SHARED_MEMO = _STATE["memo"]
    return _STATE


def _document(state: dict, path: str):
    from ..read.source import read_file

    docs = state["docs"]
    if path not in docs:
        docs[path] = read_file(path)
        while len(docs) > 8:
            docs.popitem(last=False)
    return docs[path]


def check_unit(unit: Unit, settings: Settings) -> dict:
    """The lines of ``unit`` checked (their JSON entries), the seconds it took, and the steps this process
    checked and answered from its store meanwhile.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"
    >>> _ = p.write_text("$$x = x$$", encoding="utf-8")
    >>> check_unit(Unit(str(p), 0), Settings(None, 0, 10.0, None, "run"))["lines"][0]["verdict"]
    'PROVED'
    """
    from .audit import prepare_question

    t0 = time.perf_counter()
    state = _state(settings)
    memo = state["memo"]
    checked, hits = memo.checked, memo.hits
    work = prepare_question(_document(state, unit.path), unit.number, state["table"], settings.budget)
    lines = [v.to_json() for v in work.check(seed=settings.seed)]
    return {"lines": lines, "seconds": round(time.perf_counter() - t0, 3), "checked": memo.checked - checked,
            "hits": memo.hits - hits}


def guarded(unit: Unit, settings: Settings, check=None) -> tuple[str, dict | None, str | None]:
    """``("ok", result, None)`` of ``check`` (default :func:`check_unit`) on ``unit``, or ``("error", None,
    reason)``: one line, never a traceback (what a worker sends back, whichever engine runs it).

    >>> guarded(Unit("/no/such/file.md", 0), Settings(None, 0, 10.0, None, "r"))[0]
    'error'
    """
    from ..exceptions import StepcheckError

    try:
        return "ok", (check or check_unit)(unit, settings), None
    except StepcheckError as err:
        return "error", None, str(err)
    except Exception as exc:  # noqa: BLE001 - one line naming the question, never a traceback
        return "error", None, f"internal error while checking ({type(exc).__name__}: {exc})"
