-- RFC 3161 tokens beside the audit chain (dev.handshake.audit.tsa.TimestampStore), keyed by event
-- hash. Tokens are several KB, too long for a B-tree key, so uniqueness is on their SHA-256.
CREATE TABLE audit_timestamp (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- order added
  event_hash    text   NOT NULL,
  gen_time_ms   bigint NOT NULL,
  tsa           text   NOT NULL,
  source        text   NOT NULL,
  token         bytea  NOT NULL,
  token_sha256  bytea  GENERATED ALWAYS AS (sha256(token)) STORED,
  UNIQUE (event_hash, token_sha256)
);
