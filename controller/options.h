/* SPDX-License-Identifier: MIT */
/*
 * What the command line of tether asked for, filled in by main.c's
 * parse_argv() and read by the verbs.
 */
#pragma once

#include <stdbool.h>

#include <jansson.h>

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

        unsigned parallel;       /* -j */
        const char *limit;       /* --limit PATTERN */
        const char *report_path; /* --report FILE, or $TETHER_REPORT */
        unsigned connect_timeout_sec;
        unsigned host_timeout_sec;
        const char *user;
        const char *identity_file;
        const char *known_hosts;
        const char *ssh_config; /* --ssh-config FILE, or $TETHER_SSH_CONFIG */
        bool accept_new_host_keys;
        const char *sudo_password_file;
        bool ask_sudo_password;
        const char *agent_path; /* --agent FILE */
        bool quiet;
        const char *shard;         /* --shard K/N */
        const char *junit_path;    /* --junit FILE */
        const char *markdown_path; /* --markdown FILE */
        const char *html_path;     /* --html FILE */
        const char *render_format; /* report render --format */
        const char *output_path;   /* report: -o FILE */

        /* apply */
        bool check;
        bool heal;
        const char *policy; /* bind, follow; NULL: the agent's default */
        const char *firewall;
        /* test */
        bool yes;
        const char *scenario;
        const char *batch;    /* N or N% after the canary */
        const char *max_fail; /* N or N% */
        /* audit */
        const char *fail_on; /* comma-separated verdicts that fail the run */
};
