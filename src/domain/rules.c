#include "domain/rules.h"

#include <stdio.h>

static const char *plural(int n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

void rules_describe_modules(const struct catalogue_rule *rule, char *out, size_t size)
{
    int essential = (int)rule->essential_count;
    int elective = rule->elective_count;
    if (essential > 0 && elective > 0)
        snprintf(out, size, "%d essential and %d elective %s", essential, elective,
                 plural(elective, "module", "modules"));
    else if (essential > 0)
        snprintf(out, size, "%d essential %s", essential, plural(essential, "module", "modules"));
    else if (elective > 0)
        snprintf(out, size, "%d elective %s", elective, plural(elective, "module", "modules"));
    else
        snprintf(out, size, "no modules");
}

void rules_describe_events(const struct catalogue_rule *rule, char *out, size_t size)
{
    int f2f = rule->min_face_to_face_events;
    int virtual = rule->min_virtual_events;
    if (f2f > 0 && virtual > 0)
        snprintf(out, size, "%d face-to-face %s (%d virtual live %s when studied online)", f2f,
                 plural(f2f, "event", "events"), virtual, plural(virtual, "event", "events"));
    else if (f2f > 0)
        snprintf(out, size, "%d face-to-face %s", f2f, plural(f2f, "event", "events"));
    else if (virtual > 0)
        snprintf(out, size, "%d virtual live %s", virtual, plural(virtual, "event", "events"));
    else if (size > 0)
        out[0] = '\0';
}
