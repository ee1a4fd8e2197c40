-- Agents' signed, hash-chained audit events (dev.handshake.audit.AuditStore), exactly as signed.
CREATE TABLE audit_event (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- first-append order of agents
  agent_id    text   NOT NULL,
  seq         bigint NOT NULL CHECK (seq >= 0),                -- 0, 1, 2, ... per agent
  event_hash  text   NOT NULL,
  event_json  bytea  NOT NULL,                                 -- the exact JSON bytes
  UNIQUE (agent_id, seq)
);

-- The newest signed head per agent; an older one never replaces a newer one.
CREATE TABLE audit_head (
  agent_id    text   PRIMARY KEY,
  event_count bigint NOT NULL,
  head_json   bytea  NOT NULL
);

-- Replay memory of imports: (agent, nonce) until expires_at (epoch seconds). bytea: any string,
-- NUL included, is a key.
CREATE TABLE audit_seen_nonce (
  agent_id    bytea  NOT NULL,
  nonce       bytea  NOT NULL,
  expires_at  bigint NOT NULL,
  PRIMARY KEY (agent_id, nonce)
);
