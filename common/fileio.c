/* SPDX-License-Identifier: MIT */
/*
 * Size-limited reads and crash-safe replacement of files (see fileio.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
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

/* Writes contents whole to fd. 0 or -errno. */
static int write_all(int fd, const char *contents, size_t left) {
        while (left > 0) {
                ssize_t n = write(fd, contents, left);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                contents += n, left -= (size_t)n;
        }
        return 0;
}

/* A new file beside path, created with mode 0666 so that the kernel applies
 * the umask (mkostemp() would make it 0600): its name in *ret_temp. */
static int create_beside(const char *path, char **ret_temp) {
        for (int attempt = 0; attempt < 16; attempt++) {
                unsigned char random_bytes[6];
                char *temp;
                int fd;

                if (getrandom(random_bytes, sizeof(random_bytes), 0) != sizeof(random_bytes))
                        return -EIO;
                if (asprintf(&temp, "%s.tether-%02x%02x%02x%02x%02x%02x", path, random_bytes[0],
                             random_bytes[1], random_bytes[2], random_bytes[3], random_bytes[4],
                             random_bytes[5]) < 0)
                        return -ENOMEM;
                fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
                if (fd >= 0) {
                        *ret_temp = temp;
                        return fd;
                }
                free(temp);
                if (errno != EEXIST)
                        return -errno;
        }
        return -EEXIST;
}

/* Replaces the regular file path (or creates it) atomically; an existing
 * file's mode is kept, a new one gets 0666 less the umask. */
static int replace_output(const char *path, const char *contents, const struct stat *existing,
                          struct tether_error *error) {
        _cleanup_free_ char *temp = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        r = ensure_parent_directory(path);
        if (r < 0)
                return tether_error_set(error, r, "cannot create the directory of %s: %s", path,
                                        strerror(-r));
        fd = create_beside(path, &temp);
        if (fd < 0)
                return tether_error_set(error, fd, "cannot create a temporary file beside %s: %s", path,
                                        strerror(-fd));
        r = write_all(fd, contents, strlen(contents));
        if (r == 0 && existing && fchmod(fd, existing->st_mode & 07777) < 0)
                r = -errno;
        if (r == 0 && fsync(fd) < 0)
                r = -errno;
        if (r == 0 && close(TAKE_FD(fd)) < 0)
                r = -errno;
        if (r == 0 && rename(temp, path) < 0)
                r = -errno;
        if (r < 0) {
                (void)unlink(temp);
                return tether_error_set(error, r, "cannot write %s: %s", path, strerror(-r));
        }
        r = fsync_directory_of(path);
        if (r < 0)
                return tether_error_set(error, r, "cannot fsync the directory of %s: %s", path,
                                        strerror(-r));
        return 0;
}

int tether_write_output(const char *path, const char *contents, struct tether_error *error) {
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r;

        if (lstat(path, &st) < 0) {
                if (errno != ENOENT)
                        return tether_error_set(error, -errno, "cannot look at %s: %s", path,
                                                strerror(errno));
                return replace_output(path, contents, NULL, error);
        }
        if (S_ISREG(st.st_mode))
                return replace_output(path, contents, &st, error);
        /* A device, a pipe, a link (/dev/stdout): what it leads to is the
         * user's; it is written to, never replaced. */
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return tether_error_set(error, -errno, "cannot open %s: %s", path, strerror(errno));
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ftruncate(fd, 0) < 0)
                return tether_error_set(error, -errno, "cannot truncate %s: %s", path, strerror(errno));
        r = write_all(fd, contents, strlen(contents));
        if (r < 0)
                return tether_error_set(error, r, "cannot write %s: %s", path, strerror(-r));
        return 0;
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
