#!/bin/bash
# The ground truth of one host, found without tether: runs on the host as
# root (test-70 copies it there). For each firewall unit that is enabled or
# running, it restarts it, reloads it (where the unit can reload), stops
# and starts it, and runs its own reload outside systemd (where it has one:
# 'ufw reload', 'shorewall reload', 'csf -r'), counting Docker's rules (the lines of iptables-save and
# ip6tables-save that name DOCKER or docker0) before and after each, and
# puts things right after each action that left them wrong (a flush: the
# tables as they were before it, restored; docker stopped: docker started
# clean). It prints one
# line per action, "UNIT ACTION OUTCOME BEFORE AFTER RIGHT-AFTER LOST MS":
# the counts before, after it settled and right after the action, the
# families that lost rules (ipv4, ipv6, "ipv4,ipv6" or "-"), and how long
# the action took with its wait and repair (ms=N). Rules are
# compared line by line, not counted: a Docker that re-creates only some of
# its rules on firewalld's signal may add others it did not have (20.10
# with "ip-masq": false adds a MASQUERADE rule and loses the isolation
# rules, the same count). OUTCOME is
#   kept     Docker's rules all there, docker not restarted
#   healed   docker was restarted, and its rules are all back
#   flushed  docker runs, and some of its rules before are gone
#   stopped  docker is not running afterwards
#   none     the unit has no reload (or no command outside systemd)
#   failed   the action itself failed, three times: no truth to tell
# and last "verdict V": what the outcomes make the host, by the meaning
# of tether's verdicts (README.md):
#   vulnerable         a restart (or a stop and start) flushes
#   reload-vulnerable  only a reload, or a command outside systemd, flushes
#   protected          nothing flushes, and some action restarted or
#                      stopped docker with its firewall
#   not-applicable     nothing flushes, and docker is left alone
set -u

UNITS="nftables iptables ip6tables netfilter-persistent firewalld ufw ferm shorewall csf"
# The waits are bounded in time, not in polls: 35 hosts on one machine
# restart docker at once, and a poll (iptables-save twice, systemctl) can
# take a second then. Polls cost CPU: on a loaded machine of two cores, a
# poll of seven processes took about 150 ms, this one of four 75 ms;
# every half second on 35 hosts, the old polls alone asked for more than
# both cores, and docker's restarts waited for them. Once a second leaves
# the CPU to dockerd. A wait ends as soon as what it waits for is there, so
# a generous bound costs nothing on a healthy host.
POLL=1
WAIT_MS=${WAIT_MS:-120000}
# When nothing restarts docker within this time, a flush stays.
NO_RESTART_MS=2000

# Docker's rules now, one "FAMILY LINE" each, sorted. Every wait polls
# this, on every host at once: four processes, not seven.
rules() {
        { iptables-save; echo '# ipv6'; ip6tables-save; } 2>/dev/null |
                awk '$0 == "# ipv6" { family = "ipv6 "; next }
                     /DOCKER|docker0/ { print (family ? family : "ipv4 ") $0 }' | LC_ALL=C sort
}

now_ms() {
        local usec=${EPOCHREALTIME/./}
        echo $((usec / 1000))
}

count() {
        rules | wc -l
}

# missing BEFORE [NOW]: the rules of BEFORE (rules' output) that are not in
# NOW (the rules now, unless given), as many times as they are not
# (":DOCKER - [0:0]" is in two tables).
missing() {
        local now
        if [ $# -ge 2 ]; then now=$2; else now=$(rules); fi
        printf '%s\n' "$now" | BEFORE=$1 awk 'BEGIN { n = split(ENVIRON["BEFORE"], b, "\n")
                                      for (i = 1; i <= n; i++) if (b[i] != "") want[b[i]]++ }
                                { if (want[$0] > 0) want[$0]-- }
                                END { for (line in want) for (; want[line] > 0; want[line]--) print line }'
}

# lost BEFORE NOW: the families that lost some of Docker's rules of BEFORE.
lost() {
        local families
        families=$(missing "$1" "$2" | cut -d' ' -f1 | sort -u | paste -sd,)
        echo "${families:--}"
}

invocation() {
        systemctl show -P InvocationID docker.service
}

docker_job_pending() {
        systemctl list-jobs --no-legend 2>/dev/null | grep -q 'docker\.service'
}

