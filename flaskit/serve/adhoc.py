"""``--cert adhoc``: a self-signed certificate for this machine, made at start-up.

Needs the optional ``cryptography`` package (``pip install 'flaskit[adhoc]'``),
as Flask's ``--cert adhoc`` does. The certificate names ``localhost``,
``127.0.0.1`` and ``::1``, so a client that trusts this one file can check the
host name too; browsers still warn, since no authority signed it.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from pathlib import Path

from flaskit.errors import UsageProblem

VALID_DAYS = 30
EXTRA_HINT = "pip install 'flaskit[adhoc]'"


def write_adhoc_pair(folder: Path) -> tuple[Path, Path]:
    """Write ``adhoc.crt`` and ``adhoc.key`` (readable by the owner only) into ``folder``."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError:
        raise UsageProblem(
            "--cert adhoc makes a self-signed certificate with the cryptography package, "
            f"which is not installed. Install it with: {EXTRA_HINT} (or pass --cert FILE "
            "--key FILE)."
        ) from None
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "flaskit development certificate"),
        ]
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    alt_names = x509.SubjectAlternativeName(
        [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(alt_names, critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "adhoc.crt", folder / "adhoc.key"
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path
