"""Editing records: what every area's edit path shares."""


class StaleEdit(Exception):
    """The record changed since the editor loaded it; their change would overwrite another's."""
