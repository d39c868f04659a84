# tether: a test of the fix on this host, without tether-agent, as the agent
# makes it (agent/verb-test.c). Sent after agentless-gather.sh, whose
# section() it uses, in the same `sh -c` (no single quote here either).
# The controller adds after it, all its own words:
#   check_in                  the lock of the agent, or "busy"
#   run_test UNIT SCENARIO WAIT
#                             restart UNIT (stop and start it, reload it) and
#                             watch docker and its rules come back, for at
#                             most WAIT seconds; then the exits of its stop
#                             commands that systemd logged meanwhile
#   gather                    the host as it is now, for the report
#
# The controller judges: it compares the rules printed after with those of
# the gathering that decided the test, with the code of the agent
# (common/netfilter.h). This script only keeps the time: it stops watching once every rule it saw before is back in a new
# docker, or once docker has been left alone for 5 s (nothing will restart
# it), or after WAIT; where docker is then not running with all its rules,
# it restarts docker, as the agent does, so the host is left no worse than
# the test found it. The lock of the agent is held throughout, so no agent
# or watch works on the host meanwhile.

BUSY=
WORK=
SETTLE_MS=5000
REPAIR_WAIT=30

note() {
        logger -t tether-agentless -- "test: $*" 2>/dev/null
        return 0
}

# now_ms: milliseconds since boot.
now_ms() {
        awk "{ printf \"%d\\n\", \$1 * 1000 }" /proc/uptime
}

check_in() {
        if ! { exec 9>>/run/tether-agent.lock; } 2>/dev/null || ! flock -w 10 9; then
                BUSY=1
                section lock printf "busy: another tether-agent is working on this host\n"
                return
        fi
        WORK=$(mktemp -d /run/tether-test.XXXXXX) || BUSY=1
        section lock printf "held\n"
}

# snapshot NAME: the rules now, in WORK/NAME.4 and NAME.6, and their items
# one a line as common/netfilter.h has them: TABLE :CHAIN, or TABLE -A ...
# with trailing blanks left out. Fails, and keeps the last, when
# iptables-save does (without ip6tables, NAME.6 is empty).
snapshot() {
        iptables-save >"$WORK/new.4" 2>/dev/null || return 1
        ip6tables-save >"$WORK/new.6" 2>/dev/null || : >"$WORK/new.6"
        for family in 4 6; do
                mv -f "$WORK/new.$family" "$WORK/$1.$family"
                awk "/^\\*/ { t = substr(\$0, 2); next }
                     /^:/ { print t, \$1; next }
                     /^-A / { sub(/[ \\t]+\$/, \"\"); print t, \$0 }" "$WORK/$1.$family" >"$WORK/$1.$family.items"
        done
}

# missing: how many items of the snapshot "before" the snapshot "after" lacks.
missing() {
        n=0
        for family in 4 6; do
                k=$(grep -cvxF -f "$WORK/after.$family.items" "$WORK/before.$family.items")
                n=$((n + ${k:-0}))
        done
        echo "$n"
}

# docker_now: INVOCATION and ACTIVE of docker.service, and JOBS, its jobs queued.
docker_now() {
        INVOCATION=
        ACTIVE=
        for line in $(systemctl show --property=InvocationID --property=ActiveState docker.service); do
                case $line in
                InvocationID=*) INVOCATION=${line#*=} ;;
                ActiveState=*) ACTIVE=${line#*=} ;;
                esac
        done
        JOBS=$(systemctl list-jobs --no-legend docker.service 2>/dev/null | wc -l)
}

# observe STARTED_MS WAIT_S INVOCATION: watches docker (restarted: another
# invocation than INVOCATION) and its rules until they are all back, or
# WAIT_S after STARTED_MS, or docker has been left alone for SETTLE_MS;
# RESTARTED, RUNNING, HEALED yes or no, CHANGING yes when docker was still
# on its way up or down at the end, and AT_MS, when the last snapshot
# "after" was taken.
observe() {
        deadline=$(($1 + $2 * 1000))
        settled_since=
        HEALED=no
        while :; do
                docker_now
                [ "$INVOCATION" != "$3" ] && RESTARTED=yes || RESTARTED=no
                [ "$ACTIVE" = active ] && RUNNING=yes || RUNNING=no
                CHANGING=no
                if [ "$JOBS" -gt 0 ] || [ "$ACTIVE" = activating ] || [ "$ACTIVE" = deactivating ]; then
                        CHANGING=yes
                fi
                now=$(now_ms)
                # While docker starts or stops its rules are not whole yet:
                # reading them then only takes CPU from the dockerd making them.
                if { [ $CHANGING = no ] || [ "$now" -ge "$deadline" ]; } && snapshot after; then
                        AT_MS=$(($(now_ms) - $1))
                        if [ $RUNNING = yes ] && [ "$(missing)" = 0 ]; then
                                HEALED=yes
                                return
                        fi
                fi
                if [ $CHANGING = no ] && { [ $RUNNING = no ] || [ $RESTARTED = no ]; }; then
                        [ -n "$settled_since" ] || settled_since=$now
                else
                        settled_since=
                fi
                [ "$now" -lt "$deadline" ] || return
                [ -z "$settled_since" ] || [ $((now - settled_since)) -lt $SETTLE_MS ] || return
                sleep 0.1
        done
}

# job METHOD UNIT: the systemd job, its words on failure, and the result of the unit.
job() {
        case $1 in
        RestartUnit) out=$(timeout 120 systemctl restart "$2" 2>&1) ;;
        StopUnit) out=$(timeout 120 systemctl stop "$2" 2>&1) ;;
        StartUnit) out=$(timeout 120 systemctl start "$2" 2>&1) ;;
        ReloadUnit) out=$(timeout 120 systemctl reload "$2" 2>&1) ;;
        esac
        status=$?
        [ $status = 0 ] && return 0
        printf "method %s\nresult %s\n%s\n" "$1" "$(systemctl show --value --property=Result "$2")" "$out"
        return $status
}

