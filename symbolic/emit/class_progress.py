"""The progress bar of a class audit, on the terminal's standard error: submissions done (of all), units
checked, lines checked, steps answered from the class's store, and the time left.

No refresh thread runs (the audit forks its workers while the bar is up): the bar is redrawn at each unit.

>>> with class_progress(3, enabled=False) as update:
...     update({"submissions": 3, "done": 1, "units": 2, "units_done": 1, "lines": 5, "hits": 0})
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

__all__ = ["class_progress"]


@contextmanager
def class_progress(total: int, *, enabled: bool = True, console=None) -> Iterator[Callable[[dict], None]]:
    """A callback taking the counts of :class:`symbolic.app.class_plan.Plan` (``submissions``, ``done``,
    ``units``, ``units_done``, ``lines``, ``hits``) and drawing them on ``console`` (default: a rich console
    on standard error); a no-op when not ``enabled``."""
    if not enabled:
        yield lambda counts: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.completed}/{task.total} submissions"), BarColumn(bar_width=16),
                   TextColumn("questions {task.fields[units]}, lines {task.fields[lines]}, "
                              "from the store {task.fields[hits]}, left"), TimeRemainingColumn(),
                   console=console or Console(stderr=True), transient=True, auto_refresh=False)
    with bar:
        task = bar.add_task("class", total=total, units="0/0", lines=0, hits=0)

        def update(counts: dict) -> None:
            bar.update(task, completed=counts["done"], units=f"{counts['units_done']}/{counts['units']}",
                       lines=counts["lines"], hits=counts["hits"])
            bar.refresh()

        yield update
