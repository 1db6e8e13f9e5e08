"""Rendered bytes kept under a key that names everything they depend on (a calendar feed under
its version, say).

Since a key never comes to mean other bytes, an entry can be missing but never stale. Each
process keeps a bounded LRU of them; with REDIS_URL set they are shared through Redis as well,
so one app server's rendering serves the others. Entries expire after a day, so neither grows
without bound.

Redis helps and is never needed: an error counts as a miss, and after one Redis is left alone
for half a minute, so a stopped Redis costs one short timeout, not one per request.

`remembered` is the other kind: an answer that may be a second old (a feed's version, asked
by every calendar app polling it), kept per process for `VERSION_SECONDS`.
"""

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

import redis
from cachetools import TTLCache
from flask import current_app

log = logging.getLogger("planner.core.cache")

TTL_SECONDS = 24 * 3600
MEMORY_BYTES = 32 * 1024 * 1024  # per process
REDIS_PAUSE_SECONDS = 30
PREFIX = "planner:cache:"
VERSION_SECONDS = 1.0
VERSIONS_KEPT = 10_000  # per process


class BytesCache:
    def __init__(self, redis_url: str | None = None):
        self._memory: TTLCache = TTLCache(MEMORY_BYTES, TTL_SECONDS, getsizeof=len)
        self._lock = threading.Lock()
        self._redis = (
            redis.Redis.from_url(redis_url, socket_connect_timeout=0.25, socket_timeout=0.25)
            if redis_url
            else None
        )
        self._redis_paused_until = 0.0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._memory.get(key)
        if value is None and self._redis_usable():
            try:
                value = self._redis.get(PREFIX + key)
            except (redis.RedisError, OSError) as error:
                self._pause_redis(error)
            if value is not None:
                self._remember(key, value)
        return value

    def set(self, key: str, value: bytes) -> None:
        self._remember(key, value)
        if self._redis_usable():
            try:
                self._redis.set(PREFIX + key, value, ex=TTL_SECONDS)
            except (redis.RedisError, OSError) as error:
                self._pause_redis(error)

    def _remember(self, key: str, value: bytes) -> None:
        if len(value) <= MEMORY_BYTES:
            with self._lock:
                self._memory[key] = value

    def _redis_usable(self) -> bool:
        return self._redis is not None and time.monotonic() >= self._redis_paused_until

    def _pause_redis(self, error: Exception) -> None:
        log.warning(
            "Redis unreachable (%s): rendering without its cache for %d s",
            type(error).__name__,
            REDIS_PAUSE_SECONDS,
        )
        self._redis_paused_until = time.monotonic() + REDIS_PAUSE_SECONDS


def app_cache() -> BytesCache:
    """The current app's cache, made on first use."""
    extensions = current_app.extensions
    if "planner.cache" not in extensions:
        extensions["planner.cache"] = BytesCache(current_app.config.get("REDIS_URL"))
    return extensions["planner.cache"]


def remembered(key: Hashable, load: Callable[[], Any]) -> Any:
    """What `load` answered for `key` in the last `VERSION_SECONDS` (the app's
    FEED_VERSION_SECONDS, 0 to always ask), or its answer now. None is never kept."""
    extensions = current_app.extensions
    if "planner.versions" not in extensions:
        seconds = current_app.config.get("FEED_VERSION_SECONDS", VERSION_SECONDS)
        versions = TTLCache(VERSIONS_KEPT, seconds) if seconds > 0 else None
        extensions["planner.versions"] = (versions, threading.Lock())
    versions, lock = extensions["planner.versions"]
    if versions is None:
        return load()
    with lock:
        value = versions.get(key)
    if value is None:
        value = load()
        if value is not None:
            with lock:
                versions[key] = value
    return value
