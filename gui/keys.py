"""Keyboard review: the keys that judge entity suggestions, shared by the article view and
the entity table, and listed in Help -> Keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

_K = Qt.Key
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
_NONE = Qt.KeyboardModifier.NoModifier

# (key, modifiers) -> action understood by DocumentSession.review
REVIEW_KEYS: dict[tuple[Qt.Key, Qt.KeyboardModifier], str] = {
    (_K.Key_J, _NONE): "next",
    (_K.Key_Tab, _NONE): "next",
    (_K.Key_K, _NONE): "previous",
    (_K.Key_Backtab, _SHIFT): "previous",
    (_K.Key_A, _NONE): "accept",
    (_K.Key_Return, _NONE): "accept",
    (_K.Key_Enter, _NONE): "accept",
    (_K.Key_X, _NONE): "reject",
    (_K.Key_Right, _SHIFT): "grow_end",
    (_K.Key_Left, _SHIFT): "shrink_end",
    (_K.Key_Left, _CTRL_SHIFT): "grow_start",
    (_K.Key_Right, _CTRL_SHIFT): "shrink_start",
}

RESIZE_ACTIONS = {"grow_end", "shrink_end", "grow_start", "shrink_start"}

REVIEW_HELP = [
    ("J / Tab", "Next suggestion"),
    ("K / Shift+Tab", "Previous suggestion"),
    ("A / Enter", "Accept the selected span and go to the next suggestion"),
    ("X", "Reject the selected suggestion and go to the next"),
    ("Shift+Right / Shift+Left", "Widen / narrow the span's end by one token (accepts)"),
    ("Ctrl+Shift+Left / Ctrl+Shift+Right", "Widen / narrow the span's start by one token (accepts)"),
    ("Ctrl+Shift+A", "Accept all remaining suggestions in the document"),
]


def review_action(event: QKeyEvent) -> str | None:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return REVIEW_KEYS.get((Qt.Key(event.key()), mods))
