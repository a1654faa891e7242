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
(``$PETA_USERS``, default ``data/users.json``) with scrypt-hashed passwords; ``python -m geo
users add`` writes it.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from geo.errors import GeoInputError, PermissionDenied

ROLES: Final[tuple[str, ...]] = ("viewer", "editor", "admin")
#: scrypt cost (n, r, p): about 50 ms and 16 MB a check on a small server.
_SCRYPT: Final[tuple[int, int, int]] = (2**14, 8, 1)


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
    """
    actor = actor or OPERATOR
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
    actor = actor or OPERATOR
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


# --- local accounts ------------------------------------------------------------------------------


def default_users_path() -> Path:
    """``$PETA_USERS``, or ``data/users.json`` beside the default store."""
    return Path(os.environ.get("PETA_USERS") or Path("data") / "users.json")


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64) of ``password`` with a new random salt."""
    n, r, p = _SCRYPT
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
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
    )
    return hmac.compare_digest(got, base64.b64decode(digest))


def load_accounts(path: Path | None = None) -> dict[str, dict]:
    """Accounts by name: ``{"role", "agency", "password"}`` each; empty when there is no file."""
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


def add_user(
    name: str, password: str, role: str, agency: str | None = None, *, path: Path | None = None
) -> Actor:
    """Add (or replace) a local account; the file is rewritten atomically, readable by its
    owner only."""
    path = path or default_users_path()
    if len(password) < 10:
        raise GeoInputError(f"user {name}: the password needs at least 10 characters")
    actor = Actor(name, role, agency)  # checks role and agency
    accounts = load_accounts(path)
    accounts[name] = {
        "name": name,
        "role": role,
        "agency": agency,
        "password": hash_password(password),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".users-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump({"users": list(accounts.values())}, out, ensure_ascii=False, indent=1)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return actor


def sign_in(name: str, password: str, *, path: Path | None = None) -> Actor | None:
    """The account's actor if the password is right, else None (no hint which part was wrong)."""
    account = load_accounts(path).get(name)
    if account is None:
        password_matches(password, hash_password("timing"))  # same time as a wrong password
        return None
    if not password_matches(password, account["password"]):
        return None
    return Actor(account["name"], account["role"], account.get("agency"))
