/*
 * The DfE pages: an administrator's page of where npq stands with the DfE (the last sync,
 * declarations due, approved, submitted and refused with the DfE's reasons, statements, the calls
 * made) and its forms, and a person's declarations for their page.
 */
#ifndef NPQ_PAGES_DFE_H
#define NPQ_PAGES_DFE_H

#include "http/request.h"
#include "lib/buf.h"

#include <stdint.h>

void page_admin_dfe(struct request *request);
void page_admin_dfe_sync(struct request *request);
void page_admin_dfe_approve(struct request *request);
void page_admin_dfe_void(struct request *request);
void page_admin_dfe_retry(struct request *request);

/* The declarations made for participant_id, each with its DfE state and any refusal, for the
 * person's page (nothing when there are none). */
void dfe_participant_declarations(struct buf *b, struct request *request, int64_t participant_id);

#endif
