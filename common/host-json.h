/* SPDX-License-Identifier: MIT */
/*
 * A host's facts and what the judge made of them as the document of schema
 * tether.host/1 (docs/schema.md): what the agent prints, and what the
 * controller makes of an agentless host's answer.
 */
#pragma once

#include <jansson.h>

#include "facts.h"
#include "judge.h"

/* A new reference, or NULL when out of memory. The verb's own fields
 * (changed, diff, test) are the caller's to add. */
json_t *tether_host_to_json(const struct tether_host_facts *facts, const struct tether_judgement *judgement);
