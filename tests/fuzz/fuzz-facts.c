/* SPDX-License-Identifier: MIT */
/* tether.facts/1 as gathered without the agent, read back and judged: the judge must take any facts. */
#include "facts.h"
#include "fuzz.h"
#include "judge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        json_t *json = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
        struct tether_host_facts *facts = NULL;

        if (json && tether_host_facts_from_json(json, &facts, NULL) == 0) {
                for (int policy = TETHER_POLICY_BIND; policy <= TETHER_POLICY_FOLLOW; policy++) {
                        struct tether_judgement *judgement = NULL;

                        if (tether_judge(facts, (enum tether_policy)policy, policy == 1, &judgement) == 0)
                                tether_judgement_free(judgement);
                }
                json_decref(tether_host_facts_to_json(facts));
                tether_host_facts_free(facts);
        }
        json_decref(json);
        return 0;
}
