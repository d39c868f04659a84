/* SPDX-License-Identifier: MIT */
/*
 * Everything tether does for one host, in one SSH connection: connect, check
 * the host key, authenticate, run the cached agent if its digest matches
 * (one exec: the common case), else upload it over SFTP and run it, then
 * read and check its JSON. The remote command is built only from tether's
 * own words (the digest, the verb, options checked to be plain), never from
 * inventory strings, and runs under /bin/sh whatever the login shell:
 *
 *   /bin/sh -c 'A="$HOME/.cache/tether/tether-agent-<sha>";
 *     [ "$(sha256sum <"$A" 2>/dev/null)" = "<sha>  -" ] || exit 97;
 *     exec sudo -n -- "$A" apply --run-id R'
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "deploy.h"
#include "host-job.h"
#include "log.h"
#include "remote.h"
#include "session.h"
#include "strbuf.h"
#include "verdict.h"

#define EXIT_AGENT_MISSING 97

static uint64_t ms_since(uint64_t start) {
        return (tether_now_usec() - start) / 1000;
}

/* sudo as root only costs time: it is skipped for root whatever the
 * inventory says (--user root over an inventory of sudo users). */
static bool wants_sudo(const struct tether_host *host, const char *user) {
        if (user && strcmp(user, "root") == 0)
                return false;
        return host->sudo != 0;
}

/* The inventory's firewall for the host, when it names one and the verb
 * passes it (one whose agent takes --firewall, and none given). */
static const char *host_firewall(const struct run_config *config, const struct tether_host *host) {
        if (!config->inventory_firewall || strcmp(host->firewall, "auto") == 0)
                return NULL;
        return host->firewall;
}

static int build_command(const struct run_config *config, const struct tether_host *host, bool sudo,
                         const char *prompt, char **ret) {
        struct strbuf command = STRBUF_INIT;
        const char *firewall = host_firewall(config, host);

        strbuf_appendf(&command,
                       "/bin/sh -c 'A=\"$HOME/%s/tether-agent-%s\"; "
                       "[ \"$(sha256sum <\"$A\" 2>/dev/null)\" = \"%s  -\" ] || exit %d; exec ",
                       DEPLOY_DIR, config->agent->sha256, config->agent->sha256, EXIT_AGENT_MISSING);
        if (sudo && prompt)
                strbuf_appendf(&command, "sudo -S -p \"%s\" -- ", prompt);
        else if (sudo)
                strbuf_append(&command, "sudo -n -- ");
        strbuf_appendf(&command, "\"$A\" %s --run-id %s", config->verb, config->run_id);
        for (size_t i = 0; config->agent_args && config->agent_args[i]; i++)
                strbuf_appendf(&command, " %s", config->agent_args[i]);
        /* Unit names are checked by the inventory parser; a backslash (systemd's
         * escapes) would still mean something to the shell. */
        if (firewall && !strchr(firewall, '\\'))
                strbuf_appendf(&command, " --firewall %s", firewall);
        strbuf_append(&command, "'");
        *ret = strbuf_steal(&command);
        return *ret ? 0 : -ENOMEM;
}

static const char *first_line(const char *text, char *buf, size_t size) {
        size_t n = 0;

        while (text && text[n] && text[n] != '\n' && n + 1 < size) {
                buf[n] = (text[n] >= 0x20 && text[n] != 0x7f) ? text[n] : '?';
                n++;
        }
        buf[n] = '\0';
        return buf;
}

/* sudo's own failures, from what it printed; -1 when it was one. */
static int judge_sudo(const struct remote_result *run, const char *user, const char *address,
                      struct host_failure *failure) {
        const char *err = run->err.data ? run->err.data : "";

        if (run->wrong_password)
                return fail_host(failure, HOST_STAGE_SUDO,
                                 "sudo on %s refused the password for %s: check the file given "
                                 "with --sudo-password-file",
                                 address, user);
        if (strstr(err, "a password is required"))
                return fail_host(
                        failure, HOST_STAGE_SUDO,
                        "sudo on %s needs a password for %s: pass --sudo-password-file FILE, or allow "
                        "%s to run sudo without a password",
                        address, user, user);
        if (strstr(err, "must have a tty") || strstr(err, "requiretty"))
                return fail_host(failure, HOST_STAGE_SUDO,
                                 "sudo on %s insists on a terminal (Defaults requiretty): add 'Defaults:%s "
                                 "!requiretty' to its sudoers",
                                 address, user);
        if (strstr(err, "is not in the sudoers file") || strstr(err, "is not allowed to execute") ||
            strstr(err, "may not run sudo"))
                return fail_host(failure, HOST_STAGE_SUDO,
                                 "%s may not run the agent as root with sudo on %s", user, address);
        if (strstr(err, "sudo: command not found") || strstr(err, "sudo: not found"))
                return fail_host(failure, HOST_STAGE_SUDO, "%s has no sudo: log in as root, or install sudo",
                                 address);
        return 0;
}

