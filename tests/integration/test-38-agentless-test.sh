# Agentless test against the agent's: `tether test --mode agentless` restarts
# the same firewall units, sees the same things and repairs docker as the
# agent does, on a host of every role, untied and then tied. A host whose
# two runs differ gets both once more, and fails when they differ again:
# each run is a real restart, and a host does not always restart its
# firewall the same way. On the mixed fleet, under the load of both
# fleets, Debian 11's systemd 247 at times fails to start a firewall's stop
# command (status 219/CGROUP: its cgroup was gone), then starts the unit
# again. Nothing was flushed then, and the run says so
# (firewall_stop_failed); the other mode's run, a real flush, differs.

# One host of each role, as test-36 takes them.
INVENTORY=$IT_DIR/it-agentless-test-inventory.json
one_host_a_role "$INVENTORY"

# What a test's report says of each host, less its times. Of the rules
# missing, only whether some were: on a firewalld host Docker puts some back
# when firewalld signals it, so how many are missing when counted depends on
# the moment (11 and 20, 2 and 6 in two runs of both modes on one host).
outcome_rows() {
        jq -c '.hosts | sort_by(.name)[] | {name, verdict, result: .agent.test_result, why: .agent.test_reason,
                tests: [.agent.tests[]? | del(.heal_ms) | if .repair then .repair |= {action, ok} else . end
                        | if (.rules_missing // 0) > 0 then .rules_missing = "some" else . end]}' "$1"
}

# start_failed_firewalls REPORT: starts again each firewall unit REPORT
# finds failed, then docker (the start may flush its rules), and says why
# it had failed. A test whose real restart of the firewall fails leaves the
# unit failed, for its owner to fix (the repair restarts docker only); on
# the mixed fleet that is Debian 11's failed spawn (219/CGROUP). A next run
# would refuse such a host, and apply find docker bound to a failed unit:
# each run starts from a working firewall instead. Returns 1 when REPORT
# has no failed firewall.
start_failed_firewalls() {
        local host unit none=1
        while read -r host unit; do
                none=0
                echo "    $host: $unit was failed ($(on "$host" "journalctl -u $unit -n 40 --no-pager -o cat" |
                        grep -E 'status=|Failed' | tail -2 | paste -sd';' -)); started again, and docker" >&2
                on "$host" "systemctl reset-failed $unit; $(restart_unit_command "$unit")" >&2 &&
                        on "$host" "$(restart_unit_command docker.service)" >&2 ||
                        fail "$host: $unit, failed, could not be started again (above)"
        done < <(jq -r '.hosts[] | .name as $host | .agent.firewalls[]? | select(.active_state == "failed") |
                "\($host) \(.unit)"' "$1")
        return $none
}

# Until every tested host runs its firewall, and can start docker twice
# more (a test's restart and its repair) under its start limit.
wait_until_ready() {
        local report=$IT_DIR/it-agentless-room.json room
        run_tether audit -i "$INVENTORY" --mode agent --report "$report"
        if start_failed_firewalls "$report"; then
                run_tether audit -i "$INVENTORY" --mode agent --report "$report"
        fi
        room=$(jq '[.hosts[].agent.docker.start_limit.room_in_sec // 0] | max // 0' "$report")
        [ "$room" -le 0 ] || sleep "$room"
}

# both_modes_test DIR PHASE LIMIT: tether test with the agent, then without,
# on every host (LIMIT empty) or on LIMIT's.
both_modes_test() {
        local dir=$1 phase=$2 mode
        local -a limit=()
        [ -z "$3" ] || limit=(--limit "$3")
        for mode in agent agentless; do
                wait_until_ready
                run_tether test -i "$INVENTORY" "${limit[@]}" --yes --max-fail 100% --mode "$mode" \
                        --report "$dir/$mode-$phase.json"
        done
        [ "$(jq '[.hosts[] | select(.agent.mode != "agentless")] | length' "$dir/agentless-$phase.json")" = 0 ] ||
                fail "a host of the agentless test did not run agentless: $(cat "$IT_DIR/.tether-stderr")"
}

# differing_hosts AGENT AGENTLESS: the hosts whose rows differ, comma-separated.
differing_hosts() {
        jq -s -r '[.[0], .[1]] | map(.hosts | map({key: .name, value: .}) | from_entries) as [$a, $b] |
                [$a | keys[] | select($a[.] != $b[.])] | join(",")' \
                <(outcome_rows "$1" | jq -s '{hosts: .}') <(outcome_rows "$2" | jq -s '{hosts: .}')
}

# take_again REPORT AGAIN: REPORT's hosts that AGAIN has, replaced by AGAIN's.
take_again() {
        jq -s '.[1].hosts as $again | ($again | map(.name)) as $names | .[0] |
                .hosts = ([.hosts[] | select(.name as $n | $names | index($n) | not)] + $again)' "$1" "$2" >"$1.new" &&
                mv "$1.new" "$1"
}

# stop_failed_hosts REPORT...: the hosts where a run saw a stop command of
# the firewall fail (firewall_stop_failed), comma-separated: their two
# restarts were not alike, and tether said so.
stop_failed_hosts() {
        jq -s -r '[.[].hosts[] | select(any(.agent.tests[]?; .firewall_stop_failed != null)) | .name] |
                unique | join(",")' "$@"
}

# hosts_but LIST EXCLUDED: the hosts of LIST not in EXCLUDED (both
# comma-separated), comma-separated.
hosts_but() {
        comm -23 <(tr , '\n' <<<"$1" | grep . | sort -u) <(tr , '\n' <<<"$2" | grep . | sort -u) | paste -sd, -
}

# compare_modes DIR PHASE: both modes' runs of PHASE agree on every host
# whose firewall stopped as it should. A host that differs, or whose stop
# failed, gets both runs once more, and fails the test when they differ
# again with no stop failed in either; one whose stop failed again is left
# uncompared, and no more than half the hosts may be.
compare_modes() {
        local dir=$1 phase=$2 again stopped unexplained n
        again=$(hosts_but "$(differing_hosts "$dir/agent-$phase.json" "$dir/agentless-$phase.json"),$(
                stop_failed_hosts "$dir/agent-$phase.json" "$dir/agentless-$phase.json")" "")
        [ -n "$again" ] || return 0
        echo "    $phase: the modes differ, or a firewall's stop failed, on $again; both run again there:" >&2
        diff <(outcome_rows "$dir/agent-$phase.json") <(outcome_rows "$dir/agentless-$phase.json") >&2 || true
        both_modes_test "$dir" "$phase-again" "$again"
        stopped=$(stop_failed_hosts "$dir/agent-$phase-again.json" "$dir/agentless-$phase-again.json")
        unexplained=$(hosts_but "$(differing_hosts "$dir/agent-$phase-again.json" "$dir/agentless-$phase-again.json")" \
                "$stopped")
        if [ -n "$unexplained" ]; then
                diff <(outcome_rows "$dir/agent-$phase-again.json") \
                        <(outcome_rows "$dir/agentless-$phase-again.json") >&2 || true
                fail "$phase: the agentless test differs from the agent's twice on $unexplained (above)"
        fi
        if [ -n "$stopped" ]; then
                echo "    $phase: not compared: $stopped, whose firewall's stop failed again (tether says so)" >&2
                n=$(jq '.hosts | length' "$dir/agent-$phase.json")
                [ $(($(tr , '\n' <<<"$stopped" | wc -l) * 2)) -le "$n" ] ||
                        fail "$phase: the stop of more than half the firewalls failed: nothing much was compared"
        fi
        take_again "$dir/agent-$phase.json" "$dir/agent-$phase-again.json"
        take_again "$dir/agentless-$phase.json" "$dir/agentless-$phase-again.json"
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
                        wait_until_ready
                        run_tether apply -i "$INVENTORY" --mode agent
                        expect_eq "$STATUS" 0 "tether apply (agent): $(cat "$IT_DIR/.tether-stderr")"
                fi
                both_modes_test "$dir" "$phase" ""
                compare_modes "$dir" "$phase"
                echo "    $phase: $(jq -r '[.hosts[].agent.test_result] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' \
                        "$dir/agentless-$phase.json")" >&2
        done
        expect_eq "$(jq '[.hosts[] | select(.agent.test_result == "failed")] | length' "$dir/agentless-untied.json")" \
                "$(jq '[.hosts[] | select(.verdict == "vulnerable")] | length' "$dir/agent-untied.json")" \
                "untied hosts whose test failed, against those the agent found vulnerable"
        # A test that needed no repair has none (a stop that failed and flushed
        # nothing, twice in a row on the same host): it is not a failed one.
        expect_eq "$(jq '[.hosts[].agent.tests[]?.repair // empty | select(.ok | not)] | length' \
                "$dir/agentless-untied.json")" 0 "repairs that did not bring docker back with its rules"
        expect_eq "$(jq '[.hosts[] | select(.agent.test_result == "failed")] | length' "$dir/agentless-tied.json")" 0 \
                "tied hosts whose agentless test failed"
}

# A firewall whose stop command fails (a drop-in puts /bin/false in its
# place): systemd starts it again with nothing flushed, and both modes say
# so, from the journal, instead of passing the rules' survival off as
# proof.
test_a_failed_firewall_stop_is_said_in_both_modes() {
        local h dropin=/etc/systemd/system/ufw.service.d/zz-tether-test-stop-fails.conf mode report
        h=$(role_host ufw-builtins)
        defer "$h" "rm -f $dropin && systemctl daemon-reload"
        run_tether revert -i "$INVENTORY" --limit "$h" --mode agent
        on "$h" "mkdir -p ${dropin%/*} && printf '[Service]\\nExecStop=\\nExecStop=/bin/false\\n' >$dropin && systemctl daemon-reload"
        for mode in agent agentless; do
                report=$IT_DIR/it-stop-fails-$mode.json
                wait_until_ready
                run_tether test -i "$INVENTORY" --limit "$h" --yes --mode "$mode" --report "$report"
                expect_eq "$(jq -c '.hosts[0].agent.tests[0].firewall_stop_failed' "$report")" \
                        '{"code":"exited","status":1}' "$mode: the failed stop"
                expect_match "$(jq -r '.hosts[0].agent.tests[0].reason' "$report")" "stop command failed" \
                        "$mode: the reason"
                expect_eq "$(jq -r '.hosts[0].agent.test_result' "$report")" failed "$mode: the result"
        done
}

# A test refused because docker is near its start limit (two starts in the
# last minute: a test may start it twice) is run again once the limit has
# room, in both modes, and the second answer is the one kept: agentless,
# the gathering script's again, judged as the first was (it was once read
# as the agent's document, and the host ended in error).
test_a_test_near_docker_start_limit_runs_when_it_has_room() {
        local h mode report
        h=$(role_host nftables 2)
        defer_local "'$TETHER' revert -i '$FLEET_DIR/inventory.json' --limit '$h' -q"
        run_tether apply -i "$FLEET_DIR/inventory.json" --limit "$h" --mode agent
        expect_eq "$STATUS" 0 "tether apply: $(cat "$IT_DIR/.tether-stderr")"
        for mode in agent agentless; do
                report=$IT_DIR/it-near-start-limit-$mode.json
                wait_start_room "$h"
                on "$h" 'systemctl restart docker.service && systemctl restart docker.service'
                run_tether test -i "$FLEET_DIR/inventory.json" --limit "$h" --yes --mode "$mode" --report "$report"
                expect_match "$(cat "$IT_DIR/.tether-stderr")" \
                        "$h: docker.service is near its start limit; testing in [0-9]+s" "$mode: the wait"
                expect_eq "$(jq -r '.hosts[0] | "\(.agent.mode) \(.agent.test_result) \(.error)"' "$report")" \
                        "$mode passed null" "$mode: the test run again (status $STATUS)"
        done
}
