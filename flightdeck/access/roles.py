"""Who holds which role: the roles file that maps signed-in people to roles.

The file is TOML with one table, `[users]`, mapping the e-mail address the identity provider
reports to a role (`viewer`, `analyst` or `admin`):

    [users]
    "a.analyst@force.example" = "analyst"

Addresses are compared without regard to case or surrounding spaces. Anyone signed in whose
address is not in the file gets NO access (fail closed): a force adds people on purpose rather
than finding out later that everyone in its directory could read the data.

The file's path is the setting `FLIGHTDECK_ROLES` (default `config/roles.toml` in the folder
the product runs from). Changing a role goes through `set_role`, which only an admin may call
and which is audited.
"""

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path

import duckdb

from flightdeck import access, files, settings
from flightdeck.access import guard

ROLES = tuple(access.ROLE_PERMISSIONS)  # viewer, analyst, admin

# Claims an OIDC identity token may carry that name the person, most specific first.
IDENTITY_CLAIMS = ("email", "preferred_username", "upn")


class RolesFileError(ValueError):
    """The roles file cannot be read or holds something other than address = role."""


def roles_path() -> Path:
    """The roles file in use: `FLIGHTDECK_ROLES` if set, else config/roles.toml."""
    return settings.load_settings().roles_file


def normalise_identity(identity: str) -> str:
    """The form addresses are stored and compared in: trimmed, lower case."""
    return identity.strip().lower()


def parse_roles(text: str) -> dict[str, str]:
    """Address -> role from the roles file's text.

    Raises RolesFileError for invalid TOML, a missing `[users]` table, a role that is not one of
    viewer/analyst/admin, or the same address given twice in different cases.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RolesFileError(f"the roles file is not valid TOML ({exc})") from None
    users = data.get("users", {})
    if not isinstance(users, Mapping):
        raise RolesFileError("the roles file's [users] must be a table of address = role")
    roles: dict[str, str] = {}
    for identity, role in users.items():
        if role not in ROLES:
            raise RolesFileError(
                f"the role of {identity!r} is {role!r}; it must be one of {', '.join(ROLES)}"
            )
        key = normalise_identity(identity)
        if key in roles:
            raise RolesFileError(f"{identity!r} is given more than once")
        roles[key] = role
    return roles


def load_roles(path: Path | None = None) -> dict[str, str]:
    """The roles in the file (empty if the file does not exist: then nobody may sign in)."""
    path = path or roles_path()
    if not path.exists():
        return {}
    return parse_roles(path.read_text(encoding="utf-8"))


def format_roles(roles: Mapping[str, str]) -> str:
    """The roles file text for a mapping, sorted by address."""
    lines = [
        "# Who may use the flight deck, by the e-mail address the identity provider reports.",
        "# Roles: viewer (dashboards, suppressed exports), analyst (also loads, rollbacks,",
        "# peer groups and imports), admin (also users and the audit trail).",
        "# Anyone not listed has no access. Edited through the Admin page (audited).",
        "[users]",
    ]
    # JSON string escaping is valid TOML basic-string escaping for these characters.
    lines += [f"{json.dumps(k)} = {json.dumps(roles[k])}" for k in sorted(roles)]
    return "\n".join(lines) + "\n"


def save_roles(roles: Mapping[str, str], path: Path | None = None) -> None:
    """Write the roles file atomically with owner-only permissions."""
    text = format_roles(roles)
    parse_roles(text)  # never write a file we could not read back
    files.write_atomically(path or roles_path(), text)


def role_for(identity: str | None, roles: Mapping[str, str]) -> str | None:
    """The role of a signed-in person, or None if they are not in the roles file."""
    if not identity:
        return None
    return roles.get(normalise_identity(identity))


def user_for(identity: str | None, roles: Mapping[str, str]) -> access.User | None:
    """The User for a signed-in person, or None (no access) if they hold no role."""
    role = role_for(identity, roles)
    if role is None:
        return None
    return access.User(name=normalise_identity(identity), role=role)


def identity_from_claims(claims: Mapping[str, object]) -> str | None:
    """The address that names a person in their identity token's claims, or None."""
    for claim in IDENTITY_CLAIMS:
        value = claims.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def set_role(
    con: duckdb.DuckDBPyConnection,
    actor: access.User,
    identity: str,
    role: str | None,
    path: Path | None = None,
) -> str:
    """Give a person a role, change it, or remove them (role None). Admins only; audited.

    Returns a one-line message. Raises PermissionDenied for a non-admin (audited as refused),
    ValueError for an unknown role or an empty address, or when an admin would remove or demote
    the last admin (which would lock everyone out of managing users).
    """
    key = normalise_identity(identity)
    action = guard.begin(
        con, actor, "edit_roles", access.MANAGE, f"{key}: -> {role or 'no access'}"
    )
    roles = load_roles(path)
    if not key or (role is not None and role not in ROLES):
        action.refuse()
        raise ValueError(f"Choose an address and one of the roles {', '.join(ROLES)}.")
    before = roles.get(key)
    action.detail = f"{key}: {before or 'no access'} -> {role or 'no access'}"
    if before == role:
        action.unchanged()
        return f"{key} already has {role or 'no access'}."
    admins = [k for k, r in roles.items() if r == "admin"]
    if before == "admin" and admins == [key]:
        action.refuse("last admin")
        raise ValueError(f"{key} is the only admin; make someone else admin first.")
    if role is None:
        roles.pop(key, None)
    else:
        roles[key] = role
    # The file is not in the database: the guard's transaction holds only the audit row, so a
    # failed write is audited as failed and nothing else changes.
    action.run(lambda: save_roles(roles, path))
    return f"{key} now has {role or 'no access'}."
