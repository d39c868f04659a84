# tether, the controller, against the real fleet over libssh: verdicts as
# the agent gives them, the whole fix cycle, and every kind of bad host
# failing alone with the right stage while the others succeed.

INVENTORY=$FLEET_DIR/inventory.json

# host_verdict REPORT NAME
host_verdict() {
        jq -r --arg n "$2" '.hosts[] | select(.name == $n) | .verdict' "$1"
}

host_stage() {
        jq -r --arg n "$2" '.hosts[] | select(.name == $n) | .error.stage' "$1"
}

host_message() {
        jq -r --arg n "$2" '.hosts[] | select(.name == $n) | .error.message' "$1"
}

expected_verdict() {
        if role_flushes "$(host_field "$1" 2)"; then
                echo "$2"
        else
                echo not-applicable
        fi
}

# An inventory of the fleet plus extra hosts (JSON objects, one an argument).
inventory_with() {
        local file=$1
        shift
        jq --argjson extra "[$(
                IFS=,
                echo "$*"
        )]" '.hosts += $extra' "$INVENTORY" >"$file"
}

# Every fleet host with room in docker's start limit for a disruptive test.
wait_fleet_start_room() {
        local h
        for h in $(all_hosts); do
                push_agent "$h"
                wait_start_room "$h"
        done
}

test_audit_gives_the_agents_verdicts() {
        local report=$TOP/build/it-audit.json h local_verdict
        run_tether audit -i "$INVENTORY" --report "$report"
        expect_eq "$STATUS" 0 "audit's exit status"
        expect_eq "$(jq '.hosts | length' "$report")" "$(all_hosts | wc -l)" "hosts in the report"
        expect_eq "$(jq -r .schema "$report")" tether.report/1 "schema"
        for h in $(all_hosts); do
                expect_eq "$(host_verdict "$report" "$h")" "$(expected_verdict "$h" vulnerable)" "verdict of $h"
                push_agent "$h"
                local_verdict=$(agent "$h" audit | jq -r .verdict)
                expect_eq "$(host_verdict "$report" "$h")" "$local_verdict" "$h: the controller's verdict vs the agent's"
        done
        expect_match "$OUT" "HOSTS +OUTCOME" "the summary table"
        expect_match "$OUT" "(nft|ipt|nfp)-\\[[0-9,-]+\\] +vulnerable" "hosts folded into ranges in the summary"
}

