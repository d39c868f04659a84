/* SPDX-License-Identifier: MIT */
/*
 * Journal records of the agent's changes, and counting a unit's starts
 * (see journal.h). A start is systemd's "Started ..." entry, message id
 * 39f53479d3a045ac8e11786248231fbf (SD_MESSAGE_UNIT_STARTED), for UNIT=.
 * watch's records are read back for audit by their fields, from the tail.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "journal.h"
#include "sha256.h"

static const char *current_run_id = "";

void journal_set_run_id(const char *run_id) {
        current_run_id = run_id ? run_id : "";
}

static void digest(const char *contents, char hex[TETHER_SHA256_HEX_SIZE]) {
        if (contents)
                tether_sha256_hex(contents, strlen(contents), hex);
        else
                snprintf(hex, TETHER_SHA256_HEX_SIZE, "absent");
}

void journal_log_change(const struct journal_change *change) {
        char before[TETHER_SHA256_HEX_SIZE], after[TETHER_SHA256_HEX_SIZE];

        digest(change->before, before);
        digest(change->after, after);
        (void)sd_journal_send("MESSAGE=%s", change->message, "PRIORITY=%i", LOG_NOTICE,
                              "SYSLOG_IDENTIFIER=tether-agent", "TETHER_VERB=%s", change->verb,
                              "TETHER_ACTION=%s", change->action, "TETHER_UNIT=%s",
                              change->unit ? change->unit : "", "TETHER_FILE=%s",
                              change->file ? change->file : "", "TETHER_BEFORE_SHA256=%s", before,
                              "TETHER_AFTER_SHA256=%s", after, "TETHER_RUN_ID=%s", current_run_id, NULL);
}

void journal_log_watch(const struct journal_watch_event *event) {
        char heal_ms[32] = "";

        if (event->heal_ms >= 0)
                snprintf(heal_ms, sizeof(heal_ms), "%lld", event->heal_ms);
        (void)sd_journal_send(
                "MESSAGE=%s", event->message, "PRIORITY=%i",
                strcmp(event->event, "heal") == 0 ? LOG_NOTICE : LOG_WARNING,
                "SYSLOG_IDENTIFIER=tether-agent", "TETHER_VERB=watch", "TETHER_WATCH_EVENT=%s", event->event,
                "TETHER_WATCH_ACTION=%s", event->action ? event->action : "", "TETHER_WATCH_CULPRIT=%s",
                event->culprit ? event->culprit : "", "TETHER_WATCH_CULPRIT_PID=%u", event->culprit_pid,
                "TETHER_WATCH_CULPRIT_UNIT=%s", event->culprit_unit ? event->culprit_unit : "",
                "TETHER_WATCH_MISSING=%s", event->missing ? event->missing : "", "TETHER_WATCH_DELETED=%u",
                event->changes_deleted, "TETHER_WATCH_ADDED=%u", event->changes_added,
                "TETHER_WATCH_HEAL_MS=%s", heal_ms, "TETHER_WATCH_RETRY_SEC=%u", event->retry_sec, NULL);
}

unsigned journal_count_starts(const char *unit, uint64_t since_usec, uint64_t *ret_times, unsigned max) {
        sd_journal *journal = NULL;
        char match_unit[512];
        unsigned count = 0;

        if (sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM) < 0)
                return 0;
        snprintf(match_unit, sizeof(match_unit), "UNIT=%s", unit);
        if (sd_journal_add_match(journal, "MESSAGE_ID=39f53479d3a045ac8e11786248231fbf", 0) < 0 ||
            sd_journal_add_match(journal, match_unit, 0) < 0 ||
            sd_journal_seek_realtime_usec(journal, since_usec) < 0)
                goto out;
        while (sd_journal_next(journal) > 0) {
                uint64_t when;

                if (sd_journal_get_realtime_usec(journal, &when) < 0 || when < since_usec)
                        continue;
                if (count < max)
                        ret_times[count] = when;
                count++;
        }
out:
        sd_journal_close(journal);
        return count;
}

void journal_log_reload(const char *verb) {
        char message[128];

        snprintf(message, sizeof(message), "tether-agent %s: systemd daemon-reload", verb);
        journal_log_change(&(struct journal_change){
                .verb = verb,
                .action = "reloaded",
                .message = message,
        });
}

/* The value of field in the current entry, NUL-terminated in buffer (cut
 * to its size), or NULL when the entry has no such field. */
