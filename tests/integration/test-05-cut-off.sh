# Runs that are slow or cut off after login, on the real fleet: a fleet
# just booted and applied all at once, with some hosts slow to answer after
# login, reports every host as it is (none unreachable); and an agent whose
# connection is killed after it changed its host is reported changed, read
# back on a second connection, or, when it was killed too, as a host that
# may have changed. This file runs first, while the fleet is fresh.

INVENTORY=$FLEET_DIR/inventory.json
DROPIN=/etc/systemd/system/docker.service.d/50-tether-firewall.conf

host_json() {
        jq -c --arg n "$2" '.hosts[] | select(.name == $n)' "$1"
}

# dropin_on HOST: "present loaded", "absent unloaded", ...: tether's drop-in
# on the host, and whether systemd has it loaded.
dropin_on() {
        on "$1" "[ -e $DROPIN ] && echo -n 'present ' || echo -n 'absent '
                 systemctl show -P DropInPaths docker.service | grep -q 50-tether-firewall.conf && echo loaded || echo unloaded"
}

# slow_logins HOST: sshd's PAM session takes 5 s on the host, as logind's
# does on a busy host: tether has logged in, and the channel open waits.
slow_logins() {
        on "$1" "echo 'session optional pam_exec.so quiet /bin/sleep 5' >>/etc/pam.d/sshd"
        defer "$1" "sed -i '/pam_exec.so quiet .bin.sleep 5/d' /etc/pam.d/sshd"
}

test_a_freshly_booted_fleet_applied_at_once_is_reported_as_it_is() {
        local report=$IT_DIR/it-settling.json n h slowed expected_verdict expected_changed total
        n=$(all_hosts | wc -l)
        defer_local "'$TETHER' revert -i '$INVENTORY' -q"
        slowed=$(all_hosts | head -3)
        for h in $slowed; do
                slow_logins "$h"
        done
        # Every host at once, while the fleet settles; a reply after login
        # slower than --connect-timeout is still only slow.
        run_tether apply -i "$INVENTORY" -j "$n" --connect-timeout 3 --report "$report"
        expect_eq "$STATUS" 0 "apply's exit status: $(jq -c '[.hosts[] | select(.error) | {name, error}]' "$report") $OUT"
        expect_eq "$(jq '.hosts | length' "$report")" "$n" "hosts in the report"
        expect_eq "$(jq '[.hosts[] | select(.verdict == "unreachable")] | length' "$report")" 0 "unreachable hosts"
        expect_eq "$(jq '.summary.may_have_changed' "$report")" 0 "hosts that may have changed"
        for h in $slowed; do
                total=$(host_json "$report" "$h" | jq .timings_ms.total)
                [ "$total" -ge 5000 ] || fail "$h answered after login in ${total} ms: its logins are not slow"
        done
        for h in $(all_hosts); do
                expected_verdict=$(bind_verdict "$(host_field "$h" 2)") expected_changed=true
                if ! role_flushes "$(host_field "$h" 2)"; then
                        expected_changed=false
                fi
                expect_eq "$(host_json "$report" "$h" | jq -r .verdict)" "$expected_verdict" "verdict of $h"
                expect_eq "$(host_json "$report" "$h" | jq -r .changed)" "$expected_changed" "changed of $h"
                expect_eq "$(host_json "$report" "$h" | jq -c .error)" null "error of $h"
                if [ "$expected_changed" = true ]; then
                        expect_eq "$(dropin_on "$h")" "present loaded" "$h's drop-in"
                else
                        expect_eq "$(dropin_on "$h")" "absent unloaded" "$h's drop-in"
                fi
        done
}

# hold_agent HOST: the host's next recorded agent run waits after its verb,
# before it records its result, until release_agent (agent/run-record.h).
hold_agent() {
        on "$1" "mkdir -p -m 0700 /run/tether && rm -f /run/tether/test-held && touch /run/tether/test-hold"
        defer "$1" "rm -f /run/tether/test-hold /run/tether/test-held"
}

release_agent() {
        on "$1" "rm -f /run/tether/test-hold"
}

# held_agent HOST: the pid of the agent that waits there, once one does.
held_agent() {
        local _
        for _ in $(seq 1 200); do
                if on "$1" "cat /run/tether/test-held 2>/dev/null"; then
                        return 0
                fi
                sleep 0.3
        done
        fail "no agent got to its hold on $1"
}

