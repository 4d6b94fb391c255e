"""Errors raised by stepcheck.

Every error carries the context a user needs to find the problem: the
derivation, the step label and the symbol involved.  The message is built
once, here, so that all errors read the same way.

>>> err = InvalidInputError("undeclared symbol", derivation="demo", step="3", symbol="x")
>>> str(err)
"derivation 'demo', step 3, symbol 'x': undeclared symbol"
"""

from __future__ import annotations

#: A message longer than this is cut (an expression pasted into it can run to thousands of characters).
MESSAGE_LIMIT = 1000


def shorten(text: object, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters, saying so: for quoting expressions in one-line messages.

    >>> shorten("y" * 1000, 20)
    'yyyyyyyyyyyyyyyyyyyy... (1,000 characters, cut)'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters, cut)"


class StepcheckError(Exception):
    """Base class of every error stepcheck raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        derivation: str | None = None,
        step: str | None = None,
        symbol: str | None = None,
    ) -> None:
        self.message = message
        self.derivation = derivation
        self.step = step
        self.symbol = symbol
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.derivation is not None:
            where.append(f"derivation {self.derivation!r}")
        if self.step is not None:
            where.append(f"step {self.step}")
        if self.symbol is not None:
            where.append(f"symbol {self.symbol!r}")
        prefix = ", ".join(where)
        message = shorten(self.message, MESSAGE_LIMIT)
        return f"{prefix}: {message}" if prefix else message

    def with_context(
        self,
        *,
        derivation: str | None = None,
        step: str | None = None,
        symbol: str | None = None,
    ) -> "StepcheckError":
        """Return a copy of this error with missing context filled in.

        >>> InvalidInputError("bad").with_context(derivation="d", step="1").step
        '1'
        """
        return type(self)(
            self.message,
            derivation=self.derivation or derivation,
            step=self.step or step,
            symbol=self.symbol or symbol,
        )

    def __reduce__(self):  # picklable across worker processes
        return (_rebuild, (type(self), self.message, self.derivation, self.step, self.symbol))


def _rebuild(cls, message, derivation, step, symbol):
    return cls(message, derivation=derivation, step=step, symbol=symbol)


class InvalidInputError(StepcheckError):
    """The derivation as written is malformed: undeclared symbol, shape mismatch, ..."""


class ReadError(InvalidInputError):
    """A line of LaTeX could not be read; the message says what and where (raised by :mod:`symbolic.read`)."""


class NotSupportedError(StepcheckError):
    """The construct is valid mathematics that stepcheck cannot check yet."""


class BudgetExceeded(StepcheckError):
    """A check ran past its time budget."""
