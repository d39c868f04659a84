/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/unit-show.c: `systemctl show` output read into the
 * unit the agent would fill through D-Bus; time spans as systemd formats
 * them; values that do not parse refused with the line named and *ret
 * untouched.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "unit-show.h"

static struct tether_unit *const untouched = (struct tether_unit *)(uintptr_t)0x1;

/* Clocks of a host up for 1000 s, at 2026-12-02 21:00:00 UTC. */
static const struct tether_host_clocks clocks = {
        .realtime_usec = 1796245200ULL * 1000000ULL,
        .monotonic_usec = 1000ULL * 1000000ULL,
};

/* docker.service of a Debian 12 host as systemd 252 prints it, tied to
 * nftables.service, with a drop-in and a job under way. */
static const char docker_show[] =
        "Id=docker.service\n"
        "Names=docker.service\n"
        "LoadState=loaded\n"
        "ActiveState=active\n"
        "SubState=running\n"
        "UnitFileState=enabled\n"
        "FragmentPath=/lib/systemd/system/docker.service\n"
        "DropInPaths=/etc/systemd/system/docker.service.d/50-tether-firewall.conf "
        "/etc/systemd/system/docker.service.d/override.conf\n"
        "After=network-online.target nftables.service docker.socket firewalld.service containerd.service "
        "time-set.target sysinit.target system.slice systemd-journald.socket basic.target\n"
        "Requires=docker.socket system.slice sysinit.target nftables.service\n"
        "Wants=network-online.target containerd.service\n"
        "BindsTo=\n"
        "PartOf=nftables.service\n"
        "NeedDaemonReload=no\n"
        "ActiveEnterTimestampMonotonic=400000000\n"
        "StartLimitIntervalUSec=1min\n"
        "StartLimitBurst=3\n"
        "InvocationID=c571d9b34d884050806d77734d32900c\n"
        "Job=1234\n"
        "Result=success\n"
        "MainPID=53\n"
        "NRestarts=0\n"
        "ExecReload={ path=/bin/kill ; argv[]=/bin/kill -s HUP $MAINPID ; ignore_errors=no ; "
        "start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n";

static void test_docker_service(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_unit *unit = NULL;
        char id[33];

        assert_int_equal(tether_unit_from_show("docker.service", docker_show, &clocks, &unit, &error), 0);
        assert_string_equal(unit->name, "docker.service");
        assert_string_equal(unit->id, "docker.service");
        assert_string_equal(unit->names[0], "docker.service");
        assert_null(unit->names[1]);
        assert_string_equal(unit->load_state, "loaded");
        assert_string_equal(unit->active_state, "active");
        assert_string_equal(unit->sub_state, "running");
        assert_string_equal(unit->unit_file_state, "enabled");
        assert_string_equal(unit->fragment_path, "/lib/systemd/system/docker.service");
        assert_string_equal(unit->drop_in_paths[1], "/etc/systemd/system/docker.service.d/override.conf");
        assert_null(unit->drop_in_paths[2]);
        assert_string_equal(unit->after[1], "nftables.service");
        assert_string_equal(unit->requires[3], "nftables.service");
        assert_null(unit->requires[4]);
        assert_null(unit->binds_to[0]);
        assert_string_equal(unit->part_of[0], "nftables.service");
        assert_false(unit->need_daemon_reload);
        /* Entered 600 s before the clocks were read. */
        assert_true(unit->active_enter_usec == clocks.realtime_usec - 600ULL * 1000000ULL);
        assert_true(unit->start_limit_interval_usec == 60ULL * 1000000ULL);
        assert_int_equal(unit->start_limit_burst, 3);
        assert_string_equal(tether_unit_invocation_id(unit, id), "c571d9b34d884050806d77734d32900c");
        assert_true(unit->has_job);
        assert_string_equal(unit->result, "success");
        assert_int_equal(unit->main_pid, 53);
        assert_int_equal(unit->n_restarts, 0);
        assert_true(unit->has_exec_reload);
        assert_false(unit->exec_start_post_restarts_docker);
        tether_unit_free(unit);
}

/* Verbatim from a Debian 12 host of the test fleet (systemd 252): service
 * properties first, ExecStartPost= not printed when there is none. */
static const char debian12_docker_show[] =
        "MainPID=46\n"
        "Result=success\n"
        "NRestarts=0\n"
        "ExecReload={ path=/bin/kill ; argv[]=/bin/kill -s HUP $MAINPID ; ignore_errors=no ; "
        "start_time=[n/a] ; "
        "stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n"
        "Id=docker.service\n"
        "Names=docker.service\n"
        "Requires=sysinit.target system.slice docker.socket\n"
        "Wants=network-online.target containerd.service\n"
        "BindsTo=\n"
        "PartOf=\n"
        "After=firewalld.service network-online.target systemd-journald.socket docker.socket sysinit.target "
        "basic.target system.slice containerd.service\n"
        "LoadState=loaded\n"
        "ActiveState=active\n"
        "SubState=running\n"
        "FragmentPath=/lib/systemd/system/docker.service\n"
        "DropInPaths=\n"
        "UnitFileState=enabled\n"
        "ActiveEnterTimestampMonotonic=33267024696\n"
        "Job=\n"
        "NeedDaemonReload=no\n"
        "StartLimitIntervalUSec=1min\n"
        "StartLimitBurst=3\n"
        "InvocationID=3c4140d9c6a14e4583aaae4f66fc1cf0\n";

