# Agentless test against the agent's: `tether test --mode agentless` restarts
# the same firewall units, sees the same things and repairs docker as the
# agent does, on a host of every role, untied and then tied. It runs on the
# main fleet only: on the mixed fleet's Debian 11 hosts, under the load of
# both fleets, a firewall's restart now and then took fewer of Docker's rules,
# or none, in one mode than in the other (systemd 247's oneshot units in
# these nested containers), so the two runs saw different hosts.

# One host of each role, as test-36 takes them.
INVENTORY=$IT_DIR/it-agentless-test-inventory.json
one_host_a_role "$INVENTORY"

# What a test's report says of each host, less its times.
outcome_rows() {
        jq -c '.hosts | sort_by(.name)[] | {name, verdict, result: .agent.test_result, why: .agent.test_reason,
                tests: [.agent.tests[]? | del(.heal_ms) | if .repair then .repair |= {action, ok} else . end]}' "$1"
}

# Until every tested host can start docker twice more (a test's restart
# and its repair) under its start limit.
wait_for_start_room() {
        local report=$IT_DIR/it-agentless-room.json room
        run_tether audit -i "$INVENTORY" --mode agent --report "$report"
        room=$(jq '[.hosts[].agent.docker.start_limit.room_in_sec // 0] | max // 0' "$report")
        [ "$room" -le 0 ] || sleep "$room"
}

# tether test without the agent restarts the same units, sees the same
# things and repairs docker as the agent does: untied (every flushing
# firewall's test fails, and docker is restarted to bring its rules back)
# and tied (they pass).
test_agentless_test_does_what_the_agent_does_on_every_role() {
        local dir=$IT_DIR/it-agentless-test phase
        mkdir -p "$dir"
        defer_local "'$TETHER' revert -i '$INVENTORY' --mode agent"
        run_tether revert -i "$INVENTORY" --mode agent
        for phase in untied tied; do
                if [ "$phase" = tied ]; then
                        run_tether apply -i "$INVENTORY" --mode agent
                        expect_eq "$STATUS" 0 "tether apply (agent): $(cat "$IT_DIR/.tether-stderr")"
                fi
                wait_for_start_room
                run_tether test -i "$INVENTORY" --yes --max-fail 100% --mode agent --report "$dir/agent-$phase.json"
                wait_for_start_room
                run_tether test -i "$INVENTORY" --yes --max-fail 100% --mode agentless \
                        --report "$dir/agentless-$phase.json"
                [ "$(jq '[.hosts[] | select(.agent.mode != "agentless")] | length' "$dir/agentless-$phase.json")" = 0 ] ||
                        fail "a host of the agentless test did not run agentless: $(cat "$IT_DIR/.tether-stderr")"
                diff <(outcome_rows "$dir/agent-$phase.json") <(outcome_rows "$dir/agentless-$phase.json") >&2 ||
                        fail "$phase: the agentless test differs from the agent's (above)"
                echo "    $phase: $(jq -r '[.hosts[].agent.test_result] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' \
                        "$dir/agentless-$phase.json")" >&2
        done
        expect_eq "$(jq '[.hosts[] | select(.agent.test_result == "failed")] | length' "$dir/agentless-untied.json")" \
                "$(jq '[.hosts[] | select(.verdict == "vulnerable")] | length' "$dir/agent-untied.json")" \
                "untied hosts whose test failed, against those the agent found vulnerable"
        expect_eq "$(jq '[.hosts[].agent.tests[]?.repair | select(.ok | not)] | length' "$dir/agentless-untied.json")" 0 \
                "repairs that did not bring docker back with its rules"
        expect_eq "$(jq '[.hosts[] | select(.agent.test_result == "failed")] | length' "$dir/agentless-tied.json")" 0 \
                "tied hosts whose agentless test failed"
}
