/* SPDX-License-Identifier: MIT */
#pragma once

#include "options.h"

struct verb;

/* tether audit|apply|test|revert: argv[0] is the verb. Returns the exit
 * status (>= 0), or a negative errno for a usage or setup error. */
int cmd_run(const struct verb *verb, struct options *options, int argc, char **argv);
