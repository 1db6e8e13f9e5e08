"""Digests: secrets are stored as their SHA-256 digests, never as themselves; a request or an
order is compared by the digest of what it means."""

import hashlib
import json
from typing import Any


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def digest_of(content: Any) -> str:
    """A digest of what a value means: the same JSON in another layout has the same digest."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
