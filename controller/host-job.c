/* SPDX-License-Identifier: MIT */
/*
 * Everything tether does for one host, in one SSH connection: connect, check
 * the host key, authenticate, run the cached agent if its digest matches
 * (one exec: the common case), else upload it over SFTP and run it, then
 * read and check its JSON. The remote command runs under /bin/sh whatever
 * the login shell. A deployed agent that runs as root (sudo, or a root
 * login) runs from root's own copy, never from the login user's file:
 *
 *   /bin/sh -c 'exec sudo -n -- /bin/sh -c "$1" tether
 *     "$HOME/.cache/tether/tether-agent-<sha>" apply --run-id R --policy follow
 *     --firewall nftables.service' sh 'SCRIPT'
 *
 * SCRIPT (append_root_script(), tether's own text and this build's digest,
 * nothing else) runs as root: it checks that /var/lib/tether is root's, mode
 * 0700; checks the digest of /var/lib/tether/tether-agent-<sha> and runs
 * it; when that copy is missing or wrong, it makes it from the upload ($1,
 * read as the login user), checks the copy's digest, and runs it, or exits
 * 97 (upload, then once more) or 96 (/var/lib/tether is not root's). The
 * digest is checked, and the file run, where only root can change it:
 * nothing the login user does between the two changes what runs. The
 * common case is still one exec. An agent that runs as the login user (no
 * sudo, not root) is checked and run from ~/.cache/tether directly: that
 * user could run anything anyway.
 *
 * A host with an agent installed (--agent-path, or agent_path in the
 * inventory) runs that one and is never sent one: the command checks that it
 * is there (else 97) and that it is this tether's version (else 98, its
 * version on stderr), and the host fails on either:
 *
 *   /bin/sh -c 'A=/usr/libexec/tether/tether-agent; [ -x "$A" ] || exit 97;
 *     V=$("$A" --version 2>&1); [ "$V" = "tether-agent 0.1.0" ] || { echo "$V" >&2; exit 98; };
 *     exec sudo -n -- "$A" audit --run-id R'
 *
 * What goes into it: tether's own words (the agent's digest, the verb, the
 * run id, sudo's prompt with a nonce of ours), the verb's options from
 * tether's command line (verb_agent_args(): each value a plain shell word),
 * and from the inventory two strings only: the agent_path, held to
 * tether_valid_agent_path() (a plain shell word) by the parser, and for a
 * verb that passes it (apply, test, without --firewall), the host's
 * firewall unit unless it is "auto".
 * It is not quoted: it goes in as one word after --firewall, which it can
 * only be because the inventory parser has held it to a unit name's
 * characters and this file passes it only when it is a plain shell word
 * too (tether_valid_shell_word(): a backslash, systemd's escape, is the one
 * such character that is not; the host then fails with stage inventory).
 * The host's name, address, port, user, key and known_hosts files and tags
 * never go into the command: they are libssh's options (session.c).
 *
 * Connecting and logging in are bounded by --connect-timeout; everything
 * after, by what is left of the host's --timeout (remote.c, deploy.c). When
 * the connection breaks once the command that starts the agent went out,
 * the agent may have run: tether connects once more and asks the agent
 * (`tether-agent result --run-id R`) what became of the run, and reports
 * that (read-back.c); a run it cannot learn about is reported as one that
 * may have changed the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "agent-binary.h"
#include "agentless-change.h"
#include "agentless-test.h"
#include "agentless.h"
#include "deploy.h"
#include "escape.h"
#include "host-job.h"
#include "log.h"
#include "read-back.h"
#include "remote.h"
#include "session.h"
#include "strbuf.h"
#include "sudo-prompt.h"
#include "validate.h"
#include "verdict.h"

#define EXIT_AGENT_MISSING 97
#define EXIT_AGENT_VERSION 98
#define EXIT_ROOT_DIR 96
/* How long another tether's upload may take from its unlink of the agent's
 * file to its rename of its own there (run_agent()). */
#define UPLOAD_SETTLE_USEC (1000ULL * 1000ULL)
/* Of what the agent printed when it printed no document. */
#define FIRST_LINE_CHARS_MAX 159u

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

/* The agent installed on the host that it runs: --agent-path, else the
 * inventory's agent_path; NULL: tether's own, deployed. */
static const char *installed_agent(const struct run_config *config, const struct tether_host *host) {
        return config->agent_path ? config->agent_path : host->agent_path;
}

/* The script that runs a deployed agent as root (see above): $1 is the
 * uploaded file, the rest the agent's arguments. It names this build's
 * digest itself, so no argument chooses what runs; it checks and runs only
 * the copy in ROOT_AGENT_DIR, where nobody but root can replace a file
 * between the two, and makes that copy, when there is none, from the
 * upload, read as the login user (setpriv drops to sudo's caller: root
 * reads no file that user could not). One line, no single quote: it goes
 * as one word into the command. */
static void append_root_script(struct strbuf *command, const char *sha256) {
        strbuf_appendf(command,
                       "PATH=/usr/sbin:/usr/bin:/sbin:/bin; umask 077; D=%s; S=%s; A=$D/tether-agent-$S; "
                       "mkdir -p -m 0700 $D && test \"$(stat -c %%u.%%a.%%F $D)\" = 0.700.directory || "
                       "{ echo \"tether: $D is not a directory of root with mode 0700\" >&2; exit %d; }; "
                       "test -x $A && test \"$(sha256sum 2>/dev/null <$A | cut -c1-64)\" = $S || { "
                       "T=$D/.tether-agent-$S.$$; "
                       "if test -n \"$SUDO_UID\"; then setpriv --reuid \"$SUDO_UID\" --regid \"$SUDO_GID\" "
                       "--clear-groups head -c %u -- \"$1\"; else head -c %u -- \"$1\"; fi >$T 2>/dev/null; "
                       "test \"$(sha256sum <$T | cut -c1-64)\" = $S && chmod 0700 $T && mv -f $T $A || { rm "
                       "-f $T; exit %d; }; }; "
                       "shift; exec $A \"$@\"",
                       ROOT_AGENT_DIR, sha256, EXIT_ROOT_DIR, AGENT_SIZE_LIMIT, AGENT_SIZE_LIMIT,
                       EXIT_AGENT_MISSING);
}

