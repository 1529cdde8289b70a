"""Quire's domain: plain Python, no Qt and no SQL (see docs/DESIGN.md)."""
