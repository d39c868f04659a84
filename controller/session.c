/* SPDX-License-Identifier: MIT */
/*
 * One SSH session to one host: connect under a timeout, check the host key
 * strictly, authenticate by key. Precedence of settings, highest first:
 * the command line (--user, --identity, --known-hosts), the inventory's
 * host and defaults, ~/.ssh/config or --ssh-config FILE (HostName, Port,
 * User, IdentityFile, ProxyJump, ProxyCommand; ~ is the passwd entry's home,
 * as for OpenSSH, not $HOME), then libssh's defaults (port 22, the local user,
 * ssh-agent and ~/.ssh/id_*). libssh reads ~/.ssh/config first and the
 * inventory's values are set after it, so they win.
 */
#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nofile.h"
#include "session.h"
#include "time-util.h"

/* libssh appends to known_hosts without locking: one writer at a time. */
static pthread_mutex_t known_hosts_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *home_directory(void) {
        const char *home = getenv("HOME");
        struct passwd *pw;

        if (home && home[0] == '/')
                return home;
        pw = getpwuid(getuid());
        return pw ? pw->pw_dir : "/";
}

char *session_expand_path(const char *path) {
        char *expanded = NULL;

        if (path[0] == '~' && (path[1] == '/' || path[1] == '\0')) {
                if (asprintf(&expanded, "%s%s", home_directory(), path + 1) < 0)
                        return NULL;
                return expanded;
        }
        return strdup(path);
}

static int set_path_option(ssh_session session, enum ssh_options_e option, const char *path) {
        _cleanup_free_ char *expanded = session_expand_path(path);

        if (!expanded)
                return -ENOMEM;
        return ssh_options_set(session, option, expanded) < 0 ? -EINVAL : 0;
}

static char *fingerprint(ssh_session session) {
        ssh_key key = NULL;
        unsigned char *hash = NULL;
        size_t length = 0;
        char *text = NULL;

        if (ssh_get_server_publickey(session, &key) < 0)
                return NULL;
        if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == 0)
                text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
        ssh_clean_pubkey_hash(&hash);
        ssh_key_free(key);
        return text;
}

static int check_host_key(ssh_session session, const struct run_config *config, const char *address,
                          unsigned port, const char *known_hosts, struct host_failure *failure) {
        _cleanup_free_ char *print = fingerprint(session);
        const char *shown = print ? print : "(unknown)";
        char where[300];
        int r;

        if (port == 22)
                snprintf(where, sizeof(where), "%s", address);
        else
                snprintf(where, sizeof(where), "[%s]:%u", address, port);

        switch (ssh_session_is_known_server(session)) {
        case SSH_KNOWN_HOSTS_OK:
                return 0;
        case SSH_KNOWN_HOSTS_CHANGED:
                return fail_host(
                        failure, HOST_STAGE_HOSTKEY,
                        "the host key of %s has CHANGED (now %s): this may be an attack, or the host was "
                        "reinstalled. Check the new key out of band; if it is right, remove the old one "
                        "with: ssh-keygen -R '%s' -f %s",
                        where, shown, where, known_hosts);
        case SSH_KNOWN_HOSTS_OTHER:
                return fail_host(
                        failure, HOST_STAGE_HOSTKEY,
                        "%s offers a key of another type (%s) than the one recorded in %s: this may be an "
                        "attack. Check the key out of band before trusting it",
                        where, shown, known_hosts);
        case SSH_KNOWN_HOSTS_UNKNOWN:
        case SSH_KNOWN_HOSTS_NOT_FOUND:
                if (!config->accept_new_host_keys)
                        return fail_host(
                                failure, HOST_STAGE_HOSTKEY,
                                "the host key of %s is not known (%s). Check it, then accept it with: "
                                "ssh-keyscan -p %u %s >> %s, or run with --accept-new-host-keys",
                                where, shown, port, address, known_hosts);
                pthread_mutex_lock(&known_hosts_lock);
                r = ssh_session_update_known_hosts(session);
                pthread_mutex_unlock(&known_hosts_lock);
                if (r < 0)
                        return fail_host(failure, HOST_STAGE_HOSTKEY,
                                         "cannot record the host key of %s in %s: %s", where, known_hosts,
                                         ssh_get_error(session));
                return 0;
        case SSH_KNOWN_HOSTS_ERROR:
        default:
                return fail_host(failure, HOST_STAGE_HOSTKEY,
                                 "cannot check the host key of %s against %s: %s", where, known_hosts,
                                 ssh_get_error(session));
        }
}

