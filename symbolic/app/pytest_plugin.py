"""pytest plugin for stepcheck (registered through the ``pytest11`` entry point).

``pytest --stepcheck PATH`` collects every derivation found in PATH (a ``.py``
file, or every ``.py`` file below a folder; see :mod:`symbolic.read.loader`) as one
test item.  A failing item shows the first wrong (or undecided) step, its
counterexample and a snippet that reproduces it.  Options:

``--stepcheck-seed N``       seed of the random instances (default 0)
``--stepcheck-budget S``     time budget of every step, in seconds
``--stepcheck-allow-review`` submissions under review (``review=True``) with
                             findings are reported as xfailed, not failed
``--stepcheck-no-cache``     do not read or write the verdict cache
``--stepcheck-load-timeout S`` seconds a file may take to load (default 30)

A file that does not load, defines no derivation, or one of whose derivations
cannot be built (or has no step) is reported as a collection error; the file's
other derivations are still collected.

After the run, the terminal summary says how many steps the verdict cache
answered and how many cache entries were ignored because they did not verify
(see :mod:`symbolic.verdicts.signed`).

Without ``--stepcheck`` the plugin is inert: it collects nothing and imports
neither sympy nor the engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser) -> None:
    group = parser.getgroup("stepcheck")
    group.addoption("--stepcheck", action="append", default=[], metavar="PATH",
                    help="collect every derivation found in PATH (a .py file or a folder) as a test item")
    group.addoption("--stepcheck-seed", type=int, default=0, metavar="N",
                    help="seed of stepcheck's random instances (default 0)")
    group.addoption("--stepcheck-budget", type=float, default=None, metavar="SECONDS",
                    help="time budget of every step of every derivation")
    group.addoption("--stepcheck-allow-review", action="store_true", default=False,
                    help="submissions under review (review=True) with findings xfail instead of failing")
    group.addoption("--stepcheck-no-cache", action="store_true", default=False,
                    help="do not read or write stepcheck's verdict cache")
    group.addoption("--stepcheck-load-timeout", type=float, default=None, metavar="SECONDS",
                    help="seconds a derivation file may take to load before it is stopped (default 30)")


_CACHE_STATS = pytest.StashKey[dict]()


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "stepcheck: a derivation checked by stepcheck")
    config.stash[_CACHE_STATS] = {"items": 0, "hits": 0, "ignored": 0}


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """One line on the verdict cache after derivations were checked: steps it answered, entries it ignored."""
    stats = config.stash.get(_CACHE_STATS, None)
    if not stats or not stats["items"]:
        return
    from .runner import ignored_line

    terminalreporter.write_line(f"stepcheck: {stats['items']} derivation(s) checked, "
                                f"{stats['hits']} step(s) answered by the verdict cache")
    line = ignored_line(stats)
    if line:
        terminalreporter.write_line(f"stepcheck: {line}", yellow=True, bold=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items: list) -> None:
    """Append one item per derivation found in the ``--stepcheck`` paths (before -k/-m deselection)."""
    paths = config.getoption("stepcheck")
    if not paths:
        return
    from ..exceptions import StepcheckError
    from ..read.loader import LOAD_TIMEOUT, Invalid, find_files, load_file

    base = Path(config.invocation_params.dir)
    timeout = config.getoption("stepcheck_load_timeout") or LOAD_TIMEOUT
    for raw in paths:
        try:
            files = find_files(base / raw)
        except StepcheckError as err:
            _collect_error(session, raw, str(err))
            continue
        for f in files:
            node = StepcheckFile.from_parent(session, path=f)
            try:
                found = load_file(f, timeout=timeout)
            except StepcheckError as err:
                _collect_error(session, node.nodeid, str(err))
                continue
            for d in found:
                if isinstance(d, Invalid):
                    _collect_error(session, f"{node.nodeid}::{d.name}", d.error)
            new = [StepcheckItem.from_parent(node, name=d.name, derivation=d) for d in found
                   if not isinstance(d, Invalid)]
            config.hook.pytest_collectreport(report=pytest.CollectReport(node.nodeid, "passed", None, new))
            items.extend(new)


def _collect_error(session, nodeid: str, message: str) -> None:
    """Report a file that cannot be loaded as a collection error (one line, no traceback)."""
    session.config.hook.pytest_collectreport(report=pytest.CollectReport(nodeid, "failed", message, []))


class StepcheckFile(pytest.File):
    """A file of derivations (its items are made by the collection hook above)."""

    def collect(self):  # pragma: no cover - items are created directly
        return []


class StepcheckItem(pytest.Item):
    """One derivation, checked by the engine when the item runs."""

    def __init__(self, *, derivation: Any, **kw) -> None:
        super().__init__(**kw)
        self.derivation = derivation
        self.add_marker("stepcheck")

    def runtest(self) -> None:
        from ..verdicts.engine import check
        from ..exceptions import StepcheckError
        from ..read.loader import with_budget
        from .reproduce import DerivationFailed

        opt = self.config.getoption
        d = with_budget(self.derivation, opt("stepcheck_budget"))
        try:
            if hasattr(d, "decls"):
                result = check(d, seed=opt("stepcheck_seed"), cache=not opt("stepcheck_no_cache"))
            else:  # an object checked its own way (a code check)
                result = d.check(seed=opt("stepcheck_seed"), cache=not opt("stepcheck_no_cache"))
        except StepcheckError as err:
            raise DerivationFailed(str(err)) from None
        self._count_cache(result)
        self.user_properties.append(("verdicts", result.verdicts()))
        if result.first_unsettled_step is None:
            return
        text = failure_text(d, result, self.path)
        if d.review and opt("stepcheck_allow_review"):
            pytest.xfail("submission under review: " + text.splitlines()[0])
        raise DerivationFailed(text)

    def _count_cache(self, result) -> None:
        from .runner import cache_stats

        stats = self.config.stash.get(_CACHE_STATS, None)
        if stats is not None:
            one = cache_stats([result])
            stats["items"] += 1
            stats["hits"] += one["hits"]
            stats["ignored"] += one["ignored"]

    def repr_failure(self, excinfo, style=None):
        from .reproduce import DerivationFailed

        if isinstance(excinfo.value, DerivationFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"stepcheck: {self.name}"


def failure_text(d, result, origin: Path | None = None) -> str:
    """What a failing derivation shows: its first wrong step, the counterexample, how to reproduce it.

    >>> from symbolic import Derivation, check
    >>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(3*x, "1")
    >>> print(failure_text(d, check(d, cache=False)).splitlines()[0])
    derivation 'demo': step 1 is REFUTED
    """
    from ..read.loader import reproduce_code

    bad = [s for s in result.steps if not s.ok]
    first = next((s for s in bad if s.verdict.value == "REFUTED"), bad[0])
    lines = [f"derivation {d.name!r}: step {first.label} is {first.verdict.value}"]
    step = next((s for s in d.steps if s.label == first.label), None)
    if step is not None and step.lhs is not None:
        lines.append(f"  {step.lhs}\n    {step.relation} {step.rhs}")
    if first.reason:
        lines.append(f"reason: {first.reason}")
    ce = first.counterexample
    if ce is not None:
        values = ", ".join(f"{k} = {v}" for k, v in {**ce.dims, **ce.values}.items())
        lines.append(f"counterexample: {values}")
        lines.append(f"  lhs = {ce.lhs}\n  rhs = {ce.rhs}\n  {ce.gap}")
        code = reproduce_code(ce.code, d.name, origin)
        if code:
            lines.append("reproduce with:\n" + "\n".join("    " + c for c in code.splitlines()))
    others = [f"{s.label} ({s.verdict.value})" for s in bad if s is not first]
    if others:
        lines.append("other steps not established: " + ", ".join(others))
    lines.append("all verdicts: " + ", ".join(f"{k}={v}" for k, v in result.verdicts().items()))
    return "\n".join(lines)
