/* SPDX-License-Identifier: MIT */
/*
 * What tether-agent watch did on a host lately, as audit reports it
 * (docs/watch.md, "What audit says"): its journal records of the last 24
 * hours, read newest first, folded into a few numbers, and those numbers
 * with watch's unit as the `watch` object of tether.host/1:
 *
 *   {"installed": true, "active": true, "active_state": "active",
 *    "heals_24h": 2, "last_heal": "2026-12-02T13:02:11Z",
 *    "last_culprit": {"name": "nft", "pid": 4242, "unit": "session-3.scope"},
 *    "last_heal_ms": 2488}
 *
 * Pure: the agent reads the journal (agent/journal.c), this decides what
 * the records mean.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"

#define TETHER_WATCH_UNIT "tether-watch.service"
/* How far back audit looks, and how many records it reads at most: a
 * watch heals at most 60 times an hour (--max-heals-per-hour), so a day of
 * real heals and their flushes fits, and a flood of reported flushes
 * (--heal=report) costs no more than that. */
#define TETHER_WATCH_WINDOW_USEC (24ULL * 3600ULL * 1000000ULL)
#define TETHER_WATCH_RECORDS_MAX 4096u

/* One journal record of watch's (journal_log_watch()): each field as the
 * journal holds it, NULL when absent. */
struct tether_watch_record {
        uint64_t realtime_usec;
        const char *event;        /* TETHER_WATCH_EVENT: flush, heal, backoff */
        const char *action;       /* TETHER_WATCH_ACTION */
        const char *culprit;      /* TETHER_WATCH_CULPRIT: "" unknown */
        const char *culprit_pid;  /* TETHER_WATCH_CULPRIT_PID: "0" unknown */
        const char *culprit_unit; /* TETHER_WATCH_CULPRIT_UNIT: "" unknown */
        const char *heal_ms;      /* TETHER_WATCH_HEAL_MS: "" when the rules did not come back */
};

/* The records folded. Owns its strings (tether_watch_summary_clear()). */
struct tether_watch_summary {
        unsigned heals;          /* heal records that are real heals (below) */
        uint64_t last_heal_usec; /* the newest of them; 0: none */
        bool flush_seen;         /* a flush record was read: the culprit is the newest flush's */
        char *culprit;           /* its process by name; NULL: not known */
        unsigned culprit_pid;    /* 0: not known */
        char *culprit_unit;      /* NULL: not known */
        long long heal_ms;       /* of the heal that brought the rules back after that flush; -1: none */
        long long newer_heal_ms; /* while reading: the oldest real heal's heal_ms read so far */
};

#define TETHER_WATCH_SUMMARY_INIT \
        { .heal_ms = -1, .newer_heal_ms = -1 }

/* Folds in one record; records come newest first. 0, or -ENOMEM. */
int tether_watch_summary_add(struct tether_watch_summary *summary, const struct tether_watch_record *record);

/* Frees the strings, and leaves an empty summary. */
void tether_watch_summary_clear(struct tether_watch_summary *summary);

/* Whether watch's unit is installed: it exists and is not masked. */
bool tether_watch_installed(const struct tether_unit *unit);

/* The `watch` object of tether.host/1 (docs/schema.md): from the unit
 * (NULL: not looked up, which reads as not installed) and the summary,
 * which counts only where the unit is installed; polled: the host's
 * iptables is iptables-legacy, whose tables watch reads every second
 * ("sees": "polled"; else "events"). A new reference, or NULL when out of
 * memory. */
json_t *tether_watch_to_json(const struct tether_unit *unit, const struct tether_watch_summary *summary,
                             bool polled);
