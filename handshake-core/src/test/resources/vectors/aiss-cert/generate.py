"""Generates reference-shaped certification artefacts for the Java tests (docs/CERTIFICATION.md).

Written for this project from the formats in shared/spec/aiss.md §2.7 (and the shapes of the
reference's authority statements); it uses only the Python standard library's json, hashlib and
zipfile plus `cryptography` for Ed25519, so the bytes are what Python itself produces.

Keys: agent A and the CA (agent B) are the RFC 8032 §7.1 TEST 1 and TEST 2 seeds of
vectors/aiss/vectors.json; the authority root "acme_corp" is the TEST 3 seed. Every time, id and
nonce is fixed, so running this again gives the same files.

    python3 generate.py   # in this folder; reads ../aiss/chain.json
"""

import base64
import hashlib
import json
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HERE = Path(__file__).parent
SEED_A = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
SEED_B = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
SEED_ROOT = "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def key(seed_hex):
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex))


def raw_public(k):
    return k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def b58(data):
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def agent_id(k):
    return b58(hashlib.sha256(raw_public(k)).digest())[:32]


def b64(data):
    return base64.b64encode(data).decode("ascii")


def reference_canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


a, ca, root = key(SEED_A), key(SEED_B), key(SEED_ROOT)
chain_bytes = (HERE.parent / "aiss" / "chain.json").read_bytes()
audit = json.loads(chain_bytes)
chain_hash = audit["chain_integrity_hash"]

# 1. Inline certification block: Base58 signature by the agent key over the ASCII chain-hash hex.
inline = dict(audit)
inline["certification"] = {
    "issued_by": "PiQrypt v1.1.0",
    "issued_at": 1767229300,
    "chain_hash": chain_hash,
    "signature_algorithm": "Ed25519",
    "signature": b58(a.sign(chain_hash.encode("ascii"))),
    "verification": "python -m piqrypt verify_export <file.json>",
}
(HERE / "certified-inline.json").write_text(json.dumps(inline, indent=2, ensure_ascii=False), encoding="utf-8")

# 2. Side file chain.json.cert: SHA-256 of the exact file bytes, Base64 signature by the agent key.
export_hash = hashlib.sha256(chain_bytes).hexdigest()
side = {
    "version": "AISS-CERT-1",
    "export_hash": "sha256:" + export_hash,
    "signed_at": 1767229300,
    "agent_id": agent_id(a),
    "signing_algorithm": "Ed25519",
    "signature": b64(a.sign(export_hash.encode("utf-8"))),
}
(HERE / "chain.json.cert").write_text(json.dumps(side, indent=2))

# 3. External CA attestation: json.dumps(sort_keys=True) signed by the CA; no hash of the audit.
request_id = "CERT-20260101-0000ABCD"
attestation = {
    "version": "PIQRYPT-ATTESTATION-1.0",
    "certificate_id": "PIQRYPT-" + request_id,
    "request_id": request_id,
    "certified_at": "2026-01-01T01:05:00+00:00",
    "certified_by": "PiQrypt Inc.",
    "ca_id": "piqrypt-ca-test",
    "verification_results": {
        "agent_signature": "valid",
        "chain_integrity": "valid",
        "export_hash": "valid",
        "events_count": len(audit["events"]),
    },
    "legal_statement": "Test attestation generated for the Handshake test suite.",
}
attestation["ca_signature"] = b64(ca.sign(json.dumps(attestation, sort_keys=True).encode()))
external = {
    "version": "PIQRYPT-CERTIFIED-1.0",
    "audit": audit,
    "agent_certification": side,
    "piqrypt_attestation": attestation,
}
(HERE / "external.piqrypt-certified").write_text(json.dumps(external, indent=2))


# 4. Tier bundles: certificate over json.dumps(sort_keys=True), audit_hash over json.dumps of the
#    parsed audit; the timestamp tier adds "tsa" after signing.
def tier_bundle(name, signer, tier, cert_id, with_tsa):
    certificate = {
        "version": "PIQRYPT-CERT-1.0",
        "cert_id": cert_id,
        "tier": tier,
        "audit_hash": "sha256:" + hashlib.sha256(json.dumps(audit, sort_keys=True).encode()).hexdigest(),
        "agent_id": audit.get("agent_id", "unknown"),
        "events_count": len(audit["events"]),
        "certified_at": 1767229400,
        "certified_by": {"authority": "PiQrypt Inc.", "ca_agent_id": agent_id(signer)},
    }
    signature = signer.sign(json.dumps(certificate, sort_keys=True).encode())
    certificate["ca_signature"] = "base64:" + b64(signature)
    files = {
        "audit.json": json.dumps(audit, indent=2).encode(),
        "badge.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
        "SNIPPETS.txt": ("Badge snippets for " + cert_id + "\n").encode(),
    }
    if with_tsa:
        certificate["tsa"] = {"url": "http://freetsa.org/tsr", "token_size": 5}
        files["tsa_token.tsr"] = b"\x30\x03\x02\x01\x00"
    files["certificate.json"] = json.dumps(certificate, indent=2).encode()
    with zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as zf:
        for file_name in sorted(files):
            info = zipfile.ZipInfo(file_name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[file_name])


tier_bundle("tier-timestamp.piqrypt-certified", ca, "timestamp", "CERT-20260101-A1B2C3", True)
tier_bundle("tier-simple-self.piqrypt-certified", a, "simple", "CERT-20260101-D4E5F6", False)


# 5. Authority statements: acme_corp (root key) -> agent A ("operate") -> agent B ("execute_order").
def statement(issuer_key, issuer_id, subject_id, scope, statement_id, start, days):
    body = {
        "version": "AISS-1.0",
        "statement_id": statement_id,
        "issuer_id": issuer_id,
        "subject_id": subject_id,
        "scope": sorted(scope),
        "validity_period": {"start": start, "end": start + days * 86400},
    }
    body["signature"] = b64(issuer_key.sign(reference_canonical(body)))
    return body


b_id = agent_id(ca)
chain = [
    statement(root, "acme_corp", agent_id(a), ["operate"], "00000000-0000-4000-8000-0000000000a1", 1767225600, 365),
    statement(a, agent_id(a), b_id, ["execute_order"], "00000000-0000-4000-8000-0000000000a2", 1767225600, 30),
]
(HERE / "authority-chain.json").write_text(json.dumps(
    {"root_id": "acme_corp", "root_public_key": b64(raw_public(root)), "statements": chain}, indent=2))
