"""Local SQLite storage: one writer connection, ordered migrations, one transaction helper."""