# The units that run or start at boot, each once (an alias, such as Debian's
# iptables.service for netfilter-persistent.service, is its unit). A unit
# starts at boot when systemctl is-enabled says enabled: its exit status
# is 0 for "alias" too, which Debian 11's iptables.service is when
# netfilter-persistent is not enabled (systemd 247 loads the link to
# netfilter-persistent's file as a unit of its own, which nothing starts).
firewall_units() {
        local u id
        for u in $UNITS; do
                id=$(systemctl show -P Id "$u.service" 2>/dev/null)
                [ "$(systemctl show -P LoadState "$id" 2>/dev/null)" = loaded ] || continue
                case "$(systemctl is-enabled "$id" 2>/dev/null)" in
                enabled | enabled-runtime) echo "$id" ;;
                *) systemctl is-active --quiet "$id" && echo "$id" ;;
                esac
        done | awk '!seen[$0]++'
}

# retry COMMAND...: up to three times. In these nested containers a unit's
# process now and then fails to spawn (219/CGROUP: systemd cannot reuse
# its cgroup yet); such a start or reload ran nothing.
retry() {
        local attempt
        for attempt in 1 2 3; do
                "$@" && return
                [ "$attempt" = 3 ] && return 1
                sleep 0.5
        done
}

start_unit() {
        systemctl reset-failed "$1" 2>/dev/null
        systemctl start "$1"
}

# outside_command UNIT: the firewall's own reload, which runs without
# systemd; nothing for a unit that has none.
outside_command() {
        case "$1" in
        ufw.service) echo "ufw reload" ;;
        shorewall.service) echo "shorewall reload" ;;
        csf.service) echo "csf -r" ;;
        esac
}

# act UNIT ACTION: one action.
act() {
        local unit=$1 action=$2
        case "$action" in
        restart) systemctl restart "$unit" || retry start_unit "$unit" ;;
        reload) retry systemctl reload "$unit" ;;
        stop-start)
                systemctl stop "$unit"
                retry start_unit "$unit"
                ;;
        outside) $(outside_command "$unit") >/dev/null ;;
        esac
}

# Whether docker has no job queued and has finished starting: its API
# answers only once dockerd has made its rules. Debian 13's docker.io comes
# without the docker command (docker-cli, only recommended); there,
# docker.service's own state says it: dockerd tells systemd it is ready
# (Type=notify) once its API answers.
docker_idle() {
        ! docker_job_pending && systemctl is-active --quiet docker.service || return
        command -v docker >/dev/null || return 0
        timeout 5 docker version >/dev/null 2>&1
}

# Waits until docker is idle with its rules back; or, when nothing restarts
# docker within NO_RESTART_MS, takes what is there (a flush stays).
settle() {
        local before=$1 invocation=$2 start waited
        start=$(now_ms)
        while :; do
                waited=$(($(now_ms) - start))
                if ! docker_job_pending; then
                        [ -z "$(missing "$before")" ] && docker_idle && return
                        [ "$waited" -ge "$NO_RESTART_MS" ] && [ "$(invocation)" = "$invocation" ] && return
                fi
                [ "$waited" -lt "$WAIT_MS" ] || return
                sleep "$POLL"
        done
}

# Docker's rules as they stand, in their order: a change to any of them,
# a rule deleted and added again included, changes this.
rules_in_order() {
        { iptables-save; echo '# ipv6'; ip6tables-save; } 2>/dev/null | grep -- 'DOCKER\|docker0\|# ipv6'
}

# A Docker that firewalld's restart or reload left connected reacts to
# firewalld's D-Bus signal (Reloaded, or its name coming back on the bus)
# by deleting and adding again some of its rules, whether firewalld
# flushed them or not: Docker 26 on firewalld 2 deletes and adds again its
# jumps from FORWARD. On a loaded host, that comes seconds after the
# action. A count taken before then says nothing; one taken between a
# delete and its add sees a flush that is not there. So after firewalld's
# actions this waits until firewalld answers on the bus (a reload by
# SIGHUP returns before firewalld has done it; firewalld answers once it
# has, and has sent its signal), then until Docker's rules and docker's
# journal have been still for QUIET_MS.
QUIET_MS=4000

journal_cursor() {
        journalctl -u docker.service -n 1 --show-cursor -q 2>/dev/null | tail -n 1
}

settle_firewalld() {
        local start last_change now state='' previous=''
        start=$(now_ms)
        if systemctl is-active --quiet firewalld.service; then
                until [ "$(timeout 30 firewall-cmd --state 2>/dev/null)" = running ]; do
                        [ $(($(now_ms) - start)) -lt "$WAIT_MS" ] || return
                        sleep "$POLL"
                done
        fi
        last_change=$(now_ms)
        while :; do
                state="$(rules_in_order)
$(journal_cursor)"
                now=$(now_ms)
                if [ "$state" != "$previous" ]; then
                        previous=$state
                        last_change=$now
                elif [ $((now - last_change)) -ge "$QUIET_MS" ] && ! docker_job_pending; then
                        return
                fi
                [ $((now - start)) -lt "$WAIT_MS" ] || return
                sleep "$POLL"
        done
}

