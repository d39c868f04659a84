/* SPDX-License-Identifier: MIT */
#pragma once

#include "options.h"

/* tether inventory: print the inventory as tether reads it. */
int cmd_inventory(struct options *options, int argc, char **argv);
