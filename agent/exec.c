/* SPDX-License-Identifier: MIT */
/*
 * fork + exec with a pipe for stdout, stderr to /dev/null, and a poll loop
 * that enforces the time and size limits (see exec.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "time-util.h"
#include "strbuf.h"

/* A fixed PATH: the agent runs as root and must not be steered by the
 * environment it was started with. */
static const char *const search_path[] = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};

static int find_program(const char *name, char *buf, size_t size) {
        if (strchr(name, '/')) {
                snprintf(buf, size, "%s", name);
                return access(buf, X_OK) == 0 ? 0 : -ENOENT;
        }
        for (size_t i = 0; i < ELEMENTSOF(search_path); i++) {
                snprintf(buf, size, "%s/%s", search_path[i], name);
                if (access(buf, X_OK) == 0)
                        return 0;
        }
        return -ENOENT;
}

int exec_capture(char *const argv[], size_t limit, uint64_t timeout_usec, char **ret_output, int *ret_status,
                 struct tether_error *error) {
        static char *const environment[] = {"PATH=/usr/sbin:/sbin:/usr/bin:/bin", "LC_ALL=C", NULL};
        struct strbuf output = {.limit = limit};
        uint64_t deadline = tether_now_usec() + timeout_usec;
        char program[512];
        int pipe_fds[2], status = 0, r = 0;
        pid_t pid;

        if (find_program(argv[0], program, sizeof(program)) < 0)
                return tether_error_set(error, -ENOENT, "%s is not installed", argv[0]);
        if (pipe2(pipe_fds, O_CLOEXEC) < 0)
                return tether_error_set(error, -errno, "cannot create a pipe: %s", strerror(errno));

        pid = fork();
        if (pid < 0) {
                r = -errno;
                close(pipe_fds[0]);
                close(pipe_fds[1]);
                return tether_error_set(error, r, "cannot fork: %s", strerror(-r));
        }
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR);

                sigset_t none;

                /* The agent ignores SIGPIPE and holds off SIGTERM and its kin
                 * while it changes the host (main.c), and watch blocks SIGTERM
                 * and SIGINT for its event loop; its programs get them as usual. */
                (void)signal(SIGPIPE, SIG_DFL);
                sigemptyset(&none);
                (void)sigprocmask(SIG_SETMASK, &none, NULL);

                if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(pipe_fds[1], STDOUT_FILENO) < 0 ||
                    dup2(null, STDERR_FILENO) < 0)
                        _exit(127);
                execve(program, argv, environment);
                _exit(127);
        }
        close(pipe_fds[1]);

        for (;;) {
                struct pollfd pfd = {.fd = pipe_fds[0], .events = POLLIN};
                uint64_t now = tether_now_usec();
                char chunk[16384];
                ssize_t n;

                if (now >= deadline) {
                        r = -ETIMEDOUT;
                        break;
                }
                n = poll(&pfd, 1, (int)((deadline - now + 999) / 1000));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        break;
                }
                if (n == 0)
                        continue;
                n = read(pipe_fds[0], chunk, sizeof(chunk));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        break;
                }
                if (n == 0)
                        break;
                strbuf_append_n(&output, chunk, (size_t)n);
                if (output.failed) {
                        r = output.too_big ? -EFBIG : -ENOMEM;
                        break;
                }
        }
        close(pipe_fds[0]);
        if (r < 0)
                kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;

        if (r < 0) {
                strbuf_free(&output);
                if (r == -ETIMEDOUT)
                        return tether_error_set(error, r, "%s did not finish within %llu s", argv[0],
                                                (unsigned long long)(timeout_usec / 1000000ULL));
                if (r == -EFBIG)
                        return tether_error_set(error, r, "%s printed more than %zu bytes", argv[0], limit);
                return tether_error_set(error, r, "cannot read the output of %s: %s", argv[0], strerror(-r));
        }

        *ret_output = strbuf_steal(&output);
        if (!*ret_output)
                return tether_error_set(error, -ENOMEM, "out of memory");
        *ret_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return 0;
}