test_apply_test_revert_across_the_fleet() {
        local report=$TOP/build/it-cycle.json h
        # Whatever fails below, the next tests start from a fleet without the fix.
        defer_local "'$TETHER' revert -i '$INVENTORY' -q"
        run_tether apply -i "$INVENTORY" --check --report "$report"
        expect_eq "$STATUS" 0 "apply --check"
        expect_eq "$(jq '[.hosts[] | select(.verdict == "vulnerable")] | length' "$report")" \
                "$(jq '[.hosts[] | select(.changed)] | length' "$report")" "hosts apply --check would change"
        run_tether audit -i "$INVENTORY" --report "$report" --fail-on vulnerable
        expect_eq "$STATUS" 2 "audit --fail-on vulnerable after apply --check"

        run_tether apply -i "$INVENTORY" --report "$report"
        expect_eq "$STATUS" 0 "apply's exit status"
        for h in $(all_hosts); do
                expect_eq "$(host_verdict "$report" "$h")" "$(bind_verdict "$(host_field "$h" 2)")" "verdict of $h after apply"
        done
        run_tether apply -i "$INVENTORY" --report "$report"
        expect_eq "$(jq .summary.changed "$report")" 0 "hosts changed by a second apply"

        wait_fleet_start_room
        run_tether test -i "$INVENTORY" --yes --report "$report"
        # In these nested containers a oneshot unit restarted in quick
        # succession now and then fails to start with 219/CGROUP (systemd
        # cannot reuse its cgroup yet): the firewall, not tether, failed.
        # Such hosts get their test once more, alone.
        local again
        again=$(jq -r '[.hosts[] | select(.agent.test_result == "failed") |
                select(.agent.tests[0].error // "" | test("the unit.s result: exit-code")) | .name] | join(",")' "$report")
        if [ "$STATUS" != 0 ] && [ -n "$again" ]; then
                echo "    (the firewall unit failed to start on $again; testing it again)" >&2
                wait_fleet_start_room
                run_tether test -i "$INVENTORY" --yes --limit "$again" --report "$report.again"
        fi
        expect_eq "$STATUS" 0 "test's exit status: $OUT"
        expect_eq "$(jq --arg again ",$again," '[.hosts[] | select(.agent.test_result == "failed" or .agent.test_result == "refused") |
                select(.name as $name | $again | contains("," + $name + ",") | not)] | length' "$report")" 0 "hosts whose test failed"
        expect_eq "$(jq '[.hosts[] | select(.agent.test_result == "skipped")] | length' "$report")" \
                "$(($(hosts_with_role none | wc -l) + $(hosts_with_role ufw | wc -l)))" \
                "hosts with nothing to test (roles none and ufw) are skipped"

        run_tether revert -i "$INVENTORY" --report "$report"
        expect_eq "$STATUS" 0 "revert's exit status"
        for h in $(all_hosts); do
                expect_eq "$(host_verdict "$report" "$h")" "$(expected_verdict "$h" vulnerable)" "verdict of $h after revert"
        done
}

test_test_needs_yes() {
        run_tether test -i "$INVENTORY"
        expect_eq "$STATUS" 5 "test without --yes"
        expect_match "$(cat "$TOP/build/.tether-stderr")" "--yes" "the error"
}

test_bad_hosts_fail_alone_with_their_stage() {
        local dir report first address wrong_key
        dir=$(mktemp -d)
        report=$dir/report.json
        first=$(all_hosts | head -1)
        address=$(host_field "$first" 3)
        : >"$dir/empty_known_hosts"
        ssh-keygen -q -t ed25519 -N '' -f "$dir/wrong"
        echo "$address $(cut -d' ' -f1-2 "$dir/wrong.pub")" >"$dir/changed_known_hosts"
        inventory_with "$dir/inventory.json" \
                "{\"name\":\"closed-port\",\"address\":\"$address\",\"port\":2222}" \
                "{\"name\":\"unknown-key\",\"address\":\"$address\",\"known_hosts\":\"$dir/empty_known_hosts\"}" \
                "{\"name\":\"changed-key\",\"address\":\"$address\",\"known_hosts\":\"$dir/changed_known_hosts\"}" \
                "{\"name\":\"no-sudo\",\"address\":\"$address\",\"user\":\"guest\"}" \
                "{\"name\":\"ops-no-password\",\"address\":\"$address\",\"user\":\"ops\"}"
        run_tether audit -i "$dir/inventory.json" --report "$report" --connect-timeout 5
        expect_eq "$STATUS" 6 "exit status with failed and unreachable hosts"

        expect_eq "$(host_stage "$report" closed-port)" connect "closed-port's stage"
        expect_match "$(host_message "$report" closed-port)" "refused" "closed-port's message"
        expect_eq "$(host_verdict "$report" closed-port)" unreachable "closed-port's verdict"
        expect_eq "$(host_stage "$report" unknown-key)" hostkey "unknown-key's stage"
        expect_match "$(host_message "$report" unknown-key)" "SHA256:.*ssh-keyscan" "unknown-key's message"
        expect_eq "$(host_stage "$report" changed-key)" hostkey "changed-key's stage"
        expect_match "$(host_message "$report" changed-key)" "CHANGED" "changed-key's message"
        expect_eq "$(host_stage "$report" no-sudo)" sudo "no-sudo's stage"
        expect_eq "$(host_stage "$report" ops-no-password)" sudo "ops-no-password's stage"
        expect_match "$(host_message "$report" ops-no-password)" "needs a password" "ops-no-password's message"
        for h in $(all_hosts); do
                expect_eq "$(host_verdict "$report" "$h")" "$(expected_verdict "$h" vulnerable)" "$h beside the bad hosts"
        done
        [ ! -s "$dir/empty_known_hosts" ] || fail "an unknown key was recorded without --accept-new-host-keys"
        rm -rf "$dir"
}

test_sudo_with_a_password() {
        local dir report h
        dir=$(mktemp -d)
        report=$dir/report.json
        jq '.defaults.user = "ops"' "$INVENTORY" >"$dir/inventory.json"
        run_tether audit -i "$dir/inventory.json" --report "$report" --sudo-password-file "$FLEET_DIR/ops-password"
        expect_eq "$STATUS" 0 "ops with its password: $OUT"
        for h in $(all_hosts); do
                expect_eq "$(host_verdict "$report" "$h")" "$(expected_verdict "$h" vulnerable)" "verdict of $h as ops"
        done
        if grep -rqF "$(cat "$FLEET_DIR/ops-password")" "$report" "$TOP/build/.tether-stderr" <<<"$OUT"; then
                fail "the sudo password appears in the report or the output"
        fi
        echo "not-the-password" >"$dir/wrong"
        run_tether audit -i "$dir/inventory.json" --report "$report" --sudo-password-file "$dir/wrong" \
                --limit "$(all_hosts | head -1)"
        expect_eq "$STATUS" 2 "a wrong sudo password"
        expect_eq "$(host_stage "$report" "$(all_hosts | head -1)")" sudo "the wrong password's stage"
        expect_match "$(host_message "$report" "$(all_hosts | head -1)")" "refused the password" "its message"
        rm -rf "$dir"
}

test_a_replaced_cached_agent_is_deployed_again_never_run() {
        local h report=$TOP/build/it-replaced.json sha
        h=$(all_hosts | head -1)
        run_tether audit -i "$INVENTORY" --limit "$h" --report "$report"
        sha=$(sha256sum <"$TETHER_AGENT" | cut -d' ' -f1)
        on "$h" "rm -f /tmp/replaced-agent-ran; printf '#!/bin/sh\\ntouch /tmp/replaced-agent-ran\\n' >/home/deploy/.cache/tether/tether-agent-$sha"
        run_tether audit -i "$INVENTORY" --limit "$h" --report "$report"
        expect_eq "$STATUS" 0 "audit over a replaced agent"
        expect_eq "$(jq -r '.hosts[0].uploaded' "$report")" true "the agent was deployed again"
        if on "$h" 'test -e /tmp/replaced-agent-ran'; then
                fail "the replaced agent was run"
        fi
        expect_eq "$(on "$h" "sha256sum </home/deploy/.cache/tether/tether-agent-$sha | cut -d' ' -f1")" "$sha" \
                "the cached agent's digest"
        run_tether audit -i "$INVENTORY" --limit "$h" --report "$report"
        expect_eq "$(jq -r '.hosts[0].uploaded' "$report")" false "the cached agent is used as it is"
}

test_limit_and_parallel_one() {
        local report=$TOP/build/it-limit.json
        run_tether audit -i "$INVENTORY" --limit 'tag:nftables' -j 1 --report "$report"
        expect_eq "$STATUS" 0 "audit --limit tag:nftables -j 1"
        expect_eq "$(jq -r '[.hosts[].name] | sort | join(" ")' "$report")" "$(hosts_with_role nftables | sort | xargs)" \
                "hosts selected by tag"
        run_tether audit -i "$INVENTORY" --limit 'n*,!none-*' --report "$report"
        expect_eq "$(jq -r '[.hosts[].name] | sort | join(" ")' "$report")" \
                "$(all_hosts | grep '^n' | grep -v '^none-' | sort | xargs)" "hosts selected by glob and exclusion"
        run_tether audit -i "$INVENTORY" --limit 'nosuchhost'
        expect_eq "$STATUS" 5 "a --limit that selects nothing"
}

test_sigint_leaves_a_valid_report() {
        local report=$TOP/build/it-sigint.json pid status=0
        rm -f "$report"
        "$TETHER" audit -i "$INVENTORY" -j 1 --report "$report" >/dev/null 2>&1 &
        pid=$!
        sleep 0.7
        kill -INT "$pid"
        wait "$pid" || status=$?
        expect_eq "$status" 130 "exit status after Ctrl-C"
        expect_eq "$(jq -r .interrupted "$report")" true "the report says it was interrupted"
        expect_eq "$(jq '.hosts | length' "$report")" "$(all_hosts | wc -l)" "every host is in the report"
        [ "$(jq '[.hosts[] | select(.verdict == "skipped")] | length' "$report")" -gt 0 ] ||
                fail "no host was left out by the interruption"
}

test_accept_new_host_keys() {
        local dir
        dir=$(mktemp -d)
        : >"$dir/known_hosts"
        run_tether audit -i "$INVENTORY" --known-hosts "$dir/known_hosts" --accept-new-host-keys
        expect_eq "$STATUS" 0 "audit recording new keys"
        expect_eq "$(wc -l <"$dir/known_hosts")" "$(all_hosts | wc -l)" "keys recorded"
        run_tether audit -i "$INVENTORY" --known-hosts "$dir/known_hosts"
        expect_eq "$STATUS" 0 "audit with the recorded keys"
        rm -rf "$dir"
}

test_a_host_that_cannot_run_the_agent_or_answers_garbage() {
        local dir report h
        dir=$(mktemp -d)
        report=$dir/report.json
        h=$(all_hosts | head -1)
        head -c 4096 /dev/urandom >"$dir/not-an-agent"
        run_tether audit -i "$INVENTORY" --limit "$h" --agent "$dir/not-an-agent" --report "$report"
        expect_eq "$STATUS" 2 "exit status with an agent the host cannot run"
        expect_eq "$(host_stage "$report" "$h")" agent "stage"
        expect_match "$(host_message "$report" "$h")" "agent-incompatible" "message"
        printf '#!/bin/sh\necho "hello, I am not an agent"\n' >"$dir/garbage-agent"
        run_tether audit -i "$INVENTORY" --limit "$h" --agent "$dir/garbage-agent" --report "$report"
        expect_eq "$(host_stage "$report" "$h")" parse "stage of a garbage answer"
        expect_match "$(host_message "$report" "$h")" "not JSON" "message"
        rm -rf "$dir"
}

test_a_silent_host_times_out_alone() {
        local h report=$TOP/build/it-silent.json
        h=$(all_hosts | head -1)
        from_outside "$h" iptables -w -I INPUT -p tcp --dport 22 -j DROP
        defer_local "from_outside $h iptables -w -D INPUT -p tcp --dport 22 -j DROP"
        run_tether audit -i "$INVENTORY" --connect-timeout 2 --report "$report"
        expect_eq "$STATUS" 4 "exit status with a silent host"
        expect_eq "$(host_stage "$report" "$h")" connect "stage of the silent host"
        expect_match "$(host_message "$report" "$h")" "no answer in time|imeout" "its message"
        [ "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .timings_ms.total' "$report")" -lt 10000 ] ||
                fail "the silent host took longer than its connect timeout"
        expect_eq "$(jq '[.hosts[] | select(.verdict == "unreachable")] | length' "$report")" 1 "unreachable hosts"
}

test_ssh_config_is_honoured() {
        local dir report h
        dir=$(mktemp -d)
        report=$dir/report.json
        # Names only in the inventory; the SSH configuration says where and how to log in.
        jq '{hosts: [.hosts[] | {name}]}' "$INVENTORY" >"$dir/inventory.json"
        for h in $(all_hosts); do
                printf 'Host %s\n  HostName %s\n  User deploy\n  Port 22\n  IdentityFile %s\n  UserKnownHostsFile %s\n' \
                        "$h" "$(host_field "$h" 3)" "$FLEET_DIR/id_ed25519" "$FLEET_DIR/known_hosts" \
                        >>"$dir/ssh_config"
        done
        SSH_AUTH_SOCK= run_tether audit -i "$dir/inventory.json" --ssh-config "$dir/ssh_config" --report "$report"
        expect_eq "$STATUS" 0 "audit through an SSH configuration: $OUT"
        for h in $(all_hosts); do
                expect_eq "$(host_verdict "$report" "$h")" "$(expected_verdict "$h" vulnerable)" "verdict of $h"
        done
        rm -rf "$dir"
}
