"""Help -> Claims guide: docs/claims-guide.md (what counts as a claim, its content, cue
and source, with examples) shown in the window, offline, as Qt renders Markdown
(CommonMark with GitHub's tables). The guide is read when the dialog opens; a missing or
unreadable file is one line in the dialog instead of the guide."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

CLAIMS_GUIDE = Path(__file__).resolve().parents[1] / "docs" / "claims-guide.md"
SCREEN_SHARE = 0.8  # of the available screen, at most


class GuideDialog(QDialog):
    def __init__(self, path: Path = CLAIMS_GUIDE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.setWindowTitle("Claims guide")
        try:
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.browser.setPlainText(f"The guide cannot be read from {path}: {reason}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(760, int(screen.width() * SCREEN_SHARE)), int(screen.height() * SCREEN_SHARE))
