-- Several nodes must hash pairing codes and tokens with one pepper (issue 7). The first node to
-- open the database records the fingerprint of its pepper (HMAC-SHA256 under the pepper of a fixed
-- label, never the pepper itself); every later node compares its own with it and refuses to start
-- on a mismatch. One row at most.
CREATE TABLE pairing_pepper_check (
    id          smallint    PRIMARY KEY CHECK (id = 0),
    fingerprint text        NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz NOT NULL DEFAULT now() -- when the first node recorded it (for operators)
);