# cut_connection HOST AGENT_PID: kills the sshd session processes the agent
# runs under, as a connection that breaks does; the agent goes on.
cut_connection() {
        on "$1" "p=$2 sessions=
                 while p=\$(ps -o ppid= -p \$p | tr -d ' ') && [ \"\$p\" -gt 1 ]; do
                         case \"\$(ps -o args= -p \$p)\" in 'sshd: '*@notty | 'sshd: '*'[priv]') sessions=\"\$sessions \$p\" ;; esac
                 done
                 [ -n \"\$sessions\" ] && { kill -9 \$sessions 2>/dev/null; true; }" ||
                fail "no sshd session process above the agent $2 on $1: $(on "$1" 'ps -eo pid,ppid,args')"
}

# apply_in_background HOST REPORT: tether apply on HOST alone; its stdout in
# REPORT.out, its exit status in REPORT.status once done. The subshell
# inherits errexit, and must neither stop at tether's status nor run the
# test's deferred commands.
apply_in_background() {
        rm -f "$2.status"
        (
                trap - EXIT
                status=0
                "$TETHER" apply -i "$INVENTORY" --limit "$1" --report "$2" >"$2.out" 2>&1 || status=$?
                echo "$status" >"$2.status"
        ) &
        BACKGROUND=$!
}

test_an_agent_cut_off_after_it_changed_the_host_is_read_back() {
        local report=$IT_DIR/it-cut-off.json h agent
        h=$(hosts_with_role nftables | head -1)
        defer_local "'$TETHER' revert -i '$INVENTORY' --limit '$h' -q"
        expect_eq "$(dropin_on "$h")" "absent unloaded" "$h's drop-in before"
        hold_agent "$h"
        apply_in_background "$h" "$report"
        agent=$(held_agent "$h")
        expect_eq "$(dropin_on "$h")" "present loaded" "$h's drop-in, written before the cut"
        cut_connection "$h" "$agent"
        sleep 1
        release_agent "$h"
        wait "$BACKGROUND"

        expect_eq "$(cat "$report.status")" 0 "apply's exit status: $(cat "$report.out")"
        expect_eq "$(host_json "$report" "$h" | jq -r .verdict)" "$(bind_verdict nftables)" "verdict"
        expect_eq "$(host_json "$report" "$h" | jq -r .changed)" true "changed, as read back"
        expect_eq "$(host_json "$report" "$h" | jq -c .error)" null "error"
        expect_eq "$(host_json "$report" "$h" | jq -c '.cut_off | {step, agent, may_have_changed}')" \
                '{"step":"read","agent":"finished","may_have_changed":false}' "cut_off"
        expect_match "$(cat "$report.out")" "$h +$(bind_verdict nftables), changed \\(read back\\)" "the host's line"
}

test_an_agent_killed_after_it_changed_the_host_may_have_changed() {
        local report=$IT_DIR/it-killed.json h agent
        h=$(hosts_with_role nftables | head -1)
        defer_local "'$TETHER' revert -i '$INVENTORY' --limit '$h' -q"
        hold_agent "$h"
        apply_in_background "$h" "$report"
        agent=$(held_agent "$h")
        cut_connection "$h" "$agent"
        on "$h" "kill -9 $agent" || fail "the held agent $agent was gone before it was killed: $(on "$h" 'ps -eo pid,ppid,args')"
        release_agent "$h"
        wait "$BACKGROUND"

        expect_eq "$(cat "$report.status")" 2 "apply's exit status: $(cat "$report.out")"
        expect_eq "$(host_json "$report" "$h" | jq -r .error.stage)" connection-lost "stage"
        expect_match "$(host_json "$report" "$h" | jq -r .error.message)" \
                "the connection broke while the agent ran.*ended without finishing.*it may have changed the host" \
                "message"
        expect_eq "$(host_json "$report" "$h" | jq -c '.cut_off | {agent, may_have_changed}')" \
                '{"agent":"unknown","may_have_changed":true}' "cut_off"
        expect_eq "$(jq .summary.may_have_changed "$report")" 1 "hosts that may have changed"
        [ "$(host_json "$report" "$h" | jq -r .verdict)" != unreachable ] || fail "reported unreachable"
        # It had changed the host: "may have" is the truth.
        expect_eq "$(dropin_on "$h")" "present loaded" "$h's drop-in"
}
