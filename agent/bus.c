/* SPDX-License-Identifier: MIT */
/*
 * systemd through sd-bus (see bus.h). A unit's properties are read with one
 * GetAll for each interface, Unit and, for a service, Service, not with a
 * call for each: a host has a dozen units to look at, and the round trips,
 * not the bytes, are what an audit waits for. A property an old systemd does
 * not have is absent from the reply and its field reads as empty
 * (fill_missing()), so it costs only that field, not the whole unit; one
 * ListUnitsByNames tells which of many units exist.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "time-util.h"
#include "macro.h"

#define SYSTEMD_SERVICE "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define MANAGER_INTERFACE "org.freedesktop.systemd1.Manager"
#define UNIT_INTERFACE "org.freedesktop.systemd1.Unit"
#define SERVICE_INTERFACE "org.freedesktop.systemd1.Service"

/* Reload and jobs on a busy host can take long; sd-bus's default is 25 s.
 * Given to each call (sd_bus_call()'s usec), not set on the connection:
 * sd_bus_set_method_call_timeout() is systemd 240's, and the agent runs on
 * systemd 239 (docs/agent.md, "What a host needs"). */
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
        *ret = bus;
        return 0;
}

/* sd_bus_call_method() with the agent's timeout. */
static int call_method(sd_bus *bus, const char *path, const char *interface, const char *member,
                       sd_bus_error *ret_error, sd_bus_message **ret_reply, const char *types, ...) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *request = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &request, SYSTEMD_SERVICE, path, interface, member);
        if (r < 0)
                return r;
        if (types) {
                va_list ap;

                va_start(ap, types);
                r = sd_bus_message_appendv(request, types, ap);
                va_end(ap);
                if (r < 0)
                        return r;
        }
        return sd_bus_call(bus, request, METHOD_CALL_TIMEOUT_USEC, ret_error, ret_reply);
}

/* Reads a value of type a(sasbttttuii) (ExecStart= and its kin), the
 * message positioned inside its variant: whether it has any command, and
 * whether one of them try-restarts docker. */
