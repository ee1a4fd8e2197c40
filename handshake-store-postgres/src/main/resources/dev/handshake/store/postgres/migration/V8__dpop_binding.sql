-- DPoP (RFC 9449): a device flow started with a proof, and a token issued against one, are bound
-- to the key's RFC 7638 thumbprint. NULL = not bound (a bearer token).
ALTER TABLE pairing_device_flow ADD COLUMN jkt TEXT;
ALTER TABLE pairing_access_token ADD COLUMN jkt TEXT;