# docker_back BEFORE: waits until docker is idle with BEFORE's rules back,
# or WAIT_MS; fails then.
docker_back() {
        local before=$1 start
        start=$(now_ms)
        until [ -z "$(missing "$before")" ] && docker_idle; do
                [ $(($(now_ms) - start)) -lt "$WAIT_MS" ] || return 1
                sleep "$POLL"
        done
}

# put_back BEFORE SAVED4 SAVED6: the tables as iptables-save and
# ip6tables-save had them before the action, restored whole, which also
# drops rules a Docker added on firewalld's signal that it did not have.
# Docker, still running, keeps no state of its rules to lose; restoring
# them costs milliseconds where restarting docker costs seconds of CPU,
# 35 hosts at once. Not after firewalld: Docker re-creates rules on its
# signals by itself, maybe late, and would add them again to the restored
# ones. Fails unless Docker's rules are exactly BEFORE's.
put_back() {
        local before=$1
        printf '%s\n' "$2" | iptables-restore || return 1
        if [ -n "$3" ]; then
                printf '%s\n' "$3" | ip6tables-restore || return 1
        fi
        [ "$(rules)" = "$before" ]
}

# repair BEFORE: docker as a clean start makes it: stopped, what is left
# of its rules stripped (a Docker that re-created some of them on
# firewalld's signal may have added rules its settings do not make, which
# a restart would keep), started, and waited for until BEFORE is back.
repair() {
        local before=$1 table
        systemctl stop docker.service 2>/dev/null
        for table in iptables ip6tables; do
                "$table-save" | grep -v -- 'DOCKER\|docker0' | "$table-restore"
        done
        retry start_unit docker.service
        docker_back "$before" ||
                echo "repair: docker's rules did not come back ($(missing "$before" | wc -l) missing)" >&2
}

one_action() {
        local unit=$1 action=$2 before before_rules saved4 saved6 after after_rules right_after invocation outcome= error families started line
        if [ "$action" = reload ] && [ "$(systemctl show -P CanReload "$unit")" != yes ]; then
                echo "$unit $action none - - - -"
                return
        fi
        if [ "$action" = outside ] && [ -z "$(outside_command "$unit")" ]; then
                echo "$unit $action none - - - -"
                return
        fi
        started=$(now_ms)
        docker_back ""
        saved4=$(iptables-save 2>/dev/null)
        saved6=$(ip6tables-save 2>/dev/null)
        before_rules=$(rules)
        before=$(printf '%s\n' "$before_rules" | sed '/^$/d' | wc -l)
        invocation=$(invocation)
        # A start the start limit refuses would read as a flush.
        systemctl reset-failed docker.service 2>/dev/null
        if ! error=$(act "$unit" "$action" 2>&1); then
                outcome=failed
                echo "$unit $action: $error" >&2
        fi
        right_after=$(count)
        settle "$before_rules" "$invocation"
        [ "$unit" != firewalld.service ] || settle_firewalld
        # One reading for the count and the families: two could straddle a
        # change.
        after_rules=$(rules)
        after=$(printf '%s\n' "$after_rules" | sed '/^$/d' | wc -l)
        families=$(lost "$before_rules" "$after_rules")
        if [ "${outcome:-}" = failed ]; then
                :
        elif ! systemctl is-active --quiet docker.service; then
                outcome=stopped
        elif [ "$families" != - ]; then
                outcome=flushed
        elif [ "$(invocation)" != "$invocation" ]; then
                outcome=healed
        else
                outcome=kept
        fi
        line="$unit $action $outcome $before $after $right_after $families"
        case "$outcome" in
        flushed)
                if [ "$unit" = firewalld.service ] || ! put_back "$before_rules" "$saved4" "$saved6"; then
                        repair "$before_rules"
                fi
                ;;
        stopped | failed) repair "$before_rules" ;;
        esac
        echo "$line ms=$(($(now_ms) - started))"
        systemctl is-active --quiet "$unit" || systemctl start "$unit" 2>/dev/null || true
}

main() {
        local unit action lines verdict
        lines=$(for unit in $(firewall_units); do
                for action in restart reload stop-start outside; do
                        one_action "$unit" "$action"
                done
        done)
        [ -n "$lines" ] && echo "$lines"
        if grep -Eq ' (restart|stop-start) flushed ' <<<"$lines"; then
                verdict=vulnerable
        elif grep -Eq ' (reload|outside) flushed ' <<<"$lines"; then
                verdict=reload-vulnerable
        elif grep -Eq ' (healed|stopped) ' <<<"$lines"; then
                verdict=protected
        else
                verdict=not-applicable
        fi
        echo "verdict $verdict"
}

main
