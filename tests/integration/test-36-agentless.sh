# Agentless mode: `tether audit --mode agentless` gathers every host's facts
# with plain commands (no agent uploaded or run) and judges them with the
# agent's judge; on every host of every role, untied and then tied by
# `tether apply`, it gives the verdict and the reasons the agent gives.
# Nothing is left on the hosts.

INVENTORY=$FLEET_DIR/inventory.json

# compare_modes PHASE: both audits of every host, host by host.
compare_modes() {
        local agent=$TOP/build/it-agentless-agent-$1.json agentless=$TOP/build/it-agentless-$1.json
        local h mismatches=()

        run_tether audit -i "$INVENTORY" --mode agent --report "$agent"
        [ -s "$agent" ] || fail "the agent's audit wrote no report (status $STATUS): $(cat "$TOP/build/.tether-stderr")"
        run_tether audit -i "$INVENTORY" --mode agentless --report "$agentless"
        [ -s "$agentless" ] || fail "the agentless audit wrote no report (status $STATUS): $(cat "$TOP/build/.tether-stderr")"
        for h in $(all_hosts); do
                local a b
                a=$(jq -c --arg n "$h" '.hosts[] | select(.name == $n) | {verdict, reasons: .agent.reasons, error: .error}' "$agent")
                b=$(jq -c --arg n "$h" '.hosts[] | select(.name == $n) | {verdict, reasons: .agent.reasons, error: .error}' "$agentless")
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .agent.mode' "$agentless")" agentless \
                        "the mode of $h's document"
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .agent.mode' "$agent")" agent \
                        "the mode of $h's document from the agent"
                [ "$a" = "$b" ] || mismatches+=("$h ($(host_field "$h" 2)) $1: agent $a, agentless $b")
        done
        echo "    $1: $(jq -r '[.hosts[].verdict] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$agentless")" >&2
        [ ${#mismatches[@]} -eq 0 ] || fail "$(printf '%s\n' "${mismatches[@]}")"
}

# What an agentless run could leave in the places a script would write to.
leftovers_listing() {
        on "$1" 'ls -a /tmp /var/tmp /run /root /root/.cache 2>/dev/null | sha256sum'
}

test_agentless_audit_agrees_with_the_agent_on_every_role() {
        local -A before=()
        local h
        defer_local "'$TETHER' revert -i '$INVENTORY'"
        compare_modes untied
        run_tether apply -i "$INVENTORY"
        expect_eq "$STATUS" 0 "tether apply"
        for h in $(all_hosts); do
                before[$h]=$(leftovers_listing "$h")
        done
        compare_modes tied
        # The agentless audit left nothing behind (the agent's audit before
        # it ran in the same places, so what is there now is the agent's).
        run_tether audit -i "$INVENTORY" --mode agentless --report "$TOP/build/it-agentless-again.json"
        for h in $(all_hosts); do
                expect_eq "$(leftovers_listing "$h")" "${before[$h]}" "what /tmp, /var/tmp, /run and /root hold on $h"
        done
}
