"""Administration (admins only): the audit trail, who holds which role, the settings in force.

Every read and change here goes through functions that check the MANAGE permission on the
server side and audit the outcome; an analyst or viewer who opens the page is refused, and the
refusal is in the trail too.
"""

import datetime as dt
from pathlib import Path

import streamlit as st

from flightdeck import access, settings
from flightdeck.access import roles, signin, trail
from flightdeck.app import errors, session
from flightdeck.app.data.db import database

NO_ACCESS = "no access"
_VIEW_AUDITED = "admin_view_audited"


def _trail_csv(user: access.User, flt: trail.TrailFilter) -> bytes:
    # Built on click (and audited then), with its own short-lived connection.
    with database() as con:
        return trail.trail_csv(con, user, flt)


def _trail(con, user: access.User) -> None:
    actions, outcomes = trail.trail_choices(con)
    left, middle, right = st.columns(3)
    chosen_actions = left.multiselect("Actions", actions, key="audit_actions")
    chosen_outcomes = middle.multiselect("Outcomes", outcomes, key="audit_outcomes")
    who = right.text_input("User contains", key="audit_user")
    today = dt.date.today()
    period = st.date_input(
        "Between", (today - dt.timedelta(days=30), today), key="audit_period", format="DD/MM/YYYY"
    )
    # A range picker returns a tuple of 0, 1 or 2 dates while the person is still choosing.
    picked = list(period) if isinstance(period, tuple | list) else [period]
    since = picked[0] if picked else None
    until = picked[1] if len(picked) > 1 else None
    flt = trail.TrailFilter(
        actions=tuple(chosen_actions),
        outcomes=tuple(chosen_outcomes),
        user_contains=who.strip() or None,
        since=since,
        until=until,
    )
    # The first view in a browser session is audited; filtering afterwards is the same view.
    first = not st.session_state.get(_VIEW_AUDITED)
    entries = trail.read_trail(con, user, flt, record_view=first)
    st.session_state[_VIEW_AUDITED] = True
    st.caption(f"{len(entries):,} entries, newest first.")
    st.dataframe(entries, hide_index=True, key="audit_table")
    st.download_button(
        "Download these entries (CSV)",
        lambda: _trail_csv(user, flt),
        file_name=f"flightdeck-audit-{today:%Y%m%d}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="audit_download",
    )


def _roles(con, user: access.User) -> None:
    if signin.is_local_mode():
        st.info(
            "Sign-in is not configured, so the app runs in local mode and these roles are not "
            "used yet. See docs/security.md to connect the force's identity provider."
        )
    try:
        current = roles.load_roles()
    except roles.RolesFileError as exc:
        errors.show_error(exc)
        current = {}
    table = [{"address": k, "role": v} for k, v in sorted(current.items())]
    st.dataframe(table, hide_index=True, key="roles_table")
    with st.form("role_form", clear_on_submit=True):
        st.markdown("**Give a role, change it, or remove someone**")
        address = st.text_input("E-mail address", key="role_address")
        role = st.selectbox("Role", [*roles.ROLES, NO_ACCESS], key="role_choice")
        if st.form_submit_button("Save"):
            try:
                message = roles.set_role(con, user, address, None if role == NO_ACCESS else role)
            except Exception as exc:  # shown as one sentence; the detail goes to the log
                errors.show_error(exc)
            else:
                st.success(message)


def _settings() -> None:
    mode = "local mode" if signin.is_local_mode() else "sign-in (OpenID Connect)"
    st.markdown(f"**Sign-in**: {mode} (`.streamlit/secrets.toml` `[auth]`)")
    rows = [
        {"setting": s.name, "value": _shown(s), "default": s.default, "meaning": s.meaning}
        for s in settings.SETTINGS
    ]
    st.dataframe(rows, hide_index=True, key="settings_table")
    st.caption(
        "Settings are read from the environment when the app starts; change them there and "
        "restart. Usage statistics are off and the app makes no requests outside this server."
    )


def _shown(setting: settings.Setting) -> str:
    """A setting's value in force; a path by its file name only (never the server's layout)."""
    value = settings.value(setting)
    if setting in (settings.DB, settings.ROLES):
        return Path(value).name
    return value


def render() -> None:
    """Draw the page for an admin; refuse (and audit the refusal) for anyone else."""
    st.title("Administration")
    user = session.current_user()
    # Through the pages' data layer (a short-lived connection, closed when the page is drawn).
    with database() as con:
        if not access.allowed(user, access.MANAGE):
            try:  # the server-side check writes the refusal to the audit trail
                trail.read_trail(con, user, record_view=False)
            except access.PermissionDenied:
                st.error("This page is for administrators only.")
                return
        trail_tab, roles_tab, settings_tab = st.tabs(["Audit trail", "Users and roles", "Settings"])
        with trail_tab:
            _trail(con, user)
        with roles_tab:
            _roles(con, user)
        with settings_tab:
            _settings()
