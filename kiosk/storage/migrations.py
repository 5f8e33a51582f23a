"""Ordered schema migrations: migration N brings `PRAGMA user_version` from N-1 to N. Never edit a shipped one."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _1_submissions(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE submissions (
            id              TEXT PRIMARY KEY,
            started_at      TEXT NOT NULL,
            submitted_at    TEXT,
            status          TEXT NOT NULL
                            CHECK (status IN ('in_progress', 'new', 'printed', 'reviewed', 'abandoned')),
            content_version TEXT NOT NULL,
            language        TEXT NOT NULL,
            severity        INTEGER NOT NULL DEFAULT 3,
            payload         BLOB NOT NULL
        ) STRICT
        """
    )
    conn.execute("CREATE INDEX submissions_by_time ON submissions (submitted_at DESC)")
    conn.execute("CREATE INDEX submissions_by_status ON submissions (status, severity)")


def _2_sealed_storage_and_staff(conn: sqlite3.Connection) -> None:
    """Staff accounts, the install's key material, lockout, audit chain, settings, autosave journal, search index."""
    statements = [
        """CREATE TABLE install (
            id            INTEGER PRIMARY KEY CHECK (id = 1),
            public_key    BLOB NOT NULL,
            recovery_wrap BLOB NOT NULL,
            created_at    TEXT NOT NULL
        ) STRICT""",
        """CREATE TABLE staff (
            name         TEXT PRIMARY KEY COLLATE NOCASE,
            is_admin     INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
            created_at   TEXT NOT NULL,
            kdf_salt     BLOB NOT NULL,
            kdf_n        INTEGER NOT NULL,
            kdf_r        INTEGER NOT NULL,
            kdf_p        INTEGER NOT NULL,
            wrapped      BLOB NOT NULL
        ) STRICT""",
        """CREATE TABLE lockout (
            id            INTEGER PRIMARY KEY CHECK (id = 1),
            failures      INTEGER NOT NULL,
            locked_until  TEXT
        ) STRICT""",
        """CREATE TABLE audit (
            seq     INTEGER PRIMARY KEY,
            at      TEXT NOT NULL,
            actor   TEXT NOT NULL,
            action  TEXT NOT NULL,
            target  TEXT NOT NULL,
            detail  TEXT NOT NULL,
            prev    TEXT NOT NULL,
            hash    TEXT NOT NULL
        ) STRICT""",
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        """CREATE TABLE settings (
            key    TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        ) STRICT""",
        """CREATE TABLE journal (
            id              TEXT PRIMARY KEY,
            started_at      TEXT NOT NULL,
            content_version TEXT NOT NULL,
            language        TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            payload     BLOB NOT NULL
        ) STRICT""",
        """CREATE TABLE search_tokens (
            submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
            token         BLOB NOT NULL
        ) STRICT""",
        "CREATE INDEX search_by_token ON search_tokens (token, submission_id)",
        "CREATE INDEX search_by_submission ON search_tokens (submission_id)",
        "ALTER TABLE submissions ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE submissions ADD COLUMN header BLOB",
        "ALTER TABLE submissions ADD COLUMN note BLOB",
        "ALTER TABLE submissions ADD COLUMN reviewed_by TEXT",
        "ALTER TABLE submissions ADD COLUMN reviewed_at TEXT",
        """ALTER TABLE submissions ADD COLUMN priority INTEGER GENERATED ALWAYS AS
           (CASE WHEN severity = 0 AND status IN ('new', 'printed') THEN 0 ELSE 1 END) VIRTUAL""",
        "CREATE INDEX submissions_queue ON submissions (priority, submitted_at DESC)",
        "CREATE INDEX submissions_to_index ON submissions (indexed) WHERE indexed = 0",
    ]
    for statement in statements:
        conn.execute(statement)


def _3_stop_severity(conn: sqlite3.Connection) -> None:
    """A `stop` tier now ranks between urgent (0) and review: stored ranks from review down move one place."""
    conn.execute("UPDATE submissions SET severity = severity + 1 WHERE severity >= 1")


