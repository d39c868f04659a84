/* SPDX-License-Identifier: MIT */
/*
 * An inventory from -i PATH: tether's JSON or `ansible-inventory --list`
 * output as it stands, and anything else that Ansible reads through Ansible
 * itself, the only way to get group_vars, inventory plugins and vault right:
 *
 *   tether audit -i hosts.ini      runs  ansible-inventory --inventory=hosts.ini --list
 *
 * The path goes to ansible-inventory as one argv element, glued to its
 * option so that a path starting with '-' cannot be read as an option; no
 * shell is involved.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"
#include "fileio.h"
#include "inventory-source.h"
#include "macro.h"
#include "strbuf.h"

extern char **environ;

#define ANSIBLE_INVENTORY "ansible-inventory"
#define STDERR_SHOWN_MAX 600 /* bytes of ansible-inventory's complaint in a message */

/* The last non-empty line of text, escaped for a terminal, at most
 * STDERR_SHOWN_MAX bytes: what ansible-inventory said went wrong. */
static char *last_line_of(const char *text) {
        struct strbuf out = STRBUF_INIT;
        const char *end = text + strlen(text), *start;

        while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
                end--;
        for (start = end; start > text && start[-1] != '\n'; start--)
                ;
        if ((size_t)(end - start) > STDERR_SHOWN_MAX)
                start = end - STDERR_SHOWN_MAX;
        tether_escape_terminal(&out, start, (size_t)(end - start), 0);
        return strbuf_steal(&out);
}

/* Runs ansible-inventory on path; its output in *ret_output, and the last
 * line of its stderr in *ret_complaint (NULL when it said nothing). 0,
 * -ENOENT when it is not on PATH, or another code with error filled in. */
static int run_ansible_inventory(const char *path, char **ret_output, size_t *ret_size, char **ret_complaint,
                                 struct tether_error *error) {
        _cleanup_free_ char *option = NULL, *output = NULL, *complaint = NULL;
        _cleanup_close_ int errors = -1, read_end = -1;
        posix_spawn_file_actions_t actions;
        int pipe_fds[2], status = 0, r, read_r;
        size_t size = 0;
        pid_t pid;

        if (asprintf(&option, "--inventory=%s", path) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        char *argv[] = {(char *)ANSIBLE_INVENTORY, option, (char *)"--list", NULL};

        errors = memfd_create("ansible-inventory-stderr", MFD_CLOEXEC);
        if (errors < 0 || pipe2(pipe_fds, O_CLOEXEC) < 0)
                return tether_error_set(error, -errno, "cannot run %s: %s", ANSIBLE_INVENTORY,
                                        strerror(errno));
        read_end = pipe_fds[0];
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, errors, STDERR_FILENO);
        r = posix_spawnp(&pid, ANSIBLE_INVENTORY, &actions, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        close(pipe_fds[1]);
        if (r != 0)
                return r == ENOENT ? -ENOENT
                                   : tether_error_set(error, -r, "cannot run %s: %s", ANSIBLE_INVENTORY,
                                                      strerror(r));

        /* Read to the end before waiting: the child may fill the pipe. */
        read_r = tether_read_fd(read_end, ANSIBLE_INVENTORY, TETHER_INVENTORY_MAX_BYTES, &output, &size,
                                NULL);
        if (read_r < 0)
                kill(pid, SIGTERM);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (read_r < 0)
                return tether_error_set(error, read_r == -EFBIG ? -EFBIG : -EIO,
                                        "%s %s --list: cannot read its output: %s", ANSIBLE_INVENTORY,
                                        option, read_r == -EFBIG ? "more than 16 MiB" : strerror(-read_r));
        {
                _cleanup_free_ char *said = NULL;

                lseek(errors, 0, SEEK_SET);
                if (tether_read_fd(errors, "stderr", 1u << 20, &said, NULL, NULL) >= 0)
                        complaint = last_line_of(said);
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return tether_error_set(error, -EINVAL,
                                        "%s is not JSON, and `%s %s --list` failed (%s %d)%s%s. Fix the "
                                        "inventory, or give tether JSON",
                                        path, ANSIBLE_INVENTORY, option,
                                        WIFEXITED(status) ? "exit status" : "signal",
                                        WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                                        complaint && *complaint ? ": " : "", complaint ? complaint : "");
        *ret_output = TAKE_PTR(output);
        *ret_size = size;
        *ret_complaint = complaint && *complaint ? TAKE_PTR(complaint) : NULL;
        return 0;
}

int inventory_source_load(const char *path, struct tether_inventory **ret, struct tether_error *error) {
        _cleanup_free_ char *output = NULL, *origin = NULL, *complaint = NULL;
        struct tether_error load_error = TETHER_ERROR_INIT, parse_error = TETHER_ERROR_INIT;
        struct stat st;
        size_t size = 0;
        int r;

        /* A directory is one of Ansible's forms too (an inventory directory). */
        if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                r = -EMEDIUMTYPE;
        else
                r = tether_inventory_load(path, ret, &load_error);
        if (r != -EMEDIUMTYPE)
                return r < 0 ? tether_error_set(error, r, "%s", load_error.text) : 0;
        if (strcmp(path, "-") == 0)
                return tether_error_set(
                        error, -EINVAL,
                        "standard input is not JSON: for an Ansible INI or YAML inventory, "
                        "give its file (-i FILE), which tether reads through ansible-inventory, "
                        "or pipe `ansible-inventory -i FILE --list` into -i -");

        r = run_ansible_inventory(path, &output, &size, &complaint, error);
        if (r == -ENOENT)
                return tether_error_set(
                        error, -EINVAL,
                        "%s is not JSON. If it is an Ansible INI or YAML inventory, tether reads "
                        "it through ansible-inventory, which is not on PATH: install Ansible "
                        "(ansible-core), or give tether the output of `ansible-inventory -i %s "
                        "--list` as JSON",
                        path, path);
        if (r < 0)
                return r;
        if (asprintf(&origin, "%s --inventory=%s --list", ANSIBLE_INVENTORY, path) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        r = tether_inventory_parse(output, size, origin, ret, &parse_error);
        if (r < 0)
                return tether_error_set(error, r, "%s%s%s%s", parse_error.text,
                                        complaint ? " (ansible-inventory said: " : "",
                                        complaint ? complaint : "", complaint ? ")" : "");
        return 0;
}
