r"""A field of a context file: an arbitrary scalar function of a vector (``[functions.f] kind = "field"``) whose
gradient and Hessian at one point the assignment names (schema in :mod:`symbolic.read.context`; read by
:mod:`symbolic.read.derivatives`: ``\frac{\partial f}{\partial x}(x_0)`` is the gradient's symbol).

>>> field_spec("f", {"kind": "field", "of": "x", "at": "x_{0}", "gradient": "g"}, "a.toml", "").at
'x_0'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..exceptions import InvalidInputError
from .graph_spec import canonical

FIELD_KEYS = {"kind", "of", "at", "gradient", "hessian", "latex"}


@dataclass(frozen=True)
class FieldSpec:
    """A declared scalar function of a vector, arbitrary but for the names of its derivatives at one point:
    ``gradient`` (a vector symbol) and ``hessian`` (a matrix symbol) at ``at``.

    >>> FieldSpec("f", "x", "x_0", "g", "H").gradient
    'g'
    """

    name: str
    of: str
    at: str
    gradient: str | None = None
    hessian: str | None = None


def field_spec(name: str, spec: Mapping, file: str, where: str) -> FieldSpec:
    """The field ``name`` of a parsed ``functions`` entry (its keys checked already); errors name the file and the key.

    >>> field_spec("f", {"kind": "field", "of": "x"}, "a.toml", "")
    Traceback (most recent call last):
    ...
    symbolic.exceptions.InvalidInputError: symbol 'a.toml': functions.f (a field) needs of = "x" and at = "x_0"
    """
    if "of" not in spec or "at" not in spec:
        raise InvalidInputError(f'{where}functions.{name} (a field) needs of = "x" and at = "x_0"', symbol=file)
    named = [None if spec.get(k) is None else canonical(str(spec[k])) for k in ("gradient", "hessian")]
    return FieldSpec(name, canonical(str(spec["of"])), canonical(str(spec["at"])), *named)
