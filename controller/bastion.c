/* SPDX-License-Identifier: MIT */
/*
 * Jump hosts, built in. For "jump": "deploy@bastion:22" every host behind
 * the bastion shares one authenticated session to it; each host's own SSH
 * session runs over a socketpair whose other end a pump thread copies to
 * and from a direct-tcpip channel of that session:
 *
 *   worker: host session <-> fd ==socketpair== fd <-> channel (pump) <-> bastion session <-> bastion sshd
 * <-> host
 *
 * One session instead of one `ssh -W` process per host keeps a fleet
 * within the bastion's MaxStartups, and every error says which hop failed.
 * libssh sessions are not thread-safe, so after login a bastion's session
 * belongs to its pump alone; workers hand it requests under the lock and
 * wait for the answer. The session is non-blocking, so a host that the
 * bastion cannot reach delays no other host. A chain ("edge,bastion")
 * reaches its last bastion through a tunnel of the chain before it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bastion.h"
#include "jump.h"
#include "macro.h"
#include "session.h"
#include "ssh-log.h"
#include "time-util.h"

#define TUNNEL_BUFFER 32768
#define PUMP_TICK_MS 100

struct tunnel {
        struct tunnel *next;
        ssh_channel channel;
        int fd; /* the pump's end of the socketpair */
        char *address;
        unsigned port;
        uint64_t open_deadline;
        bool open, fd_eof;
        size_t to_channel_length;
        char to_channel[TUNNEL_BUFFER];
        size_t to_fd_length, to_fd_offset;
        char to_fd[TUNNEL_BUFFER];
        /* The answer to the waiting worker, under the lock. */
        bool answered;
        int result;
        char error[512];
};

enum bastion_state { BASTION_CONNECTING, BASTION_UP, BASTION_FAILED };

struct bastion {
        struct bastion *next;
        char *spec;
        enum bastion_state state;
        struct host_failure failure; /* when BASTION_FAILED */
        ssh_session session;
        pthread_t pump;
        bool pump_started, stopping;
        bool ssh_log;            /* -vv */
        int wake[2];             /* a pipe: a new request, or stop */
        struct tunnel *requests; /* not yet taken by the pump */
};

struct bastions {
        pthread_mutex_t lock;
        pthread_cond_t changed;
        struct bastion *list;
};

struct bastions *bastions_new(void) {
        struct bastions *bastions = calloc(1, sizeof(*bastions));

        if (!bastions)
                return NULL;
        pthread_mutex_init(&bastions->lock, NULL);
        pthread_cond_init(&bastions->changed, NULL);
        return bastions;
}

static void tunnel_free(struct tunnel *tunnel) {
        if (!tunnel)
                return;
        if (tunnel->channel) {
                if (tunnel->open)
                        ssh_channel_close(tunnel->channel);
                ssh_channel_free(tunnel->channel);
        }
        if (tunnel->fd >= 0)
                close(tunnel->fd);
        free(tunnel->address);
        free(tunnel);
}

/* ---- the pump ---------------------------------------------------------- */

/* Tells the waiting worker; after a failure the tunnel is the worker's,
 * and may be gone as soon as the lock is released. */
static void answer(struct bastions *bastions, struct tunnel *tunnel, int result, const char *error) {
        pthread_mutex_lock(&bastions->lock);
        tunnel->result = result;
        if (error)
                snprintf(tunnel->error, sizeof(tunnel->error), "%s", error);
        tunnel->answered = true;
        pthread_cond_broadcast(&bastions->changed);
        pthread_mutex_unlock(&bastions->lock);
}

/* Asks the bastion to open the tunnel's channel. false when it failed:
 * the caller unlinks the tunnel, then answers the worker with
 * tunnel->result and tunnel->error (the worker frees it on that answer). */
static bool step_opening(struct bastions *bastions, struct bastion *bastion, struct tunnel *tunnel) {
        int r;

        if (!tunnel->channel)
                tunnel->channel = ssh_channel_new(bastion->session);
        if (!tunnel->channel) {
                tunnel->result = -ENOMEM;
                snprintf(tunnel->error, sizeof(tunnel->error), "out of memory");
                return false;
        }
        r = ssh_channel_open_forward(tunnel->channel, tunnel->address, (int)tunnel->port, "127.0.0.1", 22);
        if (r == SSH_OK) {
                tunnel->open = true;
                answer(bastions, tunnel, 0, NULL);
                return true;
        }
        if (r == SSH_AGAIN && tether_now_usec() < tunnel->open_deadline)
                return true;
        if (r == SSH_AGAIN)
                snprintf(tunnel->error, sizeof(tunnel->error),
                         "no answer from the bastion within --connect-timeout");
        else
                snprintf(tunnel->error, sizeof(tunnel->error), "%s", ssh_get_error(bastion->session));
        tunnel->result = r == SSH_AGAIN ? -ETIMEDOUT : -EHOSTUNREACH;
        ssh_channel_free(tunnel->channel);
        tunnel->channel = NULL;
        return false;
}

