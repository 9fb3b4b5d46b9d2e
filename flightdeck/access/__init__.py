"""Access: who may do what. The permissions of each role are here; the package holds the rest of
the concern: the audit trail (`audit`), the one shape of a guarded change (`guard`), the roles
file (`roles`), who is using the app (`identity`, `signin`) and reading the trail (`trail`).
Every change and every sensitive read checks the role on the server, through `guard`."""

from dataclasses import dataclass

VIEW = "view"
EXPORT = "export"  # suppressed aggregates only
LOAD = "load"  # case and workforce extracts
ROLLBACK = "rollback"
IMPORT_PEERS = "import_peers"
EDIT_REFERENCE = "edit_reference"  # peer groups, declared KPI status
MANAGE = "manage"  # users and settings
# The suspect lists and a suspect's history: pseudonymised ids of people, for an analyst
# preparing a tasking meeting; never a viewer.
VIEW_SUSPECTS = "view_suspects"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({VIEW, EXPORT}),
    "analyst": frozenset(
        {VIEW, EXPORT, LOAD, ROLLBACK, IMPORT_PEERS, EDIT_REFERENCE, VIEW_SUSPECTS}
    ),
    "admin": frozenset(
        {VIEW, EXPORT, LOAD, ROLLBACK, IMPORT_PEERS, EDIT_REFERENCE, VIEW_SUSPECTS, MANAGE}
    ),
}


@dataclass(frozen=True)
class User:
    name: str
    role: str


# With no identity provider configured the single local user is an analyst.
LOCAL_USER = User(name="local analyst", role="analyst")


class PermissionDenied(Exception):
    """Raised when a user's role does not allow an action."""


def allowed(user: User, action: str) -> bool:
    return action in ROLE_PERMISSIONS.get(user.role, frozenset())


def require(user: User, action: str) -> None:
    """Raise PermissionDenied unless the user's role allows the action."""
    if not allowed(user, action):
        raise PermissionDenied(f"{user.name} ({user.role}) may not {action.replace('_', ' ')}")
