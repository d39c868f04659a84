/* SPDX-License-Identifier: MIT */
/*
 * A host's key, checked as OpenSSH checks it. libssh decides from the plain
 * lines of known_hosts whether the key is known, changed or new; it skips
 * the marker lines. Those are read here:
 *
 *   @revoked * ssh-ed25519 AAAA...          the key is refused, whatever
 *                                           libssh says of it
 *   @cert-authority *.example.com ssh-...   a host this vouches for and
 *                                           whose own key is not pinned
 *                                           fails with a message that says
 *                                           why: libssh 0.10 cannot check
 *                                           host certificates; its key is
 *                                           never pinned beside the CA line
 *
 * Each file's marker lines are read once a run (a fleet's known_hosts may
 * hold thousands of lines, and every worker checks one host at a time), and
 * the file is indexed by host name then: each session hands libssh, which
 * reads its known_hosts whole twice a connection, only the lines that may
 * concern its host (known-hosts-index.h), in a memfd.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fileio.h"
#include "host-key.h"
#include "known-hosts-index.h"
#include "known-hosts.h"
#include "macro.h"

#define KNOWN_HOSTS_SIZE_MAX (64u << 20)
#define GLOBAL_KNOWN_HOSTS "/etc/ssh/ssh_known_hosts"
#define NARROWED_PREFIX "/proc/self/fd/"

/* libssh appends to known_hosts without locking: one writer at a time. The
 * same lock guards the cache of marker lines. */
static pthread_mutex_t known_hosts_lock = PTHREAD_MUTEX_INITIALIZER;

static struct cached_file {
        char *path;
        char *text; /* NULL: absent or unreadable */
        size_t size;
        char *marker_lines;                     /* NULL: absent, unreadable or out of memory */
        struct tether_known_hosts_index *index; /* of text; NULL likewise */
} cached_files[8];

/* The file at path, read and indexed on first use; NULL when more files
 * were named than the cache holds, or out of memory. It stays valid until
 * host_key_forget_files(). Called under the lock. */
static const struct cached_file *cached_file_of(const char *path) {
        struct cached_file *file;
        size_t i;

        for (i = 0; i < ELEMENTSOF(cached_files) && cached_files[i].path; i++)
                if (strcmp(cached_files[i].path, path) == 0)
                        return &cached_files[i];
        if (i == ELEMENTSOF(cached_files))
                return NULL;
        file = &cached_files[i];
        file->path = strdup(path);
        if (!file->path)
                return NULL;
        if (tether_read_file(path, KNOWN_HOSTS_SIZE_MAX, &file->text, &file->size, NULL) >= 0) {
                file->marker_lines = tether_known_hosts_marker_lines(file->text);
                (void)tether_known_hosts_index_new(file->text, &file->index);
        }
        return file;
}

static const char *marker_lines_of(const char *path) {
        const struct cached_file *file = cached_file_of(path);

        return file ? file->marker_lines : NULL;
}

void host_key_forget_files(void) {
        pthread_mutex_lock(&known_hosts_lock);
        for (size_t i = 0; i < ELEMENTSOF(cached_files); i++) {
                struct cached_file *file = &cached_files[i];

                tether_known_hosts_index_free(file->index);
                free(file->path);
                free(file->text);
                free(file->marker_lines);
                *file = (struct cached_file){0};
        }
        pthread_mutex_unlock(&known_hosts_lock);
}

/* The lines of known_hosts that may concern the session's host, or NULL
 * when the whole file is as good (unread, or the host would keep most of
 * it: a hashed file keeps every line). */
static char *narrowed_lines(const char *known_hosts, const char *name, unsigned port) {
        struct strbuf lines = STRBUF_INIT;
        const struct cached_file *file;
        bool worth_it = false;

        pthread_mutex_lock(&known_hosts_lock);
        file = cached_file_of(known_hosts);
        if (file && file->index) {
                tether_known_hosts_index_lines(file->index, name, port, &lines);
                worth_it = !lines.failed && lines.length <= file->size / 2;
        }
        pthread_mutex_unlock(&known_hosts_lock);
        if (!worth_it) {
                strbuf_free(&lines);
                return NULL;
        }
        return strbuf_steal(&lines);
}

