"""Shared fixtures: every test gets its own empty verdict cache, cache secret and user directories."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STEPCHECK_CACHE", str(tmp_path / "stepcheck-cache"))
    monkeypatch.setenv("STEPCHECK_SECRET_FILE", str(tmp_path / "stepcheck-config" / "cache-secret"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))  # never the real home's
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    yield