static int authenticate(ssh_session session, const char *identity_file, const char *user,
                        const char *address, struct host_failure *failure) {
        int r;

        if (identity_file) {
                _cleanup_free_ char *path = session_expand_path(identity_file);
                ssh_key key = NULL;

                if (!path)
                        return fail_host(failure, HOST_STAGE_AUTH, "out of memory");
                if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) != SSH_OK)
                        return fail_host(
                                failure, HOST_STAGE_AUTH,
                                "cannot read the private key %s (missing, unreadable, or protected by a "
                                "passphrase: load it into ssh-agent instead)",
                                path);
                r = ssh_userauth_publickey(session, NULL, key);
                ssh_key_free(key);
                if (r == SSH_AUTH_SUCCESS)
                        return 0;
                if (r == SSH_AUTH_ERROR)
                        return fail_host(failure, HOST_STAGE_CONNECT, "%s: %s", address,
                                         ssh_get_error(session));
        }

        /* ssh-agent, then the IdentityFile entries of ~/.ssh/config and ~/.ssh/id_*. */
        r = ssh_userauth_publickey_auto(session, NULL, NULL);
        if (r == SSH_AUTH_SUCCESS)
                return 0;
        if (r == SSH_AUTH_ERROR)
                return fail_host(failure, HOST_STAGE_CONNECT, "%s: %s", address, ssh_get_error(session));
        return fail_host(
                failure, HOST_STAGE_AUTH,
                "%s@%s refused every key tried (%s%sssh-agent, ~/.ssh/config's IdentityFile, ~/.ssh/id_*): "
                "add the key to the user's authorized_keys, or name the right one with --identity or "
                "identity_file",
                user ? user : "(default user)", address, identity_file ? identity_file : "",
                identity_file ? ", " : "");
}

static const char *describe_connect_error(const char *text) {
        if (strstr(text, "refused"))
                return "nothing listens there: is sshd running, is the port right?";
        if (strstr(text, "imeout") || strstr(text, "timed out"))
                return "no answer in time: is the host up and the address right, or is a firewall dropping "
                       "packets?";
        if (strstr(text, "resolve"))
                return "the name does not resolve: check the address in the inventory";
        if (strstr(text, "unreachable"))
                return "no route to the host: check the address and the network";
        return "check the address, the port and that sshd runs";
}

/* Sets session up for host: ~/.ssh/config (or --ssh-config FILE) first,
 * then what the inventory and the command line say, which win. */
static int configure(ssh_session session, const struct run_config *config, const struct tether_host *host,
                     const char *user, const char *known_hosts, struct host_failure *failure) {
        long timeout = (long)config->connect_timeout_sec;
        int verbosity = SSH_LOG_NOLOG, no = 0;

        /* The address as the host, so ~/.ssh/config's Host patterns can match it. */
        if (ssh_options_set(session, SSH_OPTIONS_HOST, host->address) < 0 ||
            ssh_options_set(session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) < 0)
                goto invalid;
        if (config->ssh_config) {
                _cleanup_free_ char *path = session_expand_path(config->ssh_config);

                if (!path || access(path, R_OK) < 0)
                        return fail_host(failure, HOST_STAGE_CONNECT, "cannot read the SSH configuration %s",
                                         path ? path : config->ssh_config);
                if (ssh_options_parse_config(session, path) < 0)
                        goto invalid;
        } else if (ssh_options_parse_config(session, NULL) < 0)
                goto invalid;
        if (host->port > 0 && ssh_options_set(session, SSH_OPTIONS_PORT, &host->port) < 0)
                goto invalid;
        if (user && ssh_options_set(session, SSH_OPTIONS_USER, user) < 0)
                goto invalid;
        if (known_hosts && set_path_option(session, SSH_OPTIONS_KNOWNHOSTS, known_hosts) < 0)
                goto invalid;
        if (ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout) < 0 ||
            ssh_options_set(session, SSH_OPTIONS_PASSWORD_AUTH, &no) < 0 ||
            ssh_options_set(session, SSH_OPTIONS_KBDINT_AUTH, &no) < 0 ||
            ssh_options_set(session, SSH_OPTIONS_GSSAPI_AUTH, &no) < 0)
                goto invalid;
        return 0;

