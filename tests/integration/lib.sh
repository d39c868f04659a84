# Helpers for integration tests: sourced by tests/integration/run before each
# test file. A test is a function named test_*; it runs in a subshell with
# errexit on, so any failing command fails it, and fail() says why.

if [ "${TETHER_FLEET_INSTANCE:-0}" = 0 ]; then
        FLEET_DIR=${TETHER_FLEET_DIR:-/var/lib/tether-fleet}
else
        FLEET_DIR=${TETHER_FLEET_DIR:-/var/lib/tether-fleet-$TETHER_FLEET_INSTANCE}
fi
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TETHER=$TOP/build/tether
# The agent the tests deploy, by hand (push_agent) and through tether, which
# reads TETHER_AGENT too: make integration gives the portable one
# (docs/agent.md, "The oldest host"), else the build's for this machine.
TETHER_AGENT=${TETHER_AGENT:-$TOP/build/tether-agent}
export TETHER_AGENT
# Where the tests write their reports and scratch files: a directory of a
# run's own, so that two runs side by side (make integration's two fleets)
# never read each other's.
IT_DIR=${TETHER_IT_DIR:-$TOP/build}
mkdir -p "$IT_DIR"

# defer HOST COMMAND: runs COMMAND on HOST when the test ends, passed or
# failed, so a failing test does not leave its host changed for the next.
DEFERRED=()
defer() {
        DEFERRED+=("$1"$'\t'"$2")
}

# defer_local COMMAND: the same, for a command run here.
DEFERRED_LOCAL=()
defer_local() {
        DEFERRED_LOCAL+=("$1")
}

run_deferred() {
        local item
        for item in "${DEFERRED_LOCAL[@]}"; do
                eval "$item" >/dev/null 2>&1 || true
        done
        for item in "${DEFERRED[@]}"; do
                on "${item%%$'\t'*}" "${item#*$'\t'}" >/dev/null 2>&1 || true
        done
}

fail() {
        printf '    FAIL: %s\n' "$*" >&2
        exit 1
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
        [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# expect_match TEXT EXTENDED-REGEX WHAT
expect_match() {
        [[ "$1" =~ $2 ]] || fail "$3: '$1' does not match /$2/"
}

ssh_opts() {
        printf '%s\n' -i "$FLEET_DIR/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
                -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$FLEET_DIR/known_hosts" \
                -o GlobalKnownHostsFile=/dev/null -o KexAlgorithms=curve25519-sha256 \
                -o ConnectTimeout=5 -o LogLevel=ERROR
}

# host_field NAME COLUMN: 2 = role, 3 = address
host_field() {
        awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$FLEET_DIR/hosts.tsv"
}

# on HOST [--user USER] COMMAND: run a shell command on a fleet host.
on() {
        local host=$1 user=root
        shift
        if [ "$1" = --user ]; then
                user=$2
                shift 2
        fi
        local -a opts
        mapfile -t opts < <(ssh_opts)
        ssh "${opts[@]}" "$user@$(host_field "$host" 3)" "$@" </dev/null
}

# hosts_with_role ROLE: the names of the fleet's hosts of that role.
hosts_with_role() {
        awk -F'\t' -v r="$1" '$2 == r { print $1 }' "$FLEET_DIR/hosts.tsv"
}

# role_host ROLE [N]: the N-th host of the role (default 1; "$" for the
# last); fails the test when the fleet has no such host.
role_host() {
        local h
        h=$(hosts_with_role "$1" | sed -n "${2:-1}p")
        [ -n "$h" ] || fail "the fleet has no host of role $1 (host ${2:-1} was asked for)"
        echo "$h"
}

all_hosts() {
        cut -f1 "$FLEET_DIR/hosts.tsv"
}

# The firewall unit a role's host runs that flushes Docker's rules, "" for
# none (ufw with MANAGE_BUILTINS=no runs, but flushes nothing of Docker's).
role_unit() {
        case "$1" in
        nftables) echo nftables.service ;;
        iptables) echo iptables.service ;;
        netfilter-persistent) echo netfilter-persistent.service ;;
        firewalld) echo firewalld.service ;;
        ufw-builtins) echo ufw.service ;;
        *) echo "" ;;
        esac
}

# role_flushes ROLE: whether the role's firewall flushes Docker's rules
# (else its hosts are not-applicable, and apply ties nothing there).
role_flushes() {
        [ -n "$(role_unit "$1")" ]
}

# host_suite NAME: the host's Debian release (bullseye, bookworm, trixie).
host_suite() {
        awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$FLEET_DIR/suites.tsv"
}

# hosts_of_suite SUITE: the names of the fleet's hosts on that release.
hosts_of_suite() {
        awk -F'\t' -v s="$1" '$2 == s { print $1 }' "$FLEET_DIR/suites.tsv"
}

# host_flushes HOST: role_flushes for the host's own release: Debian 13's
# firewalld 2 (nftables backend) leaves Docker's rules through its restart
# and reload, as Docker 26 keeps them in tables firewalld does not flush.
host_flushes() {
        local role
        role=$(host_field "$1" 2)
        if [ "$role" = firewalld ] && [ "$(host_suite "$1")" = trixie ]; then
                return 1
        fi
        role_flushes "$role"
}

