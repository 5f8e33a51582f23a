"""A real PostgreSQL over TLS that asks stations to log in: a password (`scram-sha-256`) or a client certificate.

A sibling of postgres_tls.py (the same throw-away cluster and clinic CA). Its
pg_hba.conf takes the role PASSWORD_ROLE only with its password, checked by
SCRAM, and CERT_ROLE only with a client certificate made out to it and signed by
the clinic's CA (`cert clientcert=verify-full`); the server checks client
certificates against that CA (`ssl_ca_file`). Each database a test makes is
owned by the role that logs in, so `setup --database` can make the clinic's
tables there with that login alone.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from postgres_server import SERVER_USER, running_server
from postgres_tls import TlsPostgresServer, _name, _pem_key

PASSWORD_ROLE = "tablet_pw"
CERT_ROLE = "tablet_cert"
ROLE_PASSWORD = "Scram-only-5521"

HBA = f"""\
local     all  all                               trust
hostssl   all  {PASSWORD_ROLE}  127.0.0.1/32  scram-sha-256
hostssl   all  {CERT_ROLE}  127.0.0.1/32  cert clientcert=verify-full
hostnossl all  all  0.0.0.0/0      reject
"""


class LoginPostgresServer(TlsPostgresServer):
    """TLS on 127.0.0.1 with password and client-certificate logins (see the module's docstring)."""

    extra_options = " -c ssl_ca_file=client-ca.crt -c password_encryption=scram-sha-256"

    def __init__(self) -> None:
        super().__init__()
        owner = pwd.getpwnam(SERVER_USER) if self.as_root else pwd.getpwuid(os.geteuid())
        shutil.copy(self.ca_file, self.data / "client-ca.crt")
        os.chown(self.data / "client-ca.crt", owner.pw_uid, owner.pw_gid)
        (self.data / "pg_hba.conf").write_text(HBA, encoding="utf-8")

    def start(self) -> None:
        super().start()
        with psycopg.connect(self.url(), autocommit=True) as conn:
            for role, password in ((PASSWORD_ROLE, ROLE_PASSWORD), (CERT_ROLE, None)):
                if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
                    conn.execute(f"CREATE ROLE {role} LOGIN" + (f" PASSWORD '{password}'" if password else ""))

    def database_for(self, role: str) -> str:
        """A new empty database owned by `role`; returns its name."""
        name = self.new_database()
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" OWNER TO {role}')
        return name

    def login_url(self, database: str, role: str, password: str | None = None, **extra: str) -> str:
        """A station's URL: verify-full against the clinic's CA, as `role`, with `password` and `extra` settings."""
        secret = f":{password}" if password is not None else ""
        query = "&".join(f"{k}={v}" for k, v in {"sslmode": "verify-full", "sslrootcert": str(self.ca_file),
                                                  **extra}.items())
        return f"postgresql://{role}{secret}@localhost:{self.port}/{database}?{query}"

    def client_certificate(self, common_name: str, signed_by_clinic: bool = True) -> tuple[Path, Path]:
        """A client certificate made out to `common_name` and its key (mode 0600, as libpq demands)."""
        ca_key, ca_cert = (self.ca_key, self.ca_cert) if signed_by_clinic else (self.other_ca_key, self.other_ca_cert)
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(ca_cert.subject)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=2))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        stem = self.tls_dir / f"{common_name}-{'clinic' if signed_by_clinic else 'other'}"
        cert_path, key_path = stem.with_suffix(".crt"), stem.with_suffix(".key")
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(_pem_key(key))
        return cert_path, key_path

    def authentications(self, database: str) -> list[str]:
        """How each TCP login to `database` was authenticated, from the server log ("method=scram-sha-256")."""
        log = self.log_file.read_text(encoding="utf-8")
        sessions = set(re.findall(rf"\[(\d+)\] LOG:  connection authorized: user=\S+ database={database}\b", log))
        return [method for pid, method in re.findall(r"\[(\d+)\] LOG:  connection authenticated: (.*)", log)
                if pid in sessions]


@pytest.fixture(scope="module")
def login_postgres_server() -> Iterator[LoginPostgresServer]:
    yield from running_server(LoginPostgresServer())
