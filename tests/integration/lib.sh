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
TETHER_AGENT=$TOP/build/tether-agent

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
        ufw-builtins) echo ufw.service ;;
        *) echo "" ;;
        esac
}

# role_flushes ROLE: whether the role's firewall flushes Docker's rules
# (else its hosts are not-applicable, and apply ties nothing there).
role_flushes() {
        [ -n "$(role_unit "$1")" ]
}

# run_tether ARGS...: runs tether; its stdout in $OUT, its exit status in $STATUS.
run_tether() {
        STATUS=0
        OUT=$("$TETHER" "$@" 2>"$TOP/build/.tether-stderr") || STATUS=$?
}

# bind_verdict ROLE: the verdict of a host of the role tied by the bind
# policy. A unit that can reload (nftables, RHEL's iptables) still flushes
# Docker's rules on a reload, which no Requires= or PartOf= passes on; ufw
# with MANAGE_BUILTINS=yes flushes them from 'ufw reload', outside systemd.
bind_verdict() {
        case "$1" in
        nftables | iptables | ufw-builtins) echo reload-vulnerable ;;
        netfilter-persistent) echo protected ;;
        *) echo not-applicable ;;
        esac
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
# The exit status is in $TOP/build/.agent-status (the JSON is wanted either way).
agent() {
        local host=$1
        shift
        local status=0
        on "$host" tether-agent "$@" || status=$?
        echo "$status" >"$TOP/build/.agent-status"
}

agent_status() {
        cat "$TOP/build/.agent-status"
}

# wait_start_room HOST: until docker.service can be started twice more
# without hitting its start limit (StartLimitBurst=3 in 60 s on Debian).
wait_start_room() {
        local room
        room=$(agent "$1" audit | jq -r '.docker.start_limit.room_in_sec // 0')
        if [ "$room" -gt 0 ]; then
                sleep "$room"
        fi
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
