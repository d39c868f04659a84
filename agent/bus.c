/* SPDX-License-Identifier: MIT */
/*
 * systemd through sd-bus (see bus.h). Properties are read one by one: on the
 * local bus each costs well under a millisecond, and a missing property (an
 * old systemd) costs only that field, not the whole unit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "macro.h"

#define SYSTEMD_SERVICE "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define MANAGER_INTERFACE "org.freedesktop.systemd1.Manager"
#define UNIT_INTERFACE "org.freedesktop.systemd1.Unit"
#define SERVICE_INTERFACE "org.freedesktop.systemd1.Service"

/* Reload and jobs on a busy host can take long; sd-bus's default is 25 s. */
#define METHOD_CALL_TIMEOUT_USEC (120ULL * 1000000ULL)

static int bus_fail(struct tether_error *error, int r, const sd_bus_error *bus_error, const char *what) {
        return tether_error_set(error, r, "%s: %s", what,
                                bus_error && bus_error->message ? bus_error->message : strerror(-r));
}

int bus_open(sd_bus **ret, struct tether_error *error) {
        sd_bus *bus = NULL;
        int r;

        r = sd_bus_open_system(&bus);
        if (r < 0)
                return tether_error_set(
                        error, r, "cannot connect to the system D-Bus (%s): is this a host running systemd?",
                        strerror(-r));
        (void)sd_bus_set_method_call_timeout(bus, METHOD_CALL_TIMEOUT_USEC);
        *ret = bus;
        return 0;
}

struct unit_info *unit_info_free(struct unit_info *info) {
        if (!info)
                return NULL;
        free(info->name);
        free(info->id);
        strv_free(info->names);
        free(info->load_state);
        free(info->active_state);
        free(info->sub_state);
        free(info->unit_file_state);
        free(info->fragment_path);
        strv_free(info->drop_in_paths);
        strv_free(info->after);
        strv_free(info->requires);
        strv_free(info->wants);
        strv_free(info->binds_to);
        strv_free(info->part_of);
        free(info->result);
        free(info);
        return NULL;
}

bool unit_info_exists(const struct unit_info *info) {
        return info && info->load_state && strcmp(info->load_state, "not-found") != 0;
}

bool unit_has_name(const struct unit_info *info, const char *name) {
        char full[512];

        snprintf(full, sizeof(full), "%s%s", name, strchr(name, '.') ? "" : ".service");
        if (strcmp(info->id, full) == 0)
                return true;
        for (size_t i = 0; info->names && info->names[i]; i++)
                if (strcmp(info->names[i], full) == 0)
                        return true;
        return false;
}

static char *get_string(sd_bus *bus, const char *path, const char *interface, const char *member) {
        char *value = NULL;

        if (sd_bus_get_property_string(bus, SYSTEMD_SERVICE, path, interface, member, NULL, &value) < 0)
                return strdup("");
        return value;
}

static char **get_strv(sd_bus *bus, const char *path, const char *interface, const char *member) {
        char **value = NULL;

        if (sd_bus_get_property_strv(bus, SYSTEMD_SERVICE, path, interface, member, NULL, &value) < 0 ||
            !value)
                return calloc(1, sizeof(char *));
        return value;
}

/* Reads a property of type a(sasbttttuii) (ExecStart= and its kin) and says
 * whether it has any command, and whether one of them try-restarts docker. */
static void get_exec(sd_bus *bus, const char *path, const char *member, bool *ret_any,
                     bool *ret_restarts_docker) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        bool any = false, restarts_docker = false;
        int r;

        r = sd_bus_get_property(bus, SYSTEMD_SERVICE, path, SERVICE_INTERFACE, member, NULL, &reply,
                                "a(sasbttttuii)");
        if (r < 0)
                goto out;
        if (sd_bus_message_enter_container(reply, 'a', "(sasbttttuii)") <= 0)
                goto out;
        while (sd_bus_message_enter_container(reply, 'r', "sasbttttuii") > 0) {
                const char *binary = NULL, *arg;
                bool try_restart = false, docker = false;

                any = true;
                if (sd_bus_message_read(reply, "s", &binary) < 0 ||
                    sd_bus_message_enter_container(reply, 'a', "s") <= 0)
                        break;
                while (sd_bus_message_read(reply, "s", &arg) > 0) {
                        if (strcmp(arg, "try-restart") == 0)
                                try_restart = true;
                        else if (strcmp(arg, "docker.service") == 0 || strcmp(arg, "docker") == 0)
                                docker = true;
                }
                if (try_restart && docker && binary && strstr(binary, "systemctl"))
                        restarts_docker = true;
                if (sd_bus_message_exit_container(reply) < 0 || sd_bus_message_skip(reply, "bttttuii") < 0 ||
                    sd_bus_message_exit_container(reply) < 0)
                        break;
        }
