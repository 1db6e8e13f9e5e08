"""The words for staff accounts' and API tokens' codes: roles, audit actions, fields."""

from flask_babel import lazy_gettext as _l

from planner.core import labels
from planner.staff.models import Role

ROLE_LABELS = {Role.STAFF: _l("Staff"), Role.ADMIN: _l("Admin")}

labels.register(
    "StaffUser",
    actions={
        "user.invited": _l("User invited"),
        "user.joined": _l("Invitation accepted"),
        "user.reset_requested": _l("New password requested"),
        "user.password_reset": _l("New password chosen with a reset link"),
        "user.password_changed": _l("Password changed"),
        "user.role_changed": _l("Role changed"),
        "user.activated": _l("User reactivated"),
        "user.deactivated": _l("User deactivated"),
    },
    fields={"email": _l("E-mail"), "role": _l("Role"), "active": _l("Active")},
    values={"role": ROLE_LABELS},
)
labels.register(
    "ApiToken",
    actions={"token.created": _l("API token created"), "token.revoked": _l("API token revoked")},
    fields={"name": _l("What the token is for")},
)
