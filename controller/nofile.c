/* SPDX-License-Identifier: MIT */
/*
 * RLIMIT_NOFILE, and -j within it (see nofile.h). With the default soft
 * limit of 1024 and -j 1024, each host would fail as "unreachable: Socket
 * create failed" or, worse, "the host key is not known" (the known_hosts
 * file could not be opened).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "nofile.h"

int nofile_raise(rlim_t *ret) {
        struct rlimit limit;

        if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
                return -errno;
        *ret = limit.rlim_cur;
        if (limit.rlim_cur == limit.rlim_max)
                return 0;
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) < 0)
                return -errno;
        *ret = limit.rlim_cur;
        return 0;
}

unsigned nofile_fit_parallel(unsigned parallel, rlim_t nofile) {
        rlim_t workers;

        if (nofile == RLIM_INFINITY)
                return parallel;
        workers = nofile > NOFILE_FDS_RESERVED ? (nofile - NOFILE_FDS_RESERVED) / NOFILE_FDS_PER_WORKER : 0;
        if (workers < 1)
                workers = 1;
        return workers < parallel ? (unsigned)workers : parallel;
}

bool nofile_exhausted(void) {
        int fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);

        if (fd >= 0) {
                close(fd);
                return false;
        }
        return errno == EMFILE || errno == ENFILE;
}
