"""Training from confirmed work: the data it reads, a few steps of both tasks on a tiny
corpus (never to a score), the pipeline folder, the registry, the origin of what the
trained model suggests, cancel, the parser left intact, and the CLI's one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from main import main
from models.annotation import Claim, Span, Status
from models.document import DocStatus, Document
from models.nlp.claims import CLAIMS_ORIGIN
from models.nlp.loading import damaged_file, load_model
from models.nlp.training.claim_model import choose_mode, combine, link_parts
from models.nlp.training.loop import LoopSettings
from models.nlp.training.record import TrainedModel
from models.nlp.training.scores import Counts, claim_counts, match_claims
from storage import schema, training
from storage.model_registry import DuplicateModelError, ModelRegistry, ModelRegistryError, resolve_model
from storage.repository import Repository
from storage.training import MIN_CLAIMS, TrainError, TrainOptions, train
from tests import training_corpus

FEW_STEPS = LoopSettings(max_epochs=1, max_steps=2)


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, Path, list[dict]]:
    """One training run (both tasks, curve on) on ten stories: database, folder, events."""
    folder = tmp_path_factory.mktemp("training")
    db = training_corpus.build(folder / "quire.db", documents=10)
    events: list[dict] = []
    options = TrainOptions(out=folder / "weapons", settings=FEW_STEPS)
    report = train(db, options, events.append)
    assert report.model is not None, report.lines()
    return db, folder / "weapons", events


def test_trains_both_tasks_into_a_standard_pipeline(trained) -> None:
    import spacy

    _db, out, events = trained
    nlp = spacy.load(out)  # as any spaCy user would, outside Quire
    assert "WEAPON" in nlp.get_pipe("ner").labels
    assert nlp.meta["quire"]["name"] == "weapons" and nlp.meta["quire"]["version"] == 1
    assert (out / "claims" / "quire_claims.json").is_file()
    assert spacy.load(out / "claims").get_pipe("ner").labels == ("CONTENT", "CUE", "SOURCE")
    epochs = [e for e in events if e["event"] == "epoch"]
    assert {e["task"] for e in epochs} == {"ner", "claims"}
    assert all("f" in e and "per_label" in e["scores"] for e in epochs)
    curve = [e for e in events if e["event"] == "curve" and e["task"] == "ner"]
    assert [e["fraction"] for e in curve] == [0.25, 0.5, 0.75, 1.0]
    json.dumps(events)  # the window reads them as JSON lines


def test_registers_the_model_with_data_sizes_and_scores(trained) -> None:
    db, out, _events = trained
    repo = Repository(db)
    try:
        model = ModelRegistry(repo).find("weapons")
    finally:
        repo.close()
    assert model is not None
    assert (model.version, model.task, Path(model.path)) == (1, "all", out.resolve())
    assert model.labels == ["GPE", "PERSON", "WEAPON"]
    assert (model.documents, model.spans, model.claims) == (8, 32, 24)
    assert set(model.scores) == {"ner", "claims", "curve"}
    assert set(model.scores["ner"]["trained"]["per_label"]) <= {"GPE", "PERSON", "WEAPON"}
    assert set(model.scores["claims"]["rules"]) == {"detection", "cue", "source", "content"}
    assert model.scores["claims"]["mode"] in ("rules", "add", "model")
    assert model.base.startswith("spacy:en_core_web_sm")


def test_parser_is_the_stock_parser(trained) -> None:
    """Only ``ner`` is trained: the tok2vec and parser the claim rules read are unchanged."""
    _db, out, _events = trained
    stock = load_model().nlp
    mine = load_model(str(out)).nlp
    for name in ("tok2vec", "parser", "tagger"):
        assert mine.get_pipe(name).to_bytes(exclude=["vocab"]) == stock.get_pipe(name).to_bytes(
            exclude=["vocab"]
        )


def test_claim_parts_read_the_main_pipelines_vectors_and_leave_its_entities(trained) -> None:
    """The part recogniser has no encoder of its own (pre-annotation stays as fast as the
    stock pipeline's): it reads ``doc.tensor`` of the main pipeline's Doc."""
    import spacy

    from models.nlp.training.claim_model import predict_parts

    _db, out, _events = trained
    parts_nlp = spacy.load(out / "claims")
    assert parts_nlp.pipe_names == ["ner"]
    assert parts_nlp.get_pipe("ner").model.get_ref("tok2vec").name.startswith("tok2vec-listener")
    main = load_model(str(out)).nlp
    doc = main("Lena Berg said the army used rockets near the border.")
    entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    parts = predict_parts(parts_nlp, doc)
    assert {label for _s, _e, label in parts} <= {"CUE", "SOURCE", "CONTENT"}
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == entities
    without_vectors = main.make_doc(doc.text)  # no doc.tensor: zeros in, and no error
    assert {label for _s, _e, label in predict_parts(parts_nlp, without_vectors)} <= {
        "CUE",
        "SOURCE",
        "CONTENT",
    }


def test_preannotate_with_the_registered_name_gives_model_origin(trained, tmp_path: Path) -> None:
    db, _out, _events = trained
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    repo = Repository(copy)
    doc_id = repo.add_document(training_corpus_document())
    repo.close()
    assert main(["preannotate", "--db", str(copy), "--model", "weapons", "--docs", str(doc_id)]) == 0
    repo = Repository(copy)
    try:
        origins = {s.origin for s in repo.spans(doc_id)} | {c.origin for c in repo.claims(doc_id)}
    finally:
        repo.close()
    # the entities all come from the trained pipeline; claims from the rules or the model
    assert origins and origins <= {"model:weapons@1", CLAIMS_ORIGIN}
    assert "model:weapons@1" in origins


def training_corpus_document():
    from models.document import Document

    return Document(title="New", text="Mira Patel said Chile bought rockets from Peru on Monday.")


def test_a_moved_model_folder_is_one_clear_line(trained, tmp_path: Path, capsys) -> None:
    db, out, _events = trained
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    repo = Repository(copy)
    registry = ModelRegistry(repo)
    registry.register(TrainedModel("gone", 1, "ner", str(tmp_path / "nowhere"), "spacy:x@1"))
    with pytest.raises(ModelRegistryError, match="no longer exists"):
        resolve_model(repo, "gone")
    assert resolve_model(repo, "weapons@1") == (str(out.resolve()), registry.find("weapons", 1))
    repo.close()
    assert main(["preannotate", "--db", str(copy), "--model", "gone"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "gone@1" in err[0] and "nowhere" in err[0] and "Traceback" not in err[0]


def test_the_same_data_and_seed_train_the_same_weights(trained, tmp_path: Path) -> None:
    """Dropout and a new label's first weights come from NumPy's generator: unseeded, the
    window's taught-label test failed now and then (no WEAPON learnt in one run of three
    under load)."""
    import spacy

    db, _out, _events = trained
    weights = []
    for run in (1, 2):
        copy = tmp_path / f"copy{run}.db"
        shutil.copy(db, copy)
        report = train(copy, TrainOptions(out=tmp_path / f"m{run}", name="same", task="ner", curve=False,
                                          settings=FEW_STEPS))  # fmt: skip
        assert report.model is not None
        weights.append(spacy.load(tmp_path / f"m{run}").get_pipe("ner").to_bytes(exclude=["vocab"]))
    assert weights[0] == weights[1]


def test_second_training_is_the_next_version(trained, tmp_path: Path) -> None:
    db, _out, _events = trained
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    report = train(copy, TrainOptions(out=tmp_path / "w2", name="weapons", task="ner", curve=False,
                                      settings=FEW_STEPS))  # fmt: skip
    assert report.model is not None and report.model.label == "weapons@2"
    assert report.model.origin == "model:weapons@2"
    assert load_model(str(tmp_path / "w2")).origin == "model:weapons@2"
    assert "claims" not in report.scores  # --task ner


def test_a_registry_write_locked_out_leaves_no_model_and_the_next_training_takes_version_1(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """A folder never claims a version the registry does not hold: before, a registry
    write that failed under a held lock left the folder as x@1 and the next ``train
    --name x`` registered x@1 again (two models, one origin)."""
    monkeypatch.setattr(training, "REGISTER_PATIENCE_S", 0.0)
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 50)
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")  # another program's write transaction; readers still read
    args = ["train", "--db", str(db), "--name", "x", "--task", "ner", "--no-curve", "--max-epochs", "1",
            "--max-steps", "2"]  # fmt: skip
    try:
        assert main([*args, "--out", str(tmp_path / "first")]) == 2
    finally:
        holder.rollback()
        holder.close()
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "the model was trained but not registered" in errors[0]
    assert "is locked by another program" in errors[0]
    assert f"nothing was saved to {tmp_path / 'first'}" in errors[0]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("quire.db")) == []
    assert main([*args, "--out", str(tmp_path / "second")]) == 0
    assert load_model(str(tmp_path / "second")).origin == "model:x@1"


def test_a_read_only_database_is_refused_before_training(tmp_path: Path, capsys, monkeypatch) -> None:
    """The model would be trained and then not registered: refused at once."""
    db = training_corpus.build(tmp_path / "quire.db", documents=2)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, *a, **k: False if p == db and m & os.W_OK else
                        real_access(p, m, *a, **k))  # fmt: skip
    assert main(["train", "--db", str(db), "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "quire.db is read-only (file permissions)" in err[0]
    assert "nothing was trained" in err[0] and not (tmp_path / "m").exists()


def test_a_version_registered_meanwhile_gives_the_next_one(tmp_path: Path) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=10)

    def emit(event: dict) -> None:  # another training registers x@1 while this one saves
        if event["event"] == "stage" and event["message"].startswith("saving the pipeline"):
            other = Repository(db)
            ModelRegistry(other).register(TrainedModel("x", 1, "ner", str(tmp_path / "other"), "spacy:a@1"))
            other.close()

    options = TrainOptions(out=tmp_path / "m", name="x", task="ner", curve=False, settings=FEW_STEPS)
    report = train(db, options, emit)
    assert report.model is not None and report.model.label == "x@2"
    assert load_model(str(tmp_path / "m")).origin == "model:x@2"
    assert json.loads((tmp_path / "m" / "meta.json").read_text())["version"] == "2.0.0"
    repo = Repository(db)
    assert sorted(m.label for m in ModelRegistry(repo).models()) == ["x@1", "x@2"]
    repo.close()


def test_register_refuses_a_taken_version_even_past_the_check(tmp_path: Path, monkeypatch) -> None:
    repo = Repository(training_corpus.build(tmp_path / "quire.db", documents=1))
    registry = ModelRegistry(repo)
    registry.register(TrainedModel("x", 1, "ner", str(tmp_path / "a"), "spacy:a@1"))
    monkeypatch.setattr(registry, "find", lambda name, version=None: None)  # a race: checked, then taken
    with pytest.raises(DuplicateModelError, match="model x@1 is already registered"):
        registry.register(TrainedModel("x", 1, "ner", str(tmp_path / "b"), "spacy:a@1"))
    repo.close()


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("weapons@0", "no registered model weapons@0; registered versions of weapons: 1"),
        ("nothing@3", "no registered model nothing@3; no model named 'nothing' is registered"),
        ("", "the model name is empty; give a registered NAME or NAME@VERSION"),
        ("  ", "the model name is empty; give a registered NAME or NAME@VERSION"),
    ],
)
def test_preannotate_model_that_names_nothing_is_one_line(
    trained, tmp_path: Path, capsys, model: str, message: str
) -> None:
    db, _out, _events = trained
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    assert main(["preannotate", "--db", str(copy), "--model", model]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "E050" not in err[0]


def test_gui_model_empty_is_one_line_before_any_window(capsys) -> None:
    assert main(["--model", " "]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: --model is empty; give a model name or folder, or leave --model out for the "
                   "default pipeline"]  # fmt: skip


def test_a_document_longer_than_the_pipeline_takes_is_left_out_and_named(tmp_path: Path) -> None:
    """The newcomer trial's 5.5 MB article with two accepted spans stopped training with
    spaCy's raw E088 during rehearsal; it is left out, named, and the rest trains."""
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    text = "Militants fired drones at the port of Aden on Monday. " * 20_000  # 1,080,000 characters
    repo = Repository(db, annotator="tester")
    try:
        long_id = repo.add_document(Document(title="Long", text=text, status=DocStatus.DONE))
        repo.add_span(Span(long_id, 16, 22, "WEAPON", "drones"))
    finally:
        repo.close()
    report = train(db, TrainOptions(out=tmp_path / "m", task="ner", curve=False, settings=FEW_STEPS))
    assert report.model is not None
    assert report.left_out == [
        f"document {long_id} has 1,080,000 characters, more than the pipeline's 1,000,000 (spaCy's "
        "max_length): left out of training; split it to train on it"
    ]
    assert report.left_out[0] in report.lines()


