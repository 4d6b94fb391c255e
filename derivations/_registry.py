"""The registry of built-in derivations: factories, built on demand.

>>> "example_square_of_sum" in names()
True
>>> get("example_square_of_sum").source.version
'example'
"""

from __future__ import annotations

import importlib
from typing import Callable

MODULES = (
    "derivations.examples",
    "derivations.seed000_rnn",
    "derivations.seed000_momentum",
    "derivations.seed000_taylor",
    "derivations.seed000_weightnorm",
    "derivations.seed003_backprop",
    "derivations.seed003_backprop2",
    "derivations.seed003_code",
    "derivations.textbook",
)

_FACTORIES: dict[str, Callable] = {}
_BUILT: dict[str, object] = {}
_loaded = False


def register(fn: Callable) -> Callable:
    """Decorator: register a factory whose name is the derivation's name."""
    _FACTORIES[fn.__name__] = fn
    return fn


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for mod in MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
    _loaded = True


def names() -> list[str]:
    """Names of every built-in derivation, sorted."""
    _load()
    return sorted(_FACTORIES)


def get(name: str):
    """The built-in derivation called ``name`` (built once, then shared)."""
    _load()
    if name not in _FACTORIES:
        from symbolic.exceptions import InvalidInputError

        raise InvalidInputError(f'Unknown derivation "{name}"; `stepcheck list` shows the known ones')
    if name not in _BUILT:
        d = _FACTORIES[name]()
        if d.name != name:
            raise RuntimeError(f"factory {name} built a derivation named {d.name}")
        _BUILT[name] = d
    return _BUILT[name]


def fresh(name: str):
    """A newly built copy of derivation ``name`` (safe to modify)."""
    _load()
    return _FACTORIES[name]()


def all_derivations() -> list:
    """Every built-in derivation, in name order."""
    return [get(n) for n in names()]