out:
        *ret_any = any;
        if (ret_restarts_docker)
                *ret_restarts_docker = restarts_docker;
}

int bus_unit_info(sd_bus *bus, const char *name, struct unit_info **ret, struct tether_error *error) {
        _cleanup_(sd_bus_error_free) sd_bus_error bus_error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(unit_info_freep) struct unit_info *info = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *invocation = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *job = NULL;
        bool has_exec_start_post;
        int need_daemon_reload = 0;
        const char *path;
        int r;

        r = sd_bus_call_method(bus, SYSTEMD_SERVICE, SYSTEMD_PATH, MANAGER_INTERFACE, "LoadUnit", &bus_error,
                               &reply, "s", name);
        if (r < 0)
                return bus_fail(error, r, &bus_error, name);
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return bus_fail(error, r, NULL, name);

        info = calloc(1, sizeof(*info));
        if (!info)
                return tether_error_set(error, -ENOMEM, "out of memory");
        info->name = strdup(name);
        info->id = get_string(bus, path, UNIT_INTERFACE, "Id");
        info->names = get_strv(bus, path, UNIT_INTERFACE, "Names");
        info->load_state = get_string(bus, path, UNIT_INTERFACE, "LoadState");
        info->active_state = get_string(bus, path, UNIT_INTERFACE, "ActiveState");
        info->sub_state = get_string(bus, path, UNIT_INTERFACE, "SubState");
        info->unit_file_state = get_string(bus, path, UNIT_INTERFACE, "UnitFileState");
        info->fragment_path = get_string(bus, path, UNIT_INTERFACE, "FragmentPath");
        info->drop_in_paths = get_strv(bus, path, UNIT_INTERFACE, "DropInPaths");
        info->after = get_strv(bus, path, UNIT_INTERFACE, "After");
        info->requires = get_strv(bus, path, UNIT_INTERFACE, "Requires");
        info->wants = get_strv(bus, path, UNIT_INTERFACE, "Wants");
        info->binds_to = get_strv(bus, path, UNIT_INTERFACE, "BindsTo");
        info->part_of = get_strv(bus, path, UNIT_INTERFACE, "PartOf");
        info->result = get_string(bus, path, SERVICE_INTERFACE, "Result");
        if (!info->name || !info->id || !info->names || !info->load_state || !info->active_state ||
            !info->sub_state || !info->unit_file_state || !info->fragment_path || !info->drop_in_paths ||
            !info->after || !info->requires || !info->wants || !info->binds_to || !info->part_of ||
            !info->result)
                /* info is freed by its cleanup attribute, which cppcheck does not know. */
                /* cppcheck-suppress memleak */
                return tether_error_set(error, -ENOMEM, "out of memory");

        if (sd_bus_get_property_trivial(bus, SYSTEMD_SERVICE, path, UNIT_INTERFACE, "NeedDaemonReload", NULL,
                                        'b', &need_daemon_reload) >= 0)
                info->need_daemon_reload = need_daemon_reload;
        (void)sd_bus_get_property_trivial(bus, SYSTEMD_SERVICE, path, UNIT_INTERFACE, "ActiveEnterTimestamp",
                                          NULL, 't', &info->active_enter_usec);
        (void)sd_bus_get_property_trivial(bus, SYSTEMD_SERVICE, path, UNIT_INTERFACE,
                                          "StartLimitIntervalUSec", NULL, 't',
                                          &info->start_limit_interval_usec);
        (void)sd_bus_get_property_trivial(bus, SYSTEMD_SERVICE, path, UNIT_INTERFACE, "StartLimitBurst",
                                          NULL, 'u', &info->start_limit_burst);
        if (sd_bus_get_property(bus, SYSTEMD_SERVICE, path, UNIT_INTERFACE, "Job", NULL, &job, "(uo)") >=
            0) {
                uint32_t job_id = 0;
                const char *job_path;

                if (sd_bus_message_read(job, "(uo)", &job_id, &job_path) >= 0)
                        info->has_job = job_id != 0;
        }
        if (sd_bus_get_property(bus, SYSTEMD_SERVICE, path, UNIT_INTERFACE, "InvocationID", NULL,
                                &invocation, "ay") >= 0) {
                const void *bytes;
                size_t size;

                if (sd_bus_message_read_array(invocation, 'y', &bytes, &size) >= 0 &&
                    size == sizeof(info->invocation_id.bytes))
                        memcpy(info->invocation_id.bytes, bytes, size);
        }
        if (strlen(info->id) > 8 && strcmp(info->id + strlen(info->id) - 8, ".service") == 0) {
                (void)sd_bus_get_property_trivial(bus, SYSTEMD_SERVICE, path, SERVICE_INTERFACE, "MainPID",
                                                  NULL, 'u', &info->main_pid);
                (void)sd_bus_get_property_trivial(bus, SYSTEMD_SERVICE, path, SERVICE_INTERFACE, "NRestarts",
                                                  NULL, 'u', &info->n_restarts);
                get_exec(bus, path, "ExecReload", &info->has_exec_reload, NULL);
                get_exec(bus, path, "ExecStartPost", &has_exec_start_post,
                         &info->exec_start_post_restarts_docker);
        }

        *ret = TAKE_PTR(info);
        return 0;
}