int host_key_narrow(ssh_session session, const char *known_hosts, unsigned port) {
        _cleanup_free_ char *lines = NULL;
        char path[64], *name = NULL;
        size_t length;
        int fd;

        if (!known_hosts || ssh_options_get(session, SSH_OPTIONS_HOST, &name) != SSH_OK)
                return -1;
        lines = narrowed_lines(known_hosts, name, port);
        ssh_string_free_char(name);
        if (!lines)
                return -1;
        fd = memfd_create("tether-known-hosts", MFD_CLOEXEC);
        if (fd < 0)
                return -1;
        length = strlen(lines);
        for (size_t done = 0; done < length;) {
                ssize_t n = write(fd, lines + done, length - done);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        close(fd);
                        return -1;
                }
                done += (size_t)n;
        }
        snprintf(path, sizeof(path), NARROWED_PREFIX "%d", fd);
        if (ssh_options_set(session, SSH_OPTIONS_KNOWNHOSTS, path) < 0) {
                close(fd);
                return -1;
        }
        return fd;
}

/* Where a marker line was found: the file and line, or line 0. */
struct marker_hit {
        const char *file;
        unsigned line;
};

struct server_key {
        char *fingerprint; /* "SHA256:..." */
        char *base64;      /* as known_hosts writes it */
};

static void server_key_done(struct server_key *key) {
        free(key->fingerprint);
        if (key->base64)
                ssh_string_free_char(key->base64);
}

static void server_key_read(ssh_session session, struct server_key *ret) {
        ssh_key key = NULL;
        unsigned char *hash = NULL;
        size_t length = 0;

        *ret = (struct server_key){0};
        if (ssh_get_server_publickey(session, &key) < 0)
                return;
        if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == 0)
                ret->fingerprint = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
        if (ssh_pki_export_pubkey_base64(key, &ret->base64) != SSH_OK)
                ret->base64 = NULL;
        ssh_clean_pubkey_hash(&hash);
        ssh_key_free(key);
}

/* The name libssh looks the host up by: HostName from ssh_config, or the
 * address. */
static char *looked_up_name(ssh_session session, const char *address) {
        char *host = NULL, *copy;

        if (ssh_options_get(session, SSH_OPTIONS_HOST, &host) != SSH_OK)
                return strdup(address);
        copy = strdup(host);
        ssh_string_free_char(host);
        return copy;
}

/* The first @revoked and @cert-authority lines that concern this host, in
 * the user's file and then the global one. */
static void find_marker_hits(const char *known_hosts, const char *name, unsigned port,
                             const char *key_base64, struct marker_hit *ret_revoked,
                             struct marker_hit *ret_ca) {
        const char *const files[] = {known_hosts, GLOBAL_KNOWN_HOSTS};

        *ret_revoked = *ret_ca = (struct marker_hit){0};
        pthread_mutex_lock(&known_hosts_lock);
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                struct tether_known_hosts_markers markers;

                tether_known_hosts_find_markers(marker_lines_of(files[i]), name, port, key_base64, &markers);
                if (ret_revoked->line == 0 && markers.revoked_line > 0)
                        *ret_revoked = (struct marker_hit){files[i], markers.revoked_line};
                if (ret_ca->line == 0 && markers.cert_authority_line > 0)
                        *ret_ca = (struct marker_hit){files[i], markers.cert_authority_line};
        }
        pthread_mutex_unlock(&known_hosts_lock);
}

/* Points a session that host_key_narrow() pointed at a memfd back at the
 * file itself, for libssh to write the new key to. */
static int unnarrow(ssh_session session, const char *known_hosts) {
        char *path = NULL;
        bool narrowed;

        if (ssh_options_get(session, SSH_OPTIONS_KNOWNHOSTS, &path) != SSH_OK)
                return 0;
        narrowed = strncmp(path, NARROWED_PREFIX, strlen(NARROWED_PREFIX)) == 0;
        ssh_string_free_char(path);
        return narrowed ? ssh_options_set(session, SSH_OPTIONS_KNOWNHOSTS, known_hosts) : 0;
}

