"""Light and dark: following the desktop's palette, or the analyst's choice (View ->
Colour scheme), and telling the views which of the two they are drawn on.

Qt asks the platform for the colour scheme (``QStyleHints.setColorScheme``); where the
platform cannot switch (X11 without a desktop theme, for one) a dark or light palette is
set on the application instead. Every size Quire draws is derived from font metrics, so
high-DPI screens scale with Qt's own factor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

SCHEMES = {"system": "Follow the &desktop", "light": "&Light", "dark": "&Dark"}
_QT_SCHEMES = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}

_DARK = {
    QPalette.ColorRole.Window: "#2d2d30",
    QPalette.ColorRole.WindowText: "#e8e8e8",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.AlternateBase: "#2a2a2d",
    QPalette.ColorRole.Text: "#e8e8e8",
    QPalette.ColorRole.Button: "#3a3a3d",
    QPalette.ColorRole.ButtonText: "#e8e8e8",
    QPalette.ColorRole.BrightText: "#ff6e6e",
    QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#3a3a3d",
    QPalette.ColorRole.ToolTipText: "#e8e8e8",
    QPalette.ColorRole.PlaceholderText: "#8c8c8c",
    QPalette.ColorRole.Link: "#7fb2ff",
    QPalette.ColorRole.Light: "#505053",
    QPalette.ColorRole.Midlight: "#424245",
    QPalette.ColorRole.Mid: "#5a5a5e",
    QPalette.ColorRole.Dark: "#18181a",
    QPalette.ColorRole.Shadow: "#000000",
}


def is_dark(palette: QPalette) -> bool:
    """True when the palette draws light text on a dark base."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f7f7f"))
    return palette


class ColourScheme:
    """Applies a scheme ("system", "light", "dark") to the application, remembering the
    desktop's own palette so that "system" brings it back."""

    def __init__(self) -> None:
        self.desktop = QApplication.palette()
        self.current = "system"

    def apply(self, scheme: str) -> None:
        app = QApplication.instance()
        if scheme not in SCHEMES or app is None:
            return
        self.current = scheme
        QGuiApplication.styleHints().setColorScheme(_QT_SCHEMES[scheme])
        if scheme == "system":
            app.setPalette(self.desktop)
        elif is_dark(app.palette()) != (scheme == "dark"):  # the platform could not switch
            app.setPalette(dark_palette() if scheme == "dark" else app.style().standardPalette())