/* The remote command (see above) that runs the agent's verb with args (a
 * NULL-terminated list of plain shell words, or NULL); installed, when not
 * NULL, is a valid agent path, and firewall, when not NULL, has been
 * checked to be a plain shell word. as_root: the agent runs as root (sudo,
 * or a root login), so a deployed one runs from root's copy. */
static int build_command(const struct run_config *config, const char *installed, const char *verb,
                         char *const *args, const char *firewall, bool sudo, bool as_root,
                         const char *prompt, char **ret) {
        struct strbuf command = STRBUF_INIT;
        bool root_copy = !installed && as_root;
        char *text;

        if (installed)
                strbuf_appendf(&command,
                               "/bin/sh -c 'A=%s; [ -x \"$A\" ] || exit %d; V=$(\"$A\" --version 2>&1); "
                               "[ \"$V\" = \"tether-agent %s\" ] || { echo \"$V\" >&2; exit %d; }; exec ",
                               installed, EXIT_AGENT_MISSING, TETHER_VERSION, EXIT_AGENT_VERSION);
        else if (root_copy)
                strbuf_append(&command, "/bin/sh -c 'exec ");
        else
                /* The agent runs as the login user, who could as well run
                 * anything else: the check only stops a stale file. */
                strbuf_appendf(&command,
                               "/bin/sh -c 'A=\"$HOME/%s/tether-agent-%s\"; "
                               "[ \"$(sha256sum <\"$A\" 2>/dev/null)\" = \"%s  -\" ] || exit %d; exec ",
                               DEPLOY_DIR, config->agent->sha256, config->agent->sha256, EXIT_AGENT_MISSING);
        if (sudo && prompt)
                strbuf_appendf(&command, "sudo -S -p \"%s\" -- ", prompt);
        else if (sudo)
                strbuf_append(&command, "sudo -n -- ");
        if (root_copy)
                strbuf_appendf(&command,
                               "/bin/sh -c \"$1\" tether \"$HOME/%s/tether-agent-%s\" %s --run-id %s",
                               DEPLOY_DIR, config->agent->sha256, verb, config->run_id);
        else
                strbuf_appendf(&command, "\"$A\" %s --run-id %s", verb, config->run_id);
        for (size_t i = 0; args && args[i]; i++)
                strbuf_appendf(&command, " %s", args[i]);
        if (firewall)
                strbuf_appendf(&command, " --firewall %s", firewall);
        strbuf_append(&command, "'");
        if (root_copy) {
                strbuf_append(&command, " sh '");
                append_root_script(&command, config->agent->sha256);
                strbuf_append(&command, "'");
        }
        text = strbuf_steal(&command);
        if (!text)
                return -ENOMEM;
        *ret = text;
        return 0;
}

/* The first line of text, for a failure message, as JSON text (escape.h)
 * cut after FIRST_LINE_CHARS_MAX characters, in line (which the caller
 * frees); "" when there is none, or no memory for it. */
static const char *first_line(const char *text, struct strbuf *line) {
        if (text)
                tether_escape_json_text(line, text, strcspn(text, "\n"), FIRST_LINE_CHARS_MAX);
        return line->failed || !line->data ? "" : line->data;
}

/* The prompt not tether's that sudo waits at (sudo-prompt.h), as JSON
 * text cut after SUDO_PROMPT_QUOTE_CHARS_MAX characters, in quoted (which
 * the caller frees). */
static const char *prompt_not_ours(const struct remote_result *run, const char *ours,
                                   struct strbuf *quoted) {
        struct sudo_prompt_seen seen = {.err = run->err.data, .err_length = run->err.length, .ours = ours};
        size_t start, length;

        sudo_prompt_not_ours(&seen, &start, &length);
        if (run->err.data)
                tether_escape_json_text(quoted, run->err.data + start, length, SUDO_PROMPT_QUOTE_CHARS_MAX);
        return quoted->failed || !quoted->data ? "" : quoted->data;
}

/* sudo asked what nothing answers (sudo-prompt.h): the failure's code,
 * with failure filled in; 0 when it did not. */
static int judge_sudo_prompt(const struct remote_result *run, const char *ours, const char *user,
                             const char *address, struct host_failure *failure) {
        _cleanup_(strbuf_free) struct strbuf quoted = STRBUF_INIT;

        switch (run->sudo_prompt) {
        case SUDO_PROMPT_REFUSED:
                return fail_host(failure, HOST_STAGE_SUDO,
                                 "sudo on %s refused the password for %s: check the file given "
                                 "with --sudo-password-file",
                                 address, user);
        case SUDO_PROMPT_ASKED_AGAIN:
                return fail_host(failure, HOST_STAGE_SUDO,
                                 "sudo on %s asked a second question after the password for %s (PAM "
                                 "wants a one-time code or another factor?), which tether cannot answer: "
                                 "give %s a NOPASSWD rule for tether's agent alone (docs/security.md), or "
                                 "use an account that sudo asks for its password only",
                                 address, user, user);
        case SUDO_PROMPT_NOT_OURS:
                return fail_host(failure, HOST_STAGE_SUDO,
                                 "sudo on %s waits at a prompt that tether did not set, \"%s\" (PAM, or a "
                                 "sudo that ignores -p, asks for a one-time code or another factor?), "
                                 "which tether cannot answer: give %s a NOPASSWD rule for tether's agent "
                                 "alone (docs/security.md), or use an account that sudo asks for its "
                                 "password only",
                                 address, prompt_not_ours(run, ours, &quoted), user);
        default:
                return 0;
        }
}

/* sudo's own failures, from what it printed: 0 when there was none, else
 * the failure's code, with failure filled in. ours: tether's prompt, NULL
 * when sudo was given none. */
