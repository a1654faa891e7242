"""Sign-in: who is using the app (DESIGN section 10; roles and rules in :mod:`geo.auth`).

- With an identity provider configured (``[auth]`` in ``.streamlit/secrets.toml``): Streamlit's
  native ``st.login`` (OIDC). Role and agency come from the accounts file entry of the same
  name (the e-mail); anyone else signed in is a viewer.
- Else, with local accounts (``python -m geo users add``): a sign-in form.
- Else: demo mode, clearly marked: no sign-in, everyone may change the (illustrative) data.

The store checks every write against the actor too; the pages only hide what a role cannot do.
"""

from __future__ import annotations

import streamlit as st

from geo.auth import Actor, load_accounts, sign_in
from geo.errors import GeoInputError
from ui import state
from ui.i18n import text

#: Who uses the app when nobody can sign in (no identity provider, no local accounts).
DEMO_ACTOR = Actor("demo", "admin")


def current_actor() -> Actor:
    """The signed-in user (in session state); asks for sign-in and stops the page until then."""
    lang = st.session_state.get(state.LANG, "id")
    if _oidc_configured():
        actor = _oidc_actor(lang)
    else:
        try:
            accounts = load_accounts()
        except GeoInputError as error:
            st.error("\n".join(error.problems))
            st.stop()
        actor = _local_actor(lang) if accounts else DEMO_ACTOR
    st.session_state[state.ACTOR] = actor
    with st.sidebar:
        if actor is DEMO_ACTOR:
            st.warning(text("demo_mode", lang), icon=":material/lock_open:")
        else:
            st.caption(text("signed_in_as", lang).format(who=actor.label))
            if st.button(text("sign_out", lang), key=state.SIGN_OUT):
                _sign_out()
    return actor


def actor() -> Actor:
    """The user :func:`current_actor` settled for this run."""
    return st.session_state.get(state.ACTOR, DEMO_ACTOR)


def can_edit() -> bool:
    """Whether the user may upload, replace, delete or review (for their agency, or all)."""
    return actor().role in ("editor", "admin")


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def _oidc_actor(lang: str) -> Actor:
    if not st.user.is_logged_in:
        st.title("Peta Sinergi")
        st.button(text("sign_in_oidc", lang), on_click=st.login, icon=":material/login:")
        st.stop()
    name = str(st.user.get("email") or st.user.get("name") or "")
    account = load_accounts().get(name)
    if account is None:
        return Actor(name, "viewer")
    return Actor(name, account["role"], account.get("agency"))


def _local_actor(lang: str) -> Actor:
    signed = st.session_state.get(state.LOCAL_USER)
    if isinstance(signed, Actor):
        return signed
    st.title("Peta Sinergi")
    with st.form(state.SIGN_IN_FORM):
        name = st.text_input(text("user_name", lang))
        password = st.text_input(text("password", lang), type="password")
        submitted = st.form_submit_button(text("sign_in", lang), icon=":material/login:")
    if submitted:
        found = sign_in(name.strip(), password)
        if found is not None:
            st.session_state[state.LOCAL_USER] = found
            st.rerun()
        st.error(text("sign_in_failed", lang))
    st.stop()


def _sign_out() -> None:
    st.session_state.pop(state.LOCAL_USER, None)
    st.session_state.pop(state.ACTOR, None)
    if _oidc_configured():
        st.logout()
    st.rerun()
