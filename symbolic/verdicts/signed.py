"""Signed cache files: where the caches live, the per-user secret, and HMAC-SHA256 over each entry.

A cache answers a check only with what this user's stepcheck wrote.  Every
entry is a JSON object ``{"kind", "key", "payload", "hmac"}``: ``key`` is
the full key the entry was stored under and ``hmac`` is HMAC-SHA256, made
with a secret only this user can read, over the canonical JSON of
``(kind, key, payload)``.  :func:`read_entry` gives the payload back only
when the entry is well formed, was stored under the very key asked for and
its HMAC verifies; anything else (a forged verdict, an entry copied from
another step, a truncated or foreign file) is :data:`IGNORED`.

The caches live in the user's cache directory (``$STEPCHECK_CACHE``, else
platformdirs' user cache directory, which honours ``XDG_CACHE_HOME``), never
in the folder being checked.  The secret is a file in the user's config
directory (``$STEPCHECK_SECRET_FILE`` overrides it), created on first use
with mode 0600; it is never in the cache folder, so shipping a cache folder
never ships the secret.

>>> import os, tempfile
>>> os.environ["STEPCHECK_SECRET_FILE"] = os.path.join(tempfile.mkdtemp(), "secret")
>>> p = os.path.join(tempfile.mkdtemp(), "e.json")
>>> write_entry(p, "step", "k1", {"verdict": "PROVED"})
>>> read_entry(p, "step", "k1")
{'verdict': 'PROVED'}
>>> read_entry(p, "step", "k2") is IGNORED  # stored under another key
True
>>> oct(os.stat(os.environ["STEPCHECK_SECRET_FILE"]).st_mode & 0o777)
'0o600'
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

__all__ = ["IGNORED", "cache_dir", "read_entry", "secret_path", "sign", "verified", "write_entry"]

IGNORED = object()
"""What :func:`read_entry` returns for an entry that exists but does not verify."""

_SECRETS: dict[str, bytes | None] = {}


def cache_dir() -> Path:
    """The cache folder: ``$STEPCHECK_CACHE``, else the user's cache directory for stepcheck.

    >>> cache_dir().name != ""
    True
    """
    env = os.environ.get("STEPCHECK_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("stepcheck", appauthor=False))


def secret_path() -> Path:
    """The secret's file: ``$STEPCHECK_SECRET_FILE``, else ``cache-secret`` in the user's config directory.

    >>> secret_path().name != ""
    True
    """
    env = os.environ.get("STEPCHECK_SECRET_FILE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir("stepcheck", appauthor=False)) / "cache-secret"


def _secret() -> bytes | None:
    """This user's secret, created on first use; None when it cannot be had safely (then nothing is cached)."""
    path = secret_path()
    key = str(path)
    if key not in _SECRETS:
        _SECRETS[key] = _load_or_create(path)
    return _SECRETS[key]


def _load_or_create(path: Path) -> bytes | None:
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"{path.name}.tmp{os.getpid()}-{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_hex(32).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # atomic, and never replaces a secret another process made first
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        return _read_secret(path)
    except OSError:
        return None


def _read_secret(path: Path) -> bytes | None:
    st = os.stat(path)
    if st.st_mode & 0o077 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return None  # others can read (or own) it: entries signed with it prove nothing
    data = path.read_bytes().strip()
    return data if len(data) >= 32 else None


def _canonical(kind: str, key: Any, payload: Any) -> bytes:
    return json.dumps([kind, key, payload], sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _mac(secret: bytes, kind: str, key: Any, payload: Any) -> str:
    return hmac.new(secret, _canonical(kind, key, payload), hashlib.sha256).hexdigest()


def sign(kind: str, key: Any, payload: Any) -> str | None:
    """The HMAC of ``(kind, key, payload)`` with this user's secret; None when there is no trustworthy secret
    (then nothing may be stored).

    >>> import os, tempfile
    >>> os.environ["STEPCHECK_SECRET_FILE"] = os.path.join(tempfile.mkdtemp(), "secret")
    >>> mac = sign("memo", "k", {"v": 1})
    >>> verified("memo", "k", {"v": 1}, mac), verified("memo", "k", {"v": 2}, mac)
    (True, False)
    """
    secret = _secret()
    return None if secret is None else _mac(secret, kind, key, payload)


def verified(kind: str, key: Any, payload: Any, mac: Any) -> bool:
    """Whether ``mac`` is this user's HMAC of ``(kind, key, payload)`` (:func:`sign`).

    >>> verified("memo", "k", {}, "0" * 64)
    False
    """
    secret = _secret()
    if secret is None or not isinstance(mac, str):
        return False
    try:
        expected = _mac(secret, kind, key, payload)
    except (TypeError, ValueError):
        return False
    return hmac.compare_digest(expected, mac)


def read_entry(path: str | os.PathLike, kind: str, key: Any) -> Any:
    """The payload stored at ``path`` under ``(kind, key)``; None when there is no file; :data:`IGNORED` when it does not verify.

    >>> read_entry("/no/such/entry.json", "step", "k") is None
    True
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return IGNORED
    if _secret() is None:
        return None  # no trustworthy secret: the cache is off, nothing is read
    try:
        entry = json.loads(raw)
    except (ValueError, RecursionError):  # garbage bytes, bad UTF-8, truncated JSON
        return IGNORED
    if not isinstance(entry, dict) or set(entry) != {"kind", "key", "payload", "hmac"}:
        return IGNORED
    if entry["kind"] != kind or entry["key"] != key or not verified(kind, key, entry["payload"], entry["hmac"]):
        return IGNORED
    return entry["payload"]


def write_entry(path: str | os.PathLike, kind: str, key: Any, payload: Any) -> None:
    """Store ``payload`` at ``path``, signed under ``(kind, key)``; a disk that refuses only costs speed.

    >>> write_entry("/proc/no/such/folder/e.json", "step", "k", {})  # silently not stored
    """
    mac = sign(kind, key, payload)
    if mac is None:
        return
    p = Path(path)
    entry = {"kind": kind, "key": key, "payload": payload, "hmac": mac}
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f"{p.name}.tmp{os.getpid()}")
        tmp.write_text(json.dumps(entry))
        os.replace(tmp, p)
    except OSError:
        pass