/* Checks the agent's document and keeps it; -1 with failure when it is no
 * valid tether.host/1 document. */
static int take_document(struct host_result *result, const struct remote_result *run) {
        json_error_t json_error;
        json_t *document, *verdict, *error;
        char line[160];

        if (!run->out.data || run->out.length == 0)
                return fail_host(&result->failure, HOST_STAGE_PARSE,
                                 "the agent printed nothing (stderr: %s)",
                                 first_line(run->err.data, line, sizeof(line)));
        document = json_loadb(run->out.data, run->out.length, JSON_REJECT_DUPLICATES, &json_error);
        if (!document)
                return fail_host(&result->failure, HOST_STAGE_PARSE,
                                 "the agent's output is not JSON (%s at byte %d: \"%s\")", json_error.text,
                                 json_error.position, first_line(run->out.data, line, sizeof(line)));
        if (!json_is_object(document) || !json_is_string(json_object_get(document, "schema")) ||
            strcmp(json_string_value(json_object_get(document, "schema")), "tether.host/1") != 0) {
                json_decref(document);
                return fail_host(
                        &result->failure, HOST_STAGE_PARSE,
                        "the agent's output is not a tether.host/1 document: is another program installed "
                        "as the agent?");
        }
        result->agent = document;

        error = json_object_get(document, "error");
        if (json_is_object(error)) {
                const char *kind = json_string_value(json_object_get(error, "kind"));
                const char *message = json_string_value(json_object_get(error, "message"));

                fail_host(&result->failure, HOST_STAGE_AGENT, "%s: %s", kind ? kind : "error",
                          message ? message : "(no message)");
        }
        verdict = json_object_get(document, "verdict");
        if (json_is_string(verdict)) {
                enum tether_verdict parsed;

                if (tether_verdict_from_string(json_string_value(verdict), &parsed) < 0)
                        return fail_host(&result->failure, HOST_STAGE_PARSE,
                                         "the agent gave an unknown verdict");
                result->verdict = host_verdict_of_agent(parsed);
        }
        result->changed = json_is_true(json_object_get(document, "changed"));
        return 0;
}

/* Whether the host could not run the agent at all: the kernel refused it
 * (another architecture: the shell then even tries it as a script), or the
 * dynamic linker did (an older glibc, no libsystemd). Only when the agent
 * printed no JSON: its own failures come as a document. */
static bool looks_incompatible(const struct remote_result *run) {
        static const char *const signs[] = {"Exec format error",
                                            "GLIBC_",
                                            "cannot execute",
                                            "Syntax error",
                                            "error while loading shared libraries",
                                            "not found"};
        const char *err = run->err.data ? run->err.data : "";
        const char *out = run->out.data ? run->out.data : "";

        while (*out == ' ' || *out == '\n')
                out++;
        if (*out == '{')
                return false;
        if (run->exit_status == 126 || run->exit_status == 127)
                return true;
        for (size_t i = 0; i < ELEMENTSOF(signs); i++)
                if (strstr(err, signs[i]))
                        return true;
        return false;
}

/* Runs the agent, deploying it first when the host lacks this build; the
 * output is in *run. -1 with result->failure when it could not run. */
static int run_agent(ssh_session session, const struct run_config *config, const char *command,
                     const struct remote_input *input, uint64_t deadline, struct remote_result *run,
                     struct host_result *result) {
        for (int attempt = 0; attempt < 2; attempt++) {
                uint64_t agent_started = tether_now_usec(), upload_started;
                int r;

                remote_result_clear(run);
                r = remote_exec(session, command, input, deadline, run);
                result->agent_ms += ms_since(agent_started);
                if (r == -ETIMEDOUT)
                        return fail_host(
                                &result->failure, HOST_STAGE_TIMEOUT,
                                "the agent did not finish within --timeout %us (the whole host's limit)",
                                config->host_timeout_sec);
                if (r == -EFBIG)
                        return fail_host(&result->failure, HOST_STAGE_PARSE,
                                         "the agent printed more than %u bytes", REMOTE_OUTPUT_LIMIT);
                if (r < 0)
                        return fail_host(&result->failure, HOST_STAGE_CONNECT,
                                         "the connection broke while the agent ran: %s",
                                         ssh_get_error(session));
                if (run->exit_status != EXIT_AGENT_MISSING)
                        break;
                if (attempt > 0)
                        return fail_host(
                                &result->failure, HOST_STAGE_UPLOAD,
                                "the agent uploaded to ~/%s/ does not match its digest after the upload",
                                DEPLOY_DIR);
                upload_started = tether_now_usec();
                if (deploy_agent(session, config->agent, deadline, &result->failure) < 0)
                        return -1;
                result->uploaded = true;
                result->upload_ms += ms_since(upload_started);
        }
        result->agent_exit = run->exit_status;
        return 0;
}

