"""Loading a user's file under a time limit: a trial load in a forked child process.

Derivations hold sympy objects and lambdas, which need not pickle, so the
child does not send them back: it only proves that loading finishes.  The
caller then loads the file in its own process.  A child still loading after
``timeout`` seconds is killed and the file reported, with its name and the
limit.  Where ``fork`` is not available, the file is loaded without a limit.

>>> import time
>>> prove_it_loads(Path("loops.py"), lambda: time.sleep(60), 0.2)
Traceback (most recent call last):
...
symbolic.loader.LoadError: loops.py did not finish loading within the 0.2 s limit (stopped); ...
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

__all__ = ["prove_it_loads"]


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


def prove_it_loads(path: Path, load: Callable[[], Any], timeout: float) -> None:
    """Run ``load()`` in a forked child; raise :class:`~symbolic.loader.LoadError` if it runs past ``timeout`` s.

    >>> prove_it_loads(Path("quick.py"), lambda: None, 5.0)
    """
    import multiprocessing

    from .loader import LoadError

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: load without a limit
        return
    recv, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_trial, args=(load, send), name=f"stepcheck-load-{Path(path).name}")
    child.start()
    send.close()
    try:
        finished = recv.poll(timeout)
    finally:
        if child.is_alive() and not finished:
            child.kill()
        child.join()
        recv.close()
    if not finished:
        raise LoadError(f"{path} did not finish loading within the {timeout:g} s limit (stopped); "
                        "an endless loop at import or in a derivation function? "
                        "(raise the limit with --load-timeout, or --stepcheck-load-timeout under pytest)")
