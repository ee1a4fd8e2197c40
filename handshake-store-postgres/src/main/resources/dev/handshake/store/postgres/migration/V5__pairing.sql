-- Pairing requests, grants and events (dev.handshake.pairing.PairingTables). Times are epoch
-- milliseconds. Partial unique indexes back the rules: one live request per sender, one live
-- request per code hash.
CREATE TABLE pairing_request (
  request_id       text    PRIMARY KEY,
  channel_type     text    NOT NULL,
  account_id       text    NOT NULL,
  sender_id        text    NOT NULL,
  display_meta     text    NOT NULL,  -- JSON object
  code_hash        text    NOT NULL,  -- HMAC of the code; the code itself is never stored
  created_at       bigint  NOT NULL,
  last_seen_at     bigint  NOT NULL,
  expires_at       bigint  NOT NULL,
  state            text    NOT NULL,
  failed_attempts  integer NOT NULL,
  resolved_by      text,
  resolved_at      bigint,
  superseded_by    text
);
CREATE UNIQUE INDEX pairing_live_sender ON pairing_request (channel_type, account_id, sender_id)
  WHERE state = 'PENDING';
CREATE UNIQUE INDEX pairing_live_code ON pairing_request (code_hash) WHERE state = 'PENDING';
CREATE INDEX pairing_code ON pairing_request (code_hash, created_at);
CREATE INDEX pairing_state_expiry ON pairing_request (state, expires_at);

CREATE TABLE pairing_grant (
  channel_type  text   NOT NULL,
  account_id    text   NOT NULL,
  sender_id     text   NOT NULL,
  request_id    text   NOT NULL,
  approved_by   text   NOT NULL,
  approved_at   bigint NOT NULL,
  scopes        text   NOT NULL,  -- JSON array, sorted
  revoked_at    bigint,
  revoked_by    text,
  PRIMARY KEY (channel_type, account_id, sender_id)
);

CREATE TABLE pairing_event (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type          text   NOT NULL,
  request_id    text   NOT NULL,
  channel_type  text   NOT NULL,
  account_id    text   NOT NULL,
  sender_id     text   NOT NULL,
  actor         text   NOT NULL,
  at            bigint NOT NULL
);
CREATE INDEX pairing_event_at ON pairing_event (at);
