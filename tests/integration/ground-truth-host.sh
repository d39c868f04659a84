#!/bin/bash
# The ground truth of one host, found without tether: runs on the host as
# root (test-70 copies it there). For each firewall unit that is enabled or
# running, it restarts it, reloads it (where the unit can reload), stops
# and starts it, and runs its own reload outside systemd (where it has one:
# 'ufw reload', 'shorewall reload', 'csf -r'), counting Docker's rules (the lines of iptables-save and
# ip6tables-save that name DOCKER or docker0) before and after each, and
# puts things right after each action that left them wrong. It prints one
# line per action, "UNIT ACTION OUTCOME BEFORE AFTER RIGHT-AFTER LOST": the
# counts before, after it settled and right after the action, and the
# families that lost rules (ipv4, ipv6, "ipv4,ipv6" or "-"). Rules are
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
SETTLE_TENTHS=${SETTLE_TENTHS:-60}

# Docker's rules now, one "FAMILY LINE" each, sorted.
rules() {
        {
                iptables-save 2>/dev/null | grep -- 'DOCKER\|docker0' | sed 's/^/ipv4 /'
                ip6tables-save 2>/dev/null | grep -- 'DOCKER\|docker0' | sed 's/^/ipv6 /'
        } | LC_ALL=C sort
}

count() {
        rules | wc -l
}

# missing BEFORE: the rules of BEFORE (rules' output) that are gone now.
missing() {
        LC_ALL=C comm -23 <(printf '%s\n' "$1" | sed '/^$/d') <(rules)
}

# lost BEFORE: the families that lost some of Docker's rules of BEFORE.
lost() {
        local families
        families=$(missing "$1" | cut -d' ' -f1 | sort -u | paste -sd,)
        echo "${families:--}"
}

invocation() {
        systemctl show -P InvocationID docker.service
}

docker_job_pending() {
        systemctl list-jobs --no-legend 2>/dev/null | grep -q 'docker\.service'
}

# The units that run or start at boot, each once (an alias, such as Debian's
# iptables.service for netfilter-persistent.service, is its unit).
firewall_units() {
        local u id
        for u in $UNITS; do
                id=$(systemctl show -P Id "$u.service" 2>/dev/null)
                [ "$(systemctl show -P LoadState "$id" 2>/dev/null)" = loaded ] || continue
                if systemctl is-enabled --quiet "$id" 2>/dev/null || systemctl is-active --quiet "$id"; then
                        echo "$id"
                fi
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
# answers only once dockerd has made its rules.
docker_idle() {
        ! docker_job_pending && systemctl is-active --quiet docker.service &&
                timeout 5 docker version >/dev/null 2>&1
}

# Waits until docker is idle with its rules back; or, when nothing restarts
# docker within 2 s, takes what is there (a flush stays).
settle() {
        local before=$1 invocation=$2 i
        for ((i = 0; i < SETTLE_TENTHS; i++)); do
                if ! docker_job_pending; then
                        [ -z "$(missing "$before")" ] && docker_idle && return
                        [ "$i" -ge 20 ] && [ "$(invocation)" = "$invocation" ] && return
                fi
                sleep 0.1
        done
}

# repair BEFORE: docker as a clean start makes it: stopped, what is left
# of its rules stripped (a Docker that re-created some of them on
# firewalld's signal may have added rules its settings do not make, which
# a restart would keep), started, and waited for until BEFORE is back.
repair() {
        local before=$1 i table
        systemctl stop docker.service 2>/dev/null
        for table in iptables ip6tables; do
                "$table-save" | grep -v -- 'DOCKER\|docker0' | "$table-restore"
        done
        retry start_unit docker.service
        for ((i = 0; i < 150; i++)); do
                [ -z "$(missing "$before")" ] && docker_idle && return
                sleep 0.1
        done
        echo "repair: docker's rules did not come back ($(missing "$before" | wc -l) missing)" >&2
}

one_action() {
        local unit=$1 action=$2 before before_rules after right_after invocation outcome= i error families
        if [ "$action" = reload ] && [ "$(systemctl show -P CanReload "$unit")" != yes ]; then
                echo "$unit $action none - - - -"
                return
        fi
        if [ "$action" = outside ] && [ -z "$(outside_command "$unit")" ]; then
                echo "$unit $action none - - - -"
                return
        fi
        for ((i = 0; i < 100; i++)); do
                docker_idle && break
                sleep 0.1
        done
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
        after=$(count)
        families=$(lost "$before_rules")
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
        echo "$unit $action $outcome $before $after $right_after $families"
        case "$outcome" in
        stopped | flushed | failed) repair "$before_rules" ;;
        esac
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
