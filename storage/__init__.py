"""SQLite through sqlite-utils: schema, migrations, the repository (the only code that
writes SQL), importers and exporters. No Qt here."""
