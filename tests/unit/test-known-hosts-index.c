/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/known-hosts-index.c: which lines a host keeps (its
 * plain names, "[name]:port", without case; every line that cannot be
 * indexed; no comment), and that libssh itself, asked about a host, answers
 * the same on the kept lines as on the whole file (real libssh, no network).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <libssh/libssh.h>

#include "known-hosts-index.h"
#include "macro.h"
#include "test-util.h"

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEWJ8jrm8CMKcK4yAacmYqTIMTEcLu/YtyqVMi/GrGaM"

/* ssh-keygen -H of "hashed-host" and "[hashed-port]:2200" with KEY. */
#define HASHED_HOST "|1|l2dI/CdzDwLeRF0OxGOATxOAfDY=|gK0KdPuMa6eP2J/gHZRQgdKd+ek= " KEY
#define HASHED_PORT "|1|Iyo/Px7L8idNQJVfy+xpp67UPa0=|IzP1vFgdbMsM5N+siy1O/SwS3ns= " KEY

static const char file[] = "# the fleet\n"
                           "\n"
                           "web-01 " KEY "\n"
                           "web-02,10.0.0.2 " KEY "\n"
                           "[web-03]:2222 " KEY "\n"
                           "WEB-04 " KEY "\n"
                           "*.example.com " KEY "\n" HASHED_HOST "\n"
                           "@revoked * " KEY "\n"
                           " leading " KEY "\n"
                           "lonely\n"
                           "db-1,!db-2 " KEY "\n"
                           "web-01,web-01 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ\n" HASHED_PORT;

/* What every host keeps, in the file's order, with lines of its own put in
 * where marked. */
#define ALWAYS_BEFORE                                                               \
        "*.example.com " KEY "\n" HASHED_HOST "\n@revoked * " KEY "\n leading " KEY \
        "\nlonely\ndb-1,!db-2 " KEY "\n"
#define ALWAYS_AFTER HASHED_PORT "\n"

static char *kept(const char *name, unsigned port) {
        struct tether_known_hosts_index *index = NULL;
        struct strbuf out = STRBUF_INIT;
        char *text;

        assert_int_equal(tether_known_hosts_index_new(file, &index), 0);
        tether_known_hosts_index_lines(index, name, port, &out);
        assert_false(out.failed);
        assert_null(tether_known_hosts_index_free(index));
        text = strbuf_steal(&out);
        assert_non_null(text);
        return text;
}

static void test_kept_lines(void **state) {
        static const struct {
                const char *name;
                unsigned port;
                const char *lines;
        } rows[] = {
                {"web-01", 22,
                 "web-01 " KEY "\n" ALWAYS_BEFORE
                 "web-01,web-01 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ\n" ALWAYS_AFTER},
                {"web-02", 22, "web-02,10.0.0.2 " KEY "\n" ALWAYS_BEFORE ALWAYS_AFTER},
                {"10.0.0.2", 22, "web-02,10.0.0.2 " KEY "\n" ALWAYS_BEFORE ALWAYS_AFTER},
                {"web-03", 2222, "[web-03]:2222 " KEY "\n" ALWAYS_BEFORE ALWAYS_AFTER},
                {"web-03", 22, ALWAYS_BEFORE ALWAYS_AFTER},
                {"web-04", 22, "WEB-04 " KEY "\n" ALWAYS_BEFORE ALWAYS_AFTER},
                {"Web-01", 22,
                 "web-01 " KEY "\n" ALWAYS_BEFORE
                 "web-01,web-01 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ\n" ALWAYS_AFTER},
                {"nobody", 22, ALWAYS_BEFORE ALWAYS_AFTER},
                {"web-0", 22, ALWAYS_BEFORE ALWAYS_AFTER},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                _cleanup_free_ char *got = kept(rows[i].name, rows[i].port);

                if (strcmp(got, rows[i].lines) != 0)
                        print_error("%s port %u kept:\n%s\nexpected:\n%s\n", rows[i].name, rows[i].port, got,
                                    rows[i].lines);
                assert_string_equal(got, rows[i].lines);
        }
}

static void test_empty_file(void **state) {
        struct tether_known_hosts_index *index = NULL;
        struct strbuf out = STRBUF_INIT;

        assert_int_equal(tether_known_hosts_index_new("", &index), 0);
        tether_known_hosts_index_lines(index, "web-01", 22, &out);
        assert_false(out.failed);
        assert_int_equal(out.length, 0);
        strbuf_free(&out);
        tether_known_hosts_index_free(index);
        assert_null(tether_known_hosts_index_free(NULL));
}

/* libssh's answer for name at port, with path as known_hosts. It is asked
 * in a child that exits with it: libssh 0.10's
 * ssh_session_has_known_hosts_entry() leaks what it parsed of some lines,
 * which LeakSanitizer would blame on the test. */
static int libssh_answer(const char *path, const char *name, unsigned port) {
        pid_t pid = fork();
        int status = 0;

        assert_true(pid >= 0);
        if (pid == 0) {
                ssh_session session = ssh_new();

                if (!session || ssh_options_set(session, SSH_OPTIONS_HOST, name) < 0 ||
                    ssh_options_set(session, SSH_OPTIONS_PORT, &port) < 0 ||
                    ssh_options_set(session, SSH_OPTIONS_KNOWNHOSTS, path) < 0 ||
                    ssh_options_set(session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") < 0)
                        _exit(100);
                _exit(ssh_session_has_known_hosts_entry(session) + 10);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_true(WEXITSTATUS(status) != 100);
        return WEXITSTATUS(status) - 10;
}

static void test_libssh_answers_alike(void **state) {
        static const struct {
                const char *name;
                unsigned port;
        } hosts[] = {
                {"web-01", 22},      {"web-02", 22},        {"10.0.0.2", 22},    {"web-03", 2222},
                {"web-03", 22},      {"web-04", 22},        {"WEB-04", 22},      {"a.example.com", 22},
                {"hashed-host", 22}, {"hashed-port", 2200}, {"hashed-port", 22}, {"db-1", 22},
                {"db-2", 22},        {"nobody", 22},        {"web-01", 2222},    {"lonely", 22},
        };
        _cleanup_free_ char *whole = write_temporary_file("known_hosts", file, strlen(file));
        size_t found = 0;

        for (size_t i = 0; i < ELEMENTSOF(hosts); i++) {
                _cleanup_free_ char *lines = kept(hosts[i].name, hosts[i].port);
                _cleanup_free_ char *narrow = write_temporary_file("known_hosts", lines, strlen(lines));
                int expected = libssh_answer(whole, hosts[i].name, hosts[i].port);
                int got = libssh_answer(narrow, hosts[i].name, hosts[i].port);

                if (got != expected)
                        print_error("%s port %u: libssh says %d on the kept lines, %d on the file\n",
                                    hosts[i].name, hosts[i].port, got, expected);
                assert_int_equal(got, expected);
                found += expected == SSH_KNOWN_HOSTS_OK;
                unlink(narrow);
        }
        /* The comparison means something only if libssh finds some hosts. */
        assert_true(found >= 6);
        unlink(whole);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_kept_lines),
                cmocka_unit_test(test_empty_file),
                cmocka_unit_test(test_libssh_answers_alike),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
