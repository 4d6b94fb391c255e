"""The system tools the PDF report and its tests need, and how to install them on Debian.

``scripts/run.sh`` installs :data:`PACKAGES` with apt-get when a tool is
missing and it runs as root; elsewhere the report is written without its
PDF, and the report tests skip with :func:`install_line`.

>>> "poppler-utils" in INSTALL
True
>>> missing(path="")
['latexmk', 'pdflatex', 'pdftotext', 'pdftoppm']
"""

from __future__ import annotations

import os
import shutil

__all__ = ["INSTALL", "PACKAGES", "TOOLS", "can_install", "install_line", "missing"]

#: Debian packages: TeX Live and fonts for the PDF, poppler for reading it back (the report tests).
PACKAGES = ("texlive-latex-base", "texlive-latex-recommended", "latexmk", "lmodern", "poppler-utils")
#: The commands they provide that stepcheck and its tests run.
TOOLS = ("latexmk", "pdflatex", "pdftotext", "pdftoppm")
INSTALL = "apt-get install -y --no-install-recommends " + " ".join(PACKAGES)


def missing(tools=TOOLS, path: str | None = None) -> list[str]:
    """The ``tools`` not found on ``path`` (default ``$PATH``).

    >>> missing(["sh"], path="/bin:/usr/bin")
    []
    """
    return [t for t in tools if shutil.which(t, path=path) is None]


def can_install() -> bool:
    """Whether ``scripts/run.sh`` can install the packages here: root, with apt-get.

    >>> isinstance(can_install(), bool)
    True
    """
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get") is not None


def install_line(tools: list[str]) -> str:
    """One line: which tools are missing and how to install them.

    >>> install_line(["pdftotext"])  # doctest: +ELLIPSIS
    'pdftotext not found: install with `apt-get install ... poppler-utils` (or run `bash scripts/run.sh test` as root)'
    """
    return f"{', '.join(tools)} not found: install with `{INSTALL}` (or run `bash scripts/run.sh test` as root)"