def test_train_base_empty_is_one_line(tmp_path: Path, capsys) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=2)
    assert main(["train", "--db", str(db), "--out", str(tmp_path / "m"), "--base", ""]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--base is empty; give a registered NAME" in err[0]


@pytest.mark.parametrize("damaged", ["ner/model", "vocab/strings.json", "tok2vec/cfg"])
def test_a_damaged_model_file_is_named(trained, tmp_path: Path, capsys, damaged: str) -> None:
    db, out, _events = trained
    copy = tmp_path / "model"
    shutil.copytree(out, copy)
    target = copy / damaged
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])  # a copy cut short
    assert damaged_file(copy) == target
    shutil.copy(db, tmp_path / "copy.db")
    assert main(["preannotate", "--db", str(tmp_path / "copy.db"), "--model", str(copy)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"its file {target} is damaged" in err[0] and "Traceback" not in err[0]


def test_an_intact_model_has_no_damaged_file(trained) -> None:
    _db, out, _events = trained
    assert damaged_file(out) is None


def test_cancel_before_any_epoch_saves_nothing(tmp_path: Path) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    report = train(
        db, TrainOptions(out=tmp_path / "m", task="ner", settings=FEW_STEPS), cancelled=lambda: True
    )
    assert report.model is None and report.cancelled
    assert not (tmp_path / "m").exists()
    repo = Repository(db)
    assert ModelRegistry(repo).models() == []
    repo.close()


def test_cancel_after_an_epoch_keeps_the_best_so_far(tmp_path: Path) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    epochs: list[dict] = []

    def emit(event: dict) -> None:
        if event["event"] == "epoch":
            epochs.append(event)

    settings = LoopSettings(max_epochs=5, max_steps=None, patience=5, batch_words=10_000)
    report = train(db, TrainOptions(out=tmp_path / "m", task="ner", curve=False, settings=settings),
                   emit, cancelled=lambda: len(epochs) >= 1)  # fmt: skip
    assert report.cancelled and len(epochs) == 1
    assert report.stopped["ner"] == "cancelled"
    assert report.model is not None and load_model(str(tmp_path / "m")).origin == "model:m@1"


def test_skips_what_the_confirmed_work_does_not_support(tmp_path: Path) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=4)  # 3 train docs: 9 claims
    with pytest.raises(TrainError) as error:
        train(db, TrainOptions(out=tmp_path / "m", task="claims", settings=FEW_STEPS))
    assert f"claims: 9 confirmed claim(s) in the training documents, at least {MIN_CLAIMS} needed" in str(
        error.value
    )
    report = train(db, TrainOptions(out=tmp_path / "m", curve=False, settings=FEW_STEPS))
    assert report.model is not None and report.model.task == "ner"
    assert report.skipped == [
        f"claims: 9 confirmed claim(s) in the training documents, at least {MIN_CLAIMS} needed"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dev-fraction", "1.5"], "--dev-fraction must be more than 0 and less than 1"),
        (["--task", "pos"], "unknown task 'pos'; use one of ner, claims, all"),
        (["--max-minutes", "0"], "--max-minutes must be a number of minutes more than 0"),
        (["--max-minutes", "nan"], "--max-minutes must be a number of minutes more than 0, not nan"),
        (["--name", "x@2"], "model name 'x@2' cannot be registered: give --name without '@'"),
        (["--name", "  "], "model name '  ' cannot be registered"),
    ],
)
def test_cli_bad_options_are_one_line(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=2)
    code = main(["train", "--db", str(db), "--out", str(tmp_path / "m"), *args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and message in err[0]


def test_cli_refuses_a_folder_in_use_and_a_missing_database(tmp_path: Path, capsys) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=2)
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("mine")
    assert main(["train", "--db", str(db), "--out", str(tmp_path / "used")]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert (tmp_path / "used" / "keep.txt").read_text() == "mine"
    assert main(["train", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "m")]) == 2
    assert "no database" in capsys.readouterr().err


# -- claim scoring and combination (pure) ---------------------------------------------------


def claim(content: tuple[int, int], cue: tuple[int, int] | None = None, source=None) -> Claim:
    return Claim(0, *content, *(cue or (None, None)), *(source or (None, None)), status=Status.SUGGESTED)


def test_claims_match_by_cue_then_score_each_role() -> None:
    gold = [claim((10, 30), (5, 9), (0, 4)), claim((50, 70))]
    predicted = [claim((11, 30), (5, 9), (0, 4)), claim((55, 60)), claim((90, 95), (85, 89))]
    pairs = sorted((g.content_start, p.content_start) for g, p in match_claims(gold, predicted))
    assert pairs == [(10, 11), (50, 55)]
    counts = claim_counts(gold, predicted)
    assert (counts["detection"].tp, counts["detection"].predicted, counts["detection"].gold) == (2, 3, 2)
    assert (counts["cue"].tp, counts["cue"].predicted, counts["cue"].gold) == (1, 2, 1)
    assert (counts["source"].tp, counts["content"].tp) == (1, 0)


def test_combination_modes() -> None:
    rules = [claim((10, 30), (5, 9))]
    model = [claim((12, 30), (40, 44)), claim((60, 80), (55, 59))]
    assert combine(rules, model, "rules") == rules
    assert [c.content_start for c in combine(rules, model, "add")] == [10, 60]
    assert [c.content_start for c in combine(rules, model, "model")] == [12, 60]


def test_mode_is_never_worse_than_the_rules_in_any_role() -> None:
    def counts(tp: int, source: int | None = None) -> dict[str, Counts]:
        result = {role: Counts(tp, 10, 10) for role in ("detection", "cue", "source", "content")}
        if source is not None:
            result["source"] = Counts(source, 10, 10)
        return result

    assert choose_mode({"rules": counts(5), "add": counts(6), "model": counts(7)}) == "model"
    assert choose_mode({"rules": counts(5), "add": counts(6), "model": counts(9, source=4)}) == "add"
    assert choose_mode({"rules": counts(5), "add": counts(5), "model": counts(5)}) == "rules"


def test_parts_are_linked_within_a_sentence() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Ana Silva said the army left. Police denied it.")
    parts = [(0, 9, "SOURCE"), (10, 14, "CUE"), (15, 28, "CONTENT"), (37, 43, "CUE"), (44, 46, "CONTENT")]
    claims = link_parts(doc, parts, 7, "model:x@1")
    assert [(c.content_start, c.cue_start, c.source_start) for c in claims] == [(15, 10, 0), (44, 37, None)]
    assert {c.origin for c in claims} == {"model:x@1"} and claims[0].source_text == "Ana Silva"


def test_cli_refuses_before_training_what_it_would_refuse_after(tmp_path: Path, capsys) -> None:
    """The round's second adversarial test: a read-only database trained for the whole
    budget and then failed to register; an --out under a file and a folder named x@5 failed
    or registered a name no --model could reach; a run whose budget ran out saved nothing
    and exited 0."""
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    (tmp_path / "afile").write_text("mine")
    assert main(["train", "--db", str(db), "--out", str(tmp_path / "afile" / "sub")]) == 2
    afile = tmp_path / "afile"
    assert capsys.readouterr().err.strip() == (
        f"error: {afile} is a file, not a folder; choose another place for {afile / 'sub'}"
    )
    assert main(["train", "--db", str(db), "--out", str(tmp_path / "n4@5")]) == 2
    assert "model name 'n4@5' cannot be registered" in capsys.readouterr().err


def test_cli_budget_spent_before_an_epoch_is_an_error_not_success(tmp_path: Path, capsys) -> None:
    db = training_corpus.build(tmp_path / "quire.db", documents=10)
    code = main(["train", "--db", str(db), "--out", str(tmp_path / "m"), "--task", "ner", "--no-curve",
                 "--max-minutes", "0.0001"])  # fmt: skip
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err[-1].startswith("error: no epoch finished within --max-minutes 0.0001")
    assert err[-1].endswith("no model saved; give more minutes")


def test_cli_out_in_a_folder_that_cannot_be_written_is_one_line(tmp_path: Path, capsys) -> None:
    """The work folder beside ``--out`` was made outside the error handling: a folder the
    user cannot write gave a PermissionError traceback (/proc stands for one here, as the
    tests run as root)."""
    db = training_corpus.build(tmp_path / "quire.db", documents=2)
    code = main(["train", "--db", str(db), "--out", "/proc/quire-model", "--task", "ner"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("error: cannot write the model in /proc: ")


def test_a_claim_settings_file_that_is_not_an_object_is_a_value_error(tmp_path: Path) -> None:
    from models.nlp.training.claim_model import CLAIMS_FOLDER, SETTINGS_FILE, load_claim_part

    (tmp_path / CLAIMS_FOLDER).mkdir()
    (tmp_path / CLAIMS_FOLDER / SETTINGS_FILE).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="not a JSON object"):
        load_claim_part(tmp_path, "model:x@1")


def test_a_claim_part_off_the_token_boundaries_stays_unknown_in_a_done_document(tmp_path: Path) -> None:
    """An accepted claim whose content starts inside a word was left out of the claim
    training data and, in a document marked done, its words were then trained as
    "outside" (the adversarial test of 2026-11-30: 'economy is strong' became O)."""
    from storage.training import _Training

    text = "The economy is strong, officials said on Monday."
    repo = Repository(tmp_path / "quire.db")
    [doc_id] = repo.add_documents([Document("Economy", text)])
    said = text.index("said")
    content = text.index("conomy")  # inside "economy"
    repo.add_claim(Claim(doc_id, content, text.index(","), said, said + 4))
    repo.set_document_status(doc_id, DocStatus.DONE)
    training = _Training(repo, TrainOptions(out=tmp_path / "m", dev_fraction=0.5), lambda event: None,
                         lambda: False, deadline=0.0, started=0.0)  # fmt: skip
    data = training._claim_data()
    repo.close()
    [(doc, _claims)] = data.values()
    tags = {token.text: (token.ent_iob_, token.ent_type_) for token in doc}
    assert tags["said"] == ("B", "CUE")
    assert [tags[word] for word in ("economy", "is", "strong")] == [("", "")] * 3, "unknown, not O"
    assert [tags[word] for word in ("The", "officials", "Monday")] == [("O", "")] * 3
    assert training.report.problems == 1


# -- the data: the missing-value rule inside training, the stratified split ------------------


def test_not_done_document_teaches_only_its_decisions(tmp_path: Path) -> None:
    """In a document not marked done, tokens outside accepted spans are missing (the
    recogniser takes no loss there) and rejected suggestions are negatives (a loss when
    the recogniser predicts them)."""
    from spacy.training import Example

    from models.nlp.training import ner
    from storage.training import entity_training_docs

    text = "Ana Silva said Chile bought drones from Peru on Monday."
    repo = Repository(tmp_path / "quire.db", annotator="tester")
    doc_id = repo.add_document(Document(title="Open", text=text))
    peru = text.index("Peru")
    repo.add_span(Span(doc_id, peru, peru + 4, "GPE", "Peru", Status.SUGGESTED, "spacy:stock"))
    nlp = load_model().nlp
    try:
        docs, problems = entity_training_docs(repo, tmp_path, nlp)
        assert problems == 0 and docs == {}  # a suggestion alone teaches nothing
        repo.update_span(repo.spans(doc_id)[0].id, status=Status.REJECTED)
        drones = text.index("drones")
        repo.add_span(Span(doc_id, drones, drones + 6, "WEAPON", "drones"))
        docs, _problems = entity_training_docs(repo, tmp_path, nlp)
    finally:
        repo.close()
    doc = docs[doc_id]
    assert [(e.text, e.label_) for e in doc.ents] == [("drones", "WEAPON")]
    assert [t.ent_iob_ for t in doc if t.text != "drones"] == [""] * (len(doc) - 1)  # missing, not O
    assert [(s.text, s.label_) for s in doc.spans[ner.NEGATIVES_KEY]] == [("Peru", "GPE")]

    ner.prepare_ner(nlp, ["WEAPON"])

    def loss(reference) -> float:
        losses: dict[str, float] = {}
        with nlp.select_pipes(enable=["ner"]):
            nlp.update([Example(nlp.make_doc(text), reference)], sgd=False, drop=0.0, losses=losses)
        return losses["ner"]

    unknown = nlp.make_doc(text)  # every token missing: what the stock model predicts costs nothing
    assert loss(unknown) == 0.0
    rejected = nlp.make_doc(text)
    rejected.spans[ner.NEGATIVES_KEY] = [rejected.char_span(peru, peru + 4, label="GPE")]
    assert nlp("Peru is a country.").ents[0].label_ == "GPE"  # so the stock model predicts it
    assert loss(rejected) > 0.0


def test_rehearsal_fills_only_what_the_analyst_left_undecided(tmp_path: Path) -> None:
    from models.nlp.entities import LabelMap
    from models.nlp.training import ner

    nlp = load_model().nlp
    text = "Ana Silva said Chile bought 40 drones from Peru on Monday, and more drones later."
    open_doc = nlp.make_doc(text)  # not done: the first "drones" accepted, Peru rejected
    drones = text.index("drones")
    open_doc.set_ents([open_doc.char_span(drones, drones + 6, label="WEAPON")], default="missing")
    peru = text.index("Peru")
    open_doc.spans[ner.NEGATIVES_KEY] = [open_doc.char_span(peru, peru + 4, label="GPE")]
    done_doc = nlp.make_doc(text)  # done: only Ana Silva; every other token O
    done_doc.set_ents([done_doc.char_span(0, 9, label="PERSON")], default="outside")

    changed = ner.add_rehearsal(nlp, [open_doc, done_doc], LabelMap.from_toml().target)

    stock = {(e.text, e.label_) for e in nlp(text).ents}
    assert {("Chile", "GPE"), ("Peru", "GPE"), ("40", "CARDINAL")} <= stock
    assert {(e.text, e.label_) for e in open_doc.ents} == (stock - {("Peru", "GPE")}) | {("drones", "WEAPON")}
    # what stays missing: the rejected span, and the second "drones" (a word WEAPON was taught on)
    assert [t.text for t in open_doc if t.ent_iob_ == ""] == ["Peru", "drones"]
    assert open_doc[open_doc.char_span(drones, drones + 6).start].ent_iob_ == "B"
    # done: the analyst's O stands for the project's labels; dropped labels are rehearsed
    assert {(e.text, e.label_) for e in done_doc.ents} == {("Ana Silva", "PERSON"), ("40", "CARDINAL")}
    assert changed == len(open_doc) - 3 + 1  # all but Peru and the two "drones"; "40" in the done one


def test_dev_split_holds_out_each_label_taught_when_it_can() -> None:
    from collections import Counter

    from models.nlp.training.split import stratified_dev_split

    labels = {i: Counter({"PERSON": 3, "GPE": 2}) for i in range(10)}
    labels[3]["WEAPON"] = 5
    labels[6]["WEAPON"] = 1
    labels[8]["WEAPON"] = 4
    labels[9] = Counter({"FAC": 1})  # its only document: dev cannot score FAC
    for seed in range(20):
        dev = stratified_dev_split(labels, 0.2, seed, known={"PERSON", "GPE", "FAC"})
        assert len(dev) == 2 and 6 in dev and 9 not in dev  # WEAPON's smallest document
        assert dev == stratified_dev_split(labels, 0.2, seed, known={"PERSON", "GPE", "FAC"})
    assert stratified_dev_split({1: Counter(), 2: Counter()}, 0.5, 0) in ({1}, {2})
    assert stratified_dev_split({1: Counter({"X": 1})}, 0.5, 0) == set()  # a lone document trains
