# Agentless mode: `tether audit --mode agentless` gathers every host's facts
# with plain commands (no agent uploaded or run) and judges them with the
# agent's judge; on a host of every role, untied and then tied by
# `tether apply --watch` (one flush healed), it gives the verdict, the
# reasons and the watch object the agent gives. Nothing is left on the hosts.
# apply and revert without the agent plan, write and verify what the agent
# does, under both policies, and leave a host they cannot write as it was.

# One host of each role (of each role and release, on a mixed fleet): the
# hosts of a role boot alike, and every command here runs on all of them
# several times over (on every host of a 35-host fleet this file took 11
# minutes; the comparisons need every role, not every host).
INVENTORY=$IT_DIR/it-agentless-inventory.json
one_host_a_role "$INVENTORY"

# The hosts of that inventory.
tested_hosts() {
        jq -r '.hosts[].name' "$INVENTORY"
}

# compare_modes PHASE: both audits of every host, host by host.
compare_modes() {
        local agent=$IT_DIR/it-agentless-agent-$1.json agentless=$IT_DIR/it-agentless-$1.json
        local h mismatches=()
        local row='.hosts[] | select(.name == $n) | {verdict, reasons: .agent.reasons, watch: .agent.watch,
                docker: (.agent.docker | {version, running_containers})}'

        run_tether audit -i "$INVENTORY" --mode agent --report "$agent"
        [ -s "$agent" ] || fail "the agent's audit wrote no report (status $STATUS): $(cat "$IT_DIR/.tether-stderr")"
        run_tether audit -i "$INVENTORY" --mode agentless --report "$agentless"
        [ -s "$agentless" ] || fail "the agentless audit wrote no report (status $STATUS): $(cat "$IT_DIR/.tether-stderr")"
        for h in $(tested_hosts); do
                local a b
                a=$(jq -c --arg n "$h" "$row" "$agent")
                b=$(jq -c --arg n "$h" "$row" "$agentless")
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
        for h in $(tested_hosts); do
                before[$h]=$(leftovers_listing "$h")
        done
        compare_modes tied
        # The agentless audit left nothing behind (the agent's audit before
        # it ran in the same places, so what is there now is the agent's).
        run_tether audit -i "$INVENTORY" --mode agentless --report "$IT_DIR/it-agentless-again.json"
        for h in $(tested_hosts); do
                expect_eq "$(leftovers_listing "$h")" "${before[$h]}" "what /tmp, /var/tmp, /run and /root hold on $h"
        done
}

# The drop-in of every host, as a digest ("none" without one).
dropin_digests() {
        local h
        for h in $(tested_hosts); do
                printf '%s %s\n' "$h" "$(on "$h" 'f=/etc/systemd/system/docker.service.d/50-tether-firewall.conf; if [ -f $f ]; then sha256sum <$f | cut -c1-16; fi')"
        done
}

# What a report says of each host: verdict, reasons, and the files changed.
report_rows() {
        jq -c '.hosts | sort_by(.name)[] | {name, verdict, reasons: .agent.reasons, changed: .agent.changed,
                changes: [.agent.changes[]? | {path, action, diff}], error: .agent.error.message}' "$1"
}

