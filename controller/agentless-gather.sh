# tether: the facts of this host, gathered without tether-agent, read only.
# Sent over the SSH session as the argument of `sh -c` (it holds no single
# quote, so it goes into one quoted word), run as root; nothing is written
# to the host. The controller puts before it, all its own text:
#   B       the boundary of this run (common/sections.h)
#   PROPS   the properties of `systemctl show -p` (common/unit-show.h)
#   UNITS   docker.service, the dockerd of snap, tether-watch.service and the
#           firewall units tether knows (common/firewall.h)
#   FILES   the files the judge reads (common/facts.h)
# and after it the words that run it: `gather` for an audit; for apply and
# revert, the change of controller/agentless-change.sh first.
# The output of each command is one section: its stderr is left out, its exit
# status says whether it worked (127: not installed).

LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL PATH

# section NAME COMMAND [ARG...]
section() {
        name=$1
        shift
        printf "%s begin %s\n" "$B" "$name"
        "$@" 2>/dev/null
        status=$?
        printf "\n%s end %s %s\n" "$B" "$name" "$status"
}

# Both clocks at once: systemctl prints the times of a unit as monotonic
# microseconds, turned into wall-clock time with these. /proc/uptime is
# CLOCK_BOOTTIME, which runs ahead of CLOCK_MONOTONIC by the time the host
# spent suspended: none, on a server. The wall clock to the microsecond, as
# the journal has the starts of docker: to the second, a start in the last
# second would read as later than now and not count, and the wait for room
# under the start limit of docker would come out a second short. A date
# without %N gives its whole seconds.
clocks() {
        wall=$(date +%s.%6N)
        case $wall in
        *[!0-9.]* | *.) wall=$(date +%s) ;;
        esac
        echo "$wall" && cut -d " " -f 1 /proc/uptime
}

# The drop-ins of docker.service on disk, loaded or not, and those systemd
# loaded from elsewhere (service.d/, /run/systemd/transient): the
# controller tells them apart with DropInPaths.
dropin_files() {
        {
                for dir in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system \
                        /usr/lib/systemd/system /lib/systemd/system; do
                        for file in "$dir"/docker.service.d/*.conf; do
                                [ -f "$file" ] && printf "%s\n" "$file"
                        done
                done
                systemctl show --value --property=DropInPaths docker.service | tr " " "\n"
        } | sort -u
}

# The version of Docker and its running containers, only while docker runs: the
# CLI waits for a daemon that is not there. Debian 13 packages the CLI apart
# (docker-cli), so without it: the version the running dockerd gives of
# itself, and its containers counted by their shims (one a container).
docker_engine() {
        systemctl is-active --quiet docker.service || return 3
        if command -v docker >/dev/null; then
                timeout 10 docker version --format "{{.Server.Version}}" &&
                        timeout 10 docker info --format "{{.ContainersRunning}}"
                return
        fi
        pid=$(systemctl show --value --property=MainPID docker.service)
        timeout 10 "/proc/$pid/exe" --version | sed -n "s/^Docker version \([^,]*\),.*/\1/p" | grep . &&
                { grep -lx containerd-shim /proc/[0-9]*/comm 2>/dev/null | wc -l; }
}

# The starts of docker within the last hour, one line a start, in microseconds.
docker_starts() {
        journalctl --quiet --no-pager --output=short-unix --since="@$(($(date +%s) - 3600))" \
                MESSAGE_ID=39f53479d3a045ac8e11786248231fbf UNIT=docker.service
}

# The version of firewalld and its zones with their interfaces (the controller
# finds the bridge of Docker among them), only while it runs: asking a stopped
# firewalld over D-Bus could start it.
firewalld_info() {
        systemctl is-active --quiet firewalld.service || return 3
        firewall-cmd --version && firewall-cmd --get-active-zones
}

# What tether-agent watch recorded of the last day: its flushes and heals,
# newest first, as the agent reads them.
watch_journal() {
        journalctl --quiet --no-pager --output=json --reverse --lines=4096 \
                --since="@$(($(date +%s) - 86400))" \
                --output-fields=TETHER_WATCH_EVENT,TETHER_WATCH_ACTION,TETHER_WATCH_CULPRIT,TETHER_WATCH_CULPRIT_PID,TETHER_WATCH_CULPRIT_UNIT,TETHER_WATCH_HEAL_MS \
                TETHER_VERB=watch TETHER_WATCH_EVENT=flush TETHER_WATCH_EVENT=heal
}

os_release() {
        cat /etc/os-release || cat /usr/lib/os-release
}

# PID 1, and whether it is systemd (as sd_booted() tells): where it is not,
# systemctl answers nothing and tether cannot apply its fix.
init_system() {
        cat /proc/1/comm && [ -d /run/systemd/system ]
}

# A dockerd where docker.service runs none: Docker outside systemd.
dockerd_outside() {
        systemctl is-active --quiet docker.service && return 3
        grep -lx dockerd /proc/[0-9]*/comm
}

# Whether apply could write its drop-in: as root, only a read-only (or
# immutable) directory refuses.
unit_dir_writable() {
        [ ! -d /etc/systemd/system ] || [ -w /etc/systemd/system ]
}

# The hooks of the follow policy on firewall units, which apply and
# revert change and the agent finds by the same pattern.
hooks() {
        for file in /etc/systemd/system/*.d/50-tether-restart-docker.conf; do
                [ -f "$file" ] && section "hook $file" cat "$file"
        done
}

# The unit files (not drop-ins) that can reload: the follow hook joins a
# reload only where the unit has one of its own.
reloadable() {
        grep -l "^ExecReload=" $(systemctl show --value --property=FragmentPath $UNITS) </dev/null
}

# All of the above, one section each.
gather() {
        section clocks clocks
        section hostname uname -n
        section kernel uname -r
        section os-release os_release
        section systemd systemctl --version
        section init init_system
        section unit-dir-writable unit_dir_writable
        for unit in $UNITS; do
                section "unit $unit" systemctl show --property="$PROPS" "$unit"
        done
        for file in $FILES; do
                section "file $file" cat "$file"
        done
        dropin_files | while IFS= read -r file; do
                [ -n "$file" ] && section "dropin $file" cat "$file"
        done
        section iptables-version iptables -V
        section iptables-save iptables-save
        section ip6tables-save ip6tables-save
        section nft-tables nft list tables
        section docker docker_engine
        section dockerd-outside dockerd_outside
        section docker-starts docker_starts
        section firewalld firewalld_info
        section watch-journal watch_journal
        hooks
        section reloadable reloadable
}
