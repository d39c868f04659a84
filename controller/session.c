/* SPDX-License-Identifier: MIT */
/*
 * One SSH session to one host: connect under a timeout, check the host key
 * strictly, authenticate by key. Precedence of settings, highest first:
 * the command line (--user, --identity, --known-hosts), the inventory's
 * host and defaults, ~/.ssh/config or --ssh-config FILE (HostName, Port,
 * User, IdentityFile, ProxyJump, ProxyCommand), then libssh's defaults (port
 * 22, the local user, ssh-agent and ~/.ssh/id_*). '~' is $HOME everywhere,
 * libssh's ~/.ssh included (it would take the passwd entry's home, which
 * differs from $HOME on CI runners and in containers). libssh reads ~/.ssh/config first and the
 * inventory's values are set after it, so they win.
 */
#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "bastion.h"
#include "fileio.h"
#include "host-key.h"
#include "macro.h"
#include "nofile.h"
#include "session.h"
#include "ssh-log.h"
#include "time-util.h"

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
        int verbosity = ssh_log_verbosity(config->ssh_log), no = 0;

        /* The address as the host, so ~/.ssh/config's Host patterns can match it. */
        if (ssh_options_set(session, SSH_OPTIONS_HOST, host->address) < 0 ||
            ssh_options_set(session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) < 0 ||
            set_path_option(session, SSH_OPTIONS_SSH_DIR, "~/.ssh") < 0)
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

/* The first line of one of files that has word as a whole word, for a
 * message: "FILE line N". libssh says what it refused, not where. */
static void where_is_word(const char *const *files, size_t n_files, const char *word, char *where,
                          size_t size) {
        size_t length = strlen(word);

        snprintf(where, size, "%s", files[0] ? files[0] : "ssh_config");
        for (size_t f = 0; f < n_files && length > 0; f++) {
                _cleanup_free_ char *text = NULL;
                unsigned number = 1;

                if (!files[f] || tether_read_file(files[f], 1u << 20, &text, NULL, NULL) < 0)
                        continue;
                for (const char *p = text; (p = strstr(p, word)); p += length) {
                        bool starts = p == text || strchr(" \t=\n\"", p[-1]);
                        bool ends = strchr(" \t=\n\"", p[length]) != NULL;

                        if (starts && ends) {
                                for (const char *q = text; q < p; q++)
                                        number += *q == '\n';
                                snprintf(where, size, "%s line %u", files[f], number);
                                return;
                        }
                }
        }
}

