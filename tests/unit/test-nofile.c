/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/nofile.c: -j fitted to the file descriptors
 * tether may open, the soft RLIMIT_NOFILE raised to the hard one, and
 * running out of descriptors told from any other failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "nofile.h"
#include "macro.h"

static void test_fit_parallel(void **state) {
        static const struct {
                unsigned parallel;
                rlim_t nofile;
                unsigned fitted;
        } rows[] = {
                {32, 1024, 32},
                {1024, 1024, 338},
                {1024, 4096, 1024},
                {1024, 1048576, 1024},
                {32, RLIM_INFINITY, 32},
                {32, 16, 2},
                {32, 13, 1},
                {32, 12, 1},
                {32, 3, 1},
                {32, 0, 1},
                {1, 1024, 1},
                {4, 22, 4},
                {5, 22, 4},
        };

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                unsigned fitted = nofile_fit_parallel(rows[i].parallel, rows[i].nofile);

                if (fitted != rows[i].fitted)
                        fail_msg("row %zu: -j %u with %llu descriptors: %u, not %u", i, rows[i].parallel,
                                 (unsigned long long)rows[i].nofile, fitted, rows[i].fitted);
        }
}

static void test_raise_nofile(void **state) {
        struct rlimit saved, low;
        rlim_t got = 0;

        assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
        if (saved.rlim_max < 64)
                skip();
        low = (struct rlimit){.rlim_cur = 32, .rlim_max = saved.rlim_max};
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
        assert_int_equal(nofile_raise(&got), 0);
        assert_true(got == saved.rlim_max);
        assert_int_equal(getrlimit(RLIMIT_NOFILE, &low), 0);
        assert_true(low.rlim_cur == saved.rlim_max);
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
}

static void test_out_of_fds(void **state) {
        struct rlimit saved, low = {.rlim_cur = 16, .rlim_max = 0};
        int fds[32], n = 0;

        assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
        low.rlim_max = saved.rlim_max;
        assert_false(nofile_exhausted());
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
        while (n < (int)ELEMENTSOF(fds) && (fds[n] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
                n++;
        assert_true(n < (int)ELEMENTSOF(fds));
        assert_int_equal(errno, EMFILE);
        assert_true(nofile_exhausted());
        close(fds[--n]);
        assert_false(nofile_exhausted());
        while (n > 0)
                close(fds[--n]);
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fit_parallel),
                cmocka_unit_test(test_raise_nofile),
                cmocka_unit_test(test_out_of_fds),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
