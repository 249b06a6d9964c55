/*
 * HTML pages: one file per area, each a set of handlers named in the route table.
 */
#ifndef NPQ_PAGES_PAGES_H
#define NPQ_PAGES_PAGES_H

#include "http/request.h"

/* home_pages.c: the home of each role at /, and /hours */
void page_home(struct request *request);
void page_hours_home(struct request *request);

/* catalogue_pages.c; page_catalogue_home is the home of people not signed in */
void page_catalogue_home(struct request *request);
void page_qualifications(struct request *request);
void page_qualification(struct request *request);
void page_module(struct request *request);
void page_frameworks(struct request *request);
void page_framework(struct request *request);

/* account_pages.c */
void page_sign_in(struct request *request);
void page_sign_in_submit(struct request *request);
void page_sign_out(struct request *request);
void page_sign_out_everywhere(struct request *request);
void page_password_reset(struct request *request);
void page_password_reset_submit(struct request *request);
void page_reset_link(struct request *request);
void page_reset_link_submit(struct request *request);
void page_invitation(struct request *request);
void page_invitation_submit(struct request *request);
void page_account(struct request *request);
void page_account_token_create(struct request *request);
void page_account_token_revoke(struct request *request);

#endif