def _4_roles_lockout_epochs_audit_head(conn: sqlite3.Connection) -> None:
    """Staff roles, lock-out per account, key epochs, and the sealed head of the audit chain.

    Accounts that were admins become administrators; every other existing
    account becomes a clinician, which keeps exactly the rights it had (find,
    preview, print, notes, mark reviewed) and gives it none it lacked.
    """
    statements = [
        "ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'clinician' "
        "CHECK (role IN ('front_desk', 'clinician', 'administrator'))",
        "UPDATE staff SET role = 'administrator' WHERE is_admin = 1",
        "ALTER TABLE staff ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE staff ADD COLUMN public_key BLOB",
        "ALTER TABLE staff ADD COLUMN key_grant BLOB",
        """CREATE TABLE account_lockout (
            name          TEXT PRIMARY KEY COLLATE NOCASE,
            failures      INTEGER NOT NULL,
            locked_until  TEXT
        ) STRICT""",
        """CREATE TABLE key_epochs (
            epoch           INTEGER PRIMARY KEY,
            public_key      BLOB NOT NULL,
            previous_wrap   BLOB,
            recovery_sealed BLOB,
            created_at      TEXT NOT NULL,
            reason          TEXT NOT NULL
        ) STRICT""",
        "INSERT INTO key_epochs (epoch, public_key, created_at, reason) SELECT 0, public_key, created_at, 'setup' FROM install",
        "ALTER TABLE install ADD COLUMN recovery_public BLOB",
        """CREATE TABLE audit_macs (
            seq  INTEGER PRIMARY KEY,
            mac  BLOB NOT NULL
        ) STRICT""",
        """CREATE TABLE audit_head (
            id        INTEGER PRIMARY KEY CHECK (id = 1),
            count     INTEGER NOT NULL,
            last_hash TEXT NOT NULL,
            mac       BLOB NOT NULL
        ) STRICT""",
    ]
    for statement in statements:
        conn.execute(statement)


def _5_demo_flag_and_prefix_index(conn: sqlite3.Connection) -> None:
    """Training rows are marked outside the sealed payload, so a folder's real rows can be counted without a key;
    every row is indexed again so its name words gain prefix tokens."""
    conn.execute("ALTER TABLE submissions ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))")
    conn.execute("CREATE INDEX submissions_demo ON submissions (demo) WHERE demo = 1")
    conn.execute("UPDATE submissions SET indexed = 0")


def _6_dashboard_days(conn: sqlite3.Connection) -> None:
    """Encrypted totals per local day (real and training apart) for the Clinic tab; every row is indexed again so
    the totals start from all of them."""
    conn.execute("""CREATE TABLE dashboard_days (
        day   TEXT NOT NULL,
        demo  INTEGER NOT NULL CHECK (demo IN (0, 1)),
        blob  BLOB NOT NULL,
        PRIMARY KEY (day, demo)
    ) STRICT""")
    conn.execute("UPDATE submissions SET indexed = 0")


def _7_people(conn: sqlite3.Connection) -> None:
    """Which visits staff have linked to one person (confirmed a suggested match, merged or split).

    `person` is an opaque random id, never derived from the name; a visit with no row here is matched only by
    suggestion (the keyed hash of name and birth date). A row goes with its submission.
    """
    conn.execute("""CREATE TABLE people (
        submission_id TEXT PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
        person        TEXT NOT NULL,
        linked_by     TEXT NOT NULL,
        linked_at     TEXT NOT NULL
    ) STRICT""")
    conn.execute("CREATE INDEX people_by_person ON people (person)")


def _8_dose_records(conn: sqlite3.Connection) -> None:
    """What a clinician recorded on a visit (shot given: side and lot, or pills prescribed), encrypted under the
    data key like a note."""
    conn.execute("ALTER TABLE submissions ADD COLUMN dose BLOB")


def _9_forwarding_outbox(conn: sqlite3.Connection) -> None:
    """What this station has sent to the shared database, and the staff alerts still waiting to be sent.

    `forwarded` was made on first use by earlier kiosks (id, at), so it is created only when missing; it now
    also keeps the status (and review time) the server was last given, so a later change made here (printed,
    reviewed, review undone) is forwarded too. NULL there means "forwarded before statuses were": the next
    forward sends the row's status once. `alerts` is an outbox: a row leaves once the server holds it.
    """
    conn.execute("CREATE TABLE IF NOT EXISTS forwarded (id TEXT PRIMARY KEY, at TEXT NOT NULL) STRICT")
    conn.execute("ALTER TABLE forwarded ADD COLUMN status TEXT")
    conn.execute("ALTER TABLE forwarded ADD COLUMN reviewed_at TEXT")
    conn.execute("""CREATE TABLE alerts (
        id            TEXT PRIMARY KEY,
        station       TEXT NOT NULL,
        kind          TEXT NOT NULL,
        submission_id TEXT,
        raised_at     TEXT NOT NULL
    ) STRICT""")


def _10_audit_forwarded(conn: sqlite3.Connection) -> None:
    """Which of this station's own audit entries (imports, its purges) the clinic's chain already holds."""
    conn.execute("CREATE TABLE audit_forwarded (seq INTEGER PRIMARY KEY, at TEXT NOT NULL) STRICT")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_1_submissions, _2_sealed_storage_and_staff, _3_stop_severity,
                                                          _4_roles_lockout_epochs_audit_head, _5_demo_flag_and_prefix_index,
                                                          _6_dashboard_days, _7_people, _8_dose_records,
                                                          _9_forwarding_outbox, _10_audit_forwarded]
