"""The words people read for the codes the database keeps: an audit action, a field, a status.

Each area adds the labels of its own records (its `labels` module); the audit trail and the
exports read them here, so no low-level module needs to know the areas above it.
"""

from collections.abc import Mapping

ACTIONS: dict[str, object] = {}  # "program.created" -> "Program created"
FIELDS: dict[str, dict[str, object]] = {}  # record type -> attribute -> label
VALUES: dict[tuple[str, str], Mapping[str, object]] = {}  # (record type, attribute) -> words


def register(
    record_type: str | None = None,
    *,
    actions: Mapping[str, object] | None = None,
    fields: Mapping[str, object] | None = None,
    values: Mapping[str, Mapping] | None = None,
) -> None:
    ACTIONS.update(actions or {})
    if record_type is not None:
        FIELDS.setdefault(record_type, {}).update(fields or {})
        for attribute, words in (values or {}).items():
            VALUES[(record_type, attribute)] = {str(key): label for key, label in words.items()}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def field_label(record_type: str, attribute: str) -> str:
    return str(FIELDS.get(record_type, {}).get(attribute, attribute))


def value_label(record_type: str, attribute: str, value) -> str | None:
    """The word for a coded value (a status, a role), or None when the value is not a code."""
    words = VALUES.get((record_type, attribute))
    if words is None or str(value) not in words:
        return None
    return str(words[str(value)])
