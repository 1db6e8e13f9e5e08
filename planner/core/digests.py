"""Secrets are stored as their SHA-256 digests, never as themselves."""

import hashlib


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
