/* SPDX-License-Identifier: MIT */
/*
 * SFTP upload of the agent (see deploy.h). libssh 0.10's sftp_write sends
 * one packet per call and some servers refuse large ones, so it writes in
 * 32 KiB pieces; its sftp_rename is SFTP v3's, which fails when the target
 * exists, so a stale target is unlinked first (the digest check in the
 * command that runs the agent covers the moment between the two, and a
 * command that ran then is run once more: host-job.c). Two
 * tethers uploading to one host at once meet there and at the mkdir of the
 * directories: what the other made is taken as found, and checked. The
 * directories are the login user's own and closed to others, or nothing
 * is uploaded: nobody else may swap the file (root never runs this file
 * itself, only a copy it checked: host-job.c). Each
 * SFTP call waits for its reply until the host's deadline (libssh's
 * session timeout is set to what is left of it before each one); a call
 * that fails is a timeout past the deadline, a lost connection when the
 * connection is gone, else the upload's own failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <libssh/sftp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "deploy.h"
#include "remote.h"
#include "session.h"

#define WRITE_PIECE (32u * 1024)

int deploy_agent_path(const struct agent_binary *agent, char *buf, size_t size) {
        int n = snprintf(buf, size, "%s/tether-agent-%s", DEPLOY_DIR, agent->sha256);

        return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

/* Whether a failed SFTP call failed for the host's sake rather than the
 * upload's: 0 when not; else the failure's code, with failure filled in
 * (stage timeout past deadline, connection-lost when the connection is
 * gone; the agent did not run either way: it is uploaded only when the
 * command found none). */
static int stopped_short(ssh_session session, uint64_t started, uint64_t deadline,
                         struct host_failure *failure) {
        const char *text;

        if (tether_now_usec() >= deadline)
                return fail_host(failure, HOST_STAGE_TIMEOUT, "the agent's upload did not finish in time");
        if (ssh_is_connected(session))
                return 0;
        text = ssh_get_error(session);
        return fail_host(
                failure, HOST_STAGE_CONNECTION_LOST,
                "the connection broke while the agent was uploaded, after %llu ms, before it ran: %s",
                (unsigned long long)((tether_now_usec() - started) / 1000),
                text && text[0] ? text : "libssh gave no reason");
}

/* The directory at path (relative to the home), made if missing (mode
 * 0700). 0; -ENOTDIR when something else is there; -EPERM when it is a
 * symbolic link, neither owner's nor root's, or writable by group or
 * others (anyone who can write in it could swap the agent uploaded there);
 * -EIO when it cannot be made.
 * *ret_mode gets what was found. */
static int make_directory(ssh_session session, sftp_session sftp, const char *path, uint32_t owner,
                          uint64_t deadline, uint32_t *ret_uid, uint32_t *ret_mode) {
        sftp_attributes attributes;
        int r = 0;

        (void)session_wait_until(session, deadline);
        attributes = sftp_lstat(sftp, path);
        if (!attributes) {
                (void)session_wait_until(session, deadline);
                if (sftp_mkdir(sftp, path, 0700) == 0)
                        return 0;
                /* Another tether's upload to the host made it since the look:
                 * it is checked as one found. */
                if (sftp_get_error(sftp) != SSH_FX_FILE_ALREADY_EXISTS)
                        return -EIO;
                (void)session_wait_until(session, deadline);
                attributes = sftp_lstat(sftp, path);
                if (!attributes)
                        return -EIO;
        }
        *ret_uid = attributes->uid;
        *ret_mode = attributes->permissions & 07777;
        if (attributes->type == SSH_FILEXFER_TYPE_SYMLINK ||
            (attributes->uid != owner && attributes->uid != 0) || (attributes->permissions & 0022) != 0)
                r = -EPERM;
        else if (attributes->type != SSH_FILEXFER_TYPE_DIRECTORY)
                r = -ENOTDIR;
        sftp_attributes_free(attributes);
        return r;
}

/* ~/.cache and ~/.cache/tether, made if missing and checked: 0, or the
 * failure's code with failure filled in. */
static int make_directories(ssh_session session, sftp_session sftp, uint64_t started, uint64_t deadline,
                            struct host_failure *failure) {
        static const char *const paths[] = {".cache", DEPLOY_DIR};
        sftp_attributes home;
        uint32_t owner;

        (void)session_wait_until(session, deadline);
        home = sftp_stat(sftp, ".");
        if (!home) {
                int r = stopped_short(session, started, deadline, failure);

                return r < 0 ? r
                             : fail_host(failure, HOST_STAGE_UPLOAD,
                                         "cannot look at the home directory (SFTP error %d)",
                                         sftp_get_error(sftp));
        }
        owner = home->uid;
        sftp_attributes_free(home);
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
                uint32_t uid = 0, mode = 0;
                int r = make_directory(session, sftp, paths[i], owner, deadline, &uid, &mode);

                if (r == -EPERM)
                        return fail_host(
                                failure, HOST_STAGE_UPLOAD,
                                "~/%s on the host is not a directory of the login user's (or root's) "
                                "closed to others (a symbolic link, or owner uid %u, mode %04o), so another "
                                "user could swap the agent uploaded there: chown it to the login "
                                "user and chmod go-w it",
                                paths[i], (unsigned)uid, (unsigned)mode);
                if (r < 0) {
                        int stopped = stopped_short(session, started, deadline, failure);

                        return stopped < 0 ? stopped
                                           : fail_host(failure, HOST_STAGE_UPLOAD,
                                                       "cannot create ~/%s on the host (SFTP error %d)",
                                                       paths[i], sftp_get_error(sftp));
                }
        }
        return 0;
}

/* Writes the agent into file in pieces, fsyncs it where the server can,
 * and closes it, whatever happens. */
