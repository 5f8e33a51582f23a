-- The clinic's shared database for several stations: roles and the database. Run once, as a PostgreSQL
-- superuser, on the database server:
--     sudo -u postgres psql -v ON_ERROR_STOP=1 -f init.sql
-- then give kiosk_owner a password (\password kiosk_owner), connect once as kiosk_owner so the kiosk creates
-- its tables (naltrexone-kiosk sync --data-dir D --database postgresql://kiosk_owner@HOST/kiosk?sslmode=verify-full),
-- and run grants.sql as kiosk_owner. Every login for a tablet or a staff PC is made IN ROLE one of the groups below.
--
-- What each role may do (grants.sql):
--   kiosk_owner    owns the tables and runs the kiosk's migrations; used by the administrator only
--   kiosk_station  a waiting-room tablet: inserts sealed submissions and reads the public key and settings;
--                  it can read no payload, no header, no note, no audit entry and no account
--   kiosk_staff    a front-desk or clinician PC (the staff console): reads and updates the queue; payloads stay
--                  sealed to the clinic's key, which only an unlocked console holds; the audit log is append-only

CREATE ROLE kiosk_owner LOGIN;
CREATE ROLE kiosk_station NOLOGIN;
CREATE ROLE kiosk_staff NOLOGIN;

CREATE DATABASE kiosk OWNER kiosk_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE kiosk FROM PUBLIC;
GRANT CONNECT ON DATABASE kiosk TO kiosk_owner, kiosk_station, kiosk_staff;

\connect kiosk
-- The database owner owns the public schema (PostgreSQL 15); nobody else may create objects in it.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO kiosk_station, kiosk_staff;
