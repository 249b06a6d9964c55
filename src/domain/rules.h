/*
 * Qualification rules in words a participant understands.
 *
 * The rule itself is data (struct catalogue_rule); this module explains it. Later rule checks
 * (electives chosen, credits, award) live here too, all pure functions of their inputs.
 */
#ifndef NPQ_DOMAIN_RULES_H
#define NPQ_DOMAIN_RULES_H

#include "domain/catalogue.h"

#include <stddef.h>

/*
 * Writes the module structure in words, e.g. "2 essential and 2 elective modules" or
 * "1 essential module", into out (always NUL-terminated, truncated to size).
 */
void rules_describe_modules(const struct catalogue_rule *rule, char *out, size_t size);

/*
 * Writes the event requirement in words, e.g. "4 face-to-face events (4 virtual live events when
 * studied online)", or "" when the rule asks for none.
 */
void rules_describe_events(const struct catalogue_rule *rule, char *out, size_t size);

#endif
