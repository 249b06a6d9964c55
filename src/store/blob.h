/*
 * The blob store: the bytes of every file npq keeps, once each, named by their SHA-256 and kept
 * in the database in chunks of BLOB_CHUNK_BYTES (migration 026 says why). A blob is written
 * piece by piece with a running hash, so no caller needs a whole file in memory to keep it, and
 * read by byte range, so a video's range costs only the chunks it touches. Blobs know nothing of
 * who holds them: the files table (store.h, store_file_*) says which record and whose.
 */
#ifndef NPQ_STORE_BLOB_H
#define NPQ_STORE_BLOB_H

#include "store/store.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>

enum { BLOB_CHUNK_BYTES = 256 * 1024, BLOB_SHA256_HEX = crypto_hash_sha256_BYTES * 2 + 1 };

struct blob {
    int64_t id;
    char sha256[BLOB_SHA256_HEX]; /* lower-case hex */
    int64_t size;
    char media_type[128]; /* as detected when it was written */
};

/* A blob being written. Lives on the caller's stack; between begin and end it owns a chunk
 * buffer, released by blob_write_end or blob_write_abandon (exactly one of them). */
struct blob_writer {
    struct store *store;
    int64_t id; /* the pending row */
    int64_t size;
    int64_t seq;
    crypto_hash_sha256_state hash;
    unsigned char *chunk;
    size_t chunk_len;
    bool failed;
};

/* Begins a blob inside the caller's write transaction (store_begin): nothing of it is seen
 * before that commits, and a rollback leaves nothing behind. */
enum store_status blob_write_begin(struct store *store, struct blob_writer *w, int64_t now);

/* Appends len bytes; full chunks go to the database as they fill. */
enum store_status blob_write(struct blob_writer *w, const void *data, size_t len);

/* Finishes the blob: when a blob with the same SHA-256 exists already, the one just written is
 * dropped and *out is the existing one (de-duplication); otherwise *out is the new blob, of
 * media_type. */
enum store_status blob_write_end(struct blob_writer *w, const char *media_type, struct blob *out);

/* Releases the writer of a blob that will not be kept (the caller rolls back). */
void blob_write_abandon(struct blob_writer *w);

/* The blob with this id. */
enum store_status blob_get(struct store *store, int64_t id, struct blob *out);

/* Calls sink with bytes first..last (inclusive, within the blob) in order, in pieces of at most
 * one chunk; each chunk is read by a statement of its own, so no read stays open while sink
 * waits (for a slow client, say). sink returns false to stop: STORE_OK all the same. */
typedef bool (*blob_sink)(void *arg, const void *data, size_t len);
enum store_status blob_read(struct store *store, const struct blob *blob, uint64_t first, uint64_t last, blob_sink sink,
                            void *arg);

/* Deletes the blob when no file row names it any more (after a file row is deleted). */
enum store_status blob_release(struct store *store, int64_t id);

/* How many blobs are kept, and their bytes: for an operator's figures and tests. */
enum store_status blob_totals(struct store *store, int64_t *count, int64_t *bytes);

#endif
