"""Everything spaCy: model resolution and loading, tokenisation for snapping,
entity and claim suggestions. Imported lazily: spaCy is slow to import."""