/* Copies what is ready each way. false when the tunnel is over: the host
 * session closed its end, or the bastion closed the channel. */
static bool step_open(struct tunnel *tunnel) {
        ssize_t n;
        int w;

        if (!tunnel->fd_eof && tunnel->to_channel_length == 0) {
                n = read(tunnel->fd, tunnel->to_channel, sizeof(tunnel->to_channel));
                if (n > 0)
                        tunnel->to_channel_length = (size_t)n;
                else if (n == 0 || (errno != EAGAIN && errno != EINTR))
                        tunnel->fd_eof = true;
        }
        if (tunnel->to_channel_length > 0) {
                w = ssh_channel_write(tunnel->channel, tunnel->to_channel,
                                      (uint32_t)tunnel->to_channel_length);
                if (w < 0)
                        return false;
                memmove(tunnel->to_channel, tunnel->to_channel + w, tunnel->to_channel_length - (size_t)w);
                tunnel->to_channel_length -= (size_t)w;
        }
        /* The host session is gone: nothing more to carry. */
        if (tunnel->fd_eof && tunnel->to_channel_length == 0)
                return false;

        if (tunnel->to_fd_offset == tunnel->to_fd_length) {
                tunnel->to_fd_offset = tunnel->to_fd_length = 0;
                n = ssh_channel_read_nonblocking(tunnel->channel, tunnel->to_fd, sizeof(tunnel->to_fd), 0);
                if (n > 0)
                        tunnel->to_fd_length = (size_t)n;
                else if (n == SSH_ERROR || n == SSH_EOF || ssh_channel_is_eof(tunnel->channel) ||
                         ssh_channel_is_closed(tunnel->channel))
                        return false;
        }
        if (tunnel->to_fd_offset < tunnel->to_fd_length) {
                /* send(), not write(): a host session that closed its end
                 * must not raise SIGPIPE. */
                n = send(tunnel->fd, tunnel->to_fd + tunnel->to_fd_offset,
                         tunnel->to_fd_length - tunnel->to_fd_offset, MSG_NOSIGNAL);
                if (n > 0)
                        tunnel->to_fd_offset += (size_t)n;
                else if (n < 0 && errno != EAGAIN && errno != EINTR)
                        return false;
        }
        return true;
}

static short tunnel_events(const struct tunnel *tunnel) {
        short events = 0;

        if (tunnel->open && !tunnel->fd_eof && tunnel->to_channel_length == 0)
                events |= POLLIN;
        if (tunnel->to_fd_offset < tunnel->to_fd_length)
                events |= POLLOUT;
        return events;
}

/* Waits until a socket, a request or a tick wants the pump. */
static void pump_wait(struct bastion *bastion, const struct tunnel *tunnels) {
        struct pollfd fds[1024];
        nfds_t n = 0;
        char drain[64];

        fds[n++] = (struct pollfd){.fd = bastion->wake[0], .events = POLLIN};
        fds[n++] = (struct pollfd){
                .fd = ssh_get_fd(bastion->session),
                .events =
                        (short)(POLLIN |
                                ((ssh_get_poll_flags(bastion->session) & SSH_WRITE_PENDING) ? POLLOUT : 0))};
        for (const struct tunnel *t = tunnels; t && n < ELEMENTSOF(fds); t = t->next)
                if (tunnel_events(t))
                        fds[n++] = (struct pollfd){.fd = t->fd, .events = tunnel_events(t)};
        if (poll(fds, n, PUMP_TICK_MS) > 0 && (fds[0].revents & POLLIN))
                while (read(bastion->wake[0], drain, sizeof(drain)) > 0)
                        ;
}

struct pump_args {
        struct bastions *bastions;
        struct bastion *bastion;
};

static void *pump(void *userdata) {
        struct pump_args args = *(struct pump_args *)userdata;
        struct bastion *bastion = args.bastion;
        struct tunnel *tunnels = NULL;

        free(userdata);
        ssh_log_use(bastion->ssh_log, bastion->spec);
        for (;;) {
                struct tunnel **link = &tunnels;
                bool stopping;

                pthread_mutex_lock(&args.bastions->lock);
                while (bastion->requests) {
                        struct tunnel *t = bastion->requests;

                        bastion->requests = t->next;
                        t->next = tunnels;
                        tunnels = t;
                }
                stopping = bastion->stopping;
                pthread_mutex_unlock(&args.bastions->lock);
                if (stopping)
                        break;

                link = &tunnels;
                while (*link) {
                        struct tunnel *t = *link;
                        bool keep = t->open ? step_open(t) : step_opening(args.bastions, bastion, t);

                        if (keep) {
                                link = &t->next;
                                continue;
                        }
                        *link = t->next;
                        /* A tunnel that never opened belongs to its waiting worker. */
                        if (t->open)
                                tunnel_free(t);
                        else
                                answer(args.bastions, t, t->result, NULL);
                }
                pump_wait(bastion, tunnels);
        }
        while (tunnels) {
                struct tunnel *t = tunnels;

                tunnels = t->next;
                if (!t->open) {
                        t->next = NULL;
                        answer(args.bastions, t, -ECANCELED, "the run is over");
                } else
                        tunnel_free(t);
        }
        return NULL;
}