static const char *field_value(sd_journal *journal, const char *field, char *buffer, size_t size) {
        size_t prefix = strlen(field) + 1, length;
        const void *data;

        if (sd_journal_get_data(journal, field, &data, &length) < 0 || length < prefix)
                return NULL;
        length -= prefix;
        if (length >= size)
                length = size - 1;
        memcpy(buffer, (const char *)data + prefix, length);
        buffer[length] = '\0';
        return buffer;
}

struct tether_exec_failure journal_stop_failure(const char *unit, uint64_t since_usec) {
        struct tether_exec_failure failure = {.code = 0};
        sd_journal *journal = NULL;
        char match_unit[512];

        if (sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM) < 0)
                return failure;
        snprintf(match_unit, sizeof(match_unit), "UNIT=%s", unit);
        if (sd_journal_add_match(journal, "MESSAGE_ID=" TETHER_MESSAGE_PROCESS_EXIT, 0) < 0 ||
            sd_journal_add_match(journal, match_unit, 0) < 0 ||
            sd_journal_add_match(journal, "COMMAND=ExecStop", 0) < 0 ||
            sd_journal_seek_realtime_usec(journal, since_usec) < 0)
                goto out;
        while (sd_journal_next(journal) > 0) {
                char command[16], code[16], status[16], priority[4];
                uint64_t when;

                if (sd_journal_get_realtime_usec(journal, &when) < 0 || when < since_usec)
                        continue;
                if (tether_test_stop_failed(field_value(journal, "COMMAND", command, sizeof(command)),
                                            field_value(journal, "EXIT_CODE", code, sizeof(code)),
                                            field_value(journal, "EXIT_STATUS", status, sizeof(status)),
                                            field_value(journal, "PRIORITY", priority, sizeof(priority)),
                                            &failure))
                        break;
        }
out:
        sd_journal_close(journal);
        return failure;
}

static int read_watch_record(sd_journal *journal, struct tether_watch_summary *summary) {
        char event[16], action[32], culprit[64], pid[16], unit[256], heal_ms[24];
        struct tether_watch_record record = {};

        if (sd_journal_get_realtime_usec(journal, &record.realtime_usec) < 0)
                return 0;
        record.event = field_value(journal, "TETHER_WATCH_EVENT", event, sizeof(event));
        record.action = field_value(journal, "TETHER_WATCH_ACTION", action, sizeof(action));
        record.culprit = field_value(journal, "TETHER_WATCH_CULPRIT", culprit, sizeof(culprit));
        record.culprit_pid = field_value(journal, "TETHER_WATCH_CULPRIT_PID", pid, sizeof(pid));
        record.culprit_unit = field_value(journal, "TETHER_WATCH_CULPRIT_UNIT", unit, sizeof(unit));
        record.heal_ms = field_value(journal, "TETHER_WATCH_HEAL_MS", heal_ms, sizeof(heal_ms));
        return tether_watch_summary_add(summary, &record);
}

int journal_read_watch(uint64_t since_usec, unsigned max, struct tether_watch_summary *summary) {
        sd_journal *journal = NULL;
        unsigned n = 0;
        int r;

        r = sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
        if (r < 0)
                return r;
        /* TETHER_VERB=watch AND (a flush OR a heal): back-offs, however many,
         * are not read at all. From the tail back, so the last flush and heal
         * come first and the read stops at the window's start or at max. */
        r = sd_journal_add_match(journal, "TETHER_VERB=watch", 0);
        if (r >= 0)
                r = sd_journal_add_match(journal, "TETHER_WATCH_EVENT=flush", 0);
        if (r >= 0)
                r = sd_journal_add_match(journal, "TETHER_WATCH_EVENT=heal", 0);
        if (r >= 0)
                r = sd_journal_seek_tail(journal);
        while (r >= 0 && n < max && (r = sd_journal_previous(journal)) > 0) {
                uint64_t when;

                if (sd_journal_get_realtime_usec(journal, &when) >= 0 && when < since_usec)
                        break;
                r = read_watch_record(journal, summary);
                n++;
        }
        sd_journal_close(journal);
        return r < 0 ? r : 0;
}