static int judge_sudo(const struct remote_result *run, const char *ours, const char *user,
                      const char *address, struct host_failure *failure) {
        const char *err = run->err.data ? run->err.data : "";
        int r;

        r = ours ? judge_sudo_prompt(run, ours, user, address, failure) : 0;
        if (r < 0)
                return r;
        /* sudo gives up without asking again when passwd_tries is 1. */
        if (run->password_sent && strstr(err, "incorrect password attempt"))
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

/* Keeps the agent's document (stolen) and what it says; the failure's
 * code, with result->failure filled in, when it is no valid tether.host/1
 * document. */
static int keep_document(struct host_result *result, json_t *document) {
        json_t *verdict, *error;

        if (!json_is_object(document) || !json_is_string(json_object_get(document, "schema")) ||
            strcmp(json_string_value(json_object_get(document, "schema")), "tether.host/1") != 0) {
                json_decref(document);
                return fail_host(
                        &result->failure, HOST_STAGE_PARSE,
                        "the agent's output is not a tether.host/1 document: is another program installed "
                        "as the agent?");
        }
        result->agent = document;
        /* Which gathered the facts: the agent's own documents do not say. */
        if (!json_object_get(document, "mode"))
                json_object_set_new(document, "mode", json_string("agent"));

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

/* Reads the agent's document from what it printed and keeps it. */
static int take_document(struct host_result *result, const struct remote_result *run) {
        _cleanup_(strbuf_free) struct strbuf line = STRBUF_INIT;
        json_error_t json_error;
        json_t *document;

        if (!run->out.data || run->out.length == 0)
                return fail_host(&result->failure, HOST_STAGE_PARSE,
                                 "the agent printed nothing (stderr: %s)", first_line(run->err.data, &line));
        document = json_loadb(run->out.data, run->out.length, JSON_REJECT_DUPLICATES, &json_error);
        if (!document)
                return fail_host(&result->failure, HOST_STAGE_PARSE,
                                 "the agent's output is not JSON (%s at byte %d: \"%s\")", json_error.text,
                                 json_error.position, first_line(run->out.data, &line));
        return keep_document(result, document);
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

/* An installed agent that is not there, or of another version: the host
 * fails, and nothing is uploaded in its place. */
static int fail_installed_agent(struct host_result *result, const struct remote_result *run) {
        _cleanup_(strbuf_free) struct strbuf line = STRBUF_INIT;

        if (run->exit_status == EXIT_AGENT_MISSING)
                return fail_host(&result->failure, HOST_STAGE_AGENT,
                                 "agent-missing: there is no agent at %s on the host that the login user "
                                 "can run: install the tether-agent package there, or leave out "
                                 "--agent-path and agent_path to upload tether's own agent",
                                 result->installed_agent);
        return fail_host(&result->failure, HOST_STAGE_AGENT,
                         "agent-version-mismatch: the agent at %s says \"%s\", and this tether is %s: "
                         "install tether-agent %s on the host, or leave out --agent-path and agent_path "
                         "to upload tether's own agent",
                         result->installed_agent, first_line(run->err.data, &line), TETHER_VERSION,
                         TETHER_VERSION);
}

/* /var/lib/tether is not root's own, mode 0700: nothing is run from it. */
static int fail_root_dir(struct host_result *result, const struct remote_result *run) {
        _cleanup_(strbuf_free) struct strbuf line = STRBUF_INIT;

        return fail_host(&result->failure, HOST_STAGE_AGENT,
                         "agent-unsafe: %s on the host is not a directory owned by root with mode 0700, so "
                         "tether runs no agent from it (%s): make it one (chown root: %s; chmod 0700 %s)",
                         ROOT_AGENT_DIR, first_line(run->err.data, &line), ROOT_AGENT_DIR, ROOT_AGENT_DIR);
}

/* What tether was doing in each step of the command, for messages. */
static const char *const step_doing[_REMOTE_STEP_MAX] = {
        [REMOTE_STEP_OPEN] = "while a channel was opened for the agent",
        [REMOTE_STEP_EXEC] = "while the command that starts the agent was sent",
        [REMOTE_STEP_READ] = "while the agent ran",
        [REMOTE_STEP_WRITE] = "while sudo's password was written",
        [REMOTE_STEP_EXIT_STATUS] = "while the agent's exit status was awaited",
};

static const char *ssh_words(const struct remote_result *run) {
        return run->ssh_error[0] ? run->ssh_error : "libssh gave no reason";
}

/* What an agent whose run is not known to have ended means for its host. */
static const char *unknown_consequence(const struct run_config *config) {
        return config->changes_hosts
                       ? "it may have changed the host: journalctl -t tether-agent there says what it did"
                       : "the verb changes nothing, but what the agent found is not known";
}

static void note_cut_off(struct host_result *result, const struct run_config *config, const char *step,
                         uint64_t after_ms, enum agent_fate agent) {
        result->cut_off = (struct host_cut_off){
                .step = step,
                .after_ms = after_ms,
                .agent = agent,
                .may_have_changed = agent == AGENT_FATE_UNKNOWN && config->changes_hosts,
        };
}

/* The command stopped short (r: -ETIMEDOUT, -ECONNRESET, -EPROTO, see
 * remote.h). Records where and whether the agent may have run, and fails
 * the host; except for a connection that broke once the command went out,
 * which is left to the read-back: -ECONNRESET, no failure recorded. */
static int stopped_short(const struct run_config *config, const struct remote_result *run,
                         struct host_result *result, int r) {
        enum agent_fate fate = run->command_sent ? AGENT_FATE_UNKNOWN : AGENT_FATE_NOT_STARTED;
        const char *doing = step_doing[run->step];

        if (r == -EPROTO)
                return fail_host(
                        &result->failure, HOST_STAGE_AGENT,
                        "the host refused %s: %s (sshd's MaxSessions, or a restriction on the user?)",
                        run->step == REMOTE_STEP_OPEN ? "a channel for the agent"
                                                      : "the command that starts the agent",
                        ssh_words(run));
        note_cut_off(result, config, remote_step_to_string(run->step), run->step_ms, fate);
        if (r == -ETIMEDOUT && run->step == REMOTE_STEP_READ)
                return fail_host(
                        &result->failure, HOST_STAGE_TIMEOUT,
                        "the agent did not finish within --timeout %us (the whole host's limit); %s",
                        config->host_timeout_sec, unknown_consequence(config));
        if (r == -ETIMEDOUT && fate == AGENT_FATE_UNKNOWN)
                return fail_host(
                        &result->failure, HOST_STAGE_TIMEOUT,
                        "the host gave no answer within --timeout %us (the whole host's limit) %s; the "
                        "agent may have started: %s",
                        config->host_timeout_sec, doing, unknown_consequence(config));
        if (r == -ETIMEDOUT)
                return fail_host(
                        &result->failure, HOST_STAGE_TIMEOUT,
                        "the host gave no answer within --timeout %us (the whole host's limit) %s; the "
                        "agent did not start",
                        config->host_timeout_sec, doing);
        if (fate == AGENT_FATE_NOT_STARTED)
                return fail_host(&result->failure, HOST_STAGE_CONNECTION_LOST,
                                 "the connection broke %s, after %llu ms, before the agent could start: %s",
                                 doing, (unsigned long long)run->step_ms, ssh_words(run));
        return -ECONNRESET;
}

/* Runs the agent, deploying it first when the host lacks this build (not
 * when it runs an installed one); the output is in *run. The failure's code, with result->failure filled in,
 * when it could not run; -ECONNRESET and no failure recorded when the
 * connection broke once the agent may have started (stopped_short()). */
static int run_agent(ssh_session session, const struct run_config *config, const char *command,
                     const struct remote_input *input, uint64_t deadline, struct remote_result *run,
                     struct host_result *result) {
        for (int attempt = 0; attempt < 3; attempt++) {
                uint64_t agent_started = tether_now_usec(), upload_started;
                int r;

                remote_result_clear(run);
                r = remote_exec(session, command, input, deadline, run);
                result->agent_ms += ms_since(agent_started);
                if (r == -EFBIG)
                        return fail_host(&result->failure, HOST_STAGE_PARSE,
                                         "the agent printed more than %u bytes", REMOTE_OUTPUT_LIMIT);
                if (r == -ENOMEM)
                        return fail_host(&result->failure, HOST_STAGE_AGENT, "out of memory");
                if (r < 0)
                        return stopped_short(config, run, result, r);
                if (run->exit_status == EXIT_ROOT_DIR && !result->installed_agent)
                        return fail_root_dir(result, run);
                if (result->installed_agent &&
                    (run->exit_status == EXIT_AGENT_MISSING || run->exit_status == EXIT_AGENT_VERSION))
                        return fail_installed_agent(result, run);
                if (run->exit_status != EXIT_AGENT_MISSING || result->installed_agent)
                        break;
                /* Another tether uploading to this host at once unlinks the
                 * file before it renames its own there (deploy.c): this
                 * command may have looked in between. Once more, a moment
                 * later, before the upload is called bad. */
                if (attempt == 1 && tether_now_usec() + UPLOAD_SETTLE_USEC < deadline) {
                        usleep(UPLOAD_SETTLE_USEC);
                        continue;
                }
                if (attempt > 0)
                        return fail_host(
                                &result->failure, HOST_STAGE_UPLOAD,
                                "the agent uploaded to ~/%s/ does not match its digest after the upload "
                                "(or, as root, it could not be copied into %s: does the host have "
                                "setpriv and sha256sum?)",
                                DEPLOY_DIR, ROOT_AGENT_DIR);
                upload_started = tether_now_usec();
                r = deploy_agent(session, config->agent, deadline, &result->failure);
                if (r == -ETIMEDOUT || r == -ECONNRESET)
                        note_cut_off(result, config, "upload", ms_since(upload_started),
                                     AGENT_FATE_NOT_STARTED);
                if (r < 0)
                        return r;
                result->uploaded = true;
                result->upload_ms += ms_since(upload_started);
        }
        result->agent_exit = run->exit_status;
        return 0;
}

static int judge_document(struct host_result *result, const struct remote_result *run) {
        _cleanup_(strbuf_free) struct strbuf line = STRBUF_INIT;

        if (looks_incompatible(run))
                return fail_host(
                        &result->failure, HOST_STAGE_AGENT,
                        "agent-incompatible: this host cannot run the agent (%s). It is built for Linux on "
                        "the controller's architecture with glibc and libsystemd, as old as those it was "
                        "built with: give tether the portable agent (make portable-agent, or the Debian "
                        "package's), which runs on glibc 2.28 and systemd 239 and newer, with --agent FILE",
                        first_line(run->err.data, &line));
        return take_document(result, run);
}

/* Seconds to wait before a refused test may run, 0 when it should not be retried. */
static unsigned refused_test_retry_seconds(const struct host_result *result) {
        const json_t *test = json_array_get(json_object_get(result->agent, "tests"), 0);
        json_int_t seconds = json_integer_value(json_object_get(test, "retry_after_sec"));
        enum test_result outcome =
                test_result_from_string(json_string_value(json_object_get(test, "result")));

        if (outcome != TEST_RESULT_REFUSED || seconds <= 0 || seconds > 120)
                return 0;
        return (unsigned)seconds;
}

/* One host's job, from the session to the agent's answer. */
struct host_job {
        const struct run_config *config;
        struct host_result *result;
        uint64_t started, deadline;
        ssh_session session;
        char *user; /* the login user, as libssh has it; NULL: unknown */
        bool sudo;
        char prompt[64];
        struct remote_input input; /* sudo's prompt and password, when sudo gets one */
        char *command;
        struct remote_result run;
        bool agentless;                         /* the host runs the gathering script, not the agent */
        char boundary[AGENTLESS_BOUNDARY_SIZE]; /* of the script's sections */
};

static void host_job_clear(struct host_job *job) {
        if (job->user)
                ssh_string_free_char(job->user);
        free(job->command);
        remote_result_clear(&job->run);
        job->session = session_close(job->session);
}

static bool stopping(const struct run_config *config) {
        return config->stop && *config->stop;
}

/* Connects and logs in, and decides on sudo. */
static int connect_host(struct host_job *job) {
        const struct tether_host *host = job->result->host;
        int r;

        r = session_open(job->config, host, &job->session, &job->result->failure);
        if (r < 0)
                return r;
        job->result->connect_ms = ms_since(job->started);
        log_debug("%s: connected and logged in, %llu ms", host->name,
                  (unsigned long long)job->result->connect_ms);
        if (ssh_options_get(job->session, SSH_OPTIONS_USER, &job->user) != SSH_OK)
                job->user = NULL;
        job->sudo = wants_sudo(host, job->user);
        return 0;
}

/* sudo's prompt, new for each host, so that tether knows it when it shows. */
static int make_sudo_prompt(struct host_job *job) {
        unsigned char nonce[8];

        if (getrandom(nonce, sizeof(nonce), 0) != sizeof(nonce))
                return fail_host(&job->result->failure, HOST_STAGE_SUDO,
                                 "no random bytes for sudo's prompt");
        snprintf(job->prompt, sizeof(job->prompt), "[tether-sudo-%02x%02x%02x%02x%02x%02x%02x%02x]",
                 nonce[0], nonce[1], nonce[2], nonce[3], nonce[4], nonce[5], nonce[6], nonce[7]);
        job->input =
                (struct remote_input){.sudo_prompt = job->prompt, .password = job->config->sudo_password};
        return 0;
}

/* Whether the agent runs as root: through sudo, or for a root login. */
static bool runs_as_root(const struct host_job *job) {
        return job->sudo || (job->user && strcmp(job->user, "root") == 0);
}

/* The firewall unit apply and test name, in agentless mode: --firewall,
 * else the inventory's; it is gathered with the units tether knows. */
static const char *agentless_firewall(const struct host_job *job) {
        for (size_t i = 0; job->config->agent_args && job->config->agent_args[i]; i++)
                if (strcmp(job->config->agent_args[i], "--firewall") == 0)
                        return job->config->agent_args[i + 1];
        return strcmp(job->config->verb, "apply") == 0 || strcmp(job->config->verb, "test") == 0
                       ? host_firewall(job->config, job->result->host)
                       : NULL;
}

/* Agentless: the gathering script as root, its sections made into the
 * document the agent would print (agentless.h). */
static int make_agentless_command(struct host_job *job) {
        int r;

        free(job->command);
        job->command = NULL;
        job->agentless = job->result->agentless = true;
        r = agentless_boundary(job->boundary);
        if (r >= 0)
                r = agentless_command(job->boundary, job->sudo, job->input.sudo_prompt,
                                      agentless_firewall(job), &job->command);
        if (r < 0)
                return fail_host(&job->result->failure, HOST_STAGE_AGENT,
                                 "cannot make the agentless command: %s", strerror(-r));
        return 0;
}

static int make_command(struct host_job *job) {
        const struct tether_host *host = job->result->host;
        const char *firewall = host_firewall(job->config, host);
        int r;

        if (job->sudo && job->config->sudo_password) {
                r = make_sudo_prompt(job);
                if (r < 0)
                        return r;
        }
        if (firewall && !tether_valid_shell_word(firewall))
                return fail_host(
                        &job->result->failure, HOST_STAGE_INVENTORY,
                        "the firewall unit \"%s\" has a backslash, which tether does not pass through a "
                        "shell to a host; set "
                        "firewall to \"auto\" for this host",
                        host->firewall);
        if (job->config->mode == RUN_MODE_AGENTLESS)
                return make_agentless_command(job);
        r = build_command(job->config, job->result->installed_agent, job->config->verb,
                          job->config->agent_args, firewall, job->sudo, runs_as_root(job),
                          job->input.sudo_prompt, &job->command);
        if (r < 0)
                return fail_host(&job->result->failure, HOST_STAGE_AGENT, "out of memory");
        return 0;
}

/* The read-back's bound: what is left of the host's --timeout, and at
 * least --connect-timeout, so that a break late in a run still gets a look. */
static uint64_t read_back_deadline(const struct host_job *job) {
        uint64_t floor = tether_now_usec() + (uint64_t)job->config->connect_timeout_sec * 1000000ULL;

        return job->deadline > floor ? job->deadline : floor;
}

/* `tether-agent result` for this run, waiting for a running agent for
 * three quarters of the time left (1 s to an hour, the agent's range). */
static int read_back_command(const struct host_job *job, uint64_t deadline, char **ret) {
        uint64_t now = tether_now_usec();
        unsigned long long wait = deadline > now ? (deadline - now) / 1000000ULL * 3 / 4 : 0;
        char wait_text[32];
        char *args[] = {"--wait", wait_text, NULL};

        snprintf(wait_text, sizeof(wait_text), "%llu", wait < 1 ? 1 : wait > 3600 ? 3600 : wait);
        return build_command(job->config, job->result->installed_agent, "result", args, NULL, job->sudo,
                             runs_as_root(job), job->input.sudo_prompt, ret);
}

static const char *stopped_words(int r, const struct remote_result *run) {
        switch (r) {
        case -ETIMEDOUT:
                return "no answer in time";
        case -EFBIG:
                return "too long an answer";
        case -ENOMEM:
                return "out of memory";
        default:
                return ssh_words(run);
        }
}

/* On a second connection, what became of the run (read-back.h): its fate,
 * the agent's document when it finished (*ret_document), and why in words. */
static enum agent_fate fetch_result(struct host_job *job, json_t **ret_document, char *why, size_t size) {
        const struct tether_host *host = job->result->host;
        uint64_t deadline = read_back_deadline(job);
        _cleanup_(remote_result_clear) struct remote_result run = {};
        _cleanup_free_ char *command = NULL;
        struct host_failure failure = {};
        ssh_session session = NULL;
        int r;

        if (session_open(job->config, host, &session, &failure) < 0) {
                snprintf(why, size, "tether could not connect again to read the agent's result back (%s)",
                         failure.message);
                return AGENT_FATE_UNKNOWN;
        }
        r = read_back_command(job, deadline, &command);
        if (r >= 0)
                r = remote_exec(session, command, job->input.sudo_prompt ? &job->input : NULL, deadline,
                                &run);
        session = session_close(session);
        if (r < 0) {
                snprintf(why, size, "reading the agent's result back failed too (%s)",
                         stopped_words(r, &run));
                return AGENT_FATE_UNKNOWN;
        }
        if (run.exit_status == EXIT_AGENT_MISSING) {
                snprintf(why, size, "the agent is not on the host, so it did not run");
                return AGENT_FATE_NOT_STARTED;
        }
        if (job->sudo && judge_sudo(&run, job->input.sudo_prompt, job->user ? job->user : "the user",
                                    host->address, &failure) < 0) {
                snprintf(why, size, "reading the agent's result back failed (%s)", failure.message);
                return AGENT_FATE_UNKNOWN;
        }
        return read_back_judge(run.out.data, run.out.length, job->config->run_id, ret_document, why, size);
}

/* The connection broke once the agent may have started: the host's result
 * is what the read-back learns; the agent's document when it finished,
 * else a failure (stage connection-lost) that says what is known. */
static int read_back(struct host_job *job) {
        struct host_result *result = job->result;
        const struct remote_result *run = &job->run;
        json_t *document = NULL;
        json_int_t exit_status;
        char why[1536]; /* room for a failure message quoted whole */

        enum agent_fate fate;

        log_debug("%s: the connection broke %s; reading the result back", result->host->name,
                  step_doing[run->step]);
        fate = fetch_result(job, &document, why, sizeof(why));
        note_cut_off(result, job->config, remote_step_to_string(run->step), run->step_ms, fate);
        if (fate != AGENT_FATE_FINISHED)
                return fail_host(&result->failure, HOST_STAGE_CONNECTION_LOST,
                                 "the connection broke %s, after %llu ms: %s; %s%s%s", step_doing[run->step],
                                 (unsigned long long)run->step_ms, ssh_words(run), why,
                                 fate == AGENT_FATE_UNKNOWN ? "; " : "",
                                 fate == AGENT_FATE_UNKNOWN ? unknown_consequence(job->config) : "");
        exit_status = json_integer_value(json_object_get(document, "exit_status"));
        result->agent_exit =
                json_is_integer(json_object_get(document, "exit_status")) ? (int)exit_status : -1;
        return keep_document(result, document);
}

static int run_agentless_change(struct host_job *job, const struct tether_sections *sections);
static int run_agentless_test(struct host_job *job, const struct tether_sections *sections);

/* The gathering script's run: its document kept as the agent's would be;
 * for apply and revert, the first step of the change. */
static int run_agentless(struct host_job *job) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct host_result *result = job->result;
        uint64_t started = tether_now_usec();
        _cleanup_(strbuf_free) struct strbuf line = STRBUF_INIT;
        json_t *document = NULL;
        int r;

        remote_result_clear(&job->run);
        r = remote_exec(job->session, job->command, job->input.sudo_prompt ? &job->input : NULL,
                        job->deadline, &job->run);
        result->agent_ms += ms_since(started);
        if (r == -EFBIG)
                return fail_host(&result->failure, HOST_STAGE_PARSE, "the host answered more than %u bytes",
                                 REMOTE_OUTPUT_LIMIT);
        if (r == -ENOMEM)
                return fail_host(&result->failure, HOST_STAGE_AGENT, "out of memory");
        if (r < 0)
                return stopped_short(job->config, &job->run, result, r);
        result->agent_exit = job->run.exit_status;
        if (job->sudo) {
                r = judge_sudo(&job->run, job->input.sudo_prompt, job->user ? job->user : "the user",
                               result->host->address, &result->failure);
                if (r < 0)
                        return r;
        }
        if (job->run.exit_status != 0)
                return fail_host(&result->failure, HOST_STAGE_AGENT,
                                 "the agentless gathering exited with status %d (stderr: %s)",
                                 job->run.exit_status, first_line(job->run.err.data, &line));
        if (strcmp(job->config->verb, "audit") != 0) {
                _cleanup_(tether_sections_freep) struct tether_sections *sections = NULL;

                r = tether_sections_parse(job->run.out.data ? job->run.out.data : "", job->run.out.length,
                                          job->boundary, &sections, &error);
                if (r < 0)
                        return fail_host(&result->failure, HOST_STAGE_PARSE,
                                         "the host's agentless answer: %s", error.text);
                if (strcmp(job->config->verb, "test") == 0)
                        return run_agentless_test(job, sections);
                return run_agentless_change(job, sections);
        }
        r = agentless_document(job->run.out.data ? job->run.out.data : "", job->run.out.length,
                               job->boundary, TETHER_POLICY_BIND, false, job->config->verb,
                               job->config->run_id, &document, &error);
        if (r < 0)
                return fail_host(&result->failure, HOST_STAGE_PARSE, "the host's agentless answer: %s",
                                 error.text);
        return keep_document(result, document);
}

/* The host as the first answer has it, judged once for the plan and the
 * report. */
struct agentless_judged {
        struct tether_host_facts *facts;
        struct tether_judgement *judgement;
};

/* The document of a plan that changes nothing: the first answer's, with
 * the plan's changes (none, or those --check would make). */
static int agentless_unchanged(struct host_job *job, const struct agentless_judged *judged,
                               const struct agentless_options *options, const struct agentless_plan *plan) {
        struct tether_error error = TETHER_ERROR_INIT;
        json_t *document = NULL;

        if (agentless_host_document(judged->facts, judged->judgement, plan->verb, job->config->run_id,
                                    &document, &error) < 0)
                return fail_host(&job->result->failure, HOST_STAGE_AGENT, "%s", error.text);
        json_object_set_new(document, "changes", change_set_to_json(&plan->set));
        if (options->check)
                json_object_set_new(document, "check", json_true());
        json_object_set_new(document, "changed", json_boolean(options->check && plan->set.n > 0));
        return keep_document(job->result, document);
}

/* The document of a plan refused (agentless-change.h): the host as the
 * first answer has it, and the error, as the agent's would say it. */
static int agentless_refused(struct host_job *job, const struct agentless_judged *judged, int r,
                             const struct tether_error *why) {
        struct tether_error error = TETHER_ERROR_INIT;
        json_t *document = NULL;
        bool bad_firewall;
        int status;

        if (r == -ENOMEM || agentless_host_document(judged->facts, judged->judgement, job->config->verb,
                                                    job->config->run_id, &document, &error) < 0)
                return fail_host(&job->result->failure, HOST_STAGE_AGENT, "%s",
                                 r == -ENOMEM ? why->text : error.text);
        /* The agent's exit statuses: 6 for --firewall, 3 for its lock held, 1 for the rest. */
        bad_firewall = r == -ENOENT || r == -EINVAL;
        status = bad_firewall ? 6 : r == -EBUSY ? 3 : 1;
        json_object_set_new(document, "error",
                            json_pack("{s:s, s:s}", "kind",
                                      bad_firewall  ? "unknown-firewall"
                                      : r == -EROFS ? "read-only"
                                      : r == -EBUSY ? "busy"
                                                    : job->config->verb,
                                      "message", why->text));
        json_object_set_new(document, "exit_status", json_integer(status));
        job->result->agent_exit = status;
        return keep_document(job->result, document);
}

/* apply or revert, agentless (agentless-change.h): the plan from the
 * first answer, then the change script, which asks before it keeps. */
static int run_agentless_change(struct host_job *job, const struct tether_sections *sections) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct host_result *result = job->result;
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = NULL;
        _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;
        struct agentless_judged judged;
        struct agentless_plan plan = {};
        struct agentless_options options;
        struct agentless_asked asked = {.boundary = job->boundary, .plan = &plan};
        char marker[AGENTLESS_BOUNDARY_SIZE + 4];
        struct remote_input input = job->input;
        uint64_t started = tether_now_usec();
        json_t *document = NULL;
        int r;

        if (agentless_options_parse(job->config->agent_args, &options) < 0)
                return fail_host(&result->failure, HOST_STAGE_AGENT,
                                 "agentless mode cannot pass on these options");
        options.firewall = agentless_firewall(job); /* --firewall, else the inventory's */
        r = agentless_judge(sections, options.policy, options.policy_forced, &facts, &judgement, &error);
        if (r < 0)
                return fail_host(&result->failure, HOST_STAGE_PARSE, "the host's agentless answer: %s",
                                 error.text);
        judged = (struct agentless_judged){facts, judgement};
        r = agentless_plan_make(job->config->verb, &options, sections, facts, judgement, &plan, &error);
        if (r < 0)
                return agentless_refused(job, &judged, r, &error);
        if (options.check || (plan.set.n == 0 && !plan.heal)) {
                r = agentless_unchanged(job, &judged, &options, &plan);
                agentless_plan_clear(&plan);
                return r;
        }

        free(job->command);
        job->command = NULL;
        r = agentless_change_command(job->boundary, job->sudo, job->input.sudo_prompt, options.firewall,
                                     &plan, &job->command);
        if (r < 0) {
                agentless_plan_clear(&plan);
                return fail_host(&result->failure, HOST_STAGE_AGENT, "cannot make the agentless command: %s",
                                 strerror(-r));
        }
        snprintf(marker, sizeof(marker), "%s ask", job->boundary);
        input.reply_marker = marker;
        input.reply = agentless_reply;
        input.userdata = &asked;
        remote_result_clear(&job->run);
        r = remote_exec(job->session, job->command, &input, job->deadline, &job->run);
        result->agent_ms += ms_since(started);
        if (r >= 0 && job->sudo)
                r = judge_sudo(&job->run, job->input.sudo_prompt, job->user ? job->user : "the user",
                               result->host->address, &result->failure);
        else if (r < 0)
                r = stopped_short(job->config, &job->run, result, r);
        if (r >= 0) {
                r = agentless_change_document(job->run.out.data ? job->run.out.data : "",
                                              job->run.out.length, &asked, &options, job->config->run_id,
                                              &document, &error);
                if (r < 0)
                        r = fail_host(&result->failure, HOST_STAGE_PARSE, "the host's agentless answer: %s",
                                      error.text);
        }
        agentless_plan_clear(&plan);
        if (r < 0)
                return r;
        result->agent_exit = (int)json_integer_value(json_object_get(document, "exit_status"));
        return keep_document(result, document);
}

/* One unit's test, agentless: the test script's command on the job's
 * session; its sections in *ret (the host gathered again after it). */
static int agentless_test_run(struct host_job *job, const char *unit,
                              const struct agentless_test_options *options, struct tether_sections **ret) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct host_result *result = job->result;
        _cleanup_free_ char *words = NULL;
        uint64_t started = tether_now_usec();
        int r;

        free(job->command);
        job->command = NULL;
        r = agentless_test_words(unit, options, &words);
        if (r >= 0)
                r = agentless_test_command(job->boundary, job->sudo, job->input.sudo_prompt,
                                           options->firewall, words, &job->command);
        if (r < 0)
                return fail_host(&result->failure, HOST_STAGE_AGENT, "cannot make the agentless command: %s",
                                 strerror(-r));
        remote_result_clear(&job->run);
        r = remote_exec(job->session, job->command, job->input.sudo_prompt ? &job->input : NULL,
                        job->deadline, &job->run);
        result->agent_ms += ms_since(started);
        if (r < 0)
                return stopped_short(job->config, &job->run, result, r);
        if (job->sudo) {
                r = judge_sudo(&job->run, job->input.sudo_prompt, job->user ? job->user : "the user",
                               result->host->address, &result->failure);
                if (r < 0)
                        return r;
        }
        r = tether_sections_parse(job->run.out.data ? job->run.out.data : "", job->run.out.length,
                                  job->boundary, ret, &error);
        if (r < 0)
                return fail_host(&result->failure, HOST_STAGE_PARSE, "the host's agentless answer: %s",
                                 error.text);
        return 0;
}