int bus_systemd_version(sd_bus *bus, char **ret, struct tether_error *error) {
        _cleanup_(sd_bus_error_free) sd_bus_error bus_error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_get_property_string(bus, SYSTEMD_SERVICE, SYSTEMD_PATH, MANAGER_INTERFACE, "Version",
                                       &bus_error, ret);
        if (r < 0)
                return bus_fail(error, r, &bus_error, "cannot read systemd's version");
        return 0;
}

int bus_daemon_reload(sd_bus *bus, struct tether_error *error) {
        _cleanup_(sd_bus_error_free) sd_bus_error bus_error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_call_method(bus, SYSTEMD_SERVICE, SYSTEMD_PATH, MANAGER_INTERFACE, "Reload", &bus_error,
                               NULL, NULL);
        if (r < 0)
                return bus_fail(error, r, &bus_error, "systemd's daemon-reload failed");
        return 0;
}

struct job_wait {
        const char *job_path;
        char *result;
        bool done;
};

static int on_job_removed(sd_bus_message *message, void *userdata, sd_bus_error *ret_error) {
        struct job_wait *wait = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        if (sd_bus_message_read(message, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (wait->job_path && strcmp(path, wait->job_path) == 0) {
                wait->result = strdup(result);
                wait->done = true;
        }
        return 0;
}

static uint64_t now_usec(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}

int bus_run_job(sd_bus *bus, const char *method, const char *unit, uint64_t timeout_usec, char **ret_result,
                struct tether_error *error) {
        _cleanup_(sd_bus_error_free) sd_bus_error bus_error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
        _cleanup_free_ char *job_path = NULL;
        struct job_wait wait = {};
        uint64_t deadline = now_usec() + timeout_usec;
        const char *path;
        int r;

        /* Subscribe before the call, so a job that finishes at once is not missed. */
        r = sd_bus_match_signal(bus, &slot, SYSTEMD_SERVICE, SYSTEMD_PATH, MANAGER_INTERFACE, "JobRemoved",
                                on_job_removed, &wait);
        if (r < 0)
                return bus_fail(error, r, NULL, "cannot watch systemd's jobs");
        r = sd_bus_call_method(bus, SYSTEMD_SERVICE, SYSTEMD_PATH, MANAGER_INTERFACE, "Subscribe",
                               &bus_error, NULL, NULL);
        /* One subscription a connection: the second job on it finds it made. */
        if (r < 0 && !sd_bus_error_has_name(&bus_error, "org.freedesktop.systemd1.AlreadySubscribed"))
                return bus_fail(error, r, &bus_error, "cannot subscribe to systemd's jobs");
        sd_bus_error_free(&bus_error);

        r = sd_bus_call_method(bus, SYSTEMD_SERVICE, SYSTEMD_PATH, MANAGER_INTERFACE, method, &bus_error,
                               &reply, "ss", unit, "replace");
        if (r < 0)
                return tether_error_set(error, r, "%s %s: %s", method, unit,
                                        bus_error.message ? bus_error.message : strerror(-r));
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return bus_fail(error, r, NULL, "cannot read the job systemd started");
        job_path = strdup(path);
        if (!job_path)
                return tether_error_set(error, -ENOMEM, "out of memory");
        wait.job_path = job_path;

        while (!wait.done) {
                uint64_t now = now_usec();

                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return bus_fail(error, r, NULL, "lost the connection to systemd");
                if (r > 0)
                        continue;
                if (now >= deadline)
                        return tether_error_set(error, -ETIMEDOUT,
                                                "%s %s: no result from systemd within %llu s", method, unit,
                                                (unsigned long long)(timeout_usec / 1000000ULL));
                r = sd_bus_wait(bus, deadline - now);
                if (r < 0)
                        return bus_fail(error, r, NULL, "lost the connection to systemd");
        }
        if (!wait.result)
                return tether_error_set(error, -ENOMEM, "out of memory");
        *ret_result = wait.result;
        return 0;
}
