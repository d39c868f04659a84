/* SPDX-License-Identifier: MIT */
/*
 * The sudo password (see password.h). A file that its group or others may
 * read is refused: its password is no secret there. The file is read with
 * read() into a buffer on the stack, never through a growing heap buffer
 * (realloc() would leave copies behind in freed memory), and that buffer
 * is wiped with explicit_bzero() before it goes out of scope.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "macro.h"
#include "password.h"

/* A copy of the first line of buf (n bytes), the process made not
 * dumpable; buf is wiped either way. */
static int keep_first_line(char *buf, size_t n, char **ret, struct tether_error *error) {
        char *copy;

        buf[n] = '\0';
        buf[strcspn(buf, "\r\n")] = '\0';
        (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        copy = strdup(buf);
        explicit_bzero(buf, n);
        if (!copy)
                return tether_error_set(error, -ENOMEM, "Out of memory.");
        *ret = copy;
        return 0;
}

int password_read_file(const char *path, char **ret, struct tether_error *error) {
        char buf[PASSWORD_LIMIT + 3]; /* the line, "\r\n", and one more byte tells one too long */
        _cleanup_close_ int fd = -1;
        struct stat st;
        size_t n = 0;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 || fstat(fd, &st) < 0)
                return tether_error_set(error, -errno, "Cannot read the sudo password: cannot open %s: %s",
                                        path, strerror(errno));
        if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
                return tether_error_set(error, -EINVAL, "Cannot read the sudo password: %s is not a file",
                                        path);
        if (S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH)))
                return tether_error_set(error, -EACCES,
                                        "The sudo password file %s may be read by %s (mode %04o): make it "
                                        "yours alone, with chmod 600 %s",
                                        path, st.st_mode & S_IROTH ? "anyone" : "its group",
                                        (unsigned)(st.st_mode & 07777), path);
        while (n < sizeof(buf) - 1 && !memchr(buf, '\n', n)) {
                ssize_t got = read(fd, buf + n, sizeof(buf) - 1 - n);

                if (got < 0 && errno == EINTR)
                        continue;
                if (got < 0) {
                        int r = -errno;

                        explicit_bzero(buf, n);
                        return tether_error_set(error, r, "Cannot read the sudo password: %s: %s", path,
                                                strerror(-r));
                }
                if (got == 0)
                        break;
                n += (size_t)got;
        }
        buf[n] = '\0';
        if (strcspn(buf, "\r\n") > PASSWORD_LIMIT || (n == sizeof(buf) - 1 && !memchr(buf, '\n', n))) {
                explicit_bzero(buf, sizeof(buf));
                return tether_error_set(
                        error, -EFBIG,
                        "Cannot read the sudo password: the first line of %s is longer than %u "
                        "bytes",
                        path, PASSWORD_LIMIT);
        }
        return keep_first_line(buf, n, ret, error);
}

int password_read_terminal(const char *prompt, char **ret, struct tether_error *error) {
        char buf[PASSWORD_LIMIT + 2];
        _cleanup_close_ int tty = -1;
        struct termios saved, quiet;
        size_t n = 0;

        tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (tty < 0)
                return tether_error_set(
                        error, -EINVAL,
                        "--ask-sudo-password needs a terminal; use --sudo-password-file FILE "
                        "instead.");
        (void)!write(tty, prompt, strlen(prompt));
        if (tcgetattr(tty, &saved) < 0)
                return tether_error_set(error, -EINVAL, "Cannot turn off the terminal's echo: %s",
                                        strerror(errno));
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        (void)tcsetattr(tty, TCSAFLUSH, &quiet);
        while (n < sizeof(buf) - 1 && read(tty, buf + n, 1) == 1 && buf[n] != '\n')
                n++;
        (void)tcsetattr(tty, TCSAFLUSH, &saved);
        (void)!write(tty, "\n", 1);
        return keep_first_line(buf, n, ret, error);
}

char *password_free(char *password) {
        if (!password)
                return NULL;
        explicit_bzero(password, strlen(password));
        free(password);
        (void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
        return NULL;
}
