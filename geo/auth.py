"""Who may change what: roles, the acting user, and local accounts (DESIGN section 10).

Roles:

- ``viewer``: every signed-in official; reads everything, changes nothing;
- ``editor``: an agency's editor; uploads, replaces, deletes and reviews only for that agency;
- ``admin``: everything.

The store enforces it (:func:`check_write`), whatever the caller: the app passes the signed-in
user, the CLI the ``--user`` it was given. A caller that names no user acts as the operator of
the machine (:data:`OPERATOR`): whoever can run commands next to the store file (or holds the
database's credentials) can change it anyway.

Local accounts, for intranets without an identity provider, live in a JSON file
(``$PETA_USERS``, default ``users.json`` beside the store: :func:`geo.settings.default_users_path`)
with scrypt-hashed passwords; ``python -m geo users add`` writes it.

A signed-in actor carries the accounts file its role came from, and every write re-reads it
(:func:`refresh_actor`): an editor demoted or removed while signed in loses the right at the
next write. Repeated wrong passwords lock the account, and the client they came from, for a
while (:func:`sign_in`).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from geo.errors import GeoInputError, PermissionDenied
from geo.settings import default_users_path

__all__ = [
    "Actor",
    "add_user",
    "check_admin",
    "check_review",
    "check_write",
    "hash_password",
    "load_accounts",
    "LOCKOUT_S",
    "MAX_FAILED_SIGN_INS",
    "OPERATOR",
    "password_matches",
    "refresh_actor",
    "ROLES",
    "sign_in",
    "SignInLocked",
]

ROLES: Final[tuple[str, ...]] = ("viewer", "editor", "admin")
#: scrypt cost (n, r, p): OWASP's minimum N=2^17 (about 0.3 s and 128 MiB a check on a small
#: server); hashes of a lower cost are upgraded at the next successful sign-in.
_SCRYPT: Final[tuple[int, int, int]] = (2**17, 8, 1)
#: hashlib's default memory cap (32 MiB) is below what N=2^17, r=8 needs (128 MiB).
_SCRYPT_MAXMEM: Final[int] = 256 * 2**20
#: Wrong passwords allowed per account and per client within :data:`LOCKOUT_S` before both are
#: locked for :data:`LOCKOUT_S` seconds.
MAX_FAILED_SIGN_INS: Final[int] = 5
LOCKOUT_S: Final[int] = 15 * 60


class SignInLocked(PermissionDenied):
    """Too many wrong passwords for an account, or from a client: sign-in waits.

    Attributes
    ----------
    until
        When sign-in opens again, ``YYYY-MM-DD HH:MM`` UTC.
    """

    def __init__(self, message: str, *, until: str) -> None:
        super().__init__(message)
        self.until = until


@dataclasses.dataclass(frozen=True)
class Actor:
    """A user acting on the store.

    Attributes
    ----------
    name
        Login name (or the identity provider's e-mail).
    role
        One of :data:`ROLES`.
    agency
        The agency an editor works for (its name exactly as in the projects' ``agency``).
    """

    name: str
    role: str
    agency: str | None = None
    #: The accounts file the role came from; every write re-reads the account there.
    accounts: Path | None = dataclasses.field(default=None, compare=False, repr=False)
    #: Role of a user the accounts file does not list: None (a local account that was removed:
    #: no rights) or ``"viewer"`` (anyone the identity provider signed in).
    unlisted_role: str | None = dataclasses.field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")
        if self.role == "editor" and not self.agency:
            raise ValueError(f"editor {self.name} needs an agency")

    @property
    def label(self) -> str:
        """``name (role, agency)`` for the audit trail and the page header."""
        return f"{self.name} ({self.role}{', ' + self.agency if self.agency else ''})"


#: The machine's operator: CLI commands run without ``--user`` on the server itself.
OPERATOR: Final[Actor] = Actor("operator", "admin")


def refresh_actor(actor: Actor | None) -> Actor:
    """``actor`` with the role and agency its account has now (None: :data:`OPERATOR`).

    An actor signed in from an accounts file is looked up there again, so a role changed or an
    account removed while a session is open counts at once.

    Raises
    ------
    geo.errors.PermissionDenied
        The local account no longer exists.
    """
    actor = actor or OPERATOR
    if actor.accounts is None:
        return actor
    account = load_accounts(actor.accounts).get(actor.name)
    if account is None:
        if actor.unlisted_role is None:
            raise PermissionDenied(
                f"{actor.name}: this account no longer exists in {actor.accounts}; sign in "
                "with a current account"
            )
        return dataclasses.replace(actor, role=actor.unlisted_role, agency=None)
    return dataclasses.replace(actor, role=account["role"], agency=account.get("agency"))


def check_write(actor: Actor | None, agencies: Iterable[str], action: str) -> Actor:
    """The acting user, if they may ``action`` records of ``agencies``; else PermissionDenied.

    Parameters
    ----------
    actor
        The user, or None for :data:`OPERATOR`.
    agencies
        Agencies whose records the action creates, replaces or deletes.
    action
        What is attempted, for the message (``"import bpjn.zip"``, ``"delete upload 3"``).

    Returns
    -------
    Actor
        The actor with its current role (:func:`refresh_actor`), for the audit trail.
    """
    actor = refresh_actor(actor)
    if actor.role == "admin":
        return actor
    if actor.role == "viewer":
        raise PermissionDenied(
            f"{action}: {actor.name} may only view; ask an administrator for an editor account"
        )
    others = sorted({a for a in agencies if a != actor.agency})
    if others:
        raise PermissionDenied(
            f"{action}: {actor.name} edits for {actor.agency} only, not for "
            f"{', '.join(others)}; the agency's own editor (or an administrator) must do it"
        )
    return actor


def check_review(actor: Actor | None, agencies: Iterable[str], finding_id: str) -> Actor:
    """The acting user, if they may review a finding between ``agencies``; else PermissionDenied.

    An editor reviews findings that involve their own agency (the other side is another
    agency's by nature of an overlap).
    """
    actor = refresh_actor(actor)
    if actor.role == "admin":
        return actor
    if actor.role == "viewer":
        raise PermissionDenied(
            f"review of {finding_id}: {actor.name} may only view; ask an administrator for an "
            "editor account"
        )
    if actor.agency not in set(agencies):
        between = ", ".join(sorted(set(agencies))) or "agencies not given"
        raise PermissionDenied(
            f"review of {finding_id}: {actor.name} reviews findings of {actor.agency} only; "
            f"this one is between {between}"
        )
    return actor


def check_admin(actor: Actor | None, action: str) -> Actor:
    """The acting user, if an administrator (reference layers, saved findings); else
    PermissionDenied."""
    actor = refresh_actor(actor)
    if actor.role != "admin":
        raise PermissionDenied(
            f"{action}: only an administrator may do this, not {actor.name} ({actor.role})"
        )
    return actor


# --- local accounts ------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64) of ``password`` with a new random salt."""
    n, r, p = _SCRYPT
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=_SCRYPT_MAXMEM
    )
    encode = base64.b64encode
    return f"scrypt${n}${r}${p}${encode(salt).decode()}${encode(digest).decode()}"


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` hashes to ``stored`` (:func:`hash_password`), in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(base64.b64decode(digest)),
        maxmem=_SCRYPT_MAXMEM,
    )
    return hmac.compare_digest(got, base64.b64decode(digest))


def _needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was hashed at a lower cost than :data:`_SCRYPT`."""
    parts = stored.split("$")
    return len(parts) != 6 or tuple(int(v) for v in parts[1:4]) < _SCRYPT


def load_accounts(path: Path | None = None) -> dict[str, dict]:
    """Accounts by name: ``{"role", "agency", "password"}`` each; empty when there is no file.

    ``path`` defaults to :func:`geo.settings.default_users_path`.
    """
    path = path or default_users_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {user["name"]: user for user in data["users"]}
    except (ValueError, KeyError, TypeError) as err:
        raise GeoInputError(
            f"{path}: not a Peta Sinergi accounts file ({err}); recreate it with "
            "python -m geo users add"
        ) from None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Serialise changes to the accounts file (and its sign-in failures) across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_json(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` atomically, readable by its owner only."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".users-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def add_user(
    name: str, password: str, role: str, agency: str | None = None, *, path: Path | None = None
) -> Actor:
    """Add (or replace) a local account; the file is rewritten atomically, readable by its
    owner only."""
    path = path or default_users_path()
    if len(password) < 10:
        raise GeoInputError(f"user {name}: the password needs at least 10 characters")
    actor = Actor(name, role, agency)  # checks role and agency
    with _locked(path):
        accounts = load_accounts(path)
        accounts[name] = {
            "name": name,
            "role": role,
            "agency": agency,
            "password": hash_password(password),
        }
        _write_json(path, {"users": list(accounts.values())})
    return actor


def sign_in(
    name: str,
    password: str,
    *,
    path: Path | None = None,
    client: str = "",
    now: dt.datetime | None = None,
) -> Actor | None:
    """The account's actor if the password is right, else None (no hint which part was wrong).

    After :data:`MAX_FAILED_SIGN_INS` wrong passwords for an account, or from a client, within
    :data:`LOCKOUT_S` seconds, both are locked for :data:`LOCKOUT_S` seconds: no password is
    checked then. The failures are counted in a file beside the accounts file, so the app's
    sessions and the command line count together. A hash of a lower cost than today's is
    upgraded on success.

    Parameters
    ----------
    name, password
        What the user typed.
    path
        The accounts file (default :func:`geo.settings.default_users_path`).
    client
        Where the attempt comes from (the browser's address; empty for the command line).
    now
        The time of the attempt (UTC); defaults to the current time.

    Raises
    ------
    SignInLocked
        The account or the client is locked; the message says until when.
    """
    path = path or default_users_path()
    now = now or dt.datetime.now(dt.UTC)
    keys = [f"account:{name}"] + ([f"client:{client}"] if client else [])
    failures_path = path.with_name(f".{path.name}.failures")
    with _locked(path):
        failures = _load_failures(failures_path, now)
        locked = [
            failures[k]["locked_until"] for k in keys if failures.get(k, {}).get("locked_until")
        ]
        if locked:
            until = dt.datetime.fromtimestamp(max(locked), dt.UTC).strftime("%Y-%m-%d %H:%M")
            raise SignInLocked(
                f"{name}: too many wrong passwords; sign-in is locked until {until} UTC (an "
                "administrator can reset the password with python -m geo users add)",
                until=until,
            )
        accounts = load_accounts(path)
        account = accounts.get(name)
        if account is None:
            password_matches(password, hash_password("timing"))  # same time as a wrong password
            right = False
        else:
            right = password_matches(password, account["password"])
        if account is None or not right:
            for key in keys:
                entry = failures.setdefault(key, {"count": 0, "first": now.timestamp()})
                entry["count"] += 1
                if entry["count"] >= MAX_FAILED_SIGN_INS:
                    entry["locked_until"] = now.timestamp() + LOCKOUT_S
            _write_json(failures_path, failures)
            return None
        if failures.pop(keys[0], None) is not None:
            _write_json(failures_path, failures)
        if _needs_rehash(account["password"]):
            account["password"] = hash_password(password)
            _write_json(path, {"users": list(accounts.values())})
    return Actor(account["name"], account["role"], account.get("agency"), accounts=path)


def _load_failures(path: Path, now: dt.datetime) -> dict[str, dict[str, float]]:
    """Recent sign-in failures by key; entries older than the window (and not locked) dropped."""
    try:
        failures = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    stamp = now.timestamp()
    return {
        key: entry
        for key, entry in failures.items()
        if isinstance(entry, dict)
        and (
            entry.get("locked_until", 0) > stamp
            or (not entry.get("locked_until") and stamp - entry.get("first", 0) < LOCKOUT_S)
        )
    }
