/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdio.h>

#include "inventory.h"
#include "options.h"

struct verb;

/* tether inventory: print the inventory as tether reads it. */
int cmd_inventory(const struct verb *verb, struct options *options, int argc, char **argv);

/* The table of hosts that `tether inventory` prints, to out. */
void cmd_inventory_print_table(FILE *out, const struct tether_host *const *hosts, size_t n_hosts);
