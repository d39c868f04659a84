/* SPDX-License-Identifier: MIT */
/*
 * The verdict table of verdict.h, as code.
 */
#include <errno.h>
#include <string.h>

#include "macro.h"
#include "verdict.h"

static const char *const verdict_names[] = {
        [TETHER_VERDICT_PROTECTED] = "protected",
        [TETHER_VERDICT_VULNERABLE] = "vulnerable",
        [TETHER_VERDICT_BROKEN] = "broken",
        [TETHER_VERDICT_NOT_APPLICABLE] = "not-applicable",
        [TETHER_VERDICT_RELOAD_VULNERABLE] = "reload-vulnerable",
        [TETHER_VERDICT_START_BLOCKED] = "start-blocked",
};

enum tether_verdict tether_verdict_decide(const struct tether_verdict_facts *facts) {
        if (facts->docker_installed && facts->docker_active && facts->rules_missing > 0)
                return TETHER_VERDICT_BROKEN;
        if (!facts->docker_installed || (!facts->docker_active && !facts->docker_enabled))
                return TETHER_VERDICT_NOT_APPLICABLE;
        if (facts->blocking_units > 0)
                return TETHER_VERDICT_START_BLOCKED;
        if (facts->docker_makes_no_rules)
                return TETHER_VERDICT_NOT_APPLICABLE;
        if (facts->flushing_units == 0)
                return TETHER_VERDICT_NOT_APPLICABLE;
        if (facts->flushing_untied > 0)
                return TETHER_VERDICT_VULNERABLE;
        if (facts->reload_uncovered > 0)
                return TETHER_VERDICT_RELOAD_VULNERABLE;
        return TETHER_VERDICT_PROTECTED;
}

const char *tether_verdict_to_string(enum tether_verdict verdict) {
        return verdict_names[verdict];
}

int tether_verdict_from_string(const char *s, enum tether_verdict *ret) {
        int i = string_table_lookup(verdict_names, ELEMENTSOF(verdict_names), s);

        if (i < 0)
                return -EINVAL;
        *ret = (enum tether_verdict)i;
        return 0;
}