static int record_new_key(ssh_session session, const char *where, const char *known_hosts,
                          struct host_failure *failure) {
        int r;

        pthread_mutex_lock(&known_hosts_lock);
        r = unnarrow(session, known_hosts);
        if (r >= 0)
                r = ssh_session_update_known_hosts(session);
        pthread_mutex_unlock(&known_hosts_lock);
        if (r < 0)
                return fail_host(failure, HOST_STAGE_HOSTKEY, "cannot record the host key of %s in %s: %s",
                                 where, known_hosts, ssh_get_error(session));
        return 0;
}

static int unknown_key(ssh_session session, const struct run_config *config, const char *where,
                       const char *address, unsigned port, const char *shown, const char *known_hosts,
                       const char *jump, const struct marker_hit *ca, struct host_failure *failure) {
        if (ca->line > 0)
                return fail_host(
                        failure, HOST_STAGE_HOSTKEY,
                        "%s is vouched for by a host certificate authority (@cert-authority, %s line %u), "
                        "but tether cannot check host certificates (its SSH library, libssh, has no "
                        "support for them), and its own key (%s) is not in %s. Check that key out of "
                        "band and add it as a plain line; --accept-new-host-keys never pins a key "
                        "beside a CA line",
                        where, ca->file, ca->line, shown, known_hosts);
        /* Behind a bastion the host may be out of reach from here: scan it from there. */
        if (!config->accept_new_host_keys && jump) {
                const char *last = strrchr(jump, ',');
                int before = last ? (int)(last - jump) : 0;

                return fail_host(
                        failure, HOST_STAGE_HOSTKEY,
                        "the host key of %s is not known (%s). Check it, then accept it with: "
                        "ssh %s%.*s%s%s ssh-keyscan -p %u %s >> %s (ssh-keyscan runs on the bastion, "
                        "which reaches the host), or run with --accept-new-host-keys",
                        where, shown, last ? "-J " : "", before, jump, last ? " " : "",
                        last ? last + 1 : jump, port, address, known_hosts);
        }
        if (!config->accept_new_host_keys)
                return fail_host(failure, HOST_STAGE_HOSTKEY,
                                 "the host key of %s is not known (%s). Check it, then accept it with: "
                                 "ssh-keyscan -p %u %s >> %s, or run with --accept-new-host-keys",
                                 where, shown, port, address, known_hosts);
        return record_new_key(session, where, known_hosts, failure);
}

int host_key_check(ssh_session session, const struct run_config *config, const char *address, unsigned port,
                   const char *known_hosts, const char *jump, struct host_failure *failure) {
        _cleanup_(server_key_done) struct server_key key = {0};
        _cleanup_free_ char *name = looked_up_name(session, address);
        struct marker_hit revoked, ca;
        const char *shown;
        char where[300];

        server_key_read(session, &key);
        shown = key.fingerprint ? key.fingerprint : "(unknown)";
        if (port == 22)
                snprintf(where, sizeof(where), "%s", address);
        else
                snprintf(where, sizeof(where), "[%s]:%u", address, port);

        find_marker_hits(known_hosts, name ? name : address, port, key.base64, &revoked, &ca);
        if (revoked.line > 0)
                return fail_host(
                        failure, HOST_STAGE_HOSTKEY,
                        "the host key of %s (%s) is REVOKED (@revoked, %s line %u): tether refuses it, "
                        "as ssh does. The host may be compromised or its key retired; give it a new key "
                        "and record that one",
                        where, shown, revoked.file, revoked.line);

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
                return unknown_key(session, config, where, address, port, shown, known_hosts, jump, &ca,
                                   failure);
        case SSH_KNOWN_HOSTS_ERROR:
        default:
                return fail_host(failure, HOST_STAGE_HOSTKEY,
                                 "cannot check the host key of %s against %s: %s", where, known_hosts,
                                 ssh_get_error(session));
        }
}
