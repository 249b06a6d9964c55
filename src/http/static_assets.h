/*
 * Front-end assets (govuk-frontend's CSS, JavaScript, fonts and images, and npq's own), compiled
 * into the binary and served under /assets/ with their MIME type, an ETag and a year-long cache:
 * fonts and images carry a hash in their names and pages link CSS and JavaScript with
 * ?v=ASSETS_VERSION, so a changed file always has a new address.
 */
#ifndef NPQ_HTTP_STATIC_ASSETS_H
#define NPQ_HTTP_STATIC_ASSETS_H

#include "http/request.h"

/* A version string that changes whenever any asset does; computed on first use. */
const char *static_assets_version(void);

/* Handler for GET /assets/{path*}. */
void static_assets_serve(struct request *request);

/* The MIME type for a file name, by its extension. */
const char *static_assets_mime_type(const char *name);

#endif
