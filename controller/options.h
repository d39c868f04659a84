/* SPDX-License-Identifier: MIT */
/*
 * What the command line of tether asked for, filled in by main.c's
 * parse_argv() and read by the verbs.
 */
#pragma once

#include <stdbool.h>

#include "inventory.h"

enum output_format {
        OUTPUT_TEXT,
        OUTPUT_JSON,
        OUTPUT_NAMES,
};

struct options {
        const char *inventory_path;         /* -i, or $TETHER_INVENTORY */
        enum output_format format;          /* inventory: --json, --names */
        struct tether_inventory *inventory; /* loaded by the dispatcher for NEEDS_INVENTORY verbs */
};
