#include "lib/secret.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

enum { PASSWORD_OPSLIMIT = 2, PASSWORD_MEMLIMIT = 19 * 1024 * 1024 };

/*
 * Each Argon2id hash holds PASSWORD_MEMLIMIT while it runs, and it is pure CPU: more hashes at once
 * than there are cores finish no sooner, they only hold more memory (64 pool threads signing in at
 * once would hold 1.2 GiB). So at most one per core runs; the rest wait their turn.
 */
static sem_t hashing;
static pthread_once_t hashing_once = PTHREAD_ONCE_INIT;

static void hashing_init(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    sem_init(&hashing, 0, cores < 1 ? 1 : cores > 64 ? 64 : (unsigned)cores);
}

static void hashing_enter(void)
{
    pthread_once(&hashing_once, hashing_init);
    while (sem_wait(&hashing) != 0) /* only a signal interrupts it */
        ;
}

static void hashing_leave(void)
{
    sem_post(&hashing);
}

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
    hashing_enter();
    int made = crypto_pwhash_str_alg(out, password, strlen(password), PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT,
                                     crypto_pwhash_ALG_ARGON2ID13);
    hashing_leave();
    return made == 0;
}

bool secret_password_verify(const char *hash, const char *password)
{
    static char dummy[SECRET_PASSWORD_HASH_TEXT];
    if (hash == NULL || *hash == '\0') {
        /* Burn the same time as a real check; a race to fill dummy only costs a second hash. */
        if (dummy[0] == '\0')
            secret_password_hash("no account has this password", dummy);
        hashing_enter();
        int matched = crypto_pwhash_str_verify(dummy, password, strlen(password));
        hashing_leave();
        (void)matched;
        return false;
    }
    hashing_enter();
    int matched = crypto_pwhash_str_verify(hash, password, strlen(password));
    hashing_leave();
    return matched == 0;
}
