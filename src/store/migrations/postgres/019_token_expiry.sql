-- An API token may carry an end, after which it stops working by itself (NULL: until revoked).
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
