"""stepcheck: check derivations step by step, and say how each verdict was earned.

The public API is small; everything is imported lazily so that ``import
symbolic`` costs almost nothing.

>>> from symbolic import Derivation, check
>>> d = Derivation("demo"); x = d.scalar("x", positive=True)
>>> _ = d.start(x * x).eq(x**2, "1")
>>> check(d, cache=False).step("1").verdict.value
'PROVED'
"""

from __future__ import annotations

import importlib
from pathlib import Path

_HERE = Path(__file__).parent

_EXPORTS = {
    "Derivation": "symbolic.model.derivation",
    "Source": "symbolic.model.derivation",
    "check": "symbolic.verdicts.engine",
    "check_step": "symbolic.verdicts.engine",
    "validate": "symbolic.verdicts.engine",
    "replay": "symbolic.app.reproduce",
    "assert_checks": "symbolic.app.reproduce",
    "Verdict": "symbolic.model.results",
    "StepResult": "symbolic.model.results",
    "DerivationResult": "symbolic.model.results",
    "Evidence": "symbolic.model.results",
    "Counterexample": "symbolic.model.results",
    "StepcheckError": "symbolic.exceptions",
    "InvalidInputError": "symbolic.exceptions",
    "NotSupportedError": "symbolic.exceptions",
    "Norm": "symbolic.algebra",
    "Dot": "symbolic.algebra",
    "LambdaMax": "symbolic.algebra",
    "Expect": "symbolic.algebra",
    "MatExpect": "symbolic.algebra",
    "Jac": "symbolic.algebra",
    "Grad": "symbolic.algebra",
    "MatProd": "symbolic.algebra",
    "DiagOf": "symbolic.algebra",
    "OneHot": "symbolic.algebra",
    "Softmax": "symbolic.algebra",
    "LogSumExp": "symbolic.algebra",
    "Entry": "symbolic.algebra",
    "SumEntries": "symbolic.algebra",
    "Relu": "symbolic.algebra",
    "Step": "symbolic.algebra",
    "sp": "symbolic.algebra",
}

__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    submodule = any((_HERE / f).exists() for f in (f"{name}.py", name))  # `from . import x` asks here first
    if not name.startswith("_") and not submodule:  # a constructor of the vocabulary, e.g. symbolic.logdet
        found = importlib.import_module("symbolic.algebra.ops").exported(name)
        if found is not None:
            return found
    raise AttributeError(f"module 'symbolic' has no attribute {name!r}")


def __dir__():
    return __all__