/* The test's document, as the agent makes it: the host as the last
 * answer has it, its tests, and their result. */
static int agentless_test_document(struct host_job *job, const struct agentless_judged *judged,
                                   json_t *tests, bool any, bool all_passed) {
        struct tether_error error = TETHER_ERROR_INIT;
        json_t *document = NULL;
        int status = !any || all_passed ? 0 : 1;

        if (agentless_host_document(judged->facts, judged->judgement, "test", job->config->run_id, &document,
                                    &error) < 0) {
                json_decref(tests);
                return fail_host(&job->result->failure, HOST_STAGE_AGENT, "%s", error.text);
        }
        json_object_set_new(document, "tests", tests);
        json_object_set_new(document, "test_result",
                            json_string(tether_test_overall_result(tests, any, all_passed)));
        if (!any)
                json_object_set_new(document, "test_reason", json_string(tether_test_nothing_to_test));
        json_object_set_new(document, "exit_status", json_integer(status));
        job->result->agent_exit = status;
        return keep_document(job->result, document);
}

/* test, agentless (agentless-test.h): each unit the agent would test, in
 * a command of its own, judged again from the host as each leaves it. */
static int run_agentless_test(struct host_job *job, const struct tether_sections *first) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct host_result *result = job->result;
        _cleanup_(tether_sections_freep) struct tether_sections *sections = NULL;
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = NULL;
        _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;
        struct agentless_test_options options;
        json_t *tests = json_array();
        bool any = false, all_passed = true;
        int r;

        if (!tests)
                return fail_host(&result->failure, HOST_STAGE_AGENT, "out of memory");
        if (agentless_test_options_parse(job->config->agent_args, &options) < 0) {
                json_decref(tests);
                return fail_host(&result->failure, HOST_STAGE_AGENT,
                                 "agentless mode cannot pass on these options");
        }
        options.firewall = agentless_firewall(job); /* --firewall, else the inventory's */
        r = agentless_judge(first, TETHER_POLICY_BIND, false, &facts, &judgement, &error);
        if (r < 0) {
                json_decref(tests);
                return fail_host(&result->failure, HOST_STAGE_PARSE, "the host's agentless answer: %s",
                                 error.text);
        }
        if (options.scenario == TETHER_TEST_SCENARIO_FLUSH) {
                json_decref(tests);
                tether_error_set(
                        &error, -EOPNOTSUPP,
                        "test --scenario flush proves tether-watch.service, which needs the agent; use "
                        "--mode agent");
                return agentless_refused(job, &(struct agentless_judged){facts, judgement}, -EOPNOTSUPP,
                                         &error);
        }
        for (size_t i = 0; i < judgement->n_firewalls; i++) {
                const struct tether_firewall_judgement *firewall = &judgement->firewalls[i];
                _cleanup_free_ char *unit = NULL;
                const char *why;
                json_t *entry;
                bool passed;

                if (!tether_test_takes(firewall, options.firewall))
                        continue;
                any = true;
                why = tether_test_refusal(facts, judgement, firewall, options.scenario);
                if (why) {
                        json_array_append_new(tests,
                                              tether_test_refused_entry(firewall->unit->id, why, facts));
                        all_passed = false;
                        break;
                }
                unit = strdup(firewall->unit->id);
                if (!unit) {
                        json_decref(tests);
                        return fail_host(&result->failure, HOST_STAGE_AGENT, "out of memory");
                }
                sections = tether_sections_free(sections);
                r = agentless_test_run(job, unit, &options, &sections);
                if (r < 0) {
                        json_decref(tests);
                        return r;
                }
                r = agentless_test_entry(sections, facts, unit, &options, &entry, &passed, &error);
                /* The host as this test left it, for the next unit and the report. */
                facts = tether_host_facts_free(facts);
                judgement = tether_judgement_free(judgement);
                if (r >= 0 || r == -EBUSY)
                        r = agentless_judge(sections, TETHER_POLICY_BIND, false, &facts, &judgement,
                                            &error) < 0
                                    ? -EBADMSG
                                    : r;
                if (r == -EBUSY) {
                        json_decref(tests);
                        return agentless_refused(job, &(struct agentless_judged){facts, judgement}, r,
                                                 &error);
                }
                if (r < 0) {
                        json_decref(tests);
                        return fail_host(&result->failure, HOST_STAGE_PARSE,
                                         "the host's agentless answer: %s", error.text);
                }
                json_array_append_new(tests, entry);
                all_passed = all_passed && passed;
                if (!passed)
                        break;
        }
        return agentless_test_document(job, &(struct agentless_judged){facts, judgement}, tests, any,
                                       all_passed);
}

