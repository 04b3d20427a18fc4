"""Electronic signatures on the platform's PDFs (issue 25): each written notice and licence
is signed (PAdES, by pyHanko) with the key of the organ that issues it, whose certificate
the platform's certificate authority issued; anyone can check the signature, and the
verification pages and API say who signed and when. The drawn seal stays as the visible
mark; the signature is what proves the file is the organ's and unchanged.

The algorithm is a backend (settings.SHENPI_PDF_SIGNER): this one signs with ECDSA P-256
and SHA-256. A national-algorithm backend (SM2 with SM3, GB/T 38540) would implement the
same two methods with a library that writes SM2 CMS signatures; pyHanko does not.

Keys live on disk under settings.SHENPI_SIGNING_DIR, never in the database: ca.key.pem and
ca.cert.pem for the authority, organs/<code>.key.pem and .cert.pem for each organ. The
authority is made by `manage.py signing_ca` (`make run` makes it for the demo); an organ's
key and certificate are issued by it the first time that organ signs."""

from __future__ import annotations

import asyncio
import datetime
import fcntl
import io
import os
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.module_loading import import_string

PLATFORM = "宁夏回族自治区网上审批平台"
CA_NAME = "宁夏回族自治区网上审批平台电子印章根证书"
CA_YEARS, ORGAN_YEARS = 20, 5


@dataclass(frozen=True)
class Verdict:
    signed: bool  # the file carries a signature at all
    valid: bool  # intact, and by a certificate the platform's authority issued
    signer: str = ""  # the organ named in the certificate
    signed_at: datetime.datetime | None = None
    problem: str = ""  # why it is not valid, in words for people


class SigningBackend(Protocol):
    """What settings.SHENPI_PDF_SIGNER names: a class with these two methods."""

    def sign(self, pdf: bytes, *, organ_code: str, organ_name: str, reason: str) -> bytes: ...

    def verify(self, pdf: bytes) -> Verdict: ...


def backend() -> SigningBackend:
    return _backend(settings.SHENPI_PDF_SIGNER)


@cache
def _backend(path: str) -> SigningBackend:
    return import_string(path)()


def sign(pdf: bytes, *, organ_code: str, organ_name: str, reason: str) -> bytes:
    return _outside_any_event_loop(
        backend().sign, pdf, organ_code=organ_code, organ_name=organ_name, reason=reason
    )


def verify(pdf: bytes) -> Verdict:
    return _outside_any_event_loop(backend().verify, pdf)


def _outside_any_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous calls run an event loop of their own (asyncio.run), which
    cannot start in a thread already running one (an async view, a browser test's thread):
    there the call runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, PLATFORM),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _usage(*, sign_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certs, content_commitment=not sign_certs,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=sign_certs, crl_sign=sign_certs, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    with open(temporary, "wb") as out:
        out.write(data)
    if secret:
        os.chmod(temporary, 0o600)
    os.replace(temporary, path)  # whole or not at all


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _issue(subject: str, issuer_key, issuer_name, key, years: int, *, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name or _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(_usage(sign_certs=ca), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


@contextmanager
def _exclusive(directory: Path):
    """One maker of keys at a time across the web workers: two authorities made at once
    would leave files signed under the one overwritten unverifiable."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def authority_create(directory: Path | None = None, *, replace: bool = False) -> Path:
    """The platform's certificate authority (its key and self-signed certificate)."""
    directory = Path(directory or settings.SHENPI_SIGNING_DIR)
    cert_path = directory / "ca.cert.pem"
    if cert_path.exists() and not replace:
        return cert_path
    with _exclusive(directory):
        if cert_path.exists() and not replace:
            return cert_path  # made by another worker meanwhile
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _issue(CA_NAME, key, None, key, CA_YEARS, ca=True)
        _write(directory / "ca.key.pem", _pem_key(key), secret=True)
        _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), secret=False)
    return cert_path


class PadesBackend:
    """PAdES baseline signatures with ECDSA P-256 keys, by pyHanko."""

    def __init__(self):
        self.directory = Path(settings.SHENPI_SIGNING_DIR)
        self.lock = threading.Lock()
        self.signers: dict[str, object] = {}

    def _authority(self):
        from asn1crypto import x509 as asn1_x509

        cert_path = authority_create(self.directory)
        key = serialization.load_pem_private_key(
            (self.directory / "ca.key.pem").read_bytes(), password=None
        )
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        return key, cert, asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    def _signer(self, organ_code: str, organ_name: str):
        with self.lock:
            if organ_code in self.signers:
                return self.signers[organ_code]
            from asn1crypto import keys as asn1_keys
            from asn1crypto import x509 as asn1_x509
            from pyhanko.sign import signers
            from pyhanko_certvalidator.registry import SimpleCertificateStore

            ca_key, ca_cert, ca_asn1 = self._authority()
            key_path = self.directory / "organs" / f"{organ_code}.key.pem"
            cert_path = key_path.with_name(f"{organ_code}.cert.pem")
            with _exclusive(self.directory):
                if not cert_path.exists():
                    key = ec.generate_private_key(ec.SECP256R1())
                    cert = _issue(organ_name, ca_key, ca_cert.subject, key, ORGAN_YEARS, ca=False)
                    _write(key_path, _pem_key(key), secret=True)
                    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), secret=False)
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            der = serialization.Encoding.DER
            signer = signers.SimpleSigner(
                signing_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
                signing_key=asn1_keys.PrivateKeyInfo.load(
                    key.private_bytes(
                        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                    )
                ),  # fmt: skip
                cert_registry=SimpleCertificateStore.from_certs([ca_asn1]),
            )
            self.signers[organ_code] = signer
            return signer

    def sign(self, pdf: bytes, *, organ_code: str, organ_name: str, reason: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import SigSeedSubFilter

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        meta = signers.PdfSignatureMetadata(
            field_name="OrganSignature",
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=PLATFORM,
            name=organ_name,
        )
        return signers.sign_pdf(
            writer, meta, signer=self._signer(organ_code, organ_name)
        ).getvalue()

    def verify(self, pdf: bytes) -> Verdict:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext

        try:
            signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        except Exception:  # noqa: BLE001 - not a PDF we can read: not signed, as far as we know
            return Verdict(False, False, problem="文件无法读取。")
        if not signatures:
            return Verdict(False, False, problem="文件没有电子签名。")
        signature = signatures[-1]
        _key, _cert, ca_asn1 = self._authority()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            status = validate_pdf_signature(signature, ValidationContext(trust_roots=[ca_asn1]))
        signer = status.signing_cert.subject.native.get("common_name", "")
        if not status.intact:
            return Verdict(True, False, signer, status.signer_reported_dt, "签名后文件已被改动。")
        if not (status.valid and status.trusted):
            return Verdict(
                True, False, signer, status.signer_reported_dt, "签名证书不是本平台签发的。"
            )
        if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            return Verdict(
                True, False, signer, status.signer_reported_dt, "签名后文件被追加了内容。"
            )
        return Verdict(True, True, signer, status.signer_reported_dt)
