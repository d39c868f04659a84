# Agentless mode: `tether audit --mode agentless` gathers every host's facts
# with plain commands (no agent uploaded or run) and judges them with the
# agent's judge; on every host of every role, untied and then tied by
# `tether apply --watch` (one flush healed), it gives the verdict, the
# reasons and the watch object the agent gives.
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
                a=$(jq -c --arg n "$h" '.hosts[] | select(.name == $n) | {verdict, reasons: .agent.reasons, watch: .agent.watch}' "$agent")
                b=$(jq -c --arg n "$h" '.hosts[] | select(.name == $n) | {verdict, reasons: .agent.reasons, watch: .agent.watch}' "$agentless")
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .agent.mode' "$agentless")" agentless \
                        "the mode of $h's document"
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .agent.mode' "$agent")" agent \
                        "the mode of $h's document from the agent"
                [ "$a" = "$b" ] || mismatches+=("$h ($(host_field "$h" 2)) $1: agent $a, agentless $b")
        done
        echo "    $1: $(jq -r '[.hosts[].verdict] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$agentless")" >&2
        [ ${#mismatches[@]} -eq 0 ] || fail "$(printf '%s\n' "${mismatches[@]}")"
}

# heal_a_flush HOST: nft flush ruleset, and Docker's rules back through
# watch within two minutes (it waits for room under docker's start limit).
heal_a_flush() {
        local before i
        before=$(on "$1" 'iptables-save | grep -c -- "DOCKER\|docker0"')
        on "$1" 'nft flush ruleset'
        for ((i = 0; i < 240; i++)); do
                [ "$(on "$1" 'iptables-save | grep -c -- "DOCKER\|docker0" || true')" -ge "$before" ] && return 0
                sleep 0.5
        done
        fail "watch did not bring Docker's rules back on $1"
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
        # Tied, with watch installed everywhere, and one heal of a flush by
        # hand on record: watch's object is compared too.
        # (revert removes watch; the flush took the host's own table too.)
        defer "$(role_host nftables)" 'grep -v "^flush ruleset" /etc/nftables.conf | nft -f -'
        run_tether apply -i "$INVENTORY" --watch
        expect_eq "$STATUS" 0 "tether apply --watch"
        heal_a_flush "$(role_host nftables)"
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
