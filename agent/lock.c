/* SPDX-License-Identifier: MIT */
/*
 * The host-wide lock (see lock.h). The holder's pid is written into the file
 * so that "busy" can say who holds it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lock.h"
#include "time-util.h"
#include "macro.h"

#define LOCK_POLL_USEC (200 * 1000)

int agent_lock_take(const char *path, struct tether_error *error) {
        _cleanup_close_ int fd = -1;
        char pid[32];
        int n;

        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        /* watch's unit (ProtectSystem=strict) sees /run read-only: flock()
         * works on a file opened for reading too, and one that does not
         * exist is held by nobody. */
        if (fd < 0 && errno == EROFS)
                fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 && errno == ENOENT)
                return tether_error_set(error, -ENOENT, "the lock %s does not exist and cannot be made",
                                        path);
        if (fd < 0)
                return tether_error_set(error, -errno, "cannot open the lock %s: %s", path, strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                if (errno == EWOULDBLOCK) {
                        n = (int)pread(fd, pid, sizeof(pid) - 1, 0);
                        pid[n > 0 ? n : 0] = '\0';
                        pid[strcspn(pid, "\n")] = '\0';
                        return tether_error_set(
                                error, -EBUSY,
                                "another tether-agent (pid %s) is working on this host; try again "
                                "when it has finished",
                                pid[0] ? pid : "unknown");
                }
                return tether_error_set(error, -errno, "cannot lock %s: %s", path, strerror(errno));
        }
        n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
        if (ftruncate(fd, 0) == 0)
                (void)!pwrite(fd, pid, (size_t)n, 0);
        return TAKE_FD(fd);
}

int agent_lock_wait(const char *path, unsigned seconds, struct tether_error *error) {
        uint64_t deadline = tether_now_usec() + (uint64_t)seconds * 1000000ULL;

        for (;;) {
                struct tether_error attempt = TETHER_ERROR_INIT;
                int fd = agent_lock_take(path, &attempt);

                if (fd != -EBUSY || tether_now_usec() >= deadline) {
                        if (fd < 0)
                                (void)tether_error_set(error, fd, "%s", attempt.text);
                        return fd;
                }
                (void)usleep(LOCK_POLL_USEC);
        }
}

int agent_lock_lend(int fd) {
        return flock(fd, LOCK_UN) < 0 ? -errno : 0;
}

int agent_lock_take_back(int fd, uint64_t timeout_usec) {
        uint64_t deadline = tether_now_usec() + timeout_usec;

        while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                if (errno != EWOULDBLOCK)
                        return -errno;
                if (tether_now_usec() >= deadline)
                        return -ETIMEDOUT;
                usleep(100 * 1000);
        }
        return 0;
}
