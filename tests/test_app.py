"""Start-up: the default database in the app data folder, seeded on first start; layout
persisted in QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from gui.app import configure_application_names, create_main_window, default_database_path
from models.resources import SAMPLE_CORPUS


def test_first_start_seeds_default_database_and_opens_first_article(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    configure_application_names()
    path = default_database_path()
    assert str(path).startswith(str(tmp_path / "data")) and not path.exists()

    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    corpus = sorted(SAMPLE_CORPUS.glob("*.txt"))
    assert path.exists()
    assert window.repo.document_count() == len(corpus) >= 8
    first_title = corpus[0].read_text(encoding="utf-8").split("\n")[0].strip()
    assert window.article.title.text() == first_title
    assert window.article.text.toPlainText().strip() != ""
    assert window.document_list.currentIndex().row() == 0
    window.close()
    window.repo.close()

    again = create_main_window()  # a second start does not import the corpus twice
    qtbot.addWidget(again)
    assert again.repo.document_count() == len(corpus)
    again.close()
    again.repo.close()


def test_choosing_a_document_in_the_list_opens_it(qtbot, repo, make_document, main_window):
    make_document("First text.", title="First")
    second = make_document("Second text about Oslo.", title="Second")
    window = main_window(repo)
    table = window.document_list
    row = window.documents.row_of(second)
    qtbot.mouseClick(table.viewport(), __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton,
                     pos=table.visualRect(window.documents.index(row, 0)).center())  # fmt: skip
    assert window.article.title.text() == "Second"
    assert window.article.text.toPlainText() == "Second text about Oslo."


def test_splitter_and_geometry_persist(qtbot, repo, make_document, tmp_path):
    from gui.main_window import MainWindow
    from models.resources import default_labels

    make_document("Some text.")
    settings_path = str(tmp_path / "layout.ini")
    first = MainWindow(repo, default_labels(), QSettings(settings_path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)
    first.splitter.setSizes([111, 400, 233])
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(repo, default_labels(), QSettings(settings_path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (760, 560)
    assert second.splitter.sizes() == sizes
    assert Path(settings_path).exists()


def test_window_is_built_before_spacy_is_imported(tmp_path):
    """Issue: the window appears before spaCy (or numpy) is imported; the model loads
    afterwards, once the window has painted. Checked in a fresh interpreter, where nothing
    imported spaCy yet."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from gui.app import configure_application_names, create_main_window\n"
        "configure_application_names()\n"
        f"window = create_main_window({str(tmp_path / 'w.db')!r})\n"
        "window.show()\n"
        "print('spacy before loop:', 'spacy' in sys.modules)\n"
        "print('numpy before loop:', 'numpy' in sys.modules)\n"
        "window.preannotation.service.model_loaded.connect(lambda *a: app.quit())\n"
        "app.exec()\n"
        "print('spacy after load:', 'spacy' in sys.modules)\n"
        "window.close()\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert "spacy before loop: False" in result.stdout, result.stdout + result.stderr
    # sqlite-utils is imported without numpy (0.3 s of start-up; storage/schema.py)
    assert "numpy before loop: False" in result.stdout, result.stdout + result.stderr
    assert "spacy after load: True" in result.stdout, result.stdout + result.stderr


def test_the_integrity_check_starts_once_the_window_has_painted(qtbot, repo, make_document):
    make_document("Rockets hit the base.")
    window = create_main_window(repo.path, nlp=False)
    qtbot.addWidget(window)
    assert window.database_state.check is None  # not before the first paint
    with qtbot.waitSignal(window.database_state.checked, timeout=30_000) as checked:
        window.show()
    assert checked.args == [""] and window.repo.read_only_reason == ""
    window.close()
    window.repo.close()
