-- The leaves of the Merkle transparency log (dev.handshake.audit.log.LogStore): index 0, 1, 2, ...
-- with no gaps, never changed once written.
CREATE TABLE tlog_leaf (
  idx        bigint PRIMARY KEY CHECK (idx >= 0),
  leaf_hash  bytea  NOT NULL CHECK (octet_length(leaf_hash) = 32),
  entry      bytea  NOT NULL
);
