"""Errors for input a user can fix.

Every message names the file (and the layer or record where there is one) and says what to do.
Problems are collected and raised once: ``GeoInputError.problems`` holds one line per problem.
The UI and CLI catch only ``GeoInputError``; anything else is a bug and must surface.
"""

from __future__ import annotations

__all__ = [
    "CRSError",
    "GeoInputError",
    "MappingError",
    "NothingStored",
    "PermissionDenied",
    "StoreUnavailable",
    "UnsafeFileError",
    "UnsupportedFormatError",
]


class GeoInputError(ValueError):
    """Input that cannot be used as given; the message says why and how to fix it.

    Parameters
    ----------
    problems
        One human-readable line per problem, each ideally ``"FILE: reason"``.
    """

    def __init__(self, *problems: str) -> None:
        if not problems:
            raise TypeError("GeoInputError needs at least one problem line")
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


class UnsafeFileError(GeoInputError):
    """A file refused before it was opened: a zip bomb, path traversal, too large, ..."""


class UnsupportedFormatError(GeoInputError):
    """A file whose format Peta Sinergi does not read."""


class CRSError(GeoInputError):
    """A coordinate reference system that is missing, unknown or contradicted by the data."""


class MappingError(GeoInputError):
    """A column mapping that is missing or ambiguous: the user must say which column."""


class PermissionDenied(GeoInputError):
    """A store operation the caller's agency may not perform."""


class StoreUnavailable(GeoInputError):
    """A store that cannot be reached or opened as configured: the database at ``DATABASE_URL``
    is down, refuses the login, or the URL is malformed. The message never shows the password."""


class NothingStored(GeoInputError):
    """An import, or a reference layer, in which no record survived: the store keeps what it
    had (a failed import never replaces stored data)."""
