/*
 * HTML pages: one file per area, each a set of handlers named in the route table.
 */
#ifndef NPQ_PAGES_PAGES_H
#define NPQ_PAGES_PAGES_H

#include "http/request.h"

void page_home(struct request *request);
void page_qualifications(struct request *request);
void page_qualification(struct request *request);
void page_module(struct request *request);
void page_frameworks(struct request *request);
void page_framework(struct request *request);

#endif
