-- What the station and staff roles may touch. Run as kiosk_owner once the kiosk has created its tables
-- (after init.sql and the first connection as kiosk_owner), and again after an upgrade that adds tables:
--     psql "postgresql://kiosk_owner@HOST/kiosk?sslmode=verify-full" -v ON_ERROR_STOP=1 -f grants.sql

-- A tablet: insert sealed submissions (the id is the key, so a repeated forward is a no-op), read the schema
-- version, the clinic's public key and settings. SELECT on the id column alone lets ON CONFLICT (id) and
-- RETURNING id work; no other column of a submission can be read.
GRANT SELECT ON kiosk_schema, install, key_epochs, settings TO kiosk_station;
GRANT INSERT (id, started_at, submitted_at, status, content_version, language, severity, payload, demo)
    ON submissions TO kiosk_station;
GRANT SELECT (id) ON submissions TO kiosk_station;
-- Staff alerts ("Need help?", urgent and stop flags): a tablet adds them; which submission already rang is all it
-- may read back. A status changed on a tablet reaches the server only through station_status(), which applies the
-- kiosk's rule; the role cannot UPDATE a submission itself.
GRANT INSERT (id, station, kind, submission_id, raised_at) ON alerts TO kiosk_station;
GRANT SELECT (id, submission_id, kind) ON alerts TO kiosk_station;
REVOKE EXECUTE ON FUNCTION station_status(text, text, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION station_status(text, text, text, timestamptz, text) TO kiosk_station, kiosk_staff;
-- A station's own audit entries (an import, its purge) join the clinic's chain only through station_audit(), under
-- the station's login as actor; the role still reads no audit entry.
REVOKE EXECUTE ON FUNCTION station_audit(text, bigint, timestamptz, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION station_audit(text, bigint, timestamptz, text, text, text) TO kiosk_station, kiosk_staff;

-- A staff PC: the queue, search index, notes, reviews, accounts and wrapped keys, lock-out, settings and the audit
-- chain (staff sign in against the clinic's accounts here). Audit entries can only be added. Their keyed seals
-- (audit_macs) may be rewritten, because a new key epoch seals every entry again under its new audit key; a seal
-- changed by anyone without that key shows at the next sign-in, and no seal can be deleted.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO kiosk_staff;
REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM kiosk_staff;
REVOKE DELETE, TRUNCATE ON audit_macs FROM kiosk_staff;
REVOKE INSERT, UPDATE, DELETE ON kiosk_schema FROM kiosk_staff;
