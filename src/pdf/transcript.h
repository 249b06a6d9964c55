/*
 * A participant's transcript as a PDF: A4 portrait, as many pages as it needs. The modules they
 * completed with dates, the hours logged against each (and how many of them are verified), the
 * Master's credits each is worth, and the qualifications awarded with their certificate numbers
 * and verification addresses. What it says comes from awards_transcript (app/awards.h).
 */
#ifndef NPQ_PDF_TRANSCRIPT_H
#define NPQ_PDF_TRANSCRIPT_H

#include "domain/transcript.h"
#include "lib/buf.h"

#include <stdbool.h>

/* Appends the transcript to out. False when it could not be drawn whole. */
bool pdf_transcript(const struct transcript *transcript, struct buf *out);

#endif
