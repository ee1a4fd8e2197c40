-- The OAuth-style device flow (dev.handshake.pairing.flow.DeviceFlowStore): one row per started
-- flow, keyed by the HMAC of its device code (the code itself is never stored). Epoch millis.
CREATE TABLE pairing_device_flow (
  device_code_hash  text    PRIMARY KEY,
  request_id        text    NOT NULL,
  client_id         text    NOT NULL,
  scopes            text    NOT NULL,  -- sorted, space-separated
  interval_ms       bigint  NOT NULL,
  last_poll_at      bigint,
  expires_at        bigint  NOT NULL,
  issued            boolean NOT NULL
);
CREATE INDEX pairing_device_flow_expiry ON pairing_device_flow (expires_at);

-- Access tokens (dev.handshake.pairing.flow.AccessTokenStore), by HMAC, never the token.
CREATE TABLE pairing_access_token (
  token_hash    text   PRIMARY KEY,
  channel_type  text   NOT NULL,
  account_id    text   NOT NULL,
  sender_id     text   NOT NULL,
  scopes        text   NOT NULL,
  issued_at     bigint NOT NULL,
  expires_at    bigint NOT NULL,
  grant_ref     text   NOT NULL
);
CREATE INDEX pairing_access_token_requester
  ON pairing_access_token (channel_type, account_id, sender_id, issued_at);
CREATE INDEX pairing_access_token_expiry ON pairing_access_token (expires_at);