int session_check_config(const char *ssh_config, struct tether_error *error) {
        _cleanup_free_ char *path = ssh_config ? session_expand_path(ssh_config) : NULL;
        _cleanup_free_ char *user_config = NULL, *word = NULL;
        int verbosity = SSH_LOG_NOLOG;
        ssh_session session;
        char where[4200];
        const char *text, *quote;
        int r = 0;

        if (ssh_config && !path)
                return tether_error_set(error, -ENOMEM, "out of memory");
        session = ssh_new();
        if (!session)
                return tether_error_set(error, -ENOMEM, "out of memory");
        if (ssh_options_set(session, SSH_OPTIONS_HOST, "tether-ssh-config-check") < 0 ||
            ssh_options_set(session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) < 0 ||
            set_path_option(session, SSH_OPTIONS_SSH_DIR, "~/.ssh") < 0 ||
            ssh_options_parse_config(session, path) == 0) {
                ssh_free(session);
                return 0;
        }
        /* libssh names the word it refused in quotes: find its line. */
        text = ssh_get_error(session);
        if (strncmp(text, "ERROR - ", 8) == 0)
                text += 8;
        quote = strchr(text, '\'');
        if (quote && strchr(quote + 1, '\''))
                word = strndup(quote + 1, (size_t)(strchr(quote + 1, '\'') - quote - 1));
        {
                const char *files[2] = {path, NULL};

                if (!path && (user_config = session_expand_path("~/.ssh/config")))
                        files[0] = user_config, files[1] = "/etc/ssh/ssh_config";
                where_is_word(files, ELEMENTSOF(files), word ? word : "", where, sizeof(where));
        }
        r = tether_error_set(error, -EINVAL,
                             "%s: %s. tether reads ssh_config with libssh, which does not take this line: "
                             "change it, or give tether a file of its own with --ssh-config",
                             where, text);
        ssh_free(session);
        return r;
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

/* Sessions whose socket is a bastion's tunnel: libssh does not close a
 * socket it was given (SSH_OPTIONS_FD), so session_close() does. */
static pthread_mutex_t tunnels_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tunnel_socket {
        ssh_session session;
        int fd;
} * tunnel_sockets;
static size_t n_tunnel_sockets;

static int remember_tunnel(ssh_session session, int fd) {
        struct tunnel_socket *grown;

        pthread_mutex_lock(&tunnels_lock);
        grown = realloc(tunnel_sockets, (n_tunnel_sockets + 1) * sizeof(*grown));
        if (grown) {
                tunnel_sockets = grown;
                tunnel_sockets[n_tunnel_sockets++] = (struct tunnel_socket){session, fd};
        }
        pthread_mutex_unlock(&tunnels_lock);
        return grown ? 0 : -ENOMEM;
}

/* The tunnel socket of session, forgotten; -1 when it has none. */
static int forget_tunnel(ssh_session session) {
        int fd = -1;

        pthread_mutex_lock(&tunnels_lock);
        for (size_t i = 0; i < n_tunnel_sockets; i++)
                if (tunnel_sockets[i].session == session) {
                        fd = tunnel_sockets[i].fd;
                        tunnel_sockets[i] = tunnel_sockets[--n_tunnel_sockets];
                        break;
                }
        if (n_tunnel_sockets == 0) {
                free(tunnel_sockets);
                tunnel_sockets = NULL;
        }
        pthread_mutex_unlock(&tunnels_lock);
        return fd;
}

static void session_free(ssh_session session) {
        int fd = forget_tunnel(session);

        ssh_free(session);
        if (fd >= 0)
                close(fd);
}

/* The jump spec of a session: the one given, else ProxyJump from
 * ssh_config (which libssh 0.10 turned into an `ssh -W` ProxyCommand, here
 * replaced by the built-in jump). A new string, or NULL to connect
 * directly. */
static char *jump_spec_of(ssh_session session, const char *given) {
        char *command = NULL, *spec;

        if (given)
                return strdup(given);
        if (ssh_options_get(session, SSH_OPTIONS_PROXYCOMMAND, &command) != SSH_OK)
                return NULL;
        spec = bastion_spec_of_proxy_command(command);
        ssh_string_free_char(command);
        return spec;
}

/* Routes the session through its bastions: a tunnel as its socket. */
static int use_tunnel(ssh_session session, const struct run_config *config, const struct tether_host *host,
                      const char *jump, unsigned port, struct host_failure *failure) {
        uint64_t deadline = tether_now_usec() + (uint64_t)config->connect_timeout_sec * 1000000u;
        char *name = NULL;
        int fd = -1, r;

        if (ssh_options_get(session, SSH_OPTIONS_HOST, &name) != SSH_OK)
                return fail_host(failure, HOST_STAGE_CONNECT, "cannot read the host name of %s",
                                 host->address);
        r = bastions_tunnel(config, jump, host, name, port, deadline, &fd, failure);
        ssh_string_free_char(name);
        if (r < 0)
                return r;
        if (ssh_options_set(session, SSH_OPTIONS_PROXYCOMMAND, "none") < 0 ||
            ssh_options_set(session, SSH_OPTIONS_FD, &fd) < 0 || remember_tunnel(session, fd) < 0) {
                close(fd);
                return fail_host(failure, HOST_STAGE_CONNECT, "cannot set up a session for %s: %s",
                                 host->address, ssh_get_error(session));
        }
        return 0;
}

/* Opens a session to host as user, with identity and known_hosts, through
 * jump (NULL: ssh_config's ProxyJump, if any, when follow_config_jump). */
static int open_session(const struct run_config *config, const struct tether_host *host, const char *user,
                        const char *identity, const char *known_hosts, const char *jump,
                        bool follow_config_jump, ssh_session *ret, struct host_failure *failure) {
        _cleanup_free_ char *known_hosts_path = NULL, *spec = NULL;
        _cleanup_close_ int narrowed_fd = -1;
        unsigned port = 22;
        ssh_session session;
        int r;

        ssh_log_use(config->ssh_log, host->name);
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
        spec = jump_spec_of(session, jump);
        if (spec && !jump && !follow_config_jump) {
                /* A bastion's own ProxyJump: neither followed nor left to `ssh -W`. */
                free(spec);
                spec = NULL;
                if (ssh_options_set(session, SSH_OPTIONS_PROXYCOMMAND, "none") < 0) {
                        ssh_free(session);
                        return fail_host(failure, HOST_STAGE_CONNECT, "cannot set up a session for %s",
                                         host->address);
                }
        }
        if (spec) {
                r = use_tunnel(session, config, host, spec, port, failure);
                /* Connecting the bastions logged as them, in this thread. */
                ssh_log_use(config->ssh_log, host->name);
                if (r < 0) {
                        ssh_free(session);
                        return r;
                }
        }

        narrowed_fd = host_key_narrow(session, known_hosts_path, port);
        if (ssh_connect(session) != SSH_OK) {
                const char *text = ssh_get_error(session);

                if (spec)
                        r = fail_host(failure, HOST_STAGE_CONNECT,
                                      "no SSH session with %s port %u through the bastion %s: %s",
                                      host->address, port, spec, text);
                else
                        r = fail_host(failure, HOST_STAGE_CONNECT, "cannot connect to %s port %u: %s (%s)",
                                      host->address, port, text, describe_connect_error(text));
                r = fail_if_out_of_fds(r, session, failure);
                session_free(session);
                return r;
        }
        r = host_key_check(session, config, host->address, port,
                           known_hosts_path ? known_hosts_path : "~/.ssh/known_hosts", spec, failure);
        /* The memfd closes below, and its number may name another file then. */
        if (narrowed_fd >= 0 && ssh_options_set(session, SSH_OPTIONS_KNOWNHOSTS, known_hosts_path) < 0 &&
            r >= 0)
                r = fail_host(failure, HOST_STAGE_HOSTKEY, "cannot set up a session for %s: %s",
                              host->address, ssh_get_error(session));
        if (r >= 0)
                r = auth_login(session,
                               &(struct auth_request){
                                       .ssh_config = config->ssh_config,
                                       .config_host = host->address,
                                       .identity_file = identity,
                                       .identities_only = host->identities_only,
                                       .user = user,
                                       .address = host->address,
                               },
                               failure);
        if (r < 0) {
                r = fail_if_out_of_fds(r, session, failure);
                ssh_disconnect(session);
                session_free(session);
                return r;
        }
        *ret = session;
        return 0;
}

int session_open(const struct run_config *config, const struct tether_host *host, ssh_session *ret,
                 struct host_failure *failure) {
        return open_session(config, host, config->user ? config->user : host->user,
                            config->identity_file ? config->identity_file : host->identity_file,
                            config->known_hosts ? config->known_hosts : host->known_hosts,
                            config->jump ? config->jump : host->jump, true, ret, failure);
}

int session_open_hop(const struct run_config *config, const struct tether_host *hop, ssh_session *ret,
                     struct host_failure *failure) {
        return open_session(config, hop, hop->user,
                            config->identity_file ? config->identity_file : hop->identity_file,
                            config->known_hosts ? config->known_hosts : hop->known_hosts, hop->jump, false,
                            ret, failure);
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
                session_free(session);
        }
        return NULL;
}
