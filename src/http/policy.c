#include "http/policy.h"

const char *permission_name(enum permission permission)
{
    switch (permission) {
    case PERM_PUBLIC: return "public";
    }
    return "unknown";
}