/* --mode auto: a host that cannot run the agent is audited, changed,
 * tested or reverted without it. */
static bool falls_back_to_agentless(const struct host_job *job) {
        return job->config->mode == RUN_MODE_AUTO && !job->result->installed_agent &&
               looks_incompatible(&job->run);
}

/* Runs the agent and judges what came back: sudo's failures, then the
 * agent's document; or, when the connection broke once the agent may
 * have started, what the read-back learnt. Agentless, the scripts. */
static int run_and_judge(struct host_job *job) {
        struct host_result *result = job->result;
        int r;

        if (job->agentless)
                return run_agentless(job);
        r = run_agent(job->session, job->config, job->command, job->input.sudo_prompt ? &job->input : NULL,
                      job->deadline, &job->run, result);
        if (r == -ECONNRESET && !host_failed(&result->failure))
                return read_back(job);
        if (r < 0)
                return r;
        log_debug("%s: agent exited %d after %llu ms%s%s", result->host->name, job->run.exit_status,
                  (unsigned long long)result->agent_ms, result->uploaded ? ", deployed first" : "",
                  result->installed_agent ? ", the one installed" : "");
        if (falls_back_to_agentless(job)) {
                log_info("%s: the agent cannot run here; going on without it (agentless)",
                         result->host->name);
                r = make_agentless_command(job);
                return r < 0 ? r : run_agentless(job);
        }
        if (job->sudo) {
                r = judge_sudo(&job->run, job->input.sudo_prompt, job->user ? job->user : "the user",
                               result->host->address, &result->failure);
                if (r < 0)
                        return r;
        }
        return judge_document(result, &job->run);
}

