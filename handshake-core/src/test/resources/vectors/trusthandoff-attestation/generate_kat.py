# Known-answer examples for execution attestations (trusthandoff.md §2.12 [0.3.1]).
# Written from the spec text, independently of the reference code; run with Python 3.11 and
# cryptography >= 42:  python3 generate_kat.py ../trusthandoff/keys.json > attestation_kat.json
# The reference has no fixed examples (its tests use random keys, nonces and clocks).
import base64, hashlib, json, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

agent = json.load(open(sys.argv[1]))["agents"]["A"]
key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(agent["seed_hex"]))
raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

def framed(fields):
    return b"TRUSTHANDOFF_EXEC_ATTEST_V3\x00\x01" + b"".join(len(f).to_bytes(4, "big") + f for f in fields)

def example(name, packet_id, result, status, nonce, ts, reason):
    outcome = hashlib.sha256(canonical(result)).digest()
    fingerprint = hashlib.sha256(raw).digest()
    fields = [packet_id.encode(), outcome, status.encode(), nonce.to_bytes(16, "big"),
              ts.to_bytes(8, "big"), fingerprint]
    reason_hash = hashlib.sha256(canonical(reason)).digest() if reason is not None else None
    if reason_hash is not None:
        fields.append(reason_hash)
    payload = framed(fields)
    signature = base64.urlsafe_b64encode(key.sign(payload)).decode().rstrip("=")
    attestation = {"packet_id": packet_id, "status": status, "outcome_hash": outcome.hex(),
                   "nonce": nonce, "timestamp_ms": ts, "signed_by": agent["agent_id"],
                   "agent_pubkey_fingerprint": fingerprint.hex(), "signature": signature,
                   "reason_hash": reason_hash.hex() if reason_hash else None}
    return {"name": name, "signer": "A", "packet_id": packet_id, "status": status, "nonce": nonce,
            "timestamp_ms": ts, "result_json": json.dumps(result, ensure_ascii=False),
            "reason_json": json.dumps(reason) if reason is not None else None,
            "canonical_result": canonical(result).decode(), "signed_bytes_hex": payload.hex(),
            "attestation_json": json.dumps(attestation, separators=(",", ":"))}

cases = [
    example("ok_unicode_nested", "pk-kat-1",
            {"zeta": 1, "alpha": "é 😀 \"q\" \\ \n\u0001/", "nested": {"b": [1, True, None, "ü"], "a": {}},
             "big": 123456789012345678901234567890, "\ue000": "pua", "😀": "astral", "Z": -7},
            "OK", 0x0123456789abcdef0123456789abcdef, 1767268800000, None),
    example("error_with_reason", "pk-kat-2", {"error": "boom", "error_type": "RuntimeError"},
            "ERROR", 42, 1767268800123, {"node_error": True}),
]
print(json.dumps({"note": "Test-only examples; key A of keys.json.", "cases": cases}, indent=2, ensure_ascii=True))
