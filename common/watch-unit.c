/* SPDX-License-Identifier: MIT */
/*
 * tether-watch.service's text (see watch-unit.h). Each hardening line is
 * explained in docs/watch.md, "The unit".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"
#include "watch-unit.h"

static const char unit_head[] = TETHER_WATCH_UNIT_MARKER
        "# and 'tether revert' removes it. tether-agent watch brings Docker's firewall\n"
        "# rules back after any flush of them (docs/watch.md).\n"
        "[Unit]\n"
        "Description=tether watch: Docker's firewall rules back after any flush\n"
        "Documentation=man:tether-agent(1)\n"
        "After=docker.service\n"
        "\n"
        "[Service]\n"
        "Type=notify\n";

static const char unit_tail[] =
        "Restart=on-failure\n"
        "RestartSec=5s\n"
        "# 2: a usage error; 9: this host's changes cannot be seen (docs/watch.md).\n"
        "RestartPreventExitStatus=2 9\n"
        "\n"
        "# What it needs: netlink and iptables-save (CAP_NET_ADMIN; CAP_NET_RAW for\n"
        "# ip6tables-save's and iptables-legacy's sockets), systemd's bus (root's\n"
        "# uid, no capability), the journal, /proc, and the files the audit reads,\n"
        "# all as root, their owner. Nothing on disk is written: the host's agent\n"
        "# lock is opened read-only (flock needs no more).\n"
        "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW\n"
        "AmbientCapabilities=\n"
        "NoNewPrivileges=yes\n"
        "ProtectSystem=strict\n"
        "ProtectHome=yes\n"
        "PrivateTmp=yes\n"
        "PrivateDevices=yes\n"
        "ProtectKernelTunables=yes\n"
        "ProtectKernelModules=yes\n"
        "ProtectControlGroups=yes\n"
        "RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6\n"
        "RestrictNamespaces=yes\n"
        "RestrictRealtime=yes\n"
        "RestrictSUIDSGID=yes\n"
        "LockPersonality=yes\n"
        "MemoryDenyWriteExecute=yes\n"
        "SystemCallArchitectures=native\n"
        "MemoryMax=256M\n"
        "TasksMax=16\n"
        "\n"
        "[Install]\n"
        "WantedBy=multi-user.target\n";

int tether_watch_unit_render(const char *agent_path, enum tether_watch_heal heal, char **ret,
                             struct tether_error *error) {
        char *text;

        /* The path goes into ExecStart= as written: the agent path's
         * characters hold neither a space, a quote, a backslash nor a '%',
         * which systemd would read as a specifier. */
        if (!agent_path || !tether_valid_agent_path(agent_path))
                return tether_error_set(error, -EINVAL,
                                        "the agent's path \"%s\" cannot be named in ExecStart=; install the "
                                        "agent where its path is of letters, digits and ._+:@/- only",
                                        agent_path ? agent_path : "");
        if (asprintf(&text, "%sExecStart=%s watch --heal=%s\n%s", unit_head, agent_path,
                     tether_watch_heal_to_string(heal), unit_tail) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        *ret = text;
        return 0;
}

/* Whether the command line asks for restarts: watch's --heal=restart or a
 * bare --heal, as a word. */
static bool command_restarts(const char *command, size_t length) {
        for (const char *p = command; p < command + length; p++) {
                size_t word = strcspn(p, " \t\n");

                if ((word == 6 && strncmp(p, "--heal", 6) == 0) ||
                    (word == 14 && strncmp(p, "--heal=restart", 14) == 0))
                        return true;
                p += word;
        }
        return false;
}

bool tether_watch_unit_restarts(const char *text, bool restarts) {
        for (const char *line = text; line && *line;) {
                size_t length = strcspn(line, "\n");

                if (strncmp(line, "ExecStart=", 10) == 0)
                        restarts = command_restarts(line + 10, length - 10);
                line += length + (line[length] == '\n');
        }
        return restarts;
}

bool tether_watch_unit_is_ours(const char *text) {
        return text && strncmp(text, TETHER_WATCH_UNIT_MARKER, strlen(TETHER_WATCH_UNIT_MARKER)) == 0;
}
