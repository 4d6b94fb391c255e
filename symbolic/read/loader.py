"""Load derivations from a user's own Python file.

``load_file(path)`` imports the file (by path, with importlib; the file's
folder is put on ``sys.path`` while it runs) and collects, in the order the
names are defined in the module:

* every module-level :class:`~symbolic.Derivation` instance;
* every function *defined in that file* that takes no required argument and
  is decorated with ``derivations.register``, or is named ``derivation_*``,
  or is annotated ``-> Derivation``; it is called once and must return a
  Derivation.

Names must be unique within a file (a function whose result has the name of a
module-level instance is not collected twice).  A function that raises, returns
something else, or a derivation with no step, is collected as an :class:`Invalid`
entry (its name and why), so the file's other derivations still stand; a file
that defines no derivation at all is an error.  A file inside a package (its
folder has an ``__init__.py``) is imported as a module of that package, so its
relative imports work.  The file is first loaded in a forked child process,
which is stopped after ``timeout`` seconds (:data:`LOAD_TIMEOUT` by default):
a file that never finishes loading is reported, not waited for.  Functions registered with
``register`` are removed from the built-in registry again after loading, so a
user's file never changes what ``stepcheck list`` shows.

>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "mine.py"
>>> _ = p.write_text('''
... from symbolic import Derivation
... def derivation_double():
...     d = Derivation("double"); x = d.scalar("x")
...     return d.start(x + x).eq(2*x, "1")
... ''')
>>> [d.name for d in load_file(p)]
['double']
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import importlib.util
import inspect
import os
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable

from ..exceptions import InvalidInputError, StepcheckError
from .loadlimit import finishes_within

__all__ = ["Invalid", "LOAD_TIMEOUT", "LoadError", "find_files", "iter_paths_derivations", "load_derivation", "load_file", "origin_of",
           "reproduce_code", "with_budget"]

_LOADED: dict[Path, list] = {}
_ORIGIN: dict[int, Path] = {}


#: Seconds a file may take to load (import and build its derivations) before it is stopped.
LOAD_TIMEOUT = 30.0


class LoadError(InvalidInputError):
    """A user's file could not be loaded: missing, not Python, or it raised while running."""


@dataclass(frozen=True)
class Invalid:
    """A derivation that cannot be checked, kept in its own entry: its name and the reason.

    ``source`` is the derivation's :class:`~symbolic.Source` when it was built, else ``None``.

    >>> Invalid("draft", "derivation_draft() raised ShapeError").error
    'derivation_draft() raised ShapeError'
    """

    name: str
    error: str
    source: Any = None
    review: bool = False
    steps: tuple = ()


def find_files(path: str | os.PathLike) -> list[Path]:
    """The ``.py`` files a path stands for: the file itself, or every ``.py`` file below a folder.

    Folders are searched recursively in sorted order, skipping hidden folders,
    ``__pycache__``, ``conftest.py`` and files whose name starts with ``_``
    (``__init__.py``, private helper modules).

    >>> find_files(__file__)[0].name
    'loader.py'
    """
    p = Path(path)
    if p.is_dir():
        out = []
        for f in sorted(p.rglob("*.py")):
            rel = f.relative_to(p).parts
            if any(part.startswith(".") or part == "__pycache__" for part in rel[:-1]):
                continue
            if f.name == "conftest.py" or f.name.startswith("_"):
                continue
            out.append(f)
        return out
    if not p.exists():
        raise LoadError(f"file not found: {p}")
    if p.suffix != ".py":
        raise LoadError(f"not a Python file: {p}")
    return [p]


def load_file(path: str | os.PathLike, *, reload: bool = False, timeout: float | None = LOAD_TIMEOUT) -> list:
    """Import ``path`` and return the derivations it defines (see the module docstring).

    Loading the same file twice returns the same objects, unless ``reload``.  ``timeout``
    bounds the time loading may take (``None``: no limit, and no child process).  Errors are raised
    as :class:`LoadError` (or the :class:`~symbolic.StepcheckError` the file
    raised), with a one-line message naming the file, line and derivation.

    >>> load_file("no/such/file.py")
    Traceback (most recent call last):
    ...
    symbolic.read.loader.LoadError: file not found: no/such/file.py
    """
    p = Path(path)
    if not p.is_file():
        raise LoadError(f"file not found: {p}")
    if p.suffix != ".py":
        raise LoadError(f"not a Python file: {p}")
    key = p.resolve()
    if key in _LOADED and not reload:
        return list(_LOADED[key])
    if timeout is not None:
        from derivations import _registry

        _registry._load()  # once, here: the child inherits the built-ins and only runs the file
        if not finishes_within(lambda: _collect(_import(p, key), p), timeout, str(p)):
            raise LoadError(f"{p} did not finish loading within the {timeout:g} s limit (stopped); "
                            "an endless loop at import or in a derivation function? "
                            "(raise the limit with --load-timeout, or --stepcheck-load-timeout under pytest)")
    module = _import(p, key)
    found = _collect(module, p)
    if not found:
        raise LoadError(f"{p}: no derivation found (stepcheck collects module-level Derivation objects, and "
                        "functions of no argument named derivation_*, annotated -> Derivation or decorated "
                        "with derivations.register)")
    _LOADED[key] = found
    for d in found:
        _ORIGIN[id(d)] = p
    return list(found)


