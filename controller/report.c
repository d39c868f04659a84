/* SPDX-License-Identifier: MIT */
/*
 * The run's report, schema tether.report/1 (docs/schema.md), the source of
 * truth every other rendering is made from:
 *
 *   {"schema": "tether.report/1", "tool": {"name": "tether", "version": "0.1.0"},
 *    "run_id": "20261127T194650Z-5f3a9c", "verb": "apply", "options": {...},
 *    "started_at": "...", "finished_at": "...", "interrupted": false,
 *    "summary": {"hosts": 3, "by_verdict": {"protected": 2, "unreachable": 1},
 *                "changed": 2, "failed": 1, "skipped": 0, "uploaded": 0, "may_have_changed": 0,
 *                "agentless": 0},
 *    "hosts": [{"name": "web-01", "address": "203.0.113.10", "verdict": "protected",
 *               "changed": true, "uploaded": false, "mode": "agent", "agent_source": "deployed",
 *               "agent_path": null, "timings_ms": {...}, "error": null, "agent": {...}}]}
 *
 * Written atomically (temp file, fsync, rename), also when interrupted; to
 * stdout for "-", and straight through to anything not a regular file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "pool.h"
#include "report.h"

static json_t *timestamp(time_t when) {
        char buf[32];
        struct tm tm;

        if (!gmtime_r(&when, &tm) || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                return json_null();
        return json_string(buf);
}

bool report_host_failed(const struct host_result *result) {
        if (!result->done || result->skip_reason)
                return false;
        return host_counts_as_failed(
                result->verdict, host_failed(&result->failure),
                test_result_from_string(json_string_value(json_object_get(result->agent, "test_result"))));
}

static json_t *host_to_json(const struct host_result *result) {
        const struct tether_host *host = result->host;
        json_t *tags = json_array(), *json;

        for (size_t i = 0; i < host->n_tags; i++)
                json_array_append_new(tags, json_string(host->tags[i]));

        if (!result->done)
                return json_pack("{s:s, s:s, s:o, s:s, s:s}", "name", host->name, "address", host->address,
                                 "tags", tags, "verdict", host_verdict_to_string(HOST_VERDICT_SKIPPED),
                                 "skip_reason", result->skip_reason ? result->skip_reason : "not started");

        /* Agentless, no agent ran: none is named (an agent that could not run
         * here may still have been uploaded first, under --mode auto). */
        json = json_pack("{s:s, s:s, s:o, s:s, s:b, s:b, s:s, s:s?, s:s?, s:i, s:{s:I, s:I, s:I, s:I}}",
                         "name", host->name, "address", host->address, "tags", tags, "verdict",
                         host_verdict_to_string(result->verdict ? result->verdict : HOST_VERDICT_ERROR),
                         "changed", result->changed, "uploaded", result->uploaded, "mode",
                         result->agentless ? "agentless" : "agent", "agent_source",
                         result->agentless         ? NULL
                         : result->installed_agent ? "installed"
                                                   : "deployed",
                         "agent_path", result->installed_agent, "agent_exit", (json_int_t)result->agent_exit,
                         "timings_ms", "connect", (json_int_t)result->connect_ms, "upload",
                         (json_int_t)result->upload_ms, "agent", (json_int_t)result->agent_ms, "total",
                         (json_int_t)result->total_ms);
        if (!json)
                return NULL;
        json_object_set_new(json, "error",
                            host_failed(&result->failure)
                                    ? json_pack("{s:s, s:s}", "stage",
                                                host_stage_to_string(result->failure.stage), "message",
                                                result->failure.message)
                                    : json_null());
        if (result->cut_off.step)
                json_object_set_new(json, "cut_off",
                                    json_pack("{s:s, s:I, s:s, s:b}", "step", result->cut_off.step,
                                              "after_ms", (json_int_t)result->cut_off.after_ms, "agent",
                                              agent_fate_to_string(result->cut_off.agent),
                                              "may_have_changed", result->cut_off.may_have_changed));
        if (result->skip_reason)
                json_object_set_new(json, "skip_reason", json_string(result->skip_reason));
        json_object_set(json, "agent", result->agent ? result->agent : json_null());
        return json;
}

/* Whether a host of a report counts as failed: the same rule as
 * report_host_failed(), read from the report, where a verdict tether does
 * not know is neither skipped nor unreachable nor broken. */
static bool host_json_failed(const json_t *host) {
        const char *verdict_name = json_string_value(json_object_get(host, "verdict"));
        enum host_verdict verdict = HOST_VERDICT_NONE;

        if (!verdict_name)
                return false;
        (void)host_verdict_from_string(verdict_name, &verdict);
        return host_counts_as_failed(verdict, json_is_object(json_object_get(host, "error")),
                                     test_result_from_string(json_string_value(json_object_get(
                                             json_object_get(host, "agent"), "test_result"))));
}

