"""Accounts for AppTests on stores that are not the demo store: such a store opens read-only
until someone signs in, so tests that upload, delete or review there sign in as an admin."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.auth import add_user

ADMIN = "admin-uji"
ADMIN_PASSWORD = "kata-sandi-admin-uji"


def add_admin(users: Path) -> Path:
    """An accounts file at ``users`` holding one administrator, :data:`ADMIN`."""
    add_user(ADMIN, ADMIN_PASSWORD, "admin", path=users)
    return users


def sign_in_if_asked(app: AppTest) -> AppTest:
    """Sign in as :data:`ADMIN` when the app shows its sign-in form (after ``app.run()``)."""
    if app.get("form") and len(app.text_input) >= 2 and not app.metric:
        app.text_input[0].input(ADMIN)
        app.text_input[1].input(ADMIN_PASSWORD)
        app.button[0].click().run()
    return app