/* A test refused only because docker's start limit is near (by the agent,
 * or agentless by the controller) is tried again once the limit has room,
 * if the host's time allows; the second answer is the one kept. */
static void retry_refused_test(struct host_job *job) {
        struct host_result *result = job->result;
        unsigned retry = refused_test_retry_seconds(result);

        /* A result read back came over a connection that is gone. */
        if (retry == 0 || result->cut_off.step ||
            tether_now_usec() + (retry + 30) * 1000000ULL >= job->deadline || stopping(job->config))
                return;
        log_info("%s: docker.service is near its start limit; testing in %us, when it has room",
                 result->host->name, retry);
        for (unsigned waited = 0; waited < retry && !stopping(job->config); waited++)
                sleep(1);
        if (stopping(job->config))
                return;
        json_decref(result->agent);
        result->agent = NULL;
        result->verdict = HOST_VERDICT_NONE;
        /* Agentless, the command is the gathering script, whose answer is
         * sections, not the agent's document: it is run and judged again
         * as the first time. */
        if (job->agentless) {
                (void)run_agentless(job);
                return;
        }
        if (run_agent(job->session, job->config, job->command, job->input.sudo_prompt ? &job->input : NULL,
                      job->deadline, &job->run, result) < 0)
                return;
        (void)judge_document(result, &job->run);
}

