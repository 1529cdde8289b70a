"""Shared fixtures: headless Qt, isolated settings and data folders, small databases,
a main-window factory, and a check that no test leaves a thread running."""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

# Headless and isolated before Qt is imported anywhere: no screen, and QSettings /
# QStandardPaths point into a throw-away folder instead of the user's own.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_ISOLATED = Path(tempfile.mkdtemp(prefix="quire-tests-"))
os.environ["XDG_CONFIG_HOME"] = str(_ISOLATED / "config")
os.environ["XDG_DATA_HOME"] = str(_ISOLATED / "data")
os.environ["XDG_RUNTIME_DIR"] = str(_ISOLATED / "runtime")
(_ISOLATED / "runtime").mkdir(mode=0o700)

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from models.document import Document  # noqa: E402
from storage.repository import Repository  # noqa: E402

DATA = Path(__file__).parent / "data"


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    repository = Repository(tmp_path / "quire.db", annotator="tester")
    yield repository
    repository.close()


@pytest.fixture
def make_document(repo: Repository):
    def make(text: str, title: str = "Test article", **fields) -> int:
        return repo.add_document(Document(title=title, text=text, **fields))

    return make


@pytest.fixture
def settings(tmp_path: Path):
    """This test's own QSettings (an INI file in ``tmp_path``): what one test remembers
    never changes another's defaults."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def main_window(qtbot, tmp_path: Path):
    """Factory: a real MainWindow over a database at ``tmp_path``, shown and registered."""
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow
    from models.resources import default_labels

    created = []

    def make(repository: Repository, doc_id: int | None = None) -> MainWindow:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(repository, default_labels(), settings)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        if doc_id is None:
            window.open_first_document()
        else:
            window.open_document(doc_id)
        created.append(window)
        return window

    yield make
    for window in created:
        window.close()


@pytest.fixture(autouse=True)
def no_dangling_threads():
    """Fail a test that leaves a Python or Qt worker thread running (napari's
    _dangling_qthreads idea)."""
    before = {t.ident for t in threading.enumerate()}
    yield
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)
    leftover = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()
                and not t.daemon]  # fmt: skip
    for thread in leftover:
        thread.join(timeout=5)
    leftover = [t for t in leftover if t.is_alive()]
    assert not leftover, f"threads left running: {leftover}"
    qthreads = _running_qthreads()
    assert not qthreads, f"QThreads left running: {qthreads}"


def _running_qthreads() -> list:
    from gui.threads import running_threads

    return running_threads()