/* ---- connecting to a bastion ------------------------------------------- */

/* The chain before the last hop of spec ("a,b" -> "a"), or NULL. */
static char *chain_before_last(const char *spec) {
        const char *comma = strrchr(spec, ',');

        return comma ? strndup(spec, (size_t)(comma - spec)) : NULL;
}

/* Logs in to the last hop of bastion->spec (through the hops before it),
 * as target's identity, and starts the pump. */
static int bastion_connect(const struct run_config *config, struct bastions *bastions,
                           struct bastion *bastion, const struct tether_host *target,
                           struct host_failure *failure) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_jump_hop *hops = NULL;
        struct pump_args *args;
        size_t n = 0;
        int r;

        r = tether_jump_parse(bastion->spec, &hops, &n, &error);
        if (r < 0)
                return fail_host(failure, HOST_STAGE_CONNECT, "%s", error.text);
        {
                _cleanup_free_ char *before = chain_before_last(bastion->spec);
                const struct tether_jump_hop *last = &hops[n - 1];
                struct tether_host hop = {
                        .name = bastion->spec, /* for -vv: alive as long as the bastion */
                        .address = last->address,
                        .port = last->port,
                        .user = last->user,
                        .identity_file = target->identity_file,
                        .known_hosts = target->known_hosts,
                        .identities_only = target->identities_only,
                        .sudo = -1,
                        .jump = before,
                };

                r = session_open_hop(config, &hop, &bastion->session, failure);
        }
        tether_jump_hops_free(hops, n);
        if (r < 0)
                return r;
        ssh_set_blocking(bastion->session, 0);
        bastion->ssh_log = config->ssh_log;
        if (pipe2(bastion->wake, O_CLOEXEC | O_NONBLOCK) < 0)
                return fail_host(failure, HOST_STAGE_CONNECT, "cannot make a pipe: %s", strerror(errno));
        args = malloc(sizeof(*args));
        if (!args)
                return fail_host(failure, HOST_STAGE_CONNECT, "out of memory");
        *args = (struct pump_args){bastions, bastion};
        r = pthread_create(&bastion->pump, NULL, pump, args);
        if (r != 0) {
                free(args);
                return fail_host(failure, HOST_STAGE_CONNECT, "cannot start a thread for the bastion: %s",
                                 strerror(r));
        }
        bastion->pump_started = true;
        return 0;
}

/* The bastion of spec, connected by the first caller; NULL with failure
 * filled in when it could not be. Called and returns under the lock. */
static struct bastion *bastion_get(const struct run_config *config, struct bastions *bastions,
                                   const char *spec, const struct tether_host *target,
                                   struct host_failure *failure) {
        struct bastion *bastion;
        struct host_failure connect_failure = {0};
        int r;

        for (bastion = bastions->list; bastion; bastion = bastion->next)
                if (strcmp(bastion->spec, spec) == 0)
                        break;
        if (!bastion) {
                bastion = calloc(1, sizeof(*bastion));
                if (!bastion || !(bastion->spec = strdup(spec))) {
                        free(bastion);
                        fail_host(failure, HOST_STAGE_CONNECT, "out of memory");
                        return NULL;
                }
                bastion->wake[0] = bastion->wake[1] = -1;
                bastion->next = bastions->list;
                bastions->list = bastion;
                pthread_mutex_unlock(&bastions->lock);
                r = bastion_connect(config, bastions, bastion, target, &connect_failure);
                pthread_mutex_lock(&bastions->lock);
                bastion->state = r < 0 ? BASTION_FAILED : BASTION_UP;
                bastion->failure = connect_failure;
                pthread_cond_broadcast(&bastions->changed);
        }
        while (bastion->state == BASTION_CONNECTING)
                pthread_cond_wait(&bastions->changed, &bastions->lock);
        if (bastion->state == BASTION_FAILED) {
                /* The bastion's own message, already escaped: pass it on as it is. */
                fail_host(failure, bastion->failure.stage, "bastion %s: %s", spec, bastion->failure.message);
                return NULL;
        }
        return bastion;
}

