/* SPDX-License-Identifier: MIT */
/*
 * watch's journal records folded into what audit says (see watch-summary.h).
 * Records come newest first, as the agent reads the journal backwards from
 * its tail: the first flush read is the last one, and the oldest real heal
 * read before it is the heal that answered it.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parse-util.h"
#include "utf8.h"
#include "watch-summary.h"

static bool is(const char *value, const char *word) {
        return value && strcmp(value, word) == 0;
}

/* value as a string for JSON: NULL for an absent or empty one; a byte that
 * is not UTF-8 (a process may name itself anything) becomes '?', so the
 * host's document can always be written. *ret is NULL or a new string. */
static int text_copy(const char *value, char **ret) {
        char *copy;

        *ret = NULL;
        if (!value || !*value)
                return 0;
        copy = strdup(value);
        if (!copy)
                return -ENOMEM;
        if (!tether_utf8_is_valid(copy, strlen(copy)))
                for (char *p = copy; *p; p++)
                        if ((unsigned char)*p >= 0x80)
                                *p = '?';
        *ret = copy;
        return 0;
}

static long long heal_ms_of(const struct tether_watch_record *record) {
        unsigned ms;

        return tether_parse_unsigned(record->heal_ms, 0, UINT_MAX, &ms) == 0 ? (long long)ms : -1;
}

static int take_flush(struct tether_watch_summary *summary, const struct tether_watch_record *record) {
        unsigned pid = 0;
        int r;

        r = text_copy(record->culprit, &summary->culprit);
        if (r >= 0)
                r = text_copy(record->culprit_unit, &summary->culprit_unit);
        if (r < 0)
                return r;
        (void)tether_parse_unsigned(record->culprit_pid, 0, UINT_MAX, &pid);
        summary->culprit_pid = pid;
        summary->heal_ms = summary->newer_heal_ms;
        summary->flush_seen = true;
        return 0;
}

int tether_watch_summary_add(struct tether_watch_summary *summary,
                             const struct tether_watch_record *record) {
        /* A real heal is a heal record whose action is "healed": docker was
         * restarted and Docker's rules were all back. "still-missing" (the
         * restart did not bring them back) and "failed" (the restart or the
         * look after it failed) healed nothing. */
        if (is(record->event, "heal") && is(record->action, "healed")) {
                summary->heals++;
                if (summary->last_heal_usec == 0)
                        summary->last_heal_usec = record->realtime_usec;
                if (!summary->flush_seen)
                        summary->newer_heal_ms = heal_ms_of(record);
                return 0;
        }
        if (is(record->event, "flush") && !summary->flush_seen)
                return take_flush(summary, record);
        return 0;
}

void tether_watch_summary_clear(struct tether_watch_summary *summary) {
        free(summary->culprit);
        free(summary->culprit_unit);
        *summary = (struct tether_watch_summary)TETHER_WATCH_SUMMARY_INIT;
}

bool tether_watch_installed(const struct tether_unit *unit) {
        return tether_unit_exists(unit) && !is(unit->load_state, "masked");
}

static json_t *timestamp_to_json(uint64_t usec) {
        time_t seconds = (time_t)(usec / 1000000ULL);
        char text[32];
        struct tm tm;

        if (usec == 0 || !gmtime_r(&seconds, &tm) ||
            strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                return json_null();
        return json_string(text);
}

static json_t *string_or_null(const char *s) {
        return s ? json_string(s) : json_null();
}

static json_t *culprit_to_json(const struct tether_watch_summary *summary) {
        if (!summary->flush_seen)
                return json_null();
        return json_pack("{s:o, s:o, s:o}", "name", string_or_null(summary->culprit), "pid",
                         summary->culprit_pid ? json_integer(summary->culprit_pid) : json_null(), "unit",
                         string_or_null(summary->culprit_unit));
}

json_t *tether_watch_to_json(const struct tether_unit *unit, const struct tether_watch_summary *summary,
                             bool polled) {
        static const struct tether_watch_summary none = TETHER_WATCH_SUMMARY_INIT;
        bool installed = tether_watch_installed(unit);

        /* Records of a watch that was removed are not this host's watch. */
        if (!installed || !summary)
                summary = &none;
        return json_pack("{s:b, s:b, s:o, s:I, s:o, s:o, s:o, s:o}", "installed", installed, "active",
                         installed && tether_unit_is_active(unit), "active_state",
                         installed ? json_string(unit->active_state) : json_null(), "heals_24h",
                         (json_int_t)summary->heals, "last_heal", timestamp_to_json(summary->last_heal_usec),
                         "last_culprit", culprit_to_json(summary), "last_heal_ms",
                         summary->heal_ms < 0 ? json_null() : json_integer(summary->heal_ms), "sees",
                         !installed ? json_null() : json_string(polled ? "polled" : "events"));
}