invalid:
        return fail_host(failure, HOST_STAGE_CONNECT, "cannot set up a session for %s: %s", host->address,
                         ssh_get_error(session));
}

/* The known_hosts file the session checks keys against, for messages: the
 * one given, expanded, or libssh's own; NULL when unknown. */
static char *known_hosts_of(ssh_session session, const char *known_hosts) {
        char *path = NULL, *copy;

        if (known_hosts)
                return session_expand_path(known_hosts);
        if (ssh_options_get(session, SSH_OPTIONS_KNOWNHOSTS, &path) != SSH_OK)
                return NULL;
        copy = strdup(path);
        ssh_string_free_char(path);
        return copy;
}

/* A session that failed because tether itself is out of file descriptors
 * (libssh says "Socket create failed: Too many open files", "Couldn't apply
 * options", or finds no known_hosts to read) is tether's failure, not the
 * host's: it replaces what failure held. r otherwise. */
static int fail_if_out_of_fds(int r, ssh_session session, struct host_failure *failure) {
        const char *text = session ? ssh_get_error(session) : NULL;

        if (!nofile_exhausted() && !(text && strstr(text, strerror(EMFILE))))
                return r;
        *failure = (struct host_failure){};
        r = fail_host(failure, HOST_STAGE_CONNECT,
                      "tether itself ran out of file descriptors (%s) before it could connect: lower -j, "
                      "or raise ulimit -n",
                      strerror(EMFILE));
        failure->tethers_own = true;
        return r;
}

int session_open(const struct run_config *config, const struct tether_host *host, ssh_session *ret,
                 struct host_failure *failure) {
        const char *user = config->user ? config->user : host->user;
        const char *identity = config->identity_file ? config->identity_file : host->identity_file;
        const char *known_hosts = config->known_hosts ? config->known_hosts : host->known_hosts;
        _cleanup_free_ char *known_hosts_path = NULL;
        unsigned port = 22;
        ssh_session session;
        int r;

        session = ssh_new();
        if (!session)
                return fail_host(failure, HOST_STAGE_CONNECT, "out of memory");
        r = configure(session, config, host, user, known_hosts, failure);
        if (r < 0) {
                r = fail_if_out_of_fds(r, session, failure);
                ssh_free(session);
                return r;
        }
        (void)ssh_options_get_port(session, &port);
        known_hosts_path = known_hosts_of(session, known_hosts);

        if (ssh_connect(session) != SSH_OK) {
                const char *text = ssh_get_error(session);

                r = fail_host(failure, HOST_STAGE_CONNECT, "cannot connect to %s port %u: %s (%s)",
                              host->address, port, text, describe_connect_error(text));
                r = fail_if_out_of_fds(r, session, failure);
                ssh_free(session);
                return r;
        }
        r = check_host_key(session, config, host->address, port,
                           known_hosts_path ? known_hosts_path : "~/.ssh/known_hosts", failure);
        if (r >= 0)
                r = authenticate(session, identity, user, host->address, failure);
        if (r < 0) {
                r = fail_if_out_of_fds(r, session, failure);
                ssh_disconnect(session);
                ssh_free(session);
                return r;
        }
        *ret = session;
        return 0;
}

int session_wait_until(ssh_session session, uint64_t deadline) {
        uint64_t now = tether_now_usec();
        uint64_t left = deadline > now + 1000 ? deadline - now : 1000;
        /* libssh adds the two; 0 and 0 would be its own default of 10 s. */
        long seconds = (long)(left / 1000000), microseconds = (long)(left % 1000000);

        if (ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &seconds) < 0 ||
            ssh_options_set(session, SSH_OPTIONS_TIMEOUT_USEC, &microseconds) < 0)
                return -EINVAL;
        return 0;
}

ssh_session session_close(ssh_session session) {
        if (session) {
                ssh_disconnect(session);
                ssh_free(session);
        }
        return NULL;
}