# one_host_a_role INVENTORY: writes the fleet's inventory with its first
# host of each role (of each role and release, on a mixed fleet) to
# INVENTORY: for tests whose every command runs on all of its hosts, and
# whose comparisons need every role, not every host.
one_host_a_role() {
        jq --argjson names "$(awk -F'\t' 'NR == FNR { suite[$1] = $2; next } !seen[$2 FS suite[$1]]++ { print $1 }' \
                "$FLEET_DIR/suites.tsv" "$FLEET_DIR/hosts.tsv" | jq -R . | jq -s -c .)" \
                '.hosts |= map(select(.name as $n | $names | index($n)))' "$FLEET_DIR/inventory.json" >"$1"
}

# run_tether ARGS...: runs tether; its stdout in $OUT, its exit status in $STATUS.
run_tether() {
        STATUS=0
        OUT=$("$TETHER" "$@" 2>"$IT_DIR/.tether-stderr") || STATUS=$?
}

# bind_verdict ROLE: the verdict of a host of the role tied by the bind
# policy. A unit that can reload (nftables, RHEL's iptables) still flushes
# Docker's rules on a reload, which no Requires= or PartOf= passes on;
# firewalld's reload (also 'firewall-cmd --reload') leaves Docker 20.10
# without its isolation rules; ufw with MANAGE_BUILTINS=yes flushes them
# from 'ufw reload', outside systemd.
bind_verdict() {
        case "$1" in
        nftables | iptables | firewalld | ufw-builtins) echo reload-vulnerable ;;
        netfilter-persistent) echo protected ;;
        *) echo not-applicable ;;
        esac
}

# host_bind_verdict HOST: bind_verdict for the host's role and release.
host_bind_verdict() {
        if host_flushes "$1"; then
                bind_verdict "$(host_field "$1" 2)"
        else
                echo not-applicable
        fi
}

# docker_rule_count HOST TABLE: lines of iptables -S in TABLE that mention DOCKER.
docker_rule_count() {
        on "$1" "iptables -w -t $2 -S | grep -c DOCKER || true"
}

# push_agent HOST: copies the build's tether-agent to the host (until the
# controller deploys it itself, the agent's own tests put it there).
push_agent() {
        local -a opts
        mapfile -t opts < <(ssh_opts)
        scp -q "${opts[@]}" "$TETHER_AGENT" "root@$(host_field "$1" 3):/usr/local/bin/tether-agent" </dev/null
}

# agent HOST ARGS...: runs tether-agent as root on the host; its JSON on stdout.
# The exit status is in $IT_DIR/.agent-status (the JSON is wanted either way).
agent() {
        local host=$1
        shift
        local status=0
        on "$host" tether-agent "$@" || status=$?
        echo "$status" >"$IT_DIR/.agent-status"
}

agent_status() {
        cat "$IT_DIR/.agent-status"
}

# wait_start_room HOST: until docker.service can be started twice more
# without hitting its start limit (StartLimitBurst=3 in 60 s on Debian),
# as the agent counts it (on a host no test has given it yet, it is given
# first).
wait_start_room() {
        local room
        on "$1" 'command -v tether-agent >/dev/null' || push_agent "$1"
        room=$(agent "$1" audit | jq -r '.docker.start_limit.room_in_sec // 0')
        [[ "$room" =~ ^[0-9]+$ ]] || fail "the agent's audit of $1 tells no room under docker's start limit: '$room'"
        if [ "$room" -gt 0 ]; then
                echo "    waiting ${room} s for room under docker's start limit on $1" >&2
                sleep "$room"
        fi
}

# reset_start_limit HOST: clears systemd's count of docker's recent starts
# (systemctl reset-failed does, of an active unit too), so that starts the
# test makes, or has systemd make through a tie, are not refused by
# docker's start limit (3 in 60 s) for the ones the test before made. Only
# for those: the agent counts docker's starts from the journal, which this
# leaves as it is, and a test that has the agent or watch start docker
# waits for room (wait_start_room).
reset_start_limit() {
        on "$1" 'systemctl reset-failed docker.service'
}

# docker_invocation HOST: docker.service's InvocationID (changes with every start).
docker_invocation() {
        on "$1" 'systemctl show -P InvocationID docker.service'
}

# from_outside HOST COMMAND...: runs a program of the host's own filesystem in
# the host's network namespace, from this machine: it works when the host
# itself cannot be reached over SSH.
from_outside() {
        local host=$1
        shift
        ip netns exec "$(cat "$FLEET_DIR/netns-prefix")$host" chroot "$FLEET_DIR/hosts/$host/merged" "$@"
}

# Docker daemon settings the fleet's docker.io 20.10 can run, by name, each
# a daemon.json (20.10 takes "ip6tables" only with "experimental").
DOCKER_VARIANTS=(default iptables-false ip-masq-false live-restore ipv6)

