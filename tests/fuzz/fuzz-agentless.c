/* SPDX-License-Identifier: MIT */
/* An agentless host's answer (controller/agentless-gather.sh's sections),
 * whatever it holds, made into facts and judged, and read as a test's
 * answer (controller/agentless-test.sh): a host that answers garbage fails
 * alone, it never crashes the controller. The boundary is
 * the fixtures' (tests/unit/fixtures/agentless), so that the seeds reach
 * past the splitter. */
#include "agentless-facts.h"
#include "agentless-test.h"
#include "fuzz.h"
#include "judge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct tether_sections *sections = NULL;
        struct tether_host_facts *facts = NULL;
        struct tether_judgement *judgement = NULL;

        if (tether_sections_parse((const char *)data, size, "@tether-0123456789abcdef0123456789abcdef",
                                  &sections, NULL) == 0 &&
            tether_agentless_facts(sections, &facts, NULL) == 0 &&
            tether_judge(facts, TETHER_POLICY_BIND, false, &judgement) == 0)
                tether_judgement_free(judgement);
        if (sections && facts) {
                struct agentless_test_options options = {.scenario = TETHER_TEST_SCENARIO_RESTART,
                                                         .wait_seconds = 60};
                json_t *entry = NULL;
                bool passed;

                if (agentless_test_entry(sections, facts, "iptables.service", &options, &entry, &passed,
                                         NULL) == 0)
                        json_decref(entry);
        }
        tether_host_facts_free(facts);
        tether_sections_free(sections);
        return 0;
}
