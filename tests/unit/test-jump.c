/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/jump.c: ProxyJump specs, good and bad, table-first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jump.h"
#include "macro.h"
#include "test-util.h"

/* The hops as "user@address:port|...", "-" for a part not given. */
static char *describe(const struct tether_jump_hop *hops, size_t n) {
        static char text[512];
        size_t used = 0;

        text[0] = '\0';
        for (size_t i = 0; i < n; i++)
                used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s@%s:%u", i ? "|" : "",
                                         hops[i].user ? hops[i].user : "-", hops[i].address, hops[i].port);
        return text;
}

static void test_good(void **state) {
        static const struct {
                const char *spec, *hops;
        } rows[] = {
                {"bastion", "-@bastion:0"},
                {"deploy@bastion.example.com:2222", "deploy@bastion.example.com:2222"},
                {"jump@edge.example.com,bastion.internal", "jump@edge.example.com:0|-@bastion.internal:0"},
                {"198.18.0.10:22", "-@198.18.0.10:22"},
                {"[2001:db8::1]:2200", "-@2001:db8::1:2200"},
                {"ops@[2001:db8::1]", "ops@2001:db8::1:0"},
                {"2001:db8::1", "-@2001:db8::1:0"},
                {"a,b,c,d", "-@a:0|-@b:0|-@c:0|-@d:0"},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                struct tether_jump_hop *hops = NULL;
                size_t n = 0;

                if (tether_jump_parse(rows[i].spec, &hops, &n, &error) < 0)
                        fail_msg("'%s': %s", rows[i].spec, error.text);
                if (strcmp(describe(hops, n), rows[i].hops) != 0)
                        fail_msg("'%s' gave %s, expected %s", rows[i].spec, describe(hops, n), rows[i].hops);
                tether_jump_hops_free(hops, n);
        }
}

static void test_bad(void **state) {
        static const struct {
                const char *spec;
                int code;
                const char *message; /* its start */
        } rows[] = {
                {"", -EINVAL, "empty jump host"},
                {"a,,b", -EINVAL, "jump host \"\": a hop is empty"},
                {"a,", -EINVAL, "jump host \"\": a hop is empty"},
                {"bastion:0", -EINVAL, "jump host \"bastion:0\": the port is not a number from 1 to 65535"},
                {"bastion:ssh", -EINVAL, "jump host \"bastion:ssh\": the port"},
                {"bastion;reboot", -EINVAL, "jump host \"bastion;reboot\": the host is not a valid"},
                {"$(id)@bastion", -EINVAL, "jump host \"$(id)@bastion\": the user is not a valid user name"},
                {"-oProxyCommand=x", -EINVAL, "jump host \"-oProxyCommand=x\": the host"},
                {"a b", -EINVAL, "jump host \"a b\": the host"},
                {"[::1", -EINVAL, "jump host \"[::1\": a '[' without its ']'"},
                {"[::1]x", -EINVAL, "jump host \"[::1]x\": a '[' without"},
                {"user@", -EINVAL, "jump host \"user@\": the host"},
                {"a,b,c,d,e", -E2BIG, "more than 4 jump hosts"},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                struct tether_jump_hop *hops = (struct tether_jump_hop *)(uintptr_t)1;
                size_t n = 99;
                int r = tether_jump_parse(rows[i].spec, &hops, &n, &error);

                if (r != rows[i].code || strncmp(error.text, rows[i].message, strlen(rows[i].message)) != 0)
                        fail_msg("'%s': %d '%s', expected %d '%s...'", rows[i].spec, r, error.text,
                                 rows[i].code, rows[i].message);
                assert_ptr_equal(hops, (struct tether_jump_hop *)(uintptr_t)1);
                assert_int_equal(n, 99);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_good),
                cmocka_unit_test(test_bad),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
