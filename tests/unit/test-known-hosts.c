/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/known-hosts.c: OpenSSH host patterns, and the
 * @revoked and @cert-authority lines libssh skips, table-first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "known-hosts.h"
#include "macro.h"
#include "test-util.h"

#define KEY_A "AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define KEY_B "AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

static void test_patterns(void **state) {
        static const struct {
                const char *patterns, *name;
                bool matches;
        } rows[] = {
                {"web-01", "web-01", true},
                {"web-01", "web-02", false},
                {"WEB-01", "web-01", true},
                {"*", "anything", true},
                {"*.example.com", "db.example.com", true},
                {"*.example.com", "example.com", false},
                {"*.example.com", "db.example.com.evil", false},
                {"web-0?", "web-07", true},
                {"web-0?", "web-10", false},
                {"db,web-*", "web-3", true},
                {"*.example.com,!old.example.com", "old.example.com", false},
                {"!old.example.com,*.example.com", "old.example.com", false},
                {"*.example.com,!old.example.com", "new.example.com", true},
                {"!old.example.com", "new.example.com", false}, /* a negation alone matches nothing */
                {"[10.0.0.1]:2222", "[10.0.0.1]:2222", true},
                {"[10.0.0.1]:2222", "10.0.0.1", false},
                {"[10.0.0.*]:*", "[10.0.0.9]:2222", true},
                {"a*b*c", "axxbyyc", true},
                {"a*b*c", "axxbyy", false},
                {",,web", "web", true},
                {"", "web", false},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                if (tether_host_patterns_match(rows[i].patterns, rows[i].name) != rows[i].matches)
                        fail_msg("row %zu: '%s' against '%s': expected %s", i, rows[i].patterns,
                                 rows[i].name, rows[i].matches ? "a match" : "no match");
        }
}

static void test_markers(void **state) {
        static const struct {
                const char *text, *host;
                unsigned port, revoked_line, ca_line;
        } rows[] = {
                {NULL, "web", 22, 0, 0},
                {"", "web", 22, 0, 0},
                {"web ssh-ed25519 " KEY_A "\n", "web", 22, 0, 0},
                /* A revoked key is refused whatever hosts its line names. */
                {"web ssh-ed25519 " KEY_A "\n@revoked * ssh-ed25519 " KEY_A " old\n", "web", 22, 2, 0},
                {"@revoked other-host ssh-ed25519 " KEY_A "\n", "web", 22, 1, 0},
                {"@revoked * ssh-ed25519 " KEY_B "\n", "web", 22, 0, 0},
                {"  @revoked\t*\tssh-ed25519\t" KEY_A "\r\n", "web", 22, 1, 0},
                {"# @revoked * ssh-ed25519 " KEY_A "\n", "web", 22, 0, 0},
                {"@revoked * ssh-ed25519\n", "web", 22, 0, 0},
                {"@revoked * ssh-ed25519 " KEY_A "x\n", "web", 22, 0, 0},
                {"@revoked * ssh-ed25519 " KEY_A "\n@revoked * ssh-ed25519 " KEY_A "\n", "web", 22, 1, 0},
                /* A CA line counts for the hosts its patterns match. */
                {"@cert-authority *.example.com ssh-ed25519 " KEY_B "\n", "db.example.com", 22, 0, 1},
                {"@cert-authority *.example.com ssh-ed25519 " KEY_B "\n", "db.example.org", 22, 0, 0},
                {"@cert-authority *.example.com,!db.example.com ssh-ed25519 " KEY_B "\n", "db.example.com",
                 22, 0, 0},
                {"@cert-authority [10.0.0.1]:2222 ssh-ed25519 " KEY_B "\n", "10.0.0.1", 2222, 0, 1},
                {"@cert-authority 10.0.0.1 ssh-ed25519 " KEY_B "\n", "10.0.0.1", 2222, 0, 0},
                {"@cert-authority |1|c2FsdA==|aGFzaA== ssh-ed25519 " KEY_B "\n", "web", 22, 0, 0},
                {"@cert-authority\n", "web", 22, 0, 0},
                {"@unknown-marker * ssh-ed25519 " KEY_A "\n", "web", 22, 0, 0},
                {"web ssh-ed25519 " KEY_A "\n\n@cert-authority * ssh-ed25519 " KEY_B
                 "\n@revoked * ssh-ed25519 " KEY_A,
                 "web", 22, 4, 3},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_known_hosts_markers markers = {99, 99};

                tether_known_hosts_find_markers(rows[i].text, rows[i].host, rows[i].port, KEY_A, &markers);
                if (markers.revoked_line != rows[i].revoked_line ||
                    markers.cert_authority_line != rows[i].ca_line)
                        fail_msg("row %zu: revoked line %u, CA line %u; expected %u and %u", i,
                                 markers.revoked_line, markers.cert_authority_line, rows[i].revoked_line,
                                 rows[i].ca_line);
        }
}

/* Keeping only the marker lines finds the same lines as the whole text. */
static void test_marker_lines(void **state) {
        static const char *const texts[] = {
                "",
                "web ssh-ed25519 " KEY_A "\n",
                "web ssh-ed25519 " KEY_A "\n\n@cert-authority * ssh-ed25519 " KEY_B
                "\n# x\n@revoked * ssh-ed25519 " KEY_A,
                "@revoked * ssh-ed25519 " KEY_A "\n",
                "  @cert-authority web ssh-ed25519 " KEY_B "\r\nweb ssh-ed25519 " KEY_A "\n\n\n",
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                struct tether_known_hosts_markers whole, kept_markers;
                char *kept = tether_known_hosts_marker_lines(texts[i]);

                assert_non_null(kept);
                tether_known_hosts_find_markers(texts[i], "web", 22, KEY_A, &whole);
                tether_known_hosts_find_markers(kept, "web", 22, KEY_A, &kept_markers);
                assert_int_equal(whole.revoked_line, kept_markers.revoked_line);
                assert_int_equal(whole.cert_authority_line, kept_markers.cert_authority_line);
                assert_true(strncmp(kept, "web ", 4) != 0);
                assert_null(strstr(kept, "\nweb "));
                free(kept);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_patterns),
                cmocka_unit_test(test_markers),
                cmocka_unit_test(test_marker_lines),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
