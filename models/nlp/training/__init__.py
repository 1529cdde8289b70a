"""Learning from confirmed work: entity and claim models trained on the analyst's
decisions (``storage/training.py`` reads the database and calls these modules).

Modules: ``record`` (what a trained model is, as the registry stores it), ``ner``
(fine-tuning the stock entity recogniser), ``claim_model`` (the trained claim-part
recogniser, its linking into claims and its combination with the rules), ``scores``
(per-label and per-role precision, recall and F1), ``loop`` (epochs, best-so-far,
cancel and the time budget, shared by both tasks).
"""
