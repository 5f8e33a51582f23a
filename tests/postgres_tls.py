"""A real PostgreSQL server that takes TCP connections over TLS only, for the `sslmode=verify-full` tests.

A sibling of postgres_server.py: the same throw-away cluster (initdb/pg_ctl as
the server user, removed afterwards), plus `ssl=on` with a server certificate
for `localhost` signed by a throw-away CA made here, listening on 127.0.0.1 on
a free port. pg_hba.conf takes TCP connections only as `hostssl` (a plain one
is rejected), the socket stays open for the test's own set-up, and every
connection is logged with its TLS protocol (`log_connections`).
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from postgres_server import SERVER_USER, PostgresServer, running_server

HBA = """\
local     all  all                 trust
hostssl   all  all  127.0.0.1/32   trust
hostnossl all  all  0.0.0.0/0      reject
"""


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def make_ca(folder: Path, common: str) -> tuple[Path, ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A throw-away certificate authority: its certificate file (what a kiosk's `sslrootcert` names), key and cert."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(common)).issuer_name(_name(common))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    path = folder / f"{common.replace(' ', '-').lower()}.crt"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    os.chmod(path, 0o644)
    return path, key, cert


def make_server_cert(ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate,
                     host: str) -> tuple[bytes, bytes]:
    """A server certificate for `host` (PEM) signed by the CA, and its key (PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(host)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM), _pem_key(key)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TlsPostgresServer(PostgresServer):
    """The cluster of PostgresServer with TLS on 127.0.0.1: `ca_file` is the CA that signed its `localhost`
    certificate, `other_ca_file` a CA that signed nothing of this server's."""

    def __init__(self) -> None:
        super().__init__()
        self.port = free_port()  # a TCP port now, not only the socket file's name
        tls = self.root / "tls"
        tls.mkdir()
        os.chmod(tls, 0o755)
        self.tls_dir = tls
        self.ca_file, self.ca_key, self.ca_cert = make_ca(tls, "Kiosk Test Clinic CA")
        self.other_ca_file, self.other_ca_key, self.other_ca_cert = make_ca(tls, "Some Other CA")
        cert, key = make_server_cert(self.ca_key, self.ca_cert, "localhost")
        owner = pwd.getpwnam(SERVER_USER) if self.as_root else pwd.getpwuid(os.geteuid())
        for name, data, mode in (("server.crt", cert, 0o644), ("server.key", key, 0o600)):
            path = self.data / name  # inside the cluster folder: the server user's own, as PostgreSQL demands
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(path, mode)
            os.chown(path, owner.pw_uid, owner.pw_gid)
        (self.data / "pg_hba.conf").write_text(HBA, encoding="utf-8")  # keeps its owner: written in place

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    extra_options = ""  # more `-c name=value` for a subclass

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on "
                   "-c ssl_cert_file=server.crt -c ssl_key_file=server.key -c log_connections=on" + self.extra_options)
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log_file), "-w", "start")
        self.running = True

    def new_database(self) -> str:
        """A new empty database (made through the socket); returns its name."""
        return self.create_database().split("?", 1)[0].rsplit("/", 1)[1]

    def tcp_url(self, database: str, host: str = "localhost", ca: Path | None = None,
                sslmode: str = "verify-full") -> str:
        """A kiosk's URL: TCP to `host`, certificate checks against `ca` (this server's own CA by default)."""
        return (f"postgresql://{self.user}@{host}:{self.port}/{database}"
                f"?sslmode={sslmode}&sslrootcert={ca or self.ca_file}")


@pytest.fixture(scope="module")
def tls_postgres_server() -> Iterator[TlsPostgresServer]:
    yield from running_server(TlsPostgresServer())
