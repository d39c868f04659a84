/* SPDX-License-Identifier: MIT */
#pragma once

#include "options.h"

/* tether audit|apply|test|revert: argv[0] is the verb. Returns the exit
 * status (>= 0), or a negative errno for a usage or setup error. */
int cmd_run(struct options *options, int argc, char **argv);
