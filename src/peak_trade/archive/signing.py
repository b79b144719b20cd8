"""Ed25519 keys and signatures for archive entries. `cryptography` is imported here only.

Keys are PEM files: the private key PKCS#8 (written with mode 0600), the public key
SubjectPublicKeyInfo beside it as `<keyfile>.pub`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from peak_trade.errors import KeyFileError, OutputError
from peak_trade.files import open_regular

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from peak_trade.archive.store import Signing


def public_key_path(private_key_path: str) -> str:
    return private_key_path + ".pub"


def generate_keypair(path: str, *, force: bool = False) -> tuple[str, str]:
    """Write a new private key to `path` (0600) and its public key to `path.pub`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pub_path = public_key_path(path)
    for target in (path, pub_path):
        if os.path.lexists(target) and not force:
            raise OutputError(f"{target}: exists; refusing to overwrite without --force")
        if not os.path.isdir(os.path.dirname(os.path.abspath(target))):
            raise OutputError(f"{target}: directory does not exist")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new(path, private_pem, mode=0o600, force=force)
    _write_new(pub_path, public_pem, mode=0o644, force=force)
    return path, pub_path


def _write_new(path: str, data: bytes, *, mode: int, force: bool) -> None:
    if force and os.path.lexists(path):
        os.remove(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _read_pem(path: str, what: str) -> bytes:
    try:
        with open_regular(path) as handle:
            return handle.read(64 * 1024)
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read {what} ({exc.strerror})") from None


def load_private_key(path: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(_read_pem(path, "signing key"), password=None)
    except (ValueError, TypeError):
        raise KeyFileError(f"{path}: not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(path: str) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(_read_pem(path, "public key"))
    except (ValueError, TypeError):
        raise KeyFileError(f"{path}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: not an Ed25519 public key")
    return key


def sign_digest(key: Ed25519PrivateKey, digest_hex: str) -> str:
    return key.sign(bytes.fromhex(digest_hex)).hex()


def signature_valid(key: Ed25519PublicKey, digest_hex: str, signature_hex: str) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(bytes.fromhex(signature_hex), bytes.fromhex(digest_hex))
    except (InvalidSignature, ValueError):
        return False
    return True


def signing_for(key: Ed25519PrivateKey) -> Signing:
    """The store's view of a private key: it signs, and it recognises its own signatures."""
    from peak_trade.archive.store import Signing

    public = key.public_key()
    return Signing(
        sign=lambda digest: sign_digest(key, digest),
        verifies=lambda digest, signature: signature_valid(public, digest, signature),
    )
