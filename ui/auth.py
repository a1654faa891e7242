"""Sign-in: who is using the app (DESIGN section 10; roles and rules in :mod:`geo.auth`).

- With an identity provider configured (``[auth]`` in ``.streamlit/secrets.toml``): Streamlit's
  native ``st.login`` (OIDC). Role and agency come from the accounts file entry of the same
  name (the e-mail); anyone else signed in is a viewer.
- Else, with local accounts (``python -m geo users add``): a sign-in form.
- Else, on the demo store the app built itself: demo mode, clearly marked: no sign-in,
  everyone may change the (illustrative) data.
- Else (a real store, or a database, with no accounts yet): read-only, with a message saying
  how to create the first administrator. Never an anonymous administrator on real data.

The accounts file is the one that goes with the store (:func:`geo.settings.default_users_path`),
whatever the working directory. The role is looked up again at every run (and the store looks
it up again at every write), so a demoted or removed account loses its rights at once.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.auth import Actor, SignInLocked, load_accounts, refresh_actor, sign_in
from geo.errors import GeoInputError, PermissionDenied
from geo.settings import default_users_path
from geo.store import store_locator
from ui import state
from ui.common import plain, time_text
from ui.i18n import text
from ui.store_cache import open_current

#: Who uses the app on the demo store when nobody can sign in (no identity provider, no
#: local accounts).
DEMO_ACTOR = Actor("demo", "admin")
#: Who uses the app on a real store that has no accounts yet: may only look.
READ_ONLY_ACTOR = Actor("tamu", "viewer")


def current_actor() -> Actor:
    """The signed-in user (in session state); asks for sign-in and stops the page until then."""
    lang = st.session_state.get(state.LANG, "id")
    users = default_users_path(store_locator())
    if _oidc_configured():
        actor = _oidc_actor(lang, users)
    else:
        try:
            accounts = load_accounts(users)
        except GeoInputError as error:
            st.error("\n\n".join(plain(p) for p in error.problems))
            st.stop()
        if accounts:
            actor = _local_actor(lang, users)
        elif _on_demo_store():
            actor = DEMO_ACTOR
        else:
            actor = READ_ONLY_ACTOR
    st.session_state[state.ACTOR] = actor
    with st.sidebar:
        if actor is DEMO_ACTOR:
            st.warning(text("demo_mode", lang), icon=":material/lock_open:")
        elif actor is READ_ONLY_ACTOR:
            st.info(text("read_only_mode", lang), icon=":material/lock:")
        else:
            st.caption(text("signed_in_as", lang).format(who=plain(actor.label)))
            if st.button(text("sign_out", lang), key=state.SIGN_OUT):
                _sign_out()
    return actor


def actor() -> Actor:
    """The user :func:`current_actor` settled for this run (read-only before that)."""
    return st.session_state.get(state.ACTOR, READ_ONLY_ACTOR)


def can_edit() -> bool:
    """Whether the user may upload, replace, delete or review (for their agency, or all)."""
    return actor().role in ("editor", "admin")


def _on_demo_store() -> bool:
    """Whether the app runs on the demo store it built itself (never a database)."""
    try:
        return bool(open_current().is_demo())
    except GeoInputError:  # the pages say what is wrong with the store
        return False


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def _oidc_actor(lang: str, users: Path) -> Actor:
    if not st.user.is_logged_in:
        st.title("Peta Sinergi")
        st.button(text("sign_in_oidc", lang), on_click=st.login, icon=":material/login:")
        st.stop()
    name = str(st.user.get("email") or st.user.get("name") or "")
    return refresh_actor(Actor(name, "viewer", accounts=users, unlisted_role="viewer"))


def _local_actor(lang: str, users: Path) -> Actor:
    signed = st.session_state.get(state.LOCAL_USER)
    if isinstance(signed, Actor):
        try:
            return refresh_actor(signed)
        except PermissionDenied:  # the account was removed while signed in
            st.session_state.pop(state.LOCAL_USER, None)
    st.title("Peta Sinergi")
    with st.form(state.SIGN_IN_FORM):
        name = st.text_input(text("user_name", lang))
        password = st.text_input(text("password", lang), type="password")
        submitted = st.form_submit_button(text("sign_in", lang), icon=":material/login:")
    if submitted:
        try:
            found = sign_in(name.strip(), password, path=users, client=_client())
        except SignInLocked as locked:
            _audit_sign_in(name.strip(), "sign_in_locked")
            st.error(text("sign_in_locked", lang).format(until=time_text(locked.until, lang)))
            st.stop()
        if found is not None:
            st.session_state[state.LOCAL_USER] = found
            st.rerun()
        _audit_sign_in(name.strip(), "sign_in_failed")
        st.error(text("sign_in_failed", lang))
    st.stop()


def _client() -> str:
    """The browser's address, to count wrong passwords per client ("local" on this machine)."""
    return str(getattr(st.context, "ip_address", None) or "local")


def _audit_sign_in(name: str, action: str) -> None:
    try:
        open_current().audit_sign_in(name, action, client=_client())
    except GeoInputError:  # the store is unreachable: the pages say so
        pass


def _sign_out() -> None:
    st.session_state.pop(state.LOCAL_USER, None)
    st.session_state.pop(state.ACTOR, None)
    if _oidc_configured():
        st.logout()
    st.rerun()
