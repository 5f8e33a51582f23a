"""The ordered schema migrations for PostgreSQL: the same numbered steps as `kiosk.storage.migrations` (SQLite).

Step N here makes the tables and columns SQLite's step N makes, in PostgreSQL's
types: times are `timestamptz`, blobs `bytea`, and SQLite's case-insensitive
primary keys become unique indexes on `lower(name)`. The version is kept in
`kiosk_schema`; each step runs in its own transaction under an advisory lock,
so several stations starting at once apply each step exactly once. Never edit
a shipped step; add the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Connection = Any  # psycopg.Connection; psycopg is imported only when a postgresql:// URL is used

# Any constant shared by every station: the advisory lock that serialises migrations.
MIGRATION_LOCK = 0x6B696F736B  # "kiosk"


def _statements(*sql: str) -> Callable[[Connection], None]:
    def step(conn: Connection) -> None:
        for statement in sql:
            conn.execute(statement)
    return step


_1_submissions = _statements(
    """CREATE TABLE submissions (
        id              text PRIMARY KEY,
        started_at      timestamptz NOT NULL,
        submitted_at    timestamptz,
        status          text NOT NULL
                        CHECK (status IN ('in_progress', 'new', 'printed', 'reviewed', 'abandoned')),
        content_version text NOT NULL,
        language        text NOT NULL,
        severity        integer NOT NULL DEFAULT 3,
        payload         bytea NOT NULL
    )""",
    "CREATE INDEX submissions_by_time ON submissions (submitted_at DESC)",
    "CREATE INDEX submissions_by_status ON submissions (status, severity)",
)

_2_sealed_storage_and_staff = _statements(
    """CREATE TABLE install (
        id            integer PRIMARY KEY CHECK (id = 1),
        public_key    bytea NOT NULL,
        recovery_wrap bytea NOT NULL,
        created_at    timestamptz NOT NULL
    )""",
    """CREATE TABLE staff (
        name        text PRIMARY KEY,
        is_admin    integer NOT NULL CHECK (is_admin IN (0, 1)),
        created_at  timestamptz NOT NULL,
        kdf_salt    bytea NOT NULL,
        kdf_n       integer NOT NULL,
        kdf_r       integer NOT NULL,
        kdf_p       integer NOT NULL,
        wrapped     bytea NOT NULL
    )""",
    "CREATE UNIQUE INDEX staff_name_nocase ON staff (lower(name))",
    """CREATE TABLE lockout (
        id            integer PRIMARY KEY CHECK (id = 1),
        failures      integer NOT NULL,
        locked_until  timestamptz
    )""",
    """CREATE TABLE audit (
        seq     bigint PRIMARY KEY,
        at      timestamptz NOT NULL,
        actor   text NOT NULL,
        action  text NOT NULL,
        target  text NOT NULL,
        detail  text NOT NULL,
        prev    text NOT NULL,
        hash    text NOT NULL
    )""",
    """CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
       $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$""",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    """CREATE TABLE settings (
        key    text PRIMARY KEY,
        value  text NOT NULL
    )""",
    """CREATE TABLE journal (
        id              text PRIMARY KEY,
        started_at      timestamptz NOT NULL,
        content_version text NOT NULL,
        language        text NOT NULL,
        updated_at      timestamptz NOT NULL,
        payload         bytea NOT NULL
    )""",
    """CREATE TABLE search_tokens (
        submission_id text NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
        token         bytea NOT NULL
    )""",
    "CREATE INDEX search_by_token ON search_tokens (token, submission_id)",
    "CREATE INDEX search_by_submission ON search_tokens (submission_id)",
    "ALTER TABLE submissions ADD COLUMN indexed integer NOT NULL DEFAULT 0",
    "ALTER TABLE submissions ADD COLUMN header bytea",
    "ALTER TABLE submissions ADD COLUMN note bytea",
    "ALTER TABLE submissions ADD COLUMN reviewed_by text",
    "ALTER TABLE submissions ADD COLUMN reviewed_at timestamptz",
    """ALTER TABLE submissions ADD COLUMN priority integer GENERATED ALWAYS AS
       (CASE WHEN severity = 0 AND status IN ('new', 'printed') THEN 0 ELSE 1 END) STORED""",
    "CREATE INDEX submissions_queue ON submissions (priority, submitted_at DESC NULLS LAST)",
    "CREATE INDEX submissions_to_index ON submissions (indexed) WHERE indexed = 0",
)

# A `stop` tier ranks between urgent (0) and review: stored ranks from review down move one place.
_3_stop_severity = _statements("UPDATE submissions SET severity = severity + 1 WHERE severity >= 1")

_4_roles_lockout_epochs_audit_head = _statements(
    "ALTER TABLE staff ADD COLUMN role text NOT NULL DEFAULT 'clinician' "
    "CHECK (role IN ('front_desk', 'clinician', 'administrator'))",
    "UPDATE staff SET role = 'administrator' WHERE is_admin = 1",
    "ALTER TABLE staff ADD COLUMN epoch integer NOT NULL DEFAULT 0",
    "ALTER TABLE staff ADD COLUMN public_key bytea",
    "ALTER TABLE staff ADD COLUMN key_grant bytea",
    """CREATE TABLE account_lockout (
        name          text PRIMARY KEY,
        failures      integer NOT NULL,
        locked_until  timestamptz
    )""",
    "CREATE UNIQUE INDEX account_lockout_nocase ON account_lockout (lower(name))",
    """CREATE TABLE key_epochs (
        epoch           integer PRIMARY KEY,
        public_key      bytea NOT NULL,
        previous_wrap   bytea,
        recovery_sealed bytea,
        created_at      timestamptz NOT NULL,
        reason          text NOT NULL
    )""",
    "INSERT INTO key_epochs (epoch, public_key, created_at, reason) SELECT 0, public_key, created_at, 'setup' FROM install",
    "ALTER TABLE install ADD COLUMN recovery_public bytea",
    "CREATE TABLE audit_macs (seq bigint PRIMARY KEY, mac bytea NOT NULL)",
    """CREATE TABLE audit_head (
        id        integer PRIMARY KEY CHECK (id = 1),
        count     bigint NOT NULL,
        last_hash text NOT NULL,
        mac       bytea NOT NULL
    )""",
)

_5_demo_flag_and_prefix_index = _statements(
    "ALTER TABLE submissions ADD COLUMN demo integer NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))",
    "CREATE INDEX submissions_demo ON submissions (demo) WHERE demo = 1",
    "UPDATE submissions SET indexed = 0",
)

# The Clinic tab's encrypted totals per local day, as on SQLite.
_6_dashboard_days = _statements(
    """CREATE TABLE dashboard_days (
        day   text NOT NULL,
        demo  integer NOT NULL CHECK (demo IN (0, 1)),
        blob  bytea NOT NULL,
        PRIMARY KEY (day, demo)
    )""",
    "UPDATE submissions SET indexed = 0",
)

# Which visits staff have linked to one person (an opaque random id); unlinked visits are only suggested matches.
_7_people = _statements(
    """CREATE TABLE people (
        submission_id text PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
        person        text NOT NULL,
        linked_by     text NOT NULL,
        linked_at     timestamptz NOT NULL
    )""",
    "CREATE INDEX people_by_person ON people (person)",
)

# What a clinician recorded on a visit (shot given: side and lot, or pills prescribed), encrypted like a note.
_8_dose_records = _statements("ALTER TABLE submissions ADD COLUMN dose bytea")

# Staff alerts from every station ("Need help?", urgent and stop flags), announced with NOTIFY and acknowledged by
# staff. No patient content: which station, what kind, when, and the submission's id. (A station's `forwarded`
# bookkeeping of step 9 is its own, kept on SQLite only.)
_9_alerts = _statements(
    """CREATE TABLE alerts (
        id              text PRIMARY KEY,
        station         text NOT NULL,
        kind            text NOT NULL,
        submission_id   text,
        raised_at       timestamptz NOT NULL,
        received_at     timestamptz NOT NULL DEFAULT now(),
        acknowledged_by text,
        acknowledged_at timestamptz
    )""",
    "CREATE INDEX alerts_open ON alerts (raised_at) WHERE acknowledged_at IS NULL",
    "CREATE INDEX alerts_by_submission ON alerts (submission_id, kind)",
    # A station forwards a status changed on it (printed, reviewed, a review undone) through this function only:
    # its role may not UPDATE submissions. The station's status wins when the server still holds what the station
    # last sent (`was`), or when it is further along (new or abandoned < printed < reviewed), so a review made at
    # another console is never undone by a station that only printed.
    """CREATE FUNCTION station_status(p_id text, p_status text, p_by text, p_at timestamptz, p_was text)
       RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
         UPDATE submissions SET status = p_status, reviewed_by = p_by, reviewed_at = p_at
         WHERE id = p_id AND p_status IN ('new', 'printed', 'reviewed', 'abandoned')
           AND (status = p_was
                OR (CASE status WHEN 'reviewed' THEN 2 WHEN 'printed' THEN 1 ELSE 0 END)
                   < (CASE p_status WHEN 'reviewed' THEN 2 WHEN 'printed' THEN 1 ELSE 0 END))
       $$""",
)

# What a station writes to its own audit log without staff (an import, its purge of rows already forwarded) joins the
# clinic's chain through station_audit(): the actor is the station's database login (session_user, which a station
# cannot choose), only those two actions are taken, the entry is hashed and chained here exactly as
# kiosk.staff.audit.append does (the same JSON of six strings, the time as Python's isoformat in UTC), and each
# station entry lands once (its station key and number in station_audit_seen), so a repeated forward adds nothing.
# A station's role still reads no audit entry. (Its bookkeeping of what it sent is its own, on SQLite only.)
_10_station_audit = _statements(
    """CREATE TABLE station_audit_seen (
        station text NOT NULL,
        seq     bigint NOT NULL,
        PRIMARY KEY (station, seq)
    )""",
    """CREATE FUNCTION station_audit(p_station text, p_seq bigint, p_at timestamptz, p_action text, p_target text,
                                     p_detail text)
       RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
       DECLARE
         v_actor text := 'station:' || session_user;
         v_at text := to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
                      || CASE WHEN extract(microseconds FROM p_at)::bigint % 1000000 <> 0
                              THEN '.' || to_char(p_at AT TIME ZONE 'UTC', 'US') ELSE '' END || '+00:00';
         v_seq bigint;
         v_prev text;
       BEGIN
         IF p_action NOT IN ('import', 'purge') THEN
           RAISE EXCEPTION 'a station may not write % entries to the audit log', p_action;
         END IF;
         PERFORM p_detail::jsonb;
         INSERT INTO station_audit_seen (station, seq) VALUES (p_station, p_seq) ON CONFLICT DO NOTHING;
         IF NOT FOUND THEN
           RETURN false;
         END IF;
         PERFORM pg_advisory_xact_lock(418581342580);
         SELECT seq, hash INTO v_seq, v_prev FROM audit ORDER BY seq DESC LIMIT 1;
         IF v_seq IS NULL THEN
           v_seq := 1;
           v_prev := repeat('0', 64);
         ELSE
           v_seq := v_seq + 1;
         END IF;
         INSERT INTO audit (seq, at, actor, action, target, detail, prev, hash)
         VALUES (v_seq, p_at, v_actor, p_action, p_target, p_detail, v_prev,
                 encode(sha256(convert_to('[' || concat_ws(',', to_json(v_prev)::text, to_json(v_at)::text,
                        to_json(v_actor)::text, to_json(p_action)::text, to_json(p_target)::text,
                        to_json(p_detail)::text) || ']', 'UTF8')), 'hex'));
         RETURN true;
       END $$""",
)

MIGRATIONS: list[Callable[[Connection], None]] = [_1_submissions, _2_sealed_storage_and_staff, _3_stop_severity,
                                                  _4_roles_lockout_epochs_audit_head, _5_demo_flag_and_prefix_index,
                                                  _6_dashboard_days, _7_people, _8_dose_records,
                                                  _9_alerts, _10_station_audit]


def schema_version(conn: Connection) -> int:
    row = conn.execute("SELECT to_regclass('kiosk_schema') IS NOT NULL").fetchone()
    if not row[0]:
        return 0
    found = conn.execute("SELECT version FROM kiosk_schema WHERE id = 1").fetchone()
    return int(found[0]) if found else 0


def migrate(conn: Connection, migrations: list[Callable[[Connection], None]] | None = None) -> int:
    """Apply every step past the stored version, each in its own transaction; returns the new version.

    Raises RuntimeError when the database was migrated by a newer kiosk than this one.
    """
    steps = MIGRATIONS if migrations is None else migrations
    if schema_version(conn) == len(steps):
        return len(steps)  # the usual connect: a station's role may read the version but never runs DDL
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS kiosk_schema (id integer PRIMARY KEY CHECK (id = 1), "
                     "version integer NOT NULL)")
        conn.execute("INSERT INTO kiosk_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING")
    current = schema_version(conn)
    if current > len(steps):
        raise RuntimeError(f"the shared database was written by a newer version of the kiosk (schema {current}); "
                           "update this station")
    for number in range(current + 1, len(steps) + 1):
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            if schema_version(conn) >= number:
                continue  # another station applied it while this one waited for the lock
            steps[number - 1](conn)
            conn.execute("UPDATE kiosk_schema SET version = %s WHERE id = 1", (number,))
    return schema_version(conn)