static int read_exec(sd_bus_message *m, bool *ret_any, bool *ret_restarts_docker) {
        int r;

        *ret_any = false;
        if (ret_restarts_docker)
                *ret_restarts_docker = false;
        r = sd_bus_message_enter_container(m, 'a', "(sasbttttuii)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'r', "sasbttttuii")) > 0) {
                const char *binary = NULL, *arg;
                bool try_restart = false, docker = false;

                *ret_any = true;
                r = sd_bus_message_read(m, "s", &binary);
                if (r < 0)
                        return r;
                r = sd_bus_message_enter_container(m, 'a', "s");
                if (r < 0)
                        return r;
                while ((r = sd_bus_message_read(m, "s", &arg)) > 0) {
                        if (strcmp(arg, "try-restart") == 0)
                                try_restart = true;
                        else if (strcmp(arg, "docker.service") == 0 || strcmp(arg, "docker") == 0)
                                docker = true;
                }
                if (r < 0)
                        return r;
                if (try_restart && docker && binary && strstr(binary, "systemctl") && ret_restarts_docker)
                        *ret_restarts_docker = true;
                r = sd_bus_message_exit_container(m);
                if (r >= 0)
                        r = sd_bus_message_skip(m, "bttttuii");
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

enum property_kind {
        PROPERTY_STRING,
        PROPERTY_STRV,
        PROPERTY_BOOL,
        PROPERTY_U64,
        PROPERTY_U32,
};

struct property {
        const char *name;
        enum property_kind kind;
        size_t offset; /* in struct tether_unit */
};

#define PROPERTY(n, k, field) \
        { n, k, offsetof(struct tether_unit, field) }

static const struct property unit_properties[] = {
        PROPERTY("Id", PROPERTY_STRING, id),
        PROPERTY("Names", PROPERTY_STRV, names),
        PROPERTY("LoadState", PROPERTY_STRING, load_state),
        PROPERTY("ActiveState", PROPERTY_STRING, active_state),
        PROPERTY("SubState", PROPERTY_STRING, sub_state),
        PROPERTY("UnitFileState", PROPERTY_STRING, unit_file_state),
        PROPERTY("FragmentPath", PROPERTY_STRING, fragment_path),
        PROPERTY("DropInPaths", PROPERTY_STRV, drop_in_paths),
        PROPERTY("After", PROPERTY_STRV, after),
        PROPERTY("Requires", PROPERTY_STRV, requires),
        PROPERTY("Wants", PROPERTY_STRV, wants),
        PROPERTY("BindsTo", PROPERTY_STRV, binds_to),
        PROPERTY("PartOf", PROPERTY_STRV, part_of),
        PROPERTY("NeedDaemonReload", PROPERTY_BOOL, need_daemon_reload),
        PROPERTY("ActiveEnterTimestamp", PROPERTY_U64, active_enter_usec),
        PROPERTY("StartLimitIntervalUSec", PROPERTY_U64, start_limit_interval_usec),
        PROPERTY("StartLimitBurst", PROPERTY_U32, start_limit_burst),
};

static const struct property service_properties[] = {
        PROPERTY("Result", PROPERTY_STRING, result),
        PROPERTY("MainPID", PROPERTY_U32, main_pid),
        PROPERTY("NRestarts", PROPERTY_U32, n_restarts),
};

static int read_property(sd_bus_message *m, const struct property *property, struct tether_unit *info) {
        void *field = (char *)info + property->offset;
        const char *string;
        int value, r;

        switch (property->kind) {
        case PROPERTY_STRING:
                r = sd_bus_message_read(m, "v", "s", &string);
                if (r < 0)
                        return r;
                free(*(char **)field);
                *(char **)field = strdup(string);
                return *(char **)field ? 0 : -ENOMEM;
        case PROPERTY_STRV:
                r = sd_bus_message_enter_container(m, 'v', "as");
                if (r < 0)
                        return r;
                strv_free(*(char ***)field);
                *(char ***)field = NULL;
                r = sd_bus_message_read_strv(m, (char ***)field);
                if (r < 0)
                        return r;
                return sd_bus_message_exit_container(m);
        case PROPERTY_BOOL:
                r = sd_bus_message_read(m, "v", "b", &value);
                if (r >= 0)
                        *(bool *)field = value;
                return r;
        case PROPERTY_U64:
                return sd_bus_message_read(m, "v", "t", (uint64_t *)field);
        case PROPERTY_U32:
                return sd_bus_message_read(m, "v", "u", (uint32_t *)field);
        }
        return -EINVAL;
}

/* The few properties that need more than one read. */
static int read_special(sd_bus_message *m, const char *name, struct tether_unit *info, bool *ret_handled) {
        bool any;
        int r;

        *ret_handled = true;
        if (strcmp(name, "InvocationID") == 0) {
                const void *bytes;
                size_t size;

                r = sd_bus_message_enter_container(m, 'v', "ay");
                if (r >= 0)
                        r = sd_bus_message_read_array(m, 'y', &bytes, &size);
                if (r >= 0 && size == sizeof(info->invocation_id))
                        memcpy(info->invocation_id, bytes, size);
                return r < 0 ? r : sd_bus_message_exit_container(m);
        }
        if (strcmp(name, "Job") == 0) {
                uint32_t job_id = 0;
                const char *job_path;

                r = sd_bus_message_read(m, "v", "(uo)", &job_id, &job_path);
                info->has_job = r >= 0 && job_id != 0;
                return r;
        }
        if (strcmp(name, "ExecReload") == 0 || strcmp(name, "ExecStartPost") == 0) {
                bool is_reload = name[4] == 'R';

                r = sd_bus_message_enter_container(m, 'v', "a(sasbttttuii)");
                if (r < 0)
                        return r;
                r = read_exec(m, is_reload ? &info->has_exec_reload : &any,
                              is_reload ? NULL : &info->exec_start_post_restarts_docker);
                return r < 0 ? r : sd_bus_message_exit_container(m);
        }
        *ret_handled = false;
        return 0;
}

/* One GetAll for an interface's properties, instead of a call for each. */
static int read_all(sd_bus *bus, const char *path, const char *interface, const struct property *properties,
                    size_t n_properties, struct tether_unit *info) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        r = call_method(bus, path, "org.freedesktop.DBus.Properties", "GetAll", NULL, &reply, "s",
                        interface);
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
                const char *name;
                bool handled = false;

                r = sd_bus_message_read(reply, "s", &name);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n_properties && !handled; i++)
                        if (strcmp(properties[i].name, name) == 0) {
                                r = read_property(reply, &properties[i], info);
                                if (r < 0)
                                        return r;
                                handled = true;
                        }
                if (!handled) {
                        r = read_special(reply, name, info, &handled);
                        if (r < 0)
                                return r;
                }
                if (!handled) {
                        r = sd_bus_message_skip(reply, "v");
                        if (r < 0)
                                return r;
                }
                r = sd_bus_message_exit_container(reply);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(reply);
}