static void test_debian12_output(void **state) {
        const struct tether_host_clocks entered_a_minute_ago = {
                .realtime_usec = clocks.realtime_usec,
                .monotonic_usec = 33267024696ULL + 60ULL * 1000000ULL,
        };
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_unit *unit = NULL;
        char id[33];

        assert_int_equal(tether_unit_from_show("docker.service", debian12_docker_show, &entered_a_minute_ago,
                                               &unit, &error),
                         0);
        assert_true(tether_unit_is_active(unit));
        assert_true(tether_unit_is_enabled(unit));
        assert_int_equal(unit->main_pid, 46);
        assert_true(unit->has_exec_reload);
        assert_null(unit->drop_in_paths[0]);
        assert_null(unit->part_of[0]);
        assert_string_equal(unit->after[0], "firewalld.service");
        assert_false(unit->has_job);
        assert_true(unit->active_enter_usec == clocks.realtime_usec - 60ULL * 1000000ULL);
        assert_true(unit->start_limit_interval_usec == 60ULL * 1000000ULL);
        assert_string_equal(tether_unit_invocation_id(unit, id), "3c4140d9c6a14e4583aaae4f66fc1cf0");
        tether_unit_free(unit);
}

/* A unit systemd does not know: it still "loads", as not-found; the
 * properties a service has are not printed for it. */
static void test_not_found(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_unit *unit = NULL;

        assert_int_equal(tether_unit_from_show("iptables.service",
                                               "Id=iptables.service\nNames=iptables.service\n"
                                               "LoadState=not-found\nActiveState=inactive\nSubState=dead\n"
                                               "UnitFileState=\nFragmentPath=\nDropInPaths=\n"
                                               "ActiveEnterTimestampMonotonic=0\nInvocationID=\nJob=\n",
                                               &clocks, &unit, &error),
                         0);
        assert_false(tether_unit_exists(unit));
        assert_string_equal(unit->unit_file_state, "");
        assert_null(unit->drop_in_paths[0]);
        assert_true(unit->active_enter_usec == 0);
        assert_false(unit->has_job);
        assert_false(unit->has_exec_reload);
        /* Not printed: empty, as an older systemd's missing properties read. */
        assert_string_equal(unit->result, "");
        assert_null(unit->after[0]);
        tether_unit_free(unit);
}

/* An ExecStartPost= per line; the one that try-restarts docker is found
 * among others, as the agent finds it in the D-Bus array. */
static void test_exec_start_post(void **state) {
        static const struct {
                const char *lines;
                bool restarts_docker;
        } cases[] = {
                {"ExecStartPost={ path=/usr/bin/systemctl ; argv[]=/usr/bin/systemctl try-restart "
                 "docker.service ; "
                 "ignore_errors=yes ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 "
                 "}\n",
                 true},
                {"ExecStartPost={ path=/bin/true ; argv[]=/bin/true ; ignore_errors=no ; start_time=[n/a] "
                 "}\n"
                 "ExecStartPost={ path=/bin/systemctl ; argv[]=systemctl try-restart docker ; "
                 "ignore_errors=no }\n",
                 true},
                {"ExecStartPost={ path=/usr/bin/systemctl ; argv[]=/usr/bin/systemctl restart "
                 "docker.service ; "
                 "ignore_errors=no }\n",
                 false},
                {"ExecStartPost={ path=/usr/local/bin/hook ; argv[]=/usr/local/bin/hook try-restart docker "
                 "; "
                 "ignore_errors=no }\n",
                 false},
                {"ExecStartPost={ path=/usr/bin/systemctl ; argv[]=/usr/bin/systemctl try-restart dockerd ; "
                 "ignore_errors=no }\n",
                 false},
                {"ExecStartPost=\n", false},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                struct tether_unit *unit = NULL;

                assert_int_equal(
                        tether_unit_from_show("nftables.service", cases[i].lines, &clocks, &unit, &error),
                        0);
                if (unit->exec_start_post_restarts_docker != cases[i].restarts_docker)
                        fail_msg("case %zu: %s", i, cases[i].lines);
                tether_unit_free(unit);
        }
}

/* Values that do not parse: -EBADMSG naming the line and the property,
 * *ret untouched. */
static void test_refused(void **state) {
        static const char *const texts[] = {
                "Id=docker.service\nNeedDaemonReload=maybe\n",
                "StartLimitBurst=-1\n",
                "StartLimitBurst=4294967296\n",
                "StartLimitIntervalUSec=10 s\n",
                "ActiveEnterTimestampMonotonic=Wed 2026-12-02 21:00:00 UTC\n",
                "InvocationID=c571d9b34d884050806d77734d32900\n",
                "InvocationID=C571D9B34D884050806D77734D32900C\n",
                "Job=none\n",
                "ExecReload=/bin/kill -HUP\n",
        };

        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                struct tether_unit *unit = untouched;

                if (tether_unit_from_show("docker.service", texts[i], &clocks, &unit, &error) != -EBADMSG)
                        fail_msg("accepted: %s", texts[i]);
                assert_ptr_equal(unit, untouched);
                assert_non_null(strstr(error.text, "systemctl show docker.service, line "));
        }
}

