"""Starting the GUI: application object, default database, first-start seeding."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QApplication, QMessageBox

from models.resources import SAMPLE_CORPUS, default_labels

ORGANISATION = "Quire"
APPLICATION = "Quire"
DB_NAME = "quire.db"


def configure_application_names() -> None:
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)


def default_database_path() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / DB_NAME


def open_repository(db_path: str | Path | None):
    """Open the chosen database, or the default one, seeding a new default database with
    the sample corpus."""
    from gui.session import GUI_BUSY_TIMEOUT_MS
    from storage.importers import import_paths
    from storage.repository import Repository

    path = Path(db_path) if db_path else default_database_path()
    seed = db_path is None and not path.exists()
    repo = Repository(path)
    if seed:
        import_paths(repo, [SAMPLE_CORPUS])
    repo.set_busy_timeout(GUI_BUSY_TIMEOUT_MS)  # never hold up the event loop for a lock
    return repo


def create_main_window(db_path: str | Path | None = None, model: str | None = None, nlp: bool = True):
    """The main window on a database; with ``nlp``, spaCy loads in a worker process once
    the window has painted, and the file's integrity is checked in the background then."""
    from gui.first_paint import after_first_paint
    from gui.main_window import MainWindow
    from gui.preannotate_ui import install_preannotation
    from gui.train_dialog import install_model_menu

    repo = open_repository(db_path)
    labels = default_labels()
    if not repo.read_only_reason:
        repo.save_labels(labels)  # the database records the label set it was annotated with
    window = MainWindow(repo, labels)
    remembered = None if model is not None else _remembered_model(window)
    path = remembered[1] if remembered else None
    preannotation = install_preannotation(window, model or path) if nlp else None
    install_model_menu(window, preannotation)
    window.model_menu.chosen = remembered[0] if remembered else None
    # Once the window is on screen: the spaCy process (and the tokenizer's import of spaCy
    # in this process) and the integrity check (it reads the whole file) would otherwise
    # take the cores and the GIL from the first paint.
    if preannotation is not None:
        after_first_paint(window.article.text.viewport(), preannotation.start)
    after_first_paint(window.article.text.viewport(), window.database_state.check_integrity)
    window.open_last_document()
    return window


def _remembered_model(window) -> tuple[str, str] | None:
    """The registered model chosen for this database last time (``NAME@VERSION``, its
    folder), if it still loads; else None (the stock pipeline), said in the status bar."""
    from storage.model_registry import ModelRegistryError, resolve_model

    label = str(window.settings.value(window.database_setting("model"), "") or "")
    if not label:
        return None
    try:
        path, _record = resolve_model(window.repo, label)
    except ModelRegistryError as exc:
        window.show_message(
            f"The model chosen last time, {label}, cannot be used ({exc}); using the stock one"
        )
        return None
    return label, path


def run_gui(db_path: str | None = None, model: str | None = None) -> int:
    configure_application_names()
    app = QApplication.instance() or QApplication(sys.argv)
    from storage.schema import DatabaseError

    try:
        window = create_main_window(db_path, model)
    except DatabaseError as exc:
        QMessageBox.critical(None, "Quire", str(exc))
        return 2
    window.show()
    return app.exec()