int bus_unit_info(sd_bus *bus, const char *name, struct tether_unit **ret, struct tether_error *error) {
        _cleanup_(sd_bus_error_free) sd_bus_error bus_error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(tether_unit_freep) struct tether_unit *info = NULL;
        const char *path;
        int r;

        r = call_method(bus, SYSTEMD_PATH, MANAGER_INTERFACE, "LoadUnit", &bus_error, &reply, "s", name);
        if (r < 0)
                return bus_fail(error, r, &bus_error, name);
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return bus_fail(error, r, NULL, name);

        info = calloc(1, sizeof(*info));
        if (!info || !(info->name = strdup(name)))
                return tether_error_set(error, -ENOMEM, "out of memory");
        r = read_all(bus, path, UNIT_INTERFACE, unit_properties, ELEMENTSOF(unit_properties), info);
        if (r < 0)
                return bus_fail(error, r, NULL, name);
        /* A unit that does not exist has no Service interface. */
        if (info->load_state && strcmp(info->load_state, "not-found") != 0 && info->id &&
            strlen(info->id) > 8 && strcmp(info->id + strlen(info->id) - 8, ".service") == 0)
                (void)read_all(bus, path, SERVICE_INTERFACE, service_properties,
                               ELEMENTSOF(service_properties), info);
        if (tether_unit_fill_missing(info) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");

        *ret = TAKE_PTR(info);
        return 0;
}

int bus_units_loadable(sd_bus *bus, const char *const *names, size_t n, bool *ret_loadable) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *request = NULL, *reply = NULL;
        size_t i = 0;
        int r;

        r = sd_bus_message_new_method_call(bus, &request, SYSTEMD_SERVICE, SYSTEMD_PATH, MANAGER_INTERFACE,
                                           "ListUnitsByNames");
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(request, 'a', "s");
        for (size_t k = 0; r >= 0 && k < n; k++)
                r = sd_bus_message_append(request, "s", names[k]);
        if (r >= 0)
                r = sd_bus_message_close_container(request);
        if (r >= 0)
                r = sd_bus_call(bus, request, METHOD_CALL_TIMEOUT_USEC, NULL, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        if (r < 0)
                return r;
        /* One entry a name asked for, in the same order. */
        while (i < n) {
                const char *load_state;

                r = sd_bus_message_read(reply, "(ssssssouso)", NULL, NULL, &load_state, NULL, NULL, NULL,
                                        NULL, NULL, NULL, NULL);
                if (r <= 0)
                        break;
                ret_loadable[i++] =
                        strcmp(load_state, "not-found") != 0 && strcmp(load_state, "masked") != 0;
        }
        if (r < 0)
                return r;
        return i == n ? 0 : -EBADMSG;
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

#define FIREWALLD_SERVICE "org.fedoraproject.FirewallD1"
#define FIREWALLD_PATH "/org/fedoraproject/FirewallD1"
#define FIREWALLD_TIMEOUT_USEC (10ULL * 1000000ULL)

/* A call to firewalld that must not start it: D-Bus activation of a
 * stopped firewalld would flush Docker's rules. */
static int firewalld_call(sd_bus *bus, const char *interface, const char *member, const char *types,
                          const char *arg1, const char *arg2, sd_bus_message **ret_reply) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *request = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &request, FIREWALLD_SERVICE, FIREWALLD_PATH, interface,
                                           member);
        if (r >= 0)
                r = sd_bus_message_set_auto_start(request, 0);
        if (r >= 0)
                r = arg2 ? sd_bus_message_append(request, types, arg1, arg2)
                         : sd_bus_message_append(request, types, arg1);
        if (r >= 0)
                r = sd_bus_call(bus, request, FIREWALLD_TIMEOUT_USEC, NULL, ret_reply);
        return r;
}