void host_job_run(const struct run_config *config, struct host_result *result) {
        struct host_job job = {
                .config = config,
                .result = result,
                .started = tether_now_usec(),
        };

        job.deadline = job.started + (uint64_t)config->host_timeout_sec * 1000000ULL;
        result->agent_exit = -1;
        result->installed_agent = installed_agent(config, result->host);
        /* Known before connecting, so a host that cannot be reached says it too;
         * --mode auto sets it when it goes on without the agent. */
        result->agentless = config->mode == RUN_MODE_AGENTLESS;
        if (result->host->refusal)
                (void)fail_host(&result->failure, HOST_STAGE_INVENTORY, "%s", result->host->refusal);
        else if (connect_host(&job) >= 0 && make_command(&job) >= 0 && run_and_judge(&job) >= 0)
                retry_refused_test(&job);

        host_job_clear(&job);
        result->total_ms = ms_since(job.started);
        if (host_failed(&result->failure) && result->verdict == HOST_VERDICT_NONE)
                result->verdict =
                        host_stage_unreachable(result->failure.stage) && !result->failure.tethers_own
                                ? HOST_VERDICT_UNREACHABLE
                                : HOST_VERDICT_ERROR;
}

void host_result_clear(struct host_result *result) {
        json_decref(result->agent);
        result->agent = NULL;
}
