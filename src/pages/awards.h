/*
 * Award pages: the public verification of a certificate, and a participant's transcript as a page
 * and as a PDF. They show what app/awards.h gathers, exactly as the JSON API does
 * (/api/v1/verify/{code}, /api/v1/participants/{id}/transcript).
 */
#ifndef NPQ_PAGES_AWARDS_H
#define NPQ_PAGES_AWARDS_H

#include "http/request.h"

/* /verify/{code}: anyone may confirm a certificate. Shows only what the certificate says (name,
 * qualification, date, number); 404 when no certificate has that code. */
void page_verify(struct request *request);

/* /participants/{id}/transcript: completed modules with dates, hours and credits, and awards. */
void page_transcript(struct request *request);

/* /participants/{id}/transcript.pdf: the same as a PDF document. */
void page_transcript_pdf(struct request *request);

#endif