docker_variant_json() {
        local base='"storage-driver": "vfs"'
        case "$1" in
        default) echo "{$base}" ;;
        iptables-false) echo "{$base, \"iptables\": false}" ;;
        ip-masq-false) echo "{$base, \"ip-masq\": false}" ;;
        live-restore) echo "{$base, \"live-restore\": true}" ;;
        ipv6) echo "{$base, \"ipv6\": true, \"ip6tables\": true, \"experimental\": true, \"fixed-cidr-v6\": \"fd00:dead:beef::/64\"}" ;;
        *) fail "no Docker variant '$1'; the variants are: ${DOCKER_VARIANTS[*]}" ;;
        esac
}

# docker_variant_command NAME: the command that restarts a host's docker
# with the variant's daemon.json. Docker's rules of both families go
# first: a docker told "iptables": false (or no "ip6tables") leaves what an
# earlier one made where it was. The start is tried three times: in these
# nested hosts a unit started right after its stop now and then fails to
# spawn (219/CGROUP: systemd cannot reuse its cgroup yet), which runs no
# dockerd at all; a third failure shows docker's last journal lines.
docker_variant_command() {
        local json
        json=$(docker_variant_json "$1") || return
        echo "printf '%s\n' '$json' >/etc/docker/daemon.json && systemctl stop docker.service &&" \
                "for t in iptables ip6tables; do \$t-save | grep -v -- 'DOCKER\|docker0' | \$t-restore; done;" \
                "for attempt in 1 2 3; do systemctl reset-failed docker.service;" \
                "systemctl start docker.service && exit 0; sleep 1; done;" \
                "journalctl -u docker.service -n 8 --no-pager -o cat; exit 1"
}

# docker_variant_prepare HOST NAME: what the host needs from outside for the
# variant (dockerd cannot write /proc/sys inside the container).
docker_variant_prepare() {
        if [ "$2" = ipv6 ]; then
                ip netns exec "$(cat "$FLEET_DIR/netns-prefix")$1" \
                        sysctl -q -w net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.forwarding=1
        fi
}

# restart_unit HOST UNIT: restarts UNIT on HOST; in these nested hosts a
# unit started right after its stop now and then fails to spawn
# (219/CGROUP), so a failed restart is followed by up to two starts. A
# unit that never comes up fails the test here, with its journal, rather
# than the tests after it on a host left without it.
restart_unit() {
        on "$1" "$(restart_unit_command "$2")" || fail "$2 on $1 did not start again after a restart"
}

# restart_firewall HOST UNIT: restart_unit of a firewall whose stop must
# run. In these nested hosts a stop command now and then fails to spawn
# (219/CGROUP); systemd then starts the unit again without the stop's
# flush, and the restart proves nothing (tether says so:
# firewall_stop_failed). Such a restart is made again, up to three times;
# systemd's record of the stop's exit (the journal's process-exit message,
# as common/fix-test.c reads it) tells.
restart_firewall() {
        local attempt since failed=
        for attempt in 1 2 3; do
                # A second apart: --since counts whole seconds.
                since=$(on "$1" "${failed:+sleep 1;} date +%s")
                restart_unit "$1" "$2"
                failed=$(on "$1" "journalctl --quiet --no-pager --output=json --since=@$since \
                        MESSAGE_ID=98e322203f7a4ed290d09fe03c09fe15 UNIT=$2 COMMAND=ExecStop" |
                        jq -r 'select((.PRIORITY | tonumber) <= 5 and (.EXIT_CODE != "exited" or
                                .EXIT_STATUS != "0")) | "\(.EXIT_CODE) \(.EXIT_STATUS)"' | tr '\n' ' ')
                [ -n "$failed" ] || return 0
                [ "$attempt" = 3 ] ||
                        echo "    $2 on $1: its stop command failed (${failed% }), so it flushed nothing; restarting it again" >&2
        done
        fail "$2 on $1: its stop command failed in each of three restarts (${failed% })"
}

# restart_unit_command UNIT: restart_unit's command, for a deferred repair
# too; it exits 0 once UNIT is up, 1 with the unit's journal.
restart_unit_command() {
        printf '%s ' "systemctl restart $1 && exit 0; for attempt in 1 2; do sleep 1;" \
                "systemctl reset-failed $1; systemctl start $1 && exit 0; done;" \
                "journalctl -u $1 -n 8 --no-pager -o cat; exit 1"
}

# docker_variant HOST NAME: runs the host's docker with the variant; the
# fleet's own daemon.json is back when the test ends. (Tests that switch
# hosts in parallel call the parts, deferring in the test's own shell.)
docker_variant() {
        defer "$1" "$(docker_variant_command default)"
        docker_variant_prepare "$1" "$2"
        on "$1" "$(docker_variant_command "$2")"
}

# reload_sshd HOST: reloads the host's sshd and waits until it answers again
# (a reload re-executes sshd, which drops its listening socket for a moment).
reload_sshd() {
        local tries=0
        on "$1" "systemctl reload ssh"
        until on "$1" true 2>/dev/null; do
                tries=$((tries + 1))
                [ $tries -lt 50 ] || fail "sshd of $1 did not come back after a reload"
                sleep 0.2
        done
}
