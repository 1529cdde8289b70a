"""Snapping selections and moving span edges by one token."""

from __future__ import annotations

import pytest

from models.nlp.tokens import snap_to_tokens, token_step


@pytest.mark.parametrize(
    ("text", "selection", "expected"),
    [
        ("Hello, Mr. Smith-Jones went home.", (8, 14), "Mr. Smith"),
        ("Rockets hit the U.S. base 😀 today.", (17, 19), "U.S."),
        ("قال المسؤول إن الوفد وصل", (5, 9), "المسؤول"),
        ("   spaces   ", (0, 3), None),
    ],
)
def test_snap_to_tokens(text, selection, expected):
    snapped = snap_to_tokens(text, *selection)
    assert (text[snapped[0] : snapped[1]] if snapped else None) == expected


def test_token_step_over_wide_white_space_but_not_paragraph_breaks():
    text = "alpha    beta    gamma"
    assert token_step(text, 9, 13, "start", True) == (0, 13)
    assert token_step(text, 9, 13, "end", True) == (9, 22)
    text = "Officials said.\n\n    Mr Smith left."
    start = text.index("Mr")
    assert token_step(text, start, start + 2, "start", True) is None
    assert token_step(text, start, start + 2, "end", True) == (start, start + 8)
    assert token_step(text, start, start + 8, "end", False) == (start, start + 2)
    assert token_step("ab", 0, 2, "start", True) is None