/* Lines of other properties, blank lines, lines without '=' and a last
 * line without its newline. */
static void test_other_lines(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_unit *unit = NULL;

        assert_int_equal(
                tether_unit_from_show("x.service",
                                      "Description=a = b\n\nnonsense\nSubState=running\nId=x.service",
                                      &clocks, &unit, &error),
                0);
        assert_string_equal(unit->sub_state, "running");
        assert_string_equal(unit->id, "x.service");
        tether_unit_free(unit);
}

/* A monotonic time later than the host's clock (the clocks were read
 * before systemctl ran, or wrong): not known, rather than a wall-clock time
 * in the future. */
static void test_monotonic_later_than_now(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_unit *unit = NULL;

        assert_int_equal(tether_unit_from_show("x.service", "ActiveEnterTimestampMonotonic=1000000001\n",
                                               &clocks, &unit, &error),
                         0);
        assert_true(unit->active_enter_usec == 0);
        tether_unit_free(unit);
}

static void test_timespan_table(void **state) {
        static const struct {
                const char *text;
                int result;
                uint64_t usec;
        } spans[] = {
                {"0", 0, 0},
                {"10s", 0, 10000000ULL},
                {"1min", 0, 60000000ULL},
                {"1min 30s", 0, 90000000ULL},
                {"100ms", 0, 100000ULL},
                {"5us", 0, 5ULL},
                {"1.500000s", 0, 1500000ULL},
                {"2.5min", 0, 150000000ULL},
                {"1h 2min 3s 4ms", 0, 3723004000ULL},
                {"1d", 0, 86400000000ULL},
                {"1w 1d", 0, 8ULL * 86400000000ULL},
                {"1month", 0, 2629800000000ULL},
                {"1y", 0, 31557600000000ULL},
                {"infinity", 0, UINT64_MAX},
                {"", -EINVAL, 0},
                {"s", -EINVAL, 0},
                {"10", -EINVAL, 0},
                {"10 s", -EINVAL, 0},
                {"10s ", -EINVAL, 0},
                {" 10s", -EINVAL, 0},
                {"1min30s", -EINVAL, 0},
                {"-1s", -EINVAL, 0},
                {"1.s", -EINVAL, 0},
                {".5s", -EINVAL, 0},
                {"1.2.3s", -EINVAL, 0},
                {"10x", -EINVAL, 0},
                {"10mins", -EINVAL, 0},
                {"99999999999y", -EINVAL, 0},
                {"4000000000y", -EINVAL, 0}, /* fits 32 bits, but not as microseconds */
                {"584000y", 0, 584000ULL * 31557600000000ULL},
                {"1.999999999y", 0, 31557600000000ULL + 31557599968442ULL},
                {"1.5us", 0, 1ULL},
                {"500000y 500000y", -EINVAL, 0}, /* more than 64 bits of microseconds */
        };

        for (size_t i = 0; i < ELEMENTSOF(spans); i++) {
                uint64_t usec = 42;
                int r = tether_parse_timespan(spans[i].text, &usec);

                if (r != spans[i].result)
                        fail_msg("'%s': %d, expected %d", spans[i].text, r, spans[i].result);
                if (r == 0 && usec != spans[i].usec)
                        fail_msg("'%s': %llu us, expected %llu", spans[i].text, (unsigned long long)usec,
                                 (unsigned long long)spans[i].usec);
                if (r < 0 && usec != 42)
                        fail_msg("'%s': *ret touched on failure", spans[i].text);
        }
        assert_int_equal(tether_parse_timespan(NULL, &(uint64_t){0}), -EINVAL);
}

/* What is asked for is what the table reads, ActiveEnterTimestamp as its
 * monotonic twin. */
static void test_property_list(void **state) {
        char *list = tether_unit_show_properties();

        assert_string_equal(list, "Id,Names,LoadState,ActiveState,SubState,UnitFileState,FragmentPath,"
                                  "DropInPaths,After,Requires,Wants,BindsTo,PartOf,NeedDaemonReload,"
                                  "ActiveEnterTimestampMonotonic,StartLimitIntervalUSec,StartLimitBurst,"
                                  "InvocationID,Job,Result,MainPID,NRestarts,ExecReload,ExecStartPost");
        free(list);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_docker_service),
                cmocka_unit_test(test_debian12_output),
                cmocka_unit_test(test_not_found),
                cmocka_unit_test(test_exec_start_post),
                cmocka_unit_test(test_refused),
                cmocka_unit_test(test_other_lines),
                cmocka_unit_test(test_monotonic_later_than_now),
                cmocka_unit_test(test_timespan_table),
                cmocka_unit_test(test_property_list),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