test_agentless_apply_and_revert_do_what_the_agent_does_on_every_role() {
        local dir=$IT_DIR/it-agentless-change
        mkdir -p "$dir"
        defer_local "'$TETHER' revert -i '$INVENTORY' --mode agent"
        run_tether revert -i "$INVENTORY" --mode agent
        expect_eq "$STATUS" 0 "tether revert (agent) before the test: $(cat "$IT_DIR/.tether-stderr")"

        # --check: the same plan, file for file and line for line.
        run_tether apply -i "$INVENTORY" --mode agent --check --report "$dir/agent-check.json"
        run_tether apply -i "$INVENTORY" --mode agentless --check --report "$dir/agentless-check.json"
        expect_eq "$STATUS" 0 "tether apply --mode agentless --check: $(cat "$IT_DIR/.tether-stderr")"
        diff <(report_rows "$dir/agent-check.json") <(report_rows "$dir/agentless-check.json") >&2 ||
                fail "apply --check differs between the agent and agentless mode (above)"
        expect_eq "$(dropin_digests | awk '$2 != "" { n++ } END { print n + 0 }')" 0 "drop-ins after --check"

        # The change itself, then the agent's audit of what it left.
        run_tether apply -i "$INVENTORY" --mode agentless --report "$dir/agentless-apply.json"
        expect_eq "$STATUS" 0 "tether apply --mode agentless: $(cat "$IT_DIR/.tether-stderr")"
        [ "$(jq '[.hosts[] | select(.agent.mode != "agentless")] | length' "$dir/agentless-apply.json")" = 0 ] ||
                fail "a host of the agentless apply did not run agentless"
        local agentless_digests
        agentless_digests=$(dropin_digests)
        run_tether audit -i "$INVENTORY" --mode agent --report "$dir/agent-after-agentless.json"
        diff <(jq -c '.hosts | sort_by(.name)[] | {name, verdict, reasons: .agent.reasons}' "$dir/agentless-apply.json") \
                <(jq -c '.hosts | sort_by(.name)[] | {name, verdict, reasons: .agent.reasons}' "$dir/agent-after-agentless.json") >&2 ||
                fail "the agentless apply's verdicts are not the agent's audit of the same hosts (above)"
        echo "    after agentless apply: $(jq -r '[.hosts[].verdict] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$dir/agentless-apply.json")" >&2

        # A second run changes nothing.
        run_tether apply -i "$INVENTORY" --mode agentless --report "$dir/agentless-again.json"
        expect_eq "$(jq '[.hosts[] | select(.agent.changed)] | length' "$dir/agentless-again.json")" 0 \
                "hosts changed by a second agentless apply"

        # revert without the agent, then the agent's apply writes the same files.
        run_tether revert -i "$INVENTORY" --mode agentless --report "$dir/agentless-revert.json"
        expect_eq "$STATUS" 0 "tether revert --mode agentless: $(cat "$IT_DIR/.tether-stderr")"
        expect_eq "$(dropin_digests | awk '$2 != "" { n++ } END { print n + 0 }')" 0 "drop-ins after the agentless revert"
        expect_eq "$(on "$(role_host iptables)" 'systemctl show -p DropInPaths --value docker.service')" "" \
                "what systemd has loaded for docker.service after the agentless revert"
        run_tether apply -i "$INVENTORY" --mode agent
        expect_eq "$(dropin_digests)" "$agentless_digests" "the agent's drop-ins against the agentless ones"

        # The follow policy: hooks on the firewall units, and revert takes them.
        run_tether apply -i "$INVENTORY" --mode agentless --policy follow --report "$dir/agentless-follow.json"
        expect_eq "$STATUS" 0 "tether apply --mode agentless --policy follow: $(cat "$IT_DIR/.tether-stderr")"
        run_tether audit -i "$INVENTORY" --mode agent --report "$dir/agent-after-follow.json"
        diff <(jq -c '.hosts | sort_by(.name)[] | {name, verdict, reasons: .agent.reasons}' "$dir/agentless-follow.json") \
                <(jq -c '.hosts | sort_by(.name)[] | {name, verdict, reasons: .agent.reasons}' "$dir/agent-after-follow.json") >&2 ||
                fail "the agentless follow apply's verdicts are not the agent's audit (above)"
        expect_eq "$(on "$(role_host iptables)" 'ls /etc/systemd/system/*.d/50-tether-restart-docker.conf')" \
                /etc/systemd/system/iptables.service.d/50-tether-restart-docker.conf "the follow hook on the iptables host"
        run_tether revert -i "$INVENTORY" --mode agentless
        expect_eq "$(on "$(role_host iptables)" 'ls /etc/systemd/system/*.d/50-tether-restart-docker.conf 2>/dev/null | wc -l')" 0 \
                "follow hooks left after the agentless revert"
}

