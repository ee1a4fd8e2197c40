-- Device pairing (dev.handshake.pairing.device.DeviceTables): requests, paired devices, their
-- tokens (HMACs only), bootstrap tokens (HMACs only) and events. Times are epoch milliseconds;
-- role and scope sets are sorted JSON arrays.
CREATE TABLE device_request (
  request_id      text    PRIMARY KEY,
  device_id       text    NOT NULL,
  public_key      text    NOT NULL,
  display_name    text    NOT NULL,
  platform        text    NOT NULL,
  client_id       text    NOT NULL,
  role            text    NOT NULL,
  scopes          text    NOT NULL,
  remote_address  text    NOT NULL,
  created_at      bigint  NOT NULL,
  last_seen_at    bigint  NOT NULL,
  expires_at      bigint  NOT NULL,
  state           text    NOT NULL,
  is_upgrade      boolean NOT NULL,
  resolved_by     text,
  resolved_at     bigint,
  superseded_by   text
);
CREATE UNIQUE INDEX device_live_request ON device_request (device_id) WHERE state = 'PENDING';
CREATE INDEX device_request_expiry ON device_request (state, expires_at);

CREATE TABLE device_paired (
  device_id     text   PRIMARY KEY,
  public_key    text   NOT NULL,
  display_name  text   NOT NULL,
  platform      text   NOT NULL,
  client_id     text   NOT NULL,
  roles         text   NOT NULL,
  scopes        text   NOT NULL,
  paired_at     bigint NOT NULL,
  approved_by   text   NOT NULL,
  updated_at    bigint NOT NULL
);

CREATE TABLE device_token (
  device_id     text    NOT NULL,
  role          text    NOT NULL,
  generation    integer NOT NULL,
  issued_at     bigint  NOT NULL,
  issued_by     text    NOT NULL,
  revoked_at    bigint,
  revoked_by    text,
  last_used_at  bigint,
  token_hash    text    NOT NULL,
  PRIMARY KEY (device_id, role)
);

CREATE TABLE device_bootstrap (
  id            text   PRIMARY KEY,
  issued_at     bigint NOT NULL,
  expires_at    bigint NOT NULL,
  issued_by     text   NOT NULL,
  redeemed_at   bigint,
  redeemed_by   text,
  redeemed_key  text,
  token_hash    text   NOT NULL UNIQUE
);

CREATE TABLE device_event (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type       text   NOT NULL,
  subject    text   NOT NULL,
  device_id  text,
  role       text,
  actor      text   NOT NULL,
  at         bigint NOT NULL
);
CREATE INDEX device_event_at ON device_event (at);
