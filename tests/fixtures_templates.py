"""Compile each template once per test session instead of once per test.

Every test builds a fresh app (``create_app``), hence a fresh Jinja environment that would
parse and compile every template it renders again: that was most of the time of a page test.
A bytecode cache shared by all test apps keeps the compiled code (keyed by template name and
source checksum, so an edited template is compiled again). Rendering itself is unchanged.
"""

from __future__ import annotations

from flask import Flask
from jinja2 import MemcachedBytecodeCache


class _MemoryClient:
    """The two methods ``MemcachedBytecodeCache`` needs, on a dict."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._store.get(key)

    def set(self, key: str, value: bytes, timeout: int | None = None) -> None:
        self._store[key] = value


Flask.jinja_options = {
    **Flask.jinja_options,
    "bytecode_cache": MemcachedBytecodeCache(_MemoryClient()),
}