def load_derivation(path: str | os.PathLike, name: str):
    """The derivation called ``name`` in the file ``path``; used by reproduce snippets.

    >>> load_derivation("no/such/file.py", "x")
    Traceback (most recent call last):
    ...
    symbolic.read.loader.LoadError: file not found: no/such/file.py
    """
    for d in load_file(path):
        if d.name == name:
            if isinstance(d, Invalid):
                raise LoadError(d.error, derivation=name)
            return d
    raise LoadError(f'no derivation called "{name}" in {path}', derivation=name)


def origin_of(derivation) -> Path | None:
    """The file a derivation was loaded from by :func:`load_file`, or ``None`` (built-in).

    >>> origin_of(object()) is None
    True
    """
    return _ORIGIN.get(id(derivation))


def reproduce_code(code: str, name: str, origin: Path | None) -> str:
    """Make a counterexample's snippet runnable for a derivation loaded from a file.

    The engine writes ``replay('name', ...)``, which finds built-in derivations
    only; for a file, the derivation is loaded with :func:`load_derivation`.

    >>> print(reproduce_code("from symbolic import replay\\nreplay('d', '1', {'x': 1})", "d", Path("p.py")))
    from symbolic import replay
    from symbolic.read.loader import load_derivation
    replay(load_derivation('p.py', 'd'), '1', {'x': 1})
    """
    if origin is None or not code:
        return code
    call = f"replay({name!r},"
    if call not in code:
        return code
    code = code.replace(call, f"replay(load_derivation({str(origin)!r}, {name!r}),", 1)
    return code.replace("from symbolic import replay\n",
                        "from symbolic import replay\nfrom symbolic.read.loader import load_derivation\n", 1)


def with_budget(d, seconds: float | None):
    """A shallow copy of ``d`` in which every step has the time budget ``seconds`` (``None``: ``d`` itself).

    >>> from symbolic import Derivation
    >>> with_budget(Derivation("d"), 2.5).budget
    2.5
    """
    if seconds is None:
        return d
    c = copy.copy(d)
    c.budget = seconds
    c.steps = [dataclasses.replace(s, budget=None) for s in d.steps]
    return c


# -- internals -------------------------------------------------------------
def _module_name(key: Path) -> str:
    stem = re.sub(r"\W", "_", key.stem)
    return f"_stepcheck_user_{stem}_{hashlib.sha1(str(key).encode()).hexdigest()[:10]}"


def _package_name(key: Path) -> tuple[str, Path] | None:
    """``(dotted module name, folder above the top package)`` for a file inside a package, else None."""
    parts, folder = [key.stem], key.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    if len(parts) == 1 or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts), folder


