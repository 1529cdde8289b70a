"""Model -> Train... and the pre-annotation model chooser, driven through the real widgets:
training runs in a separate process (a few steps on tiny data), Cancel keeps the best so
far, the registry fills the chooser, a moved model is shown disabled, and choosing a
trained model re-pre-annotates with its origin."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.app import create_main_window
from models.document import Document
from models.nlp.training.loop import LoopSettings
from models.nlp.training.record import TrainedModel
from storage.model_registry import ModelRegistry
from storage.repository import Repository
from storage.training import MIN_CLAIMS, TrainOptions, train
from tests import training_corpus


@pytest.fixture
def window_on(qtbot):
    created = []

    def make(db: Path, nlp: bool = False):
        window = create_main_window(db, nlp=nlp)
        qtbot.addWidget(window)
        window.show()
        created.append(window)
        return window

    yield make
    for window in created:
        dialog = window.model_menu.dialog
        if dialog is not None:
            dialog.close()
        window.close()


def test_a_restart_opens_the_document_left_open_and_says_when_the_model_is_gone(qtbot, tmp_path, window_on):
    db = training_corpus.build(tmp_path / "quire.db", documents=3)
    first = window_on(db)
    ids = first.repo.document_ids()
    first.open_document(ids[2])
    first.settings.setValue(first.database_setting("model"), "ghost@1")  # chosen, since deleted
    first.close()
    second = window_on(db)
    assert second.session.document.id == ids[2]
    assert second.model_menu.chosen is None
    assert second.status_message.text().startswith("The model chosen last time, ghost@1, cannot be used (")

    other = training_corpus.build(tmp_path / "other.db", documents=3)  # each database its own
    assert window_on(other).session.document.id == Repository(other).document_ids()[0]


def registered(db: Path) -> list[TrainedModel]:
    repo = Repository(db)
    try:
        return ModelRegistry(repo).models()
    finally:
        repo.close()


def test_train_dialog_runs_training_in_a_process_with_scores_and_curve(qtbot, tmp_path, window_on) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    window = window_on(db)
    window.model_menu.train_action.trigger()
    dialog = window.model_menu.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "weapons")
    assert dialog.out_edit.text() == str(tmp_path / "quire-models" / "weapons")
    dialog.epochs_spin.setValue(1)
    with qtbot.waitSignal(dialog.process.finished, timeout=180_000) as finished:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert not dialog.start_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert finished.args[0] == 0, finished.args
    assert dialog.status.text().startswith(f"Saved {tmp_path / 'quire-models' / 'weapons'} as weapons@1")
    assert dialog.progress.format() == "finished", "not the last task's 'epoch 1 of 1'"
    rows = [dialog.scores.item(r, 0).text() for r in range(dialog.scores.rowCount())]
    assert "entities, all" in rows and "claims: detection" in rows and "claim suggester" in rows
    curve = [(dialog.curve_table.item(r, 0).text(), dialog.curve_table.item(r, 1).text())
             for r in range(dialog.curve_table.rowCount())]  # fmt: skip
    assert [f for task, f in curve if task == "ner"] == ["25%", "50%", "75%", "100%"]
    plotted = dialog.curve_plot.axes.get_lines()
    assert plotted and list(plotted[0].get_xdata())[-1] == 100.0
    assert [m.label for m in registered(db)] == ["weapons@1"]
    window.model_menu.refresh()
    texts = [a.text() for a in window.model_menu.chooser.actions()]
    assert texts[0] == "Stock pipeline (default)" and texts[1].startswith("weapons@1 — all")


def test_what_training_skipped_is_said_with_the_result(qtbot, tmp_path, window_on) -> None:
    """A newcomer learnt that claims were not trained only from the Log tab: the final
    status says what was skipped and why."""
    db = training_corpus.build(tmp_path / "quire.db", documents=6)
    window = window_on(db)
    window.model_menu.train_action.trigger()
    dialog = window.model_menu.dialog
    dialog.epochs_spin.setValue(1)
    qtbot.mouseClick(dialog.curve_check, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.process.finished, timeout=180_000) as finished:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert finished.args[0] == 0, finished.args
    status = dialog.status.text()
    assert status.startswith("Saved ") and " Not trained: claims: " in status
    assert status.endswith(f"at least {MIN_CLAIMS} needed.")


def test_cancel_keeps_the_best_model_so_far(qtbot, tmp_path, window_on) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    window = window_on(db)
    dialog = window.model_menu.open_dialog()
    dialog.name_edit.setText("cut")
    dialog.task_combo.setCurrentText("claims")
    dialog.epochs_spin.setValue(100)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.progress.maximum() == 100 and dialog.progress.value() >= 1, timeout=180_000
    )
    with qtbot.waitSignal(dialog.process.finished, timeout=120_000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result is not None and dialog.result["cancelled"] is True
    assert dialog.status.text().endswith("(stopped early: the best model so far is kept).")
    assert dialog.progress.value() < 100
    assert [m.label for m in registered(db)] == ["cut@1"]


def test_chooser_lists_models_and_re_preannotates_with_the_trained_origin(qtbot, tmp_path, window_on) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    train(db, TrainOptions(out=tmp_path / "weapons", task="ner", curve=False,
                           settings=LoopSettings(max_epochs=1, max_steps=2)))  # fmt: skip
    shutil.copytree(tmp_path / "weapons", tmp_path / "moved")
    train(db, TrainOptions(out=tmp_path / "old", name="old", task="ner", curve=False,
                           settings=LoopSettings(max_epochs=1, max_steps=1)))  # fmt: skip
    shutil.rmtree(tmp_path / "old")  # deleted behind Quire's back
    repo = Repository(db)
    doc_id = repo.add_document(Document(title="New", text="Mira Patel said Chile bought rockets from Peru."))
    repo.close()

    window = window_on(db, nlp=True)
    service = window.preannotation.service
    qtbot.waitUntil(lambda: service.origin != "", timeout=60_000)
    menu = window.model_menu
    menu.chooser.aboutToShow.emit()  # what opening the menu does
    actions = {a.text(): a for a in menu.chooser.actions()}
    gone = next(a for text, a in actions.items() if text.startswith("old@1"))
    assert (
        not gone.isEnabled()
        and "no longer exists" in gone.toolTip()
        and gone.text().endswith("(folder missing)")
    )
    weapons = next(a for text, a in actions.items() if text.startswith("weapons@1"))
    with qtbot.waitSignal(service.model_loaded, timeout=60_000) as loaded:
        weapons.trigger()
    assert loaded.args[0] == "model:weapons@1"
    assert "weapons@1" in window.corpus.model_label.text()

    window.open_document(doc_id)
    with qtbot.waitSignal(service.finished, timeout=60_000):
        window.preannotation.document_action.trigger()
    origins = {window.session.spans[i].origin for i in window.session.spans}
    assert origins == {"model:weapons@1"}
    panel = window.entity_panel.model
    assert panel.rowCount() == len(window.session.spans) > 0


def test_a_label_taught_by_hand_is_suggested_after_training_in_the_window(qtbot, tmp_path, window_on) -> None:
    """The loop the issue asks for, end to end through the widgets: WEAPON taught by hand
    on a tiny corpus, Model -> Train..., then Pre-annotate with the trained model: a new
    document gets WEAPON suggestions with the trained model's origin."""
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    repo = Repository(db)
    text = "Rebels fired missiles and drones at the town on Monday."
    doc_id = repo.add_document(Document(title="New", text=text))
    repo.close()
    window = window_on(db, nlp=True)
    service = window.preannotation.service
    qtbot.waitUntil(lambda: service.origin != "", timeout=60_000)

    window.model_menu.train_action.trigger()
    dialog = window.model_menu.dialog
    dialog.name_edit.setText("weapons")
    dialog.task_combo.setCurrentText("ner")
    dialog.epochs_spin.setValue(8)
    qtbot.mouseClick(dialog.curve_check, Qt.MouseButton.LeftButton)  # the curve: another test
    assert "--no-curve" in dialog.arguments()
    with qtbot.waitSignal(dialog.process.finished, timeout=300_000) as finished:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert finished.args[0] == 0, finished.args
    assert dialog.status.text().startswith(f"Saved {tmp_path / 'quire-models' / 'weapons'} as weapons@1")

    window.model_menu.chooser.aboutToShow.emit()  # what opening the menu does
    chosen = next(a for a in window.model_menu.chooser.actions() if a.text().startswith("weapons@1"))
    with qtbot.waitSignal(service.model_loaded, timeout=180_000):
        chosen.trigger()
    window.open_document(doc_id)
    with qtbot.waitSignal(service.finished, timeout=180_000):  # a loaded machine: a landing run
        window.preannotation.document_action.trigger()
    weapons = {s.text for s in window.session.spans.values() if s.label == "WEAPON"}
    origins = {s.origin for s in window.session.spans.values()}
    assert weapons and weapons <= {"missiles", "drones"} and origins == {"model:weapons@1"}
    panel = window.entity_panel.model
    shown = {panel.index(r, c).data() for r in range(panel.rowCount()) for c in range(panel.columnCount())}
    assert "WEAPON" in shown

    # a restart on this database comes back to the chosen model and the open document
    # (the newcomer trial: both reverted to the stock pipeline and the first document)
    window.close()
    again = window_on(db, nlp=False)
    assert again.model_menu.chosen == "weapons@1" and again.session.document.id == doc_id
    again.model_menu.chooser.aboutToShow.emit()
    checked = [a.text() for a in again.model_menu.chooser.actions() if a.isChecked()]
    assert len(checked) == 1 and checked[0].startswith("weapons@1")