# A host whose drop-in directory cannot be written: the change fails, the
# host is left as it was, and the others are changed.
test_an_agentless_apply_that_cannot_write_changes_nothing() {
        local host dir=$IT_DIR/it-agentless-change
        host=$(role_host iptables)
        mkdir -p "$dir"
        defer_local "'$TETHER' revert -i '$INVENTORY' --mode agent"
        defer "$host" 'umount /etc/systemd/system/docker.service.d 2>/dev/null; rmdir /etc/systemd/system/docker.service.d 2>/dev/null; true'
        run_tether revert -i "$INVENTORY" --mode agent
        on "$host" 'mkdir -p /etc/systemd/system/docker.service.d && mount -t tmpfs -o ro tmpfs /etc/systemd/system/docker.service.d'
        run_tether apply -i "$INVENTORY" --mode agentless --report "$dir/agentless-ro.json"
        expect_eq "$STATUS" 2 "tether apply --mode agentless with one host read-only (2: hosts failed)"
        local message
        message=$(jq -r --arg n "$host" '.hosts[] | select(.name == $n) | .agent.error.message' "$dir/agentless-ro.json")
        case "$message" in
        *"cannot make a temp file beside /etc/systemd/system/docker.service.d/50-tether-firewall.conf; every file was put back as it was") ;;
        *) fail "the read-only host's message: $message" ;;
        esac
        expect_eq "$(on "$host" 'systemctl show -p DropInPaths --value docker.service')" "" \
                "what systemd has loaded for docker.service on the read-only host"
        expect_eq "$(on "$host" 'ls -A /run | grep -c tether-change || true')" 0 "copies left in /run"
        expect_eq "$(jq --arg n "$host" '[.hosts[] | select(.name != $n and .agent.error)] | length' "$dir/agentless-ro.json")" 0 \
                "other hosts that failed"
}

# A drop-in of the same name in /etc/systemd/system.control shadows
# tether's: systemd loads the empty one, the check after the reload fails,
# and the host is put back as it was, with the agent's words for it.
test_an_agentless_apply_that_systemd_does_not_take_is_put_back() {
        local host dir=$IT_DIR/it-agentless-change shadow=/etc/systemd/system.control/docker.service.d
        host=$(role_host nftables)
        mkdir -p "$dir"
        defer_local "'$TETHER' revert -i '$INVENTORY' --mode agent"
        defer "$host" "rm -rf $shadow && systemctl daemon-reload"
        run_tether revert -i "$INVENTORY" --mode agent
        on "$host" "mkdir -p $shadow && echo '# shadows tether' >$shadow/50-tether-firewall.conf && systemctl daemon-reload"
        run_tether apply -i "$INVENTORY" --mode agentless --limit "$host" --report "$dir/agentless-shadowed.json"
        expect_eq "$STATUS" 2 "tether apply --mode agentless on a host that shadows the drop-in"
        run_tether apply -i "$INVENTORY" --mode agent --limit "$host" --report "$dir/agent-shadowed.json"
        local agentless agent
        agentless=$(jq -r '.hosts[0].agent.error.message' "$dir/agentless-shadowed.json")
        agent=$(jq -r '.hosts[0].agent.error.message' "$dir/agent-shadowed.json")
        expect_eq "$agentless" "$agent" "the agentless message against the agent's"
        expect_eq "$agentless" "systemd did not take After=nftables.service for docker.service; every file was put back as it was" \
                "the message"
        expect_eq "$(on "$host" 'ls /etc/systemd/system/docker.service.d/ 2>/dev/null | wc -l; ls -d /run/tether-change.* 2>/dev/null | wc -l')" \
                "$(printf '0\n0')" "files left in docker.service.d and copies in /run"
        expect_eq "$(on "$host" 'systemctl show -p NeedDaemonReload --value docker.service')" no \
                "whether systemd has what is on disk loaded"
}