int bus_firewalld_info(sd_bus *bus, const char *interface, char **ret_version, char **ret_zone) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *version_reply = NULL, *zone_reply = NULL;
        const char *version = NULL, *zone = NULL;
        char *version_copy, *zone_copy;
        int r;

        r = firewalld_call(bus, "org.freedesktop.DBus.Properties", "Get", "ss", FIREWALLD_SERVICE, "version",
                           &version_reply);
        if (r >= 0)
                r = sd_bus_message_read(version_reply, "v", "s", &version);
        if (r >= 0)
                r = firewalld_call(bus, FIREWALLD_SERVICE ".zone", "getZoneOfInterface", "s", interface,
                                   NULL, &zone_reply);
        if (r >= 0)
                r = sd_bus_message_read(zone_reply, "s", &zone);
        if (r < 0)
                return r;
        version_copy = strdup(version);
        zone_copy = strdup(zone);
        if (!version_copy || !zone_copy) {
                free(version_copy);
                free(zone_copy);
                return -ENOMEM;
        }
        *ret_version = version_copy;
        *ret_zone = zone_copy;
        return 0;
}

int bus_daemon_reload(sd_bus *bus, struct tether_error *error) {
        _cleanup_(sd_bus_error_free) sd_bus_error bus_error = SD_BUS_ERROR_NULL;
        int r;

        r = call_method(bus, SYSTEMD_PATH, MANAGER_INTERFACE, "Reload", &bus_error, NULL, NULL);
        if (r < 0)
                return bus_fail(error, sd_bus_error_is_set(&bus_error) ? BUS_RELOAD_REFUSED : r, &bus_error,
                                "systemd's daemon-reload failed");
        return 0;
}

int bus_unit_file_enable(sd_bus *bus, const char *name, bool enable, struct tether_error *error) {
        _cleanup_(sd_bus_error_free) sd_bus_error bus_error = SD_BUS_ERROR_NULL;
        int r;

        /* Not for this boot only (runtime false); never over a link an admin
         * made to another file (force false). */
        if (enable)
                r = call_method(bus, SYSTEMD_PATH, MANAGER_INTERFACE, "EnableUnitFiles", &bus_error, NULL,
                                "asbb", 1, name, false, false);
        else
                r = call_method(bus, SYSTEMD_PATH, MANAGER_INTERFACE, "DisableUnitFiles", &bus_error, NULL,
                                "asb", 1, name, false);
        if (r < 0)
                return tether_error_set(error, r, "cannot %s %s: %s", enable ? "enable" : "disable", name,
                                        bus_error.message ? bus_error.message : strerror(-r));
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

int bus_run_job(sd_bus *bus, const char *method, const char *unit, const char *mode, uint64_t timeout_usec,
                char **ret_result, struct tether_error *error) {
        _cleanup_(sd_bus_error_free) sd_bus_error bus_error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
        _cleanup_free_ char *job_path = NULL;
        struct job_wait wait = {};
        uint64_t deadline = tether_now_usec() + timeout_usec;
        const char *path;
        int r;

        /* Subscribe before the call, so a job that finishes at once is not missed. */
        r = sd_bus_match_signal(bus, &slot, SYSTEMD_SERVICE, SYSTEMD_PATH, MANAGER_INTERFACE, "JobRemoved",
                                on_job_removed, &wait);
        if (r < 0)
                return bus_fail(error, r, NULL, "cannot watch systemd's jobs");
        r = call_method(bus, SYSTEMD_PATH, MANAGER_INTERFACE, "Subscribe", &bus_error, NULL, NULL);
        /* One subscription a connection: the second job on it finds it made. */
        if (r < 0 && !sd_bus_error_has_name(&bus_error, "org.freedesktop.systemd1.AlreadySubscribed"))
                return bus_fail(error, r, &bus_error, "cannot subscribe to systemd's jobs");
        sd_bus_error_free(&bus_error);

        r = call_method(bus, SYSTEMD_PATH, MANAGER_INTERFACE, method, &bus_error, &reply, "ss", unit, mode);
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
                uint64_t now = tether_now_usec();

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
