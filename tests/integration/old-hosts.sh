# Hosts of other Debian releases than this machine's: make integration
# boots a mixed fleet, a round of the roles on bullseye (glibc 2.31, systemd
# 247, docker.io 20.10) and one on trixie (glibc 2.41, systemd 257, docker.io
# 26 without the docker command, firewalld 2), and runs these, with test-10,
# test-36 and test-37, there. The agent built here for this machine cannot run on a
# bullseye host; the portable one that make integration gives in
# TETHER_AGENT (docs/agent.md, "The oldest host") runs on both, and gets
# every host its true verdict; without an agent that can run, --mode auto
# audits a host with plain commands, to the same verdicts.

INVENTORY=$FLEET_DIR/inventory.json
HOST_AGENT=$TOP/build/tether-agent

# glibc_of HOST: the version of the host's glibc, e.g. 2.31.
glibc_of() {
        on "$1" 'getconf GNU_LIBC_VERSION' | awk '{ print $2 }'
}

# older VERSION THAN: true when VERSION sorts before THAN.
older() {
        [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]
}

# The systemd version of each release.
systemd_of_suite() {
        case "$1" in
        bullseye) echo 247 ;;
        bookworm) echo 252 ;;
        trixie) echo 257 ;;
        *) fail "no systemd version known for $1" ;;
        esac
}

test_every_host_runs_its_release() {
        local here h glibc
        here=$(getconf GNU_LIBC_VERSION | awk '{ print $2 }')
        [ -n "$(hosts_of_suite bullseye)" ] || fail "the fleet has no bullseye host"
        for h in $(all_hosts); do
                glibc=$(glibc_of "$h")
                case "$(host_suite "$h")" in
                bullseye) older "$glibc" "$here" || fail "$h has glibc $glibc, not older than this machine's $here" ;;
                trixie) older "$here" "$glibc" || fail "$h has glibc $glibc, not newer than this machine's $here" ;;
                esac
                on "$h" 'systemctl --version' | head -1 | grep -q "^systemd $(systemd_of_suite "$(host_suite "$h")") " ||
                        fail "$h runs $(on "$h" 'systemctl --version' | head -1), not $(host_suite "$h")'s systemd"
        done
}

# Where glibc is older, the agent built here fails to load, and says why;
# where it is newer, it runs.
test_the_agent_built_here_cannot_run_on_older_hosts() {
        local report=$IT_DIR/it-old-host-agent.json h
        [ "$(sha256sum <"$HOST_AGENT")" != "$(sha256sum <"$TETHER_AGENT")" ] ||
                fail "TETHER_AGENT is the agent built for this machine: make integration gives the portable one"
        run_tether audit -i "$INVENTORY" --agent "$HOST_AGENT" --mode agent --report "$report"
        expect_eq "$STATUS" 2 "audit's exit status with the agent built here"
        for h in $(hosts_of_suite bullseye); do
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .error.stage' "$report")" \
                        agent "the stage $h failed at with the agent built here"
                expect_match "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .error.message' "$report")" \
                        "^agent-incompatible: .*GLIBC_2\\.3[0-9]" "what $h's loader said"
        done
        for h in $(hosts_of_suite trixie); do
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .error' "$report")" null \
                        "the error of $h, newer than this machine"
        done
}

test_the_portable_agent_runs_and_judges_every_role() {
        local report=$IT_DIR/it-old-host-portable.json h role
        scripts/check-agent-symbols "$TETHER_AGENT" >/dev/null || fail "$TETHER_AGENT is not the portable agent"
        run_tether audit -i "$INVENTORY" --report "$report"
        expect_eq "$STATUS" 0 "audit's exit status with the portable agent: $OUT"
        for h in $(all_hosts); do
                role=$(host_field "$h" 2)
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .verdict' "$report")" \
                        "$(host_flushes "$h" && echo vulnerable || echo not-applicable)" "verdict of $h ($role, $(host_suite "$h"))"
                expect_match "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .agent.host.systemd' "$report")" \
                        "^$(systemd_of_suite "$(host_suite "$h")")" "the systemd version $h's agent read over D-Bus"
        done
}

# --mode auto (the default) audits a host whose agent cannot run without
# it: every bullseye host of every role gets the verdict and reasons the
# portable agent gives it, from systemd 247's systemctl and journalctl; a
# trixie host runs the agent built here.
test_auto_audits_without_the_agent_where_it_cannot_run() {
        local agentless=$IT_DIR/it-old-host-auto.json portable=$IT_DIR/it-old-host-portable-again.json h mode
        run_tether audit -i "$INVENTORY" --report "$portable"
        run_tether audit -i "$INVENTORY" --agent "$HOST_AGENT" --report "$agentless"
        expect_eq "$STATUS" 0 "audit's exit status without the agent: $OUT"
        expect_eq "$(jq .summary.agentless "$agentless")" "$(hosts_of_suite bullseye | wc -w)" \
                "hosts the summary counts as agentless"
        for h in $(all_hosts); do
                mode=$([ "$(host_suite "$h")" = bullseye ] && echo agentless || echo agent)
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .agent.mode' "$agentless")" \
                        "$mode" "how $h was audited"
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | "\(.mode) \(.agent_source)"' "$agentless")" \
                        "$mode $([ "$mode" = agentless ] && echo null || echo deployed)" "the report's mode and agent of $h"
                expect_eq "$(jq -c --arg n "$h" '.hosts[] | select(.name == $n) | {verdict, reasons: .agent.reasons, systemd: .agent.host.systemd}' "$agentless")" \
                        "$(jq -c --arg n "$h" '.hosts[] | select(.name == $n) | {verdict, reasons: .agent.reasons, systemd: .agent.host.systemd}' "$portable")" \
                        "$h's audit without the agent and with the portable one"
        done
}