static int judge_document(struct host_result *result, const struct remote_result *run) {
        char line[160];

        if (looks_incompatible(run))
                return fail_host(
                        &result->failure, HOST_STAGE_AGENT,
                        "agent-incompatible: this host cannot run the agent (%s). It is built for Linux on "
                        "the controller's architecture with glibc and libsystemd; build tether-agent on a "
                        "host like this one and point tether at it with --agent FILE",
                        first_line(run->err.data, line, sizeof(line)));
        return take_document(result, run);
}

/* Seconds to wait before a refused test may run, 0 when it should not be retried. */
static unsigned refused_test_retry_seconds(const struct host_result *result) {
        const json_t *test = json_array_get(json_object_get(result->agent, "tests"), 0);
        json_int_t seconds = json_integer_value(json_object_get(test, "retry_after_sec"));
        const char *outcome = json_string_value(json_object_get(test, "result"));

        if (!outcome || strcmp(outcome, "refused") != 0 || seconds <= 0 || seconds > 120)
                return 0;
        return (unsigned)seconds;
}

void host_job_run(const struct run_config *config, struct host_result *result) {
        const struct tether_host *host = result->host;
        uint64_t started = tether_now_usec();
        uint64_t deadline = started + (uint64_t)config->host_timeout_sec * 1000000ULL;
        struct remote_result run = {};
        _cleanup_free_ char *command = NULL;
        char prompt[64], *user = NULL;
        unsigned retry;
        struct remote_input input = {};
        ssh_session session = NULL;
        bool sudo;

        result->agent_exit = -1;
        if (session_open(config, host, &session, &result->failure) < 0)
                goto done;
        result->connect_ms = ms_since(started);
        log_debug("%s: connected and logged in, %llu ms", host->name,
                  (unsigned long long)result->connect_ms);

        if (ssh_options_get(session, SSH_OPTIONS_USER, &user) != SSH_OK)
                user = NULL;
        sudo = wants_sudo(host, user);
        if (sudo && config->sudo_password) {
                unsigned char nonce[8];

                if (getrandom(nonce, sizeof(nonce), 0) != sizeof(nonce)) {
                        fail_host(&result->failure, HOST_STAGE_SUDO, "no random bytes for sudo's prompt");
                        goto done;
                }
                snprintf(prompt, sizeof(prompt), "[tether-sudo-%02x%02x%02x%02x%02x%02x%02x%02x]", nonce[0],
                         nonce[1], nonce[2], nonce[3], nonce[4], nonce[5], nonce[6], nonce[7]);
                input = (struct remote_input){.sudo_prompt = prompt, .password = config->sudo_password};
        }
        if (host_firewall(config, host) && strchr(host_firewall(config, host), '\\')) {
                fail_host(&result->failure, HOST_STAGE_INVENTORY,
                          "the firewall unit \"%s\" has a backslash, which tether does not pass through a "
                          "shell to a host; set "
                          "firewall to \"auto\" for this host",
                          host->firewall);
                goto done;
        }
        if (build_command(config, host, sudo, input.sudo_prompt, &command) < 0) {
                fail_host(&result->failure, HOST_STAGE_AGENT, "out of memory");
                goto done;
        }

        if (run_agent(session, config, command, input.sudo_prompt ? &input : NULL, deadline, &run, result) <
            0)
                goto done;
        log_debug("%s: agent exited %d after %llu ms%s", host->name, run.exit_status,
                  (unsigned long long)result->agent_ms, result->uploaded ? ", deployed first" : "");
        if (sudo && judge_sudo(&run, user ? user : "the user", host->address, &result->failure) < 0)
                goto done;
        if (judge_document(result, &run) < 0)
                goto done;

        /* A test the agent refused only because docker's start limit is near
         * is tried again once the limit has room, if the host's time allows. */
        retry = refused_test_retry_seconds(result);
        if (retry > 0 && tether_now_usec() + (retry + 30) * 1000000ULL < deadline &&
            !(config->stop && *config->stop)) {
                log_info("%s: docker.service is near its start limit; testing in %us, when it has room",
                         host->name, retry);
                for (unsigned waited = 0; waited < retry && !(config->stop && *config->stop); waited++)
                        sleep(1);
                if (config->stop && *config->stop)
                        goto done;
                json_decref(result->agent);
                result->agent = NULL;
                result->verdict = HOST_VERDICT_NONE;
                if (run_agent(session, config, command, input.sudo_prompt ? &input : NULL, deadline, &run,
                              result) < 0)
                        goto done;
                (void)judge_document(result, &run);
        }

done:
        if (user)
                ssh_string_free_char(user);
        remote_result_clear(&run);
        session = session_close(session);
        result->total_ms = ms_since(started);
        if (host_failed(&result->failure) && result->verdict == HOST_VERDICT_NONE)
                result->verdict = host_stage_unreachable(result->failure.stage) ? HOST_VERDICT_UNREACHABLE
                                                                                : HOST_VERDICT_ERROR;
}

void host_result_clear(struct host_result *result) {
        json_decref(result->agent);
        result->agent = NULL;
}
