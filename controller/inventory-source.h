/* SPDX-License-Identifier: MIT */
/*
 * Where an inventory comes from (see inventory-source.c).
 */
#pragma once

#include "error.h"
#include "inventory.h"

/* Loads the inventory of -i PATH ("-": standard input). A file that is not
 * JSON (an Ansible INI or YAML inventory, a directory of them) is read
 * through `ansible-inventory --inventory=PATH --list` when that is on PATH,
 * as Ansible itself reads it (group_vars, plugins and vault included).
 * Returns 0 and a new inventory in *ret (untouched on failure), or the
 * codes of tether_inventory_load(), with -EINVAL where a file is not JSON
 * and cannot be read through ansible-inventory (the message says why, and
 * what to do). */
int inventory_source_load(const char *path, struct tether_inventory **ret, struct tether_error *error);
