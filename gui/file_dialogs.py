"""File dialogs that never open the files they list.

A file dialog types and iconises the files of the folder it shows; Qt's own (and GTK's,
in process) sniff the content of files whose name says nothing (``quire.db``,
``quire.db-wal``, ``quire.db-shm``) by opening and closing them. Closing any descriptor
of a file drops every POSIX lock this process holds on it — SQLite's locks included — so
another process (the pre-annotation worker, a CLI run) closing its connection then
believes it is the last one, checkpoints and deletes the ``-wal`` file this window is
still writing to: every later change is lost (found in the newcomer trial of 2026-11-30;
reproduced with a dialog on the database's folder). Every dialog here is Qt's own, with
an icon provider that decides from the name and ``stat`` alone.
"""

from __future__ import annotations

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QWidget


class NameOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and type names from the file name and kind (``stat``), never the content."""

    def icon(self, which: QAbstractFileIconProvider.IconType | QFileInfo) -> QIcon:  # noqa: D102
        style = QApplication.style()
        if isinstance(which, QAbstractFileIconProvider.IconType):
            folder = which in (
                QAbstractFileIconProvider.IconType.Folder,
                QAbstractFileIconProvider.IconType.Drive,
            )
        else:
            folder = which.isDir()
        return style.standardIcon(
            QStyle.StandardPixmap.SP_DirIcon if folder else QStyle.StandardPixmap.SP_FileIcon
        )

    def type(self, info: QFileInfo) -> str:  # noqa: A003, D102
        if info.isDir():
            return "Folder"
        return f"{info.suffix().upper()} file" if info.suffix() else "File"


def file_dialog(parent: QWidget | None, caption: str, folder: str, mode: QFileDialog.FileMode,
                name_filter: str = "") -> QFileDialog:  # fmt: skip
    """A Qt file dialog (not the platform's) that opens none of the files it lists."""
    dialog = QFileDialog(parent, caption, folder, name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    provider = NameOnlyIconProvider()
    dialog.setIconProvider(provider)
    dialog.provider = provider  # the dialog does not own it: keep it alive with the dialog
    dialog.setFileMode(mode)
    return dialog


def open_file_names(parent: QWidget | None, caption: str, folder: str, name_filter: str) -> list[str]:
    """Existing files chosen by the analyst ([] when cancelled)."""
    dialog = file_dialog(parent, caption, folder, QFileDialog.FileMode.ExistingFiles, name_filter)
    return dialog.selectedFiles() if dialog.exec() else []


def existing_directory(parent: QWidget | None, caption: str, folder: str = "") -> str:
    """A folder chosen by the analyst ("" when cancelled)."""
    dialog = file_dialog(parent, caption, folder, QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""


def save_file_name(parent: QWidget | None, caption: str, path: str) -> str:
    """A file name to write, chosen by the analyst ("" when cancelled); Qt asks before
    overwriting an existing file."""
    dialog = file_dialog(parent, caption, path, QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""