static bool ran_agentless(const json_t *host) {
        const char *mode = json_string_value(json_object_get(host, "mode"));

        return mode && strcmp(mode, "agentless") == 0;
}

int report_tally_add(struct report_tally *tally, const json_t *host) {
        const char *verdict = json_string_value(json_object_get(host, "verdict"));
        json_t *count;

        if (!tally->by_verdict && !(tally->by_verdict = json_object()))
                return -ENOMEM;
        if (!verdict)
                verdict = host_verdict_to_string(HOST_VERDICT_ERROR);
        count = json_object_get(tally->by_verdict, verdict);
        if (json_object_set_new(tally->by_verdict, verdict,
                                json_integer(count ? json_integer_value(count) + 1 : 1)) < 0)
                return -ENOMEM;
        tally->hosts++;
        tally->changed += json_is_true(json_object_get(host, "changed"));
        tally->uploaded += json_is_true(json_object_get(host, "uploaded"));
        tally->agentless += ran_agentless(host);
        tally->skipped += strcmp(verdict, host_verdict_to_string(HOST_VERDICT_SKIPPED)) == 0;
        tally->failed += host_json_failed(host);
        /* An agent whose run was cut off, and what it did is not known. */
        tally->may_have_changed +=
                json_is_true(json_object_get(json_object_get(host, "cut_off"), "may_have_changed"));
        return 0;
}

json_t *report_tally_summary(struct report_tally *tally) {
        json_t *by_verdict = tally->by_verdict ? tally->by_verdict : json_object();

        tally->by_verdict = NULL;
        return json_pack("{s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "hosts", (json_int_t)tally->hosts,
                         "by_verdict", by_verdict, "changed", (json_int_t)tally->changed, "failed",
                         (json_int_t)tally->failed, "skipped", (json_int_t)tally->skipped, "uploaded",
                         (json_int_t)tally->uploaded, "may_have_changed",
                         (json_int_t)tally->may_have_changed, "agentless", (json_int_t)tally->agentless);
}

void report_tally_clear(struct report_tally *tally) {
        json_decref(tally->by_verdict);
        *tally = (struct report_tally){};
}

json_t *report_summary(const json_t *hosts) {
        struct report_tally tally = {};
        const json_t *host;
        size_t i;

        json_array_foreach(hosts, i, host) {
                if (report_tally_add(&tally, host) < 0) {
                        report_tally_clear(&tally);
                        return NULL;
                }
        }
        return report_tally_summary(&tally);
}

json_t *report_build(const struct report_info *info, struct host_result *const *results, size_t n) {
        json_t *hosts = json_array(), *report;

        for (size_t i = 0; i < n; i++) {
                const struct host_result *result = results[i];

                /* A host still running when the run was aborted counts as not done. */
                if (!pool_result_done(result))
                        json_array_append_new(
                                hosts, host_to_json(&(struct host_result){
                                               .host = result->host,
                                               .skip_reason = result->skip_reason ? result->skip_reason
                                                              : pool_result_started(result)
                                                                      ? "interrupted while it ran"
                                                                      : "not started: interrupted",
                                       }));
                else
                        json_array_append_new(hosts, host_to_json(result));
        }

        report = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:O, s:o, s:o, s:I, s:b}", "schema",
                           "tether.report/1", "tool", "name", "tether", "version", TETHER_VERSION, "run_id",
                           info->run_id, "verb", info->verb, "inventory", info->inventory, "options",
                           info->options, "started_at", timestamp(info->started), "finished_at",
                           timestamp(time(NULL)), "duration_ms", (json_int_t)info->duration_ms,
                           "interrupted", info->interrupted);
        if (!report) {
                json_decref(hosts);
                return NULL;
        }
        json_object_set_new(report, "summary", report_summary(hosts));
        json_object_set_new(report, "hosts", hosts);
        return report;
}

bool report_output_is_stdout(const char *path) {
        struct stat output, out;

        if (strcmp(path, "-") == 0)
                return true;
        return stat(path, &output) == 0 && fstat(STDOUT_FILENO, &out) == 0 && output.st_dev == out.st_dev &&
               output.st_ino == out.st_ino;
}

int report_output_write(const char *path, const char *text, struct tether_error *error) {
        if (report_output_is_stdout(path)) {
                /* Through stdout itself, after what it holds: another open
                 * of the same file would write from its start. */
                if (fputs(text, stdout) == EOF || fflush(stdout) == EOF)
                        return tether_error_set(error, -EIO, "cannot write %s: %s", path, strerror(errno));
                return 0;
        }
        return tether_write_output(path, text, error);
}

int report_write(const char *path, const json_t *report, struct tether_error *error) {
        _cleanup_free_ char *text = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        _cleanup_free_ char *with_newline = NULL;

        if (!text || asprintf(&with_newline, "%s\n", text) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory writing the report");
        return report_output_write(path, with_newline, error);
}