static int write_agent(ssh_session session, sftp_session sftp, sftp_file file,
                       const struct agent_binary *agent, uint64_t started, uint64_t deadline,
                       const char *temp_path, struct host_failure *failure) {
        size_t offset = 0;
        int r;

        while (offset < agent->size) {
                size_t piece = agent->size - offset < WRITE_PIECE ? agent->size - offset : WRITE_PIECE;

                (void)session_wait_until(session, deadline);
                if (tether_now_usec() >= deadline) {
                        r = fail_host(failure, HOST_STAGE_TIMEOUT,
                                      "the agent's upload did not finish in time");
                        goto fail;
                }
                if (sftp_write(file, agent->data + offset, piece) != (ssize_t)piece) {
                        r = stopped_short(session, started, deadline, failure);
                        if (r == 0)
                                r = fail_host(failure, HOST_STAGE_UPLOAD,
                                              "cannot write ~/%s (SFTP error %d; is the disk full?)",
                                              temp_path, sftp_get_error(sftp));
                        goto fail;
                }
                offset += piece;
        }
        (void)session_wait_until(session, deadline);
        if (sftp_extension_supported(sftp, "fsync@openssh.com", "1") && sftp_fsync(file) < 0) {
                r = stopped_short(session, started, deadline, failure);
                if (r == 0)
                        r = fail_host(failure, HOST_STAGE_UPLOAD, "cannot fsync ~/%s", temp_path);
                goto fail;
        }
        (void)session_wait_until(session, deadline);
        if (sftp_close(file) < 0) {
                r = stopped_short(session, started, deadline, failure);
                return r < 0 ? r : fail_host(failure, HOST_STAGE_UPLOAD, "cannot close ~/%s", temp_path);
        }
        return 0;

fail:
        sftp_close(file);
        return r;
}

/* Whether, after a rename that failed, a regular file has the agent's name:
 * another tether's upload to the host renamed its own there since the
 * unlink before. Which of the two it is does not matter: the command that
 * runs the agent checks its digest, and uploads again if it is not this
 * build's. */
static bool uploaded_by_another(ssh_session session, sftp_session sftp, const char *final_path,
                                uint64_t deadline) {
        sftp_attributes attributes;
        bool found;

        if (!ssh_is_connected(session))
                return false;
        (void)session_wait_until(session, deadline);
        attributes = sftp_lstat(sftp, final_path);
        found = attributes && attributes->type == SSH_FILEXFER_TYPE_REGULAR;
        sftp_attributes_free(attributes);
        return found;
}

int deploy_agent(ssh_session session, const struct agent_binary *agent, uint64_t deadline,
                 struct host_failure *failure) {
        uint64_t started = tether_now_usec();
        char final_path[256], temp_path[320];
        unsigned char nonce[8];
        sftp_session sftp;
        sftp_file file;
        int r;

        if (deploy_agent_path(agent, final_path, sizeof(final_path)) < 0)
                return fail_host(failure, HOST_STAGE_UPLOAD, "the agent's path is too long");
        if (getrandom(nonce, sizeof(nonce), 0) != sizeof(nonce))
                return fail_host(failure, HOST_STAGE_UPLOAD, "no random bytes for a temporary name");
        snprintf(temp_path, sizeof(temp_path), "%s/.tether-agent-%s.%02x%02x%02x%02x%02x%02x%02x%02x",
                 DEPLOY_DIR, agent->sha256, nonce[0], nonce[1], nonce[2], nonce[3], nonce[4], nonce[5],
                 nonce[6], nonce[7]);

        (void)session_wait_until(session, deadline);
        sftp = sftp_new(session);
        if (!sftp || sftp_init(sftp) != SSH_OK) {
                r = stopped_short(session, started, deadline, failure);
                if (r == 0)
                        r = fail_host(failure, HOST_STAGE_UPLOAD,
                                      "cannot start SFTP: %s (the agent is deployed over SFTP: enable the "
                                      "sftp Subsystem in sshd_config, or install the agent by hand as ~/%s)",
                                      ssh_get_error(session), final_path);
                goto out;
        }
        r = make_directories(session, sftp, started, deadline, failure);
        if (r < 0)
                goto out;
        (void)session_wait_until(session, deadline);
        file = sftp_open(sftp, temp_path, O_WRONLY | O_CREAT | O_EXCL, 0700);
        if (!file) {
                r = stopped_short(session, started, deadline, failure);
                if (r == 0)
                        r = fail_host(failure, HOST_STAGE_UPLOAD, "cannot create ~/%s (SFTP error %d)",
                                      temp_path, sftp_get_error(sftp));
                goto out;
        }
        r = write_agent(session, sftp, file, agent, started, deadline, temp_path, failure);
        if (r < 0)
                goto out;
        (void)session_wait_until(session, deadline);
        (void)sftp_unlink(sftp, final_path);
        (void)session_wait_until(session, deadline);
        if (sftp_rename(sftp, temp_path, final_path) < 0) {
                int rename_error = sftp_get_error(sftp);

                if (uploaded_by_another(session, sftp, final_path, deadline)) {
                        (void)sftp_unlink(sftp, temp_path);
                        goto out;
                }
                r = stopped_short(session, started, deadline, failure);
                if (r == 0)
                        r = fail_host(failure, HOST_STAGE_UPLOAD,
                                      "cannot rename ~/%s to ~/%s (SFTP error %d)", temp_path, final_path,
                                      rename_error);
        }
out:
        /* Short, whatever is left: a temporary file left behind is only litter. */
        if (r < 0 && sftp && ssh_is_connected(session))
                (void)sftp_unlink(sftp, temp_path);
        if (sftp)
                sftp_free(sftp);
        return r;
}
