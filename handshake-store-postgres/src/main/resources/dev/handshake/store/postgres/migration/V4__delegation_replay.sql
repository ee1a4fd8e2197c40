-- Delegation replay memory (dev.handshake.delegation.ReplayStore): (signer, nonce) until until_ms.
-- bytea, not text: signers and nonces are compared byte for byte and may hold NUL, which text
-- cannot.
CREATE TABLE delegation_replay (
  signer    bytea  NOT NULL,
  nonce     bytea  NOT NULL,
  until_ms  bigint NOT NULL,
  PRIMARY KEY (signer, nonce)
);
CREATE INDEX delegation_replay_until ON delegation_replay (until_ms);

-- The number of rows in delegation_replay, kept by the store in the same transaction as each
-- insert and purge, so the bound is exact across nodes without count(*).
CREATE TABLE delegation_replay_count (
  id  int    PRIMARY KEY CHECK (id = 0),
  n   bigint NOT NULL CHECK (n >= 0)
);
INSERT INTO delegation_replay_count (id, n) VALUES (0, 0);
