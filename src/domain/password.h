/*
 * What a password must be, following NCSC guidance: long (at least 12 characters), not one of
 * the passwords people use most (checked against a list of about 49,000), and not built from the
 * person's own email address or name. No composition rules: they make passwords worse.
 */
#ifndef NPQ_DOMAIN_PASSWORD_H
#define NPQ_DOMAIN_PASSWORD_H

#include "lib/errors.h"

enum { PASSWORD_MIN_CHARACTERS = 12, PASSWORD_MAX_BYTES = 256 };

/* Adds an error at field "password" for each rule broken. email and name may be NULL. */
void password_check(const char *password, const char *email, const char *name, struct errors *errors);

#endif