int bastions_tunnel(const struct run_config *config, const char *spec, const struct tether_host *target,
                    const char *address, unsigned port, uint64_t deadline, int *ret_fd,
                    struct host_failure *failure) {
        struct bastions *bastions = config->bastions;
        struct bastion *bastion;
        struct tunnel *tunnel;
        int pair[2], r;

        if (!bastions)
                return fail_host(failure, HOST_STAGE_CONNECT, "jump hosts are not set up for this run");
        tunnel = calloc(1, sizeof(*tunnel));
        if (!tunnel || !(tunnel->address = strdup(address))) {
                free(tunnel);
                return fail_host(failure, HOST_STAGE_CONNECT, "out of memory");
        }
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
                tunnel->fd = -1;
                tunnel_free(tunnel);
                return fail_host(failure, HOST_STAGE_CONNECT, "cannot make a socket pair: %s",
                                 strerror(errno));
        }
        (void)fcntl(pair[1], F_SETFL, O_NONBLOCK);
        tunnel->fd = pair[1];
        tunnel->port = port;
        tunnel->open_deadline = deadline;

        pthread_mutex_lock(&bastions->lock);
        bastion = bastion_get(config, bastions, spec, target, failure);
        if (bastion) {
                tunnel->next = bastion->requests;
                bastion->requests = tunnel;
                (void)!write(bastion->wake[1], "", 1);
                while (!tunnel->answered)
                        pthread_cond_wait(&bastions->changed, &bastions->lock);
        }
        pthread_mutex_unlock(&bastions->lock);
        if (!bastion) {
                close(pair[0]);
                tunnel_free(tunnel);
                /* The bastion's failure is recorded: this returns its code. */
                return fail_host(failure, HOST_STAGE_CONNECT, "the bastion %s failed", spec);
        }
        if (tunnel->result < 0) {
                r = fail_host(failure, HOST_STAGE_CONNECT, "the bastion %s could not reach %s port %u: %s",
                              spec, address, port, tunnel->error);
                close(pair[0]);
                tunnel_free(tunnel);
                return r;
        }
        *ret_fd = pair[0];
        /* The open tunnel is the pump's now: it frees it when either end closes. */
        // cppcheck-suppress memleak
        return 0;
}

static int hops_of(const char *spec) {
        int hops = 1;

        for (const char *p = spec; *p; p++)
                hops += *p == ',';
        return hops;
}

static void bastion_stop(struct bastions *bastions, struct bastion *bastion) {
        pthread_mutex_lock(&bastions->lock);
        bastion->stopping = true;
        pthread_mutex_unlock(&bastions->lock);
        if (bastion->wake[1] >= 0)
                (void)!write(bastion->wake[1], "", 1);
        if (bastion->pump_started)
                pthread_join(bastion->pump, NULL);
        if (bastion->session)
                bastion->session = session_close(bastion->session);
}

void bastions_free(struct bastions *bastions) {
        if (!bastions)
                return;
        /* The longest chains first: their sessions run over the tunnels of the shorter ones. */
        for (int hops = TETHER_JUMP_HOPS_MAX; hops > 0; hops--)
                for (struct bastion *b = bastions->list; b; b = b->next)
                        if (hops_of(b->spec) == hops)
                                bastion_stop(bastions, b);
        while (bastions->list) {
                struct bastion *b = bastions->list;

                bastions->list = b->next;
                if (b->wake[0] >= 0)
                        close(b->wake[0]);
                if (b->wake[1] >= 0)
                        close(b->wake[1]);
                free(b->spec);
                free(b);
        }
        pthread_cond_destroy(&bastions->changed);
        pthread_mutex_destroy(&bastions->lock);
        free(bastions);
}

/* ---- ProxyJump from ssh_config ----------------------------------------- */

char *bastion_spec_of_proxy_command(const char *command) {
        char user[128] = "", port[16] = "", next[1024] = "", host[512] = "";
        const char *p = command;
        char *spec = NULL;
        int used = 0;

        if (!command || strncmp(p, "ssh", 3) != 0)
                return NULL;
        p += 3;
        if (sscanf(p, " -l %127s%n", user, &used) == 1)
                p += used;
        if (sscanf(p, " -p %15s%n", port, &used) == 1)
                p += used;
        if (sscanf(p, " -J %1023s%n", next, &used) == 1)
                p += used;
        if (strncmp(p, " -W '[%h]:%p' ", 14) != 0)
                return NULL;
        p += 14;
        if (sscanf(p, "%511s%n", host, &used) != 1 || p[used] != '\0')
                return NULL;
        if (asprintf(&spec, "%s%s%s%s%s%s%s", user, user[0] ? "@" : "", host, port[0] ? ":" : "", port,
                     next[0] ? "," : "", next) < 0)
                return NULL;
        return spec;
}
