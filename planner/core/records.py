"""One declaration of each record's editable fields, and what every edit path shares.

A record type is a typed pydantic model naming the fields people may change. The edit forms
show and save exactly those fields (`core.forms.RecordFields` refuses, at import, a form that
lacks one), the JSON API reads and answers them, and copying and the audit trail go through
them. The database row keeps the same names; a nested record (a delegation's contact) is
stored with its name as prefix (contact.name -> contact_name).
"""

from datetime import date, datetime, time
from enum import Enum
from functools import cache
from types import UnionType
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, WithJsonSchema, create_model

# A time of day on the wall clock (opening hours): no offset, so not JSON Schema's "time".
WallClock = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "description": "Local time of day, HH:MM",
        }
    ),
]


class StaleEdit(Exception):
    """The record changed since the editor loaded it; their change would overwrite another's."""


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs."""
    return {
        field: [_plain(old.get(field)), _plain(value)]
        for field, value in new.items()
        if old.get(field) != value
    }


def snapshot(obj, fields) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


def apply_changes(row, values: dict[str, Any], expected_version: int | None = None) -> dict:
    """Set the values that differ from the row's; {field: [old, new]} of what changed (saving
    a form unchanged changes nothing). StaleEdit if the editor saw an older version."""
    if expected_version is not None and expected_version != row.version:
        raise StaleEdit()
    changes = changes_between(snapshot(row, values.keys()), values)
    for field in changes:
        setattr(row, field, values[field])
    return changes


class Record(BaseModel):
    """Strict types (JSON `0` is not a boolean, `12345` is not a title) and unknown fields
    ignored, as the API documents."""

    model_config = ConfigDict(strict=True, extra="ignore")

    # Fields kept on the row under other names or derived from it (e.g. an item's venue by
    # its public id); `read` is asked for them.
    derived: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(cls.model_fields)

    @classmethod
    def nested(cls) -> dict[str, type["Record"]]:
        """Fields that are records of their own, by name."""
        return {
            name: info.annotation
            for name, info in cls.model_fields.items()
            if isinstance(info.annotation, type) and issubclass(info.annotation, Record)
        }

    @classmethod
    def read(cls, row, name: str) -> Any:
        """The value of a derived field; plain fields are the row's attributes."""
        raise NotImplementedError(f"{cls.__name__} does not say how to read {name!r}")

    @classmethod
    def of(cls, row, prefix: str = "") -> dict[str, Any]:
        """The row's current values, by field name (nested records as dicts)."""
        nested = cls.nested()
        values: dict[str, Any] = {}
        for name in cls.names():
            if name in nested:
                values[name] = nested[name].of(row, prefix=f"{prefix}{name}_")
            elif name in cls.derived:
                values[name] = cls.read(row, name)
            else:
                values[name] = getattr(row, prefix + name)
        return values

    @classmethod
    def attributes(cls, values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        """Field values as the row's attribute names (nested records flattened)."""
        nested = cls.nested()
        flat: dict[str, Any] = {}
        for name, value in values.items():
            if name in nested and isinstance(value, dict):
                flat.update(nested[name].attributes(value, prefix=f"{prefix}{name}_"))
            else:
                flat[prefix + name] = value
        return flat

    @classmethod
    @cache
    def partial(cls) -> type["Record"]:
        """The same fields, each optional (in nested records too): a PATCH names only what it
        changes, and a body that lacks required fields still reaches the form's own rules."""
        fields = {
            name: (_lenient(info.annotation) | None, None)
            if info.is_required()
            else (_lenient(info.annotation), info)
            for name, info in cls.model_fields.items()
        }
        return create_model(f"{cls.__name__}Patch", __base__=Record, **fields)

    def given(self) -> dict[str, Any]:
        """What the client sent, with nested records as dicts."""
        return self.model_dump(exclude_unset=True)


def _lenient(annotation):
    """The annotation with every record in it replaced by its partial version."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation.partial()
    origin = get_origin(annotation)
    if origin is list:
        return list[_lenient(get_args(annotation)[0])]
    if origin in (Union, UnionType):
        return Union[tuple(_lenient(arg) for arg in get_args(annotation))]  # noqa: UP007
    return annotation