def _exec(p: Path, key: Path) -> ModuleType:
    """Run the file as a module: of its package if it is in one, else under a private name."""
    package = _package_name(key)
    if package is not None:
        dotted, root = package
        folder = str(root)
        sys.path.insert(0, folder)
        try:
            module = importlib.import_module(dotted)
        finally:
            if folder in sys.path:
                sys.path.remove(folder)
        where = Path(getattr(module, "__file__", "") or "").resolve()
        if where != key:
            raise LoadError(f"{p}: the module {dotted} is already imported from {where}")
        return module
    name = _module_name(key)
    spec = importlib.util.spec_from_file_location(name, key)
    if spec is None or spec.loader is None:
        raise LoadError(f"cannot import {p}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    folder = str(key.parent)
    sys.path.insert(0, folder)
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    finally:
        if folder in sys.path:
            sys.path.remove(folder)
    return module


def _import(p: Path, key: Path) -> ModuleType:
    from derivations import _registry

    _registry._load()  # built-ins first, so that restoring the registry below keeps them
    before = dict(_registry._FACTORIES)
    try:
        module = _exec(p, key)
    except StepcheckError as err:
        raise _with_file(err, p) from None
    except SyntaxError as err:
        raise LoadError(f"{p}:{err.lineno}: syntax error: {err.msg}") from None
    except (Exception, SystemExit) as exc:
        raise LoadError(f"{p}:{_user_line(exc, key)}: {type(exc).__name__}: {exc}") from None
    finally:
        registered = [f for f in _registry._FACTORIES.values()]
        _registry._FACTORIES.clear()  # what the file registered is kept out of the built-ins
        _registry._FACTORIES.update(before)
    _REGISTERED[module.__name__] = [f for f in registered if getattr(f, "__module__", None) == module.__name__]
    return module


_REGISTERED: dict[str, list] = {}  # module name -> the functions it registered with derivations.register


def _user_line(exc: BaseException, key: Path) -> str:
    line = "?"
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == key:
            line = str(frame.lineno)
    return line


def _with_file(err: StepcheckError, p: Path, where: str = "") -> StepcheckError:
    if err.derivation is None and err.step is None and err.symbol is None:
        return type(err)(f"{p}: {where + ': ' if where else ''}{err.message}")
    return err


def _is_derivation(obj: Any) -> bool:
    from ..model.derivation import Derivation

    return isinstance(obj, Derivation)


def _is_checkable(obj: Any) -> bool:
    """A Derivation, or an object checked its own way (a code check: ``name``, ``steps``, ``check``)."""
    return _is_derivation(obj) or (isinstance(getattr(obj, "name", None), str) and hasattr(obj, "steps")
                                   and callable(getattr(obj, "check", None)))


def _returns_derivation(fn) -> bool:
    ann = getattr(fn, "__annotations__", {}).get("return")
    if isinstance(ann, str):
        return ann == "Derivation" or ann.endswith(".Derivation")
    return isinstance(ann, type) and ann.__name__ == "Derivation"


def _wanted_function(module: ModuleType, attr: str, obj: Any) -> bool:
    if not inspect.isfunction(obj) or obj.__module__ != module.__name__:
        return False
    registered = any(obj is f for f in _REGISTERED.get(module.__name__, ()))
    if not (registered or attr.startswith("derivation_") or _returns_derivation(obj)):
        return False
    try:
        params = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(q.default is not q.empty or q.kind in (q.VAR_POSITIONAL, q.VAR_KEYWORD) for q in params)


def _built(obj, attr: str, p: Path) -> Any:
    """What the function ``attr`` returns, or an :class:`Invalid` entry saying why it cannot be checked."""
    try:
        d = obj()
    except StepcheckError as err:
        return Invalid(attr, str(_with_file(err, p, f"{attr}()")))
    except Exception as exc:
        return Invalid(attr, f"{p}:{_user_line(exc, p.resolve())}: {attr}() raised {type(exc).__name__}: {exc}")
    if not _is_checkable(d):
        return Invalid(attr, f"{p}: {attr}() returned {type(d).__name__}, not a Derivation")
    return d


def _collect(module: ModuleType, p: Path) -> list:
    found: list = []
    names: dict[str, str] = {}
    items = list(vars(module).items())
    instance_names = {obj.name for _, obj in items if _is_derivation(obj)}
    for attr, obj in items:
        if _is_derivation(obj):
            if all(obj is not d for d in found):
                _add(found, names, obj, f"module-level {attr}", p)
            continue
        if not _wanted_function(module, attr, obj):
            continue
        d = _built(obj, attr, p)
        if any(d is e for e in found) or d.name in instance_names:
            continue  # the same derivation, also kept at module level
        _add(found, names, d, f"{attr}()", p)
    return found


def _add(found: list, names: dict, d, where: str, p: Path) -> None:
    if d.name in names:
        raise LoadError(f"{p}: two derivations are called {d.name!r} ({names[d.name]} and {where})",
                        derivation=d.name)
    names[d.name] = where
    if not isinstance(d, Invalid) and not d.steps:
        d = Invalid(d.name, f"{p}: derivation {d.name!r} ({where}) has no steps: nothing to check",
                    source=d.source, review=bool(d.review))
    found.append(d)


def iter_paths_derivations(paths: Iterable[str | os.PathLike]) -> list[tuple[Path, Any]]:
    """``(file, derivation)`` for every derivation in every file below ``paths``, in order.

    >>> iter_paths_derivations([])
    []
    """
    out = []
    for path in paths:
        for f in find_files(path):
            out.extend((f, d) for d in load_file(f))
    return out
