"""Shared fixtures: every test gets its own empty verdict cache."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STEPCHECK_CACHE", str(tmp_path / "stepcheck-cache"))
    yield
