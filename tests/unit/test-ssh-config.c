/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/ssh-config.c: IdentitiesOnly, IdentityFile and
 * CertificateFile read for one host, table-first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "ssh-config.h"
#include "test-util.h"

/* The config as "only=N ids=a,b certs=c". */
static const char *describe(const struct tether_ssh_auth_config *config) {
        static char text[1024];
        size_t used = (size_t)snprintf(text, sizeof(text), "only=%d ids=", config->identities_only);

        for (size_t i = 0; config->identity_files && config->identity_files[i]; i++)
                used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s", i ? "," : "",
                                         config->identity_files[i]);
        used += (size_t)snprintf(text + used, sizeof(text) - used, " certs=");
        for (size_t i = 0; config->certificate_files && config->certificate_files[i]; i++)
                used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s", i ? "," : "",
                                         config->certificate_files[i]);
        return text;
}

/* Include "inc" gives one file; "loop" includes itself; "fail" fails. */
static int include(const char *pattern, char ***ret, void *userdata) {
        (void)userdata;
        if (strcmp(pattern, "fail") == 0)
                return -EACCES;
        if (strcmp(pattern, "inc") == 0)
                return strv_push(ret, strdup("IdentityFile ~/.ssh/included\n"));
        if (strcmp(pattern, "loop") == 0)
                return strv_push(ret, strdup("Include loop\n"));
        return 0;
}

static void test_read(void **state) {
        static const struct {
                const char *text, *host, *expected;
        } rows[] = {
                {"", "web", "only=-1 ids= certs="},
                {"IdentitiesOnly yes\nIdentityFile ~/.ssh/a\n", "web", "only=1 ids=~/.ssh/a certs="},
                {"Host web\n  IdentitiesOnly yes\nHost *\n  IdentitiesOnly no\n", "web",
                 "only=1 ids= certs="},
                {"Host db\n  IdentitiesOnly yes\nHost *\n  IdentitiesOnly no\n", "web",
                 "only=0 ids= certs="},
                {"identitiesonly=yes\nIDENTITYFILE=\"/keys/my key\"\n", "web",
                 "only=1 ids=/keys/my key certs="},
                {"Host *.internal !old.internal\n  IdentityFile a\n", "db.internal", "only=-1 ids=a certs="},
                {"Host *.internal !old.internal\n  IdentityFile a\n", "old.internal", "only=-1 ids= certs="},
                {"IdentityFile a\nIdentityFile b\nIdentityFile a\n", "web", "only=-1 ids=a,b certs="},
                {"CertificateFile ~/.ssh/a-cert.pub\n", "web", "only=-1 ids= certs=~/.ssh/a-cert.pub"},
                {"Match host web*\n  IdentitiesOnly yes\n", "web-01", "only=1 ids= certs="},
                {"Match all\n  IdentityFile z\n", "web", "only=-1 ids=z certs="},
                {"Match user root\n  IdentitiesOnly yes\n", "web", "only=-1 ids= certs="},
                {"Match exec \"true\"\n  IdentitiesOnly yes\nHost *\n  IdentityFile k\n", "web",
                 "only=-1 ids=k certs="},
                {"# IdentitiesOnly yes\n\n   \t\nHost web # a comment\n  IdentityFile k\n", "web",
                 "only=-1 ids=k certs="},
                {"Host web\n  Include inc\n", "web", "only=-1 ids=~/.ssh/included certs="},
                {"Host db\n  Include inc\n", "web", "only=-1 ids= certs="},
                {"IdentitiesOnly yes\r\nIdentityFile k\r\n", "web", "only=1 ids=k certs="},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_ssh_auth_config config = {.identities_only = -1};
                struct tether_error error = TETHER_ERROR_INIT;

                assert_int_equal(
                        tether_ssh_config_read(rows[i].text, rows[i].host, include, NULL, &config, &error),
                        0);
                if (strcmp(describe(&config), rows[i].expected) != 0)
                        fail_msg("row %zu: %s, expected %s", i, describe(&config), rows[i].expected);
                tether_ssh_auth_config_done(&config);
        }
}

/* A second file adds to the first and loses to it. */
static void test_second_file_loses(void **state) {
        struct tether_ssh_auth_config config = {.identities_only = -1};

        (void)state;
        assert_int_equal(tether_ssh_config_read("IdentitiesOnly no\nIdentityFile a\n", "web", NULL, NULL,
                                                &config, NULL),
                         0);
        assert_int_equal(tether_ssh_config_read("IdentitiesOnly yes\nIdentityFile b\n", "web", NULL, NULL,
                                                &config, NULL),
                         0);
        assert_string_equal(describe(&config), "only=0 ids=a,b certs=");
        tether_ssh_auth_config_done(&config);
}

static void test_include_errors(void **state) {
        struct tether_ssh_auth_config config = {.identities_only = -1};
        struct tether_error error = TETHER_ERROR_INIT;

        (void)state;
        assert_int_equal(tether_ssh_config_read("Include loop\n", "web", include, NULL, &config, &error),
                         -ELOOP);
        assert_non_null(strstr(error.text, "nested Include"));
        error = (struct tether_error)TETHER_ERROR_INIT;
        assert_int_equal(tether_ssh_config_read("Include fail\n", "web", include, NULL, &config, &error),
                         -EACCES);
        assert_string_equal(error.text, "ssh_config: cannot read Include fail");
        tether_ssh_auth_config_done(&config);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_read),
                cmocka_unit_test(test_second_file_loses),
                cmocka_unit_test(test_include_errors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
