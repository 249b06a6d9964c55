#include "lib/secret.h"

#include <sodium.h>
#include <string.h>

enum { PASSWORD_OPSLIMIT = 2, PASSWORD_MEMLIMIT = 19 * 1024 * 1024 };

void secret_token_new(char out[SECRET_TOKEN_TEXT])
{
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof(bytes));
    sodium_bin2base64(out, SECRET_TOKEN_TEXT, bytes, sizeof(bytes), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void secret_token_hash(const char *token, unsigned char out[SECRET_HASH_BYTES])
{
    crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

void secret_mac(const unsigned char key[SECRET_KEY_BYTES], const char *message, char out[SECRET_TOKEN_TEXT])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, (const unsigned char *)message, strlen(message), key);
    sodium_bin2base64(out, SECRET_TOKEN_TEXT, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool secret_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb || la == 0)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}

bool secret_password_hash(const char *password, char out[SECRET_PASSWORD_HASH_TEXT])
{
    return crypto_pwhash_str_alg(out, password, strlen(password), PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0;
}

bool secret_password_verify(const char *hash, const char *password)
{
    static char dummy[SECRET_PASSWORD_HASH_TEXT];
    if (hash == NULL || *hash == '\0') {
        /* Burn the same time as a real check; a race to fill dummy only costs a second hash. */
        if (dummy[0] == '\0')
            secret_password_hash("no account has this password", dummy);
        int matched = crypto_pwhash_str_verify(dummy, password, strlen(password));
        (void)matched;
        return false;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
