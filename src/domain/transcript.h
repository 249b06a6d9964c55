/*
 * What a participant's certificate and transcript say, as plain data: filled by the awards use
 * cases (app/awards.c) from the store, and drawn by pdf/ or shown by pages and the API. Kept
 * here, below both, so that drawing a document needs nothing of the use cases.
 */
#ifndef NPQ_DOMAIN_TRANSCRIPT_H
#define NPQ_DOMAIN_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a certificate says (and what its public verification confirms): text only, in arena. */
struct certificate {
    const char *provider;
    const char *name;
    const char *qualification; /* the title */
    const char *awarded_on;    /* "23 November 2026" */
    const char *number;
    const char *verify_url;
};
/* A participant's record of study. */
struct transcript_module {
    const char *code;
    const char *title;
    const char *completed_on; /* YYYY-MM-DD */
    int64_t verified_quarter_hours;
    int64_t unverified_quarter_hours;
    bool has_credit; /* a Master's credit equivalence is set for the module */
    int credits;
    const char *awarding_body; /* "" when not named */
};
struct transcript_award {
    int64_t id;
    const char *qualification_code;
    const char *qualification_title;
    const char *certificate_number;
    const char *awarded_on; /* YYYY-MM-DD */
    const char *verify_url;
};
struct transcript {
    int64_t participant_id;
    const char *name;
    const char *provider;
    const char *generated_on;          /* YYYY-MM-DD */
    struct transcript_module *modules; /* completed modules, oldest first */
    size_t module_count;
    int total_credits;
    struct transcript_award *awards; /* oldest first */
    size_t award_count;
};

#endif
