/*
 * Secrets: random tokens, what the database keeps of them, MACs, password hashes and comparing
 * secrets in constant time. All through libsodium.
 *
 * A token (session cookie, API token, reset link) is 32 random bytes written as base64url; the
 * database keeps only its SHA-256, so a copy of the database does not let anyone sign in.
 */
#ifndef NPQ_LIB_SECRET_H
#define NPQ_LIB_SECRET_H

#include <stdbool.h>
#include <stddef.h>

enum {
    SECRET_TOKEN_TEXT = 44, /* 43 base64url characters and a NUL */
    SECRET_HASH_BYTES = 32,
    SECRET_KEY_BYTES = 32,
    SECRET_PASSWORD_HASH_TEXT = 128, /* crypto_pwhash_STRBYTES */
};

/* A new random token. */
void secret_token_new(char out[SECRET_TOKEN_TEXT]);

/* The SHA-256 of a token's text: the form the database stores and looks tokens up by. */
void secret_token_hash(const char *token, unsigned char out[SECRET_HASH_BYTES]);

/* HMAC-SHA-256 of message under key, as base64url text. */
void secret_mac(const unsigned char key[SECRET_KEY_BYTES], const char *message, char out[SECRET_TOKEN_TEXT]);

/* Compares two secrets without leaking where they differ. */
bool secret_equal(const char *a, const char *b);

/*
 * Hashes a password with Argon2id (t=2, m=19 MiB: OWASP's recommended minimum, about 25 ms
 * here). Returns false only when memory runs out.
 */
bool secret_password_hash(const char *password, char out[SECRET_PASSWORD_HASH_TEXT]);

/* True when password matches hash. A NULL hash (no password set) never matches, but still
 * takes as long as a real check so response times do not reveal which accounts exist. */
bool secret_password_verify(const char *hash, const char *password);

#endif
