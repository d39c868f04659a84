/* SPDX-License-Identifier: MIT */
#pragma once

#include "options.h"

struct verb;

/* tether inventory: print the inventory as tether reads it. */
int cmd_inventory(const struct verb *verb, struct options *options, int argc, char **argv);
