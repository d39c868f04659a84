# Hosts that cannot take tether's fix get a verdict that says so, the same
# in both modes, and apply changes nothing there with words that name the
# fix: /etc/systemd/system read-only, a dockerd outside docker.service,
# and no systemd at all (PID 1 something else).

INVENTORY=$FLEET_DIR/inventory.json

# row MODE HOST: the host's verdict, reasons and error, in that mode's audit.
audit_row() {
        run_tether audit -i "$INVENTORY" --mode "$1" --limit "$2" --report "$IT_DIR/it-cannot-fix-$1.json"
        jq -c '.hosts[0] | {verdict, reasons: .agent.reasons, error: .agent.error}' "$IT_DIR/it-cannot-fix-$1.json"
}

test_a_read_only_unit_directory_is_said_and_left_alone() {
        local host mode report row
        host=$(role_host nftables)
        defer_local "'$TETHER' revert -i '$INVENTORY' --mode agent"
        run_tether revert -i "$INVENTORY" --mode agent --limit "$host"
        defer "$host" 'umount /etc/systemd/system 2>/dev/null; true'
        on "$host" 'mount --bind /etc/systemd/system /etc/systemd/system && mount -o remount,bind,ro /etc/systemd/system'
        row=$(audit_row agent "$host")
        expect_eq "$(audit_row agentless "$host")" "$row" "the agentless audit against the agent's"
        expect_match "$row" '"verdict":"vulnerable"' "the verdict"
        expect_match "$row" "/etc/systemd/system cannot be written here \\(a read-only file system\\)" "the reasons"
        for mode in agent agentless; do
                report=$IT_DIR/it-cannot-fix-apply-$mode.json
                run_tether apply -i "$INVENTORY" --mode "$mode" --limit "$host" --report "$report"
                expect_eq "$STATUS" 2 "tether apply --mode $mode on a read-only host"
                expect_eq "$(jq -r '.hosts[0].agent.error.kind' "$report")" read-only "the error's kind ($mode)"
                expect_match "$(jq -r '.hosts[0].agent.error.message' "$report")" "; nothing was changed$" \
                        "the error's message ($mode)"
        done
        expect_eq "$(on "$host" 'ls /etc/systemd/system/docker.service.d 2>/dev/null | wc -l')" 0 "drop-ins written"
}

test_a_dockerd_outside_docker_service_is_named() {
        local host row pid
        host=$(role_host iptables)
        defer "$host" 'pkill -x dockerd; for i in $(seq 50); do pgrep -x dockerd >/dev/null || break; sleep 0.2; done;
                systemctl enable --now docker.socket docker.service'
        on "$host" 'systemctl disable --now docker.service docker.socket'
        # Ready once it listens (Debian 13 has no docker command to ask it).
        on "$host" 'setsid -f dockerd >/dev/null 2>&1 </dev/null; for i in $(seq 100); do [ -S /run/docker.sock ] && exit 0; sleep 0.2; done; exit 1' ||
                fail "dockerd did not start by hand on $host"
        pid=$(on "$host" 'pgrep -x dockerd')
        row=$(audit_row agent "$host")
        expect_eq "$(audit_row agentless "$host")" "$row" "the agentless audit against the agent's"
        expect_match "$row" '"verdict":"not-applicable"' "the verdict"
        expect_match "$row" "dockerd runs here \\(pid $pid\\), but not as docker.service" "the reasons"
}

# A process tree without systemd on a fleet host: its own PID and mount
# namespaces, PID 1 a shell, /run/systemd hidden. The agent judges the
# host from there (the agentless answer of the same is a unit-test fixture).
test_a_host_without_systemd_gets_a_verdict() {
        local host document status
        host=$(role_host nftables)
        push_agent "$host"
        status=0
        document=$(on "$host" 'unshare --mount --pid --fork --mount-proc sh -c "mount -t tmpfs tmpfs /run/systemd && tether-agent audit"') ||
                status=$?
        expect_eq "$status" 0 "the agent's exit status without systemd"
        expect_eq "$(jq -r .verdict <<<"$document")" not-applicable "the verdict"
        expect_eq "$(jq -r .host.init_system <<<"$document")" sh "PID 1"
        expect_match "$(jq -r '.reasons[0]' <<<"$document")" "^this host does not run systemd \\(PID 1 is sh\\)" "the reason"
        status=0
        document=$(on "$host" 'unshare --mount --pid --fork --mount-proc sh -c "mount -t tmpfs tmpfs /run/systemd && tether-agent apply"') ||
                status=$?
        expect_eq "$status" 0 "the agent's apply without systemd"
        expect_eq "$(jq -c '{changed, changes}' <<<"$document")" '{"changed":false,"changes":[]}' "what apply changed"
}
