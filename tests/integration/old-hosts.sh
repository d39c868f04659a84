# Hosts of an older Debian than this machine's: make integration boots a
# fleet of bullseye (TETHER_FLEET_SUITE=bullseye: glibc 2.31, systemd 247,
# docker.io 20.10) and runs these, with test-10, test-20 and test-30, there. The agent
# built here for this machine cannot run on such a host; the portable one
# that make integration gives in TETHER_AGENT (docs/agent.md, "The oldest
# host") can, and gets every role its true verdict; without an agent that
# can run, --mode auto audits them with plain commands, to the same verdicts.

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

test_every_host_is_older_than_this_machine() {
        local here h
        here=$(getconf GNU_LIBC_VERSION | awk '{ print $2 }')
        for h in $(all_hosts); do
                older "$(glibc_of "$h")" "$here" || fail "$h has glibc $(glibc_of "$h"), not older than this machine's $here"
                on "$h" 'systemctl --version' | head -1 | grep -q '^systemd 247 ' ||
                        fail "$h runs $(on "$h" 'systemctl --version' | head -1), not bullseye's systemd 247"
        done
}

test_the_agent_built_here_cannot_run_there() {
        local report=$TOP/build/it-old-host-agent.json h
        [ "$(sha256sum <"$HOST_AGENT")" != "$(sha256sum <"$TETHER_AGENT")" ] ||
                fail "TETHER_AGENT is the agent built for this machine: make integration gives the portable one"
        run_tether audit -i "$INVENTORY" --agent "$HOST_AGENT" --mode agent --report "$report"
        expect_eq "$STATUS" 2 "audit's exit status with the agent built here"
        for h in $(all_hosts); do
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .error.stage' "$report")" \
                        agent "the stage $h failed at with the agent built here"
                expect_match "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .error.message' "$report")" \
                        "^agent-incompatible: .*GLIBC_2\\.3[0-9]" "what $h's loader said"
        done
}

test_the_portable_agent_runs_and_judges_every_role() {
        local report=$TOP/build/it-old-host-portable.json h role
        scripts/check-agent-symbols "$TETHER_AGENT" >/dev/null || fail "$TETHER_AGENT is not the portable agent"
        run_tether audit -i "$INVENTORY" --report "$report"
        expect_eq "$STATUS" 0 "audit's exit status with the portable agent: $OUT"
        for h in $(all_hosts); do
                role=$(host_field "$h" 2)
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .verdict' "$report")" \
                        "$(role_flushes "$role" && echo vulnerable || echo not-applicable)" "verdict of $h ($role)"
                expect_match "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .agent.host.systemd' "$report")" \
                        "^247" "the systemd version $h's agent read over D-Bus"
        done
}

# --mode auto (the default) audits a host whose agent cannot run without
# it: every host of every role gets the verdict and reasons the portable
# agent gives it, from systemd 247's systemctl and journalctl.
test_auto_audits_without_the_agent_where_it_cannot_run() {
        local agentless=$TOP/build/it-old-host-auto.json portable=$TOP/build/it-old-host-portable-again.json h
        run_tether audit -i "$INVENTORY" --report "$portable"
        run_tether audit -i "$INVENTORY" --agent "$HOST_AGENT" --report "$agentless"
        expect_eq "$STATUS" 0 "audit's exit status without the agent: $OUT"
        for h in $(all_hosts); do
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .agent.mode' "$agentless")" agentless \
                        "how $h was audited"
                expect_eq "$(jq -c --arg n "$h" '.hosts[] | select(.name == $n) | {verdict, reasons: .agent.reasons, systemd: .agent.host.systemd}' "$agentless")" \
                        "$(jq -c --arg n "$h" '.hosts[] | select(.name == $n) | {verdict, reasons: .agent.reasons, systemd: .agent.host.systemd}' "$portable")" \
                        "$h's audit without the agent and with the portable one"
        done
}
