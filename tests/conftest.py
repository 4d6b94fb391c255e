"""Shared fixtures: every test gets its own empty verdict cache, cache secret and user directories."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STEPCHECK_CACHE", str(tmp_path / "stepcheck-cache"))
    monkeypatch.setenv("STEPCHECK_SECRET_FILE", str(tmp_path / "stepcheck-config" / "cache-secret"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))  # never the real home's
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    yield


def require_pdf_tools() -> None:
    """Skip, with one line saying what to install, when the PDF tools are missing and cannot be installed here;
    fail with that line when they could be (run ``bash scripts/run.sh test``, which installs them)."""
    from symbolic.emit.toolchain import can_install, install_line, missing

    gone = missing()
    if not gone:
        return
    if can_install():
        pytest.fail(install_line(gone), pytrace=False)
    pytest.skip(install_line(gone))


@pytest.fixture
def pdf_tools():
    """For tests that build or read a PDF: TeX Live and poppler (see :func:`require_pdf_tools`)."""
    require_pdf_tools()


def pytest_terminal_summary(terminalreporter):
    from symbolic.emit.toolchain import can_install, install_line, missing

    gone = missing()
    if gone and not can_install():
        terminalreporter.write_line("report tests skipped: " + install_line(gone))
