/* SPDX-License-Identifier: MIT */
/*
 * Size-limited reads and crash-safe replacement of files (see fileio.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

int tether_read_fd(int fd, const char *name, size_t limit, char **ret, size_t *ret_size,
                   struct tether_error *error) {
        _cleanup_free_ char *data = NULL;
        size_t size = 0, allocated = 0;

        for (;;) {
                ssize_t n;

                if (allocated - size < 4096) {
                        size_t want = allocated ? allocated * 2 : 8192;
                        char *p;

                        /* One byte past the limit tells a file that is too large. */
                        if (want > limit && want - limit > 2)
                                want = limit > SIZE_MAX - 2 ? SIZE_MAX : limit + 2;
                        if (want <= size + 1)
                                return tether_error_set(error, -EFBIG, "%s is larger than %zu bytes", name,
                                                        limit);
                        p = realloc(data, want);
                        if (!p)
                                return tether_error_set(error, -ENOMEM, "out of memory reading %s", name);
                        data = p;
                        allocated = want;
                }
                n = read(fd, data + size, allocated - size - 1);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return tether_error_set(error, -errno, "cannot read %s: %s", name, strerror(errno));
                }
                if (n == 0)
                        break;
                size += (size_t)n;
                if (size > limit)
                        return tether_error_set(error, -EFBIG, "%s is larger than %zu bytes", name, limit);
        }
        if (!data) {
                data = strdup("");
                if (!data)
                        return tether_error_set(error, -ENOMEM, "out of memory reading %s", name);
        }
        data[size] = '\0';
        if (ret_size)
                *ret_size = size;
        *ret = TAKE_PTR(data);
        return 0;
}

int tether_read_file(const char *path, size_t limit, char **ret, size_t *ret_size,
                     struct tether_error *error) {
        _cleanup_close_ int fd = -1;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return tether_error_set(error, -errno, "cannot open %s: %s", path, strerror(errno));
        return tether_read_fd(fd, path, limit, ret, ret_size, error);
}

static int fsync_directory_of(const char *path) {
        _cleanup_free_ char *copy = strdup(path);
        _cleanup_close_ int fd = -1;

        if (!copy)
                return -ENOMEM;
        fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        return fsync(fd) < 0 ? -errno : 0;
}

static int ensure_parent_directory(const char *path) {
        _cleanup_free_ char *copy = strdup(path);
        const char *dir;

        if (!copy)
                return -ENOMEM;
        dir = dirname(copy);
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

int tether_write_file_atomic(const char *path, const char *contents, mode_t mode,
                             struct tether_error *error) {
        _cleanup_free_ char *temp = NULL;
        _cleanup_close_ int fd = -1;
        size_t left = strlen(contents);
        const char *p = contents;
        int r;

        r = ensure_parent_directory(path);
        if (r < 0)
                return tether_error_set(error, r, "cannot create the directory of %s: %s", path,
                                        strerror(-r));

        if (asprintf(&temp, "%s.tether-XXXXXX", path) < 0) {
                temp = NULL;
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        fd = mkostemp(temp, O_CLOEXEC);
        if (fd < 0)
                return tether_error_set(error, -errno, "cannot create a temporary file beside %s: %s", path,
                                        strerror(errno));

        while (left > 0) {
                ssize_t n = write(fd, p, left);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        goto fail;
                }
                p += n, left -= (size_t)n;
        }
        if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
                r = -errno;
                goto fail;
        }
        if (close(TAKE_FD(fd)) < 0) {
                r = -errno;
                goto fail;
        }
        if (rename(temp, path) < 0) {
                r = -errno;
                goto fail;
        }
        r = fsync_directory_of(path);
        if (r < 0)
                return tether_error_set(error, r, "cannot fsync the directory of %s: %s", path,
                                        strerror(-r));
        return 0;

fail:
        (void)unlink(temp);
        return tether_error_set(error, r, "cannot write %s: %s", path, strerror(-r));
}

int tether_remove_file(const char *path, struct tether_error *error) {
        int r;

        if (unlink(path) < 0) {
                if (errno == ENOENT)
                        return 0;
                return tether_error_set(error, -errno, "cannot remove %s: %s", path, strerror(errno));
        }
        r = fsync_directory_of(path);
        if (r < 0)
                return tether_error_set(error, r, "cannot fsync the directory of %s: %s", path,
                                        strerror(-r));
        return 0;
}
