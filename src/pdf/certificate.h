/*
 * The certificate of an award as a PDF: one A4 page, landscape, saying who the provider is, who
 * was awarded which qualification and when, the certificate's number and where anyone can check
 * it. What it says comes from awards_certificate (app/awards.h); only the drawing is here.
 */
#ifndef NPQ_PDF_CERTIFICATE_H
#define NPQ_PDF_CERTIFICATE_H

#include "domain/transcript.h"
#include "lib/buf.h"

#include <stdbool.h>

/* Appends the certificate to out (initialised by the caller, at most PDF_MAX_BYTES is enough).
 * False when it could not be drawn whole. */
bool pdf_certificate(const struct certificate *certificate, struct buf *out);

#endif
