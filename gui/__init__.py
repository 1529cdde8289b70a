"""Qt only: windows, widgets, item models, undo commands, background workers."""