# stop_start UNIT
stop_start() {
        job StopUnit "$1" && job StartUnit "$1"
}

# repair FIREWALL: docker restarted (or started, without FIREWALL where
# that failed to start and docker requires it), then watched again.
repair() {
        docker_now
        if [ "$ACTIVE" = active ]; then
                how=restarted
                out=$(timeout 120 systemctl restart docker.service 2>&1)
        else
                how=started
                out=$(timeout 120 systemctl start docker.service 2>&1)
        fi
        status=$?
        case $status:$out in
        0:*) ;;
        *"dependency job"*)
                how=started-without-requirements
                out=$(timeout 120 systemctl start --job-mode=ignore-requirements docker.service 2>&1)
                status=$?
                ;;
        esac
        [ $status = 0 ] && observe "$(now_ms)" $REPAIR_WAIT "$1"
        note "$how docker.service to restore the rules the firewall test removed (status $status)"
        printf "how %s\nstatus %s\nrunning %s\nhealed %s\n%s\n" "$how" "$status" "$RUNNING" "$HEALED" "$out"
}

# stop_failures UNIT SINCE: the exits of the stop commands of UNIT that
# systemd logged since SINCE (seconds of the wall clock), one JSON object a
# line; the controller tells the failures (common/fix-test.h).
stop_failures() {
        journalctl --quiet --no-pager --output=json --since="@$2" \
                --output-fields=COMMAND,EXIT_CODE,EXIT_STATUS,PRIORITY \
                MESSAGE_ID=98e322203f7a4ed290d09fe03c09fe15 UNIT="$1" COMMAND=ExecStop
}

# run_test UNIT SCENARIO WAIT
run_test() {
        [ -z "$BUSY" ] || return
        if ! snapshot before && ! { sleep 1 && snapshot before; }; then
                section unreadable printf "iptables-save failed\n"
                return
        fi
        docker_now
        invocation=$INVOCATION
        note "$2 of $1, to prove the rules of docker come back"
        since=$(date +%s)
        started=$(now_ms)
        case $2 in
        restart) section job job RestartUnit "$1" ;;
        stop-start) section job stop_start "$1" ;;
        reload) section job job ReloadUnit "$1" ;;
        esac
        RESTARTED=no
        RUNNING=no
        HEALED=no
        CHANGING=no
        AT_MS=0
        if [ "$status" = 0 ]; then
                observe "$started" "$3" "$invocation"
        else
                snapshot after
        fi
        section observed printf "restarted %s\nrunning %s\nchanging %s\nhealed %s\nat_ms %s\n" "$RESTARTED" \
                "$RUNNING" "$CHANGING" "$HEALED" "$AT_MS"
        for family in 4 6; do
                section "after $family" cat "$WORK/after.$family"
        done
        # Whether a stop command of the firewall failed in the job: then
        # systemd ran no more of them, and the restart flushed less.
        section stop stop_failures "$1" "$since"
        if [ $HEALED = no ] || [ $RUNNING = no ]; then
                section repair repair "$invocation"
                for family in 4 6; do
                        section "repaired $family" cat "$WORK/after.$family"
                done
        fi
        rm -rf "$WORK"
}
