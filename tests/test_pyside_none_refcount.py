"""Guard against the PySide6 6.12.0 regression on CPython 3.11: each call of a void method
such as QTextCursor.setPosition dropped one reference to None until the interpreter
aborted (none_dealloc). requirements.txt pins 6.11.3; this fails if a bad build returns."""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument

CALLS = 20_000


def test_void_methods_keep_none_refcount(qapp):
    document = QTextDocument("x" * 100)
    cursor = QTextCursor(document)
    fmt = QTextCharFormat()
    before = sys.getrefcount(None)
    for i in range(CALLS):
        cursor.setPosition(i % 50)
        cursor.setPosition(50 + i % 50, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
    after = sys.getrefcount(None)
    # Other code may take or drop a handful of references meanwhile; the bug lost 3 * CALLS.
    assert abs(after - before) < 100, f"None refcount moved by {after - before}"
