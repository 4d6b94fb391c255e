"""Loading a user's file under a time limit: a trial load in a forked child process.

Derivations hold sympy objects and lambdas, which need not pickle, so the
child does not send them back: it only proves that loading finishes.  The
caller then loads the file in its own process.  A child still loading after
``timeout`` seconds is killed, and the caller (:func:`symbolic.read.loader.load_file`)
reports the file with its name and the limit.  Where ``fork`` is not available,
the file is loaded without a limit.  This module knows nothing of the loader.

>>> import time
>>> finishes_within(lambda: time.sleep(60), 0.2, "loops.py")
False
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

__all__ = ["finishes_within"]


def _trial(load: Callable[[], Any], conn) -> None:
    """In the child: load quietly, then say whether it finished (its errors are the parent's to report)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        load()
        conn.send("ok")
    except BaseException:  # noqa: BLE001 - any outcome that ends is "finished"
        conn.send("raised")
    finally:
        conn.close()


def finishes_within(load: Callable[[], Any], timeout: float, name: str) -> bool:
    """Run ``load()`` in a forked child (named after ``name``): whether it ended within ``timeout`` s.

    >>> finishes_within(lambda: None, 5.0, "quick.py")
    True
    """
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: load without a limit
        return True
    recv, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_trial, args=(load, send), name=f"stepcheck-load-{Path(name).name}")
    child.start()
    send.close()
    try:
        finished = recv.poll(timeout)
    finally:
        if child.is_alive() and not finished:
            child.kill()
        child.join()
        recv.close()
    return bool(finished)
