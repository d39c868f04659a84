# tether-agent on real hosts of every role: audit, apply (--check), test,
# revert, the drop-in's states, broken hosts, the lock. Each test leaves its
# host as it found it (reverted, rules present).

# host_of ROLE [N]: the N-th host of the role (default 2). The fleet's own
# tests use the first; tests that restart docker get hosts of their own, so
# docker's start limit (3 starts in 60 s) is not spent by the test before.
host_of() {
        local h
        h=$(role_host "$1" "${2:-2}") || return
        push_agent "$h"
        echo "$h"
}

# Every agent test ends with the host as the fleet made it: tether's files
# and any hand-made drop-in gone, systemd reloaded, docker with its rules.
# A firewall is started again only if enabled: is-enabled --quiet succeeds
# for Debian 11's iptables.service too, an alias that nothing enables.
restore_host() {
        defer "$1" 'rm -f /etc/systemd/system/docker.service.d/*.conf /etc/systemd/system/*.service.d/50-tether-*.conf; systemctl daemon-reload; for u in nftables iptables netfilter-persistent; do [ "$(systemctl is-enabled $u 2>/dev/null)" = enabled ] && systemctl start $u; done; systemctl is-active --quiet docker || systemctl start docker; iptables -t nat -C POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE 2>/dev/null || systemctl restart docker'
}

# The agent's test verb, waiting out docker's start limit when it refuses for that.
agent_test() {
        local host=$1 out retry
        shift
        wait_start_room "$host"
        out=$(agent "$host" test "$@")
        retry=$(jq -r '[.tests[]? | select(.result == "refused") | .retry_after_sec] | max // 0' <<<"$out")
        if [ "$retry" -gt 0 ]; then
                sleep "$retry"
                out=$(agent "$host" test "$@")
        fi
        # In these nested containers a oneshot unit now and then fails to start
        # with 219/CGROUP (systemd cannot reuse its cgroup yet): the firewall,
        # not the agent, failed. The test then runs once more.
        if jq -e '.tests[0].error // "" | test("the unit.s result: exit-code")' <<<"$out" >/dev/null; then
                echo "    (the firewall unit failed to start on $host; testing again)" >&2
                wait_start_room "$host"
                out=$(agent "$host" test "$@")
        fi
        echo "$out"
}

expect_verdict() {
        expect_eq "$(agent "$1" audit | jq -r .verdict)" "$2" "verdict of $1"
}

rules_count() {
        on "$1" 'iptables-save | grep -c -- "DOCKER\|docker0" || true'
}

test_audit_verdict_of_every_role() {
        local role h out
        for role in nftables iptables netfilter-persistent firewalld ufw ufw-builtins none; do
                h=$(host_of "$role")
                restore_host "$h"
                out=$(agent "$h" audit)
                expect_eq "$(agent_status)" 0 "audit's exit status on $h"
                expect_eq "$(jq -r .schema <<<"$out")" tether.host/1 "schema"
                expect_eq "$(jq -r .host.hostname <<<"$out")" "$h" "hostname"
                expect_eq "$(jq -r .docker.active_state <<<"$out")" active "docker on $h"
                expect_eq "$(jq -r .netfilter.missing <<<"$out")" 0 "missing rules on $h"
                if ! role_flushes "$role"; then
                        expect_eq "$(jq -r .verdict <<<"$out")" not-applicable "verdict of $h ($role)"
                else
                        expect_eq "$(jq -r .verdict <<<"$out")" vulnerable "verdict of $h ($role)"
                        expect_match "$(jq -r '.reasons | join(" ")' <<<"$out")" "$(role_unit "$role")" "reasons"
                        expect_eq "$(jq -r --arg u "$(role_unit "$role")" \
                                '.firewalls[] | select(.unit == $u) | .flushes_docker_rules' <<<"$out")" true \
                                "$(role_unit "$role") flushes"
                fi
        done
}

test_apply_check_changes_nothing() {
        local h out
        h=$(host_of nftables)
        restore_host "$h"
        out=$(agent "$h" apply --check)
        expect_eq "$(jq -r .changed <<<"$out")" true "apply --check says it would change"
        expect_match "$(jq -r '.changes[0].diff' <<<"$out")" '\+Requires=nftables.service' "the diff"
        if on "$h" 'test -e /etc/systemd/system/docker.service.d/50-tether-firewall.conf'; then
                fail "apply --check wrote the drop-in"
        fi
        expect_verdict "$h" vulnerable
}

# apply protects without restarting docker, is idempotent, the agent's test
# passes, a plain firewall restart now restarts docker, and revert undoes it.
fix_cycle() {
        local role=$1 h unit before out mtime
        h=$(host_of "$role")
        restore_host "$h"
        unit=$(role_unit "$role")
        before=$(docker_invocation "$h")

        out=$(agent "$h" apply --run-id "it-$role")
        expect_eq "$(agent_status)" 0 "apply's exit status"
        expect_eq "$(jq -r .changed <<<"$out")" true "apply changed"
        expect_eq "$(jq -r .verdict <<<"$out")" "$(bind_verdict "$role")" "verdict after apply"
        expect_eq "$(jq -r .dropin.state <<<"$out")" current "drop-in state"
        expect_eq "$(jq -r '.dropin.loaded.part_of | join(" ")' <<<"$out")" "$unit" "PartOf= loaded"
        expect_eq "$(docker_invocation "$h")" "$before" "docker's invocation after apply (not restarted)"
        expect_eq "$(on "$h" "journalctl -q -t tether-agent TETHER_RUN_ID=it-$role -o cat | grep -c wrote")" 1 \
                "journal records of the write"

        mtime=$(on "$h" 'stat -c %Y.%Z /etc/systemd/system/docker.service.d/50-tether-firewall.conf')
        out=$(agent "$h" apply)
        expect_eq "$(jq -r .changed <<<"$out")" false "a second apply"
        expect_eq "$(jq -r .reloaded <<<"$out")" false "a second apply reloads"
        expect_eq "$(on "$h" 'stat -c %Y.%Z /etc/systemd/system/docker.service.d/50-tether-firewall.conf')" "$mtime" \
                "the drop-in untouched by a second apply"

        out=$(agent_test "$h")
        expect_eq "$(jq -r .test_result <<<"$out")" passed "agent test on $h: $(jq -c .tests <<<"$out")"
        [ "$(jq -r '.tests[0].heal_ms' <<<"$out")" -gt 0 ] || fail "heal_ms missing"
        expect_eq "$(jq -r .netfilter.missing <<<"$out")" 0 "rules after the test"

        # Without the agent, on another host of the role (docker's start limit):
        # a plain restart of the firewall restarts docker once the fix is in.
        local other
        other=$(host_of "$role" 5)
        restore_host "$other"
        agent "$other" apply >/dev/null
        before=$(docker_invocation "$other")
        on "$other" "systemctl restart $unit" || {
                # The 219/CGROUP start failure of these containers (see agent_test).
                on "$other" "systemctl reset-failed $unit; systemctl start docker.service"
                wait_start_room "$other"
                before=$(docker_invocation "$other")
                on "$other" "systemctl restart $unit"
        }
        [ "$(docker_invocation "$other")" != "$before" ] || fail "restarting $unit did not restart docker"
        for _ in $(seq 50); do
                [ "$(agent "$other" audit | jq -r .netfilter.missing)" = 0 ] && break
                sleep 0.2
        done
        expect_verdict "$other" "$(bind_verdict "$role")"
        agent "$other" revert >/dev/null

        out=$(agent "$h" revert)
        expect_eq "$(jq -r .changed <<<"$out")" true "revert changed"
        expect_eq "$(jq -r .verdict <<<"$out")" vulnerable "verdict after revert"
        expect_eq "$(jq -r .dropin.state <<<"$out")" absent "drop-in after revert"
        expect_eq "$(agent "$h" revert | jq -r .changed)" false "a second revert"
}

test_fix_cycle_nftables() {
        fix_cycle nftables
}

test_fix_cycle_iptables() {
        fix_cycle iptables
}

test_fix_cycle_firewalld() {
        fix_cycle firewalld
}

test_fix_cycle_netfilter_persistent() {
        fix_cycle netfilter-persistent
}

test_none_role_has_nothing_to_do() {
        local h out
        h=$(host_of none)
        restore_host "$h"
        out=$(agent "$h" apply)
        expect_eq "$(jq -r .changed <<<"$out")" false "apply on a host without a firewall"
        out=$(agent "$h" test)
        expect_eq "$(agent_status)" 0 "test's exit status"
        expect_eq "$(jq -r .test_result <<<"$out")" skipped "test on a host without a firewall"
}

test_stop_start_with_bind_policy_fails_truthfully_and_restores_docker() {
        local h out
        h=$(host_of nftables 3)
        restore_host "$h"
        agent "$h" apply >/dev/null
        out=$(agent_test "$h" --scenario stop-start)
        expect_eq "$(agent_status)" 1 "exit status of a failed test"
        expect_eq "$(jq -r .test_result <<<"$out")" failed "stop-start under bind: $(jq -c .tests <<<"$out")"
        expect_match "$(jq -r '.tests[0].reason' <<<"$out")" "left stopped" "the reason"
        expect_eq "$(jq -r '.tests[0].repair.ok' <<<"$out")" true "the repair"
        expect_eq "$(on "$h" 'systemctl is-active docker.service')" active "docker after the repair"
        expect_eq "$(jq -r .netfilter.missing <<<"$out")" 0 "rules after the repair"
        agent "$h" revert >/dev/null
}

test_follow_policy_survives_stop_start() {
        local h out
        h=$(host_of iptables 3)
        restore_host "$h"
        out=$(agent "$h" apply --policy follow)
        expect_eq "$(jq -r .verdict <<<"$out")" protected "verdict under follow"
        expect_eq "$(jq -r .dropin.policy <<<"$out")" follow "policy"
        on "$h" 'test -e /etc/systemd/system/iptables.service.d/50-tether-restart-docker.conf' ||
                fail "the follow hook is missing"
        out=$(agent_test "$h" --scenario stop-start)
        expect_eq "$(jq -r .test_result <<<"$out")" passed "stop-start under follow: $(jq -c .tests <<<"$out")"
        agent "$h" revert >/dev/null
        if on "$h" 'test -e /etc/systemd/system/iptables.service.d/50-tether-restart-docker.conf'; then
                fail "revert left the follow hook"
        fi
        expect_verdict "$h" vulnerable
}

test_unprotected_host_fails_the_test_and_is_restored() {
        local h out
        h=$(host_of netfilter-persistent 3)
        restore_host "$h"
        out=$(agent_test "$h")
        expect_eq "$(jq -r .test_result <<<"$out")" failed "test without the fix"
        expect_match "$(jq -r '.tests[0].reason' <<<"$out")" "not restarted" "the reason"
        expect_eq "$(jq -r '.tests[0].repair.action' <<<"$out")" "restarted docker" "the repair"
        expect_eq "$(jq -r .verdict <<<"$out")" vulnerable "verdict after the repair (rules back)"
}

# SIGTERM and SIGHUP (a cut connection: sshd hangs up, sudo passes it on)
# while test waits for Docker's rules on a host without the fix: the agent
# goes on, puts the rules back, and reports; killed there, it would leave
# the firewall restarted and Docker's rules gone.
test_a_signal_during_a_test_is_held_until_the_host_is_restored() {
        local h out
        h=$(host_of netfilter-persistent 3)
        restore_host "$h"
        wait_start_room "$h"
        out=$(on "$h" 'tether-agent test >/run/signal-test.json 2>/dev/null & agent=$!
                       sleep 2
                       kill -TERM $agent && kill -HUP $agent && echo signalled
                       wait $agent
                       echo "status=$?"
                       cat /run/signal-test.json; rm -f /run/signal-test.json')
        expect_eq "$(sed -n 1p <<<"$out")" signalled "the agent ran when signalled"
        expect_eq "$(sed -n 2p <<<"$out")" status=1 "the agent's exit status (test failed, not killed)"
        out=$(sed -n '3,$p' <<<"$out")
        expect_eq "$(jq -r .test_result <<<"$out")" failed "test without the fix"
        expect_eq "$(jq -r '.tests[0].repair.action' <<<"$out")" "restarted docker" "the repair"
        expect_eq "$(agent "$h" audit | jq -r .verdict)" vulnerable "verdict after (rules back, not broken)"
}

test_hand_edited_dropin_is_drifted() {
        local h
        h=$(host_of iptables)
        restore_host "$h"
        agent "$h" apply >/dev/null
        on "$h" 'echo "# tuned by hand" >>/etc/systemd/system/docker.service.d/50-tether-firewall.conf'
        expect_eq "$(agent "$h" audit | jq -r .dropin.state)" drifted "a hand-edited drop-in"
        agent "$h" revert >/dev/null
        expect_eq "$(agent "$h" audit | jq -r .dropin.state)" absent "after revert"
}

test_rules_flushed_by_hand_make_broken_and_heal_restores() {
        local h out
        h=$(host_of nftables 4)
        restore_host "$h"
        wait_start_room "$h"
        on "$h" 'iptables -t nat -D POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" broken "verdict with a rule gone"
        expect_match "$(jq -r '.reasons | join(" ")' <<<"$out")" "MASQUERADE" "the reason names the rule"
        out=$(agent "$h" apply --heal)
        expect_eq "$(jq -r .healed <<<"$out")" true "apply --heal"
        expect_eq "$(jq -r .verdict <<<"$out")" "$(bind_verdict nftables)" "verdict after apply --heal"
        agent "$h" revert >/dev/null
}

test_the_seed_dropin_is_foreign_and_protects() {
        local h out seed=/etc/systemd/system/docker.service.d/restart-docker-if-firewall-breaks.conf
        h=$(host_of iptables)
        restore_host "$h"
        on "$h" "mkdir -p /etc/systemd/system/docker.service.d && printf '[Unit]\nAfter=iptables.service\nRequires=iptables.service\nPartOf=iptables.service\n' >$seed && systemctl daemon-reload"
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" "$(bind_verdict iptables)" "verdict with the seed's drop-in"
        expect_eq "$(jq -r '.dropin.foreign[0]' <<<"$out")" "$seed" "the foreign drop-in"
        expect_eq "$(agent "$h" apply | jq -r .changed)" false "apply over a foreign fix"
        agent "$h" revert >/dev/null
        on "$h" "test -e $seed" || fail "revert removed a drop-in that is not tether's"
        on "$h" "rm $seed && systemctl daemon-reload"
        expect_verdict "$h" vulnerable
}

test_a_dropin_not_loaded_is_not_a_fix() {
        local h out
        h=$(host_of nftables)
        restore_host "$h"
        on "$h" "mkdir -p /etc/systemd/system/docker.service.d && printf '[Unit]\nAfter=nftables.service\nRequires=nftables.service\nPartOf=nftables.service\n' >/etc/systemd/system/docker.service.d/by-hand.conf"
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" vulnerable "verdict with a drop-in systemd has not loaded"
        expect_match "$(jq -r '.reasons | join(" ")' <<<"$out")" "daemon-reload" "the reason"
        on "$h" "rm /etc/systemd/system/docker.service.d/by-hand.conf"
}

# An agent that finds the host's lock held waits for it up to 10 s (watch
# holds it for each look at the rules), then says busy.
test_two_agents_at_once_the_second_waits_then_is_busy() {
        local h out
        h=$(host_of none)
        restore_host "$h"
        out=$(on "$h" 'flock /run/tether-agent.lock sleep 3 >/dev/null 2>&1 & sleep 0.5; tether-agent audit >/dev/null; echo "status=$?"; wait')
        expect_eq "$out" "status=0" "exit status while another agent holds the lock for 3 s"
        out=$(on "$h" 'flock /run/tether-agent.lock sleep 15 >/dev/null 2>&1 & sleep 0.5; tether-agent audit; echo "status=$?"; wait')
        expect_match "$out" "status=3" "exit status while another agent holds the lock for 15 s"
        expect_eq "$(head -1 <<<"$out" | jq -r .error.kind)" busy "error kind"
}

test_unknown_firewall_is_refused() {
        local h out
        h=$(host_of nftables)
        restore_host "$h"
        out=$(agent "$h" apply --firewall shorewall)
        expect_eq "$(agent_status)" 6 "exit status"
        expect_eq "$(jq -r .error.kind <<<"$out")" unknown-firewall "error kind"
        expect_match "$(jq -r .error.message <<<"$out")" "not installed" "error message"
        if on "$h" 'test -e /etc/systemd/system/docker.service.d/50-tether-firewall.conf'; then
                fail "a drop-in was written for a unit that does not exist"
        fi
}

test_agent_needs_root() {
        local h out status=0
        h=$(host_of none)
        restore_host "$h"
        on "$h" 'install -m 0755 /usr/local/bin/tether-agent /tmp/tether-agent'
        out=$(on "$h" --user deploy '/tmp/tether-agent audit') || status=$?
        expect_eq "$status" 4 "exit status as a user"
        expect_eq "$(jq -r .error.kind <<<"$out")" not-root "error kind"
}

# rules_after_reload HOST UNIT: reloads UNIT, then counts Docker's rules
# (in iptables-save, not asked of tether).
rules_after_reload() {
        local h=$1 unit=$2
        on "$h" "systemctl reload $unit"
        sleep 1
        rules_count "$h"
}

# A reload is what an edit of the firewall's rules is applied with. The
# verdict must say what a real reload then does: under the bind policy a
# unit that can reload still cuts Docker off (reload-vulnerable), under the
# follow policy docker is restarted with its rules (protected).
reload_matches_verdict() {
        local role=$1 h unit before after out invocation
        h=$(host_of "$role" 5)
        restore_host "$h"
        unit=$(role_unit "$role")
        wait_start_room "$h"
        before=$(rules_count "$h")
        [ "$before" -gt 0 ] || fail "no Docker rules on $h to begin with"

        out=$(agent "$h" apply)
        expect_eq "$(jq -r .verdict <<<"$out")" "$(bind_verdict "$role")" "verdict under bind"
        if [ "$(bind_verdict "$role")" = protected ]; then
                # It has no reload: systemd refuses one, and nothing is flushed.
                if on "$h" "systemctl reload $unit" 2>/dev/null; then
                        fail "$unit reloaded, though the verdict counts on it having no reload"
                fi
                expect_eq "$(rules_count "$h")" "$before" "Docker's rules after the refused reload"
        else
                after=$(rules_after_reload "$h" "$unit")
                [ "$after" -lt "$before" ] ||
                        fail "the verdict says a reload of $unit cuts Docker off, but $after of $before rules remain"
                expect_verdict "$h" broken
                on "$h" 'systemctl restart docker.service'
        fi

        wait_start_room "$h"
        out=$(agent "$h" apply --policy follow)
        expect_eq "$(jq -r .verdict <<<"$out")" protected "verdict under follow"
        if [ "$(bind_verdict "$role")" != protected ]; then
                invocation=$(docker_invocation "$h")
                on "$h" "systemctl reload $unit"
                for _ in $(seq 100); do
                        [ "$(rules_count "$h")" = "$before" ] && break
                        sleep 0.2
                done
                expect_eq "$(rules_count "$h")" "$before" "Docker's rules after a reload under follow"
                [ "$(docker_invocation "$h")" != "$invocation" ] || fail "the reload did not restart docker"
                expect_verdict "$h" protected
        fi
        agent "$h" revert >/dev/null
}

test_reload_matches_the_verdict_nftables() {
        reload_matches_verdict nftables
}

test_reload_matches_the_verdict_iptables() {
        reload_matches_verdict iptables
}

test_reload_matches_the_verdict_netfilter_persistent() {
        reload_matches_verdict netfilter-persistent
}

# A Docker told to make no iptables rules has none to lose: the host is
# neither broken (no rules is what it should have) nor vulnerable (no
# firewall can take anything away), and apply ties nothing.
test_docker_without_iptables_is_neither_broken_nor_vulnerable() {
        local h out
        h=$(host_of nftables 4)
        restore_host "$h"
        wait_start_room "$h"
        docker_variant "$h" iptables-false
        expect_eq "$(rules_count "$h")" 0 "Docker's rules with \"iptables\": false"
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" not-applicable "verdict with \"iptables\": false"
        expect_match "$(jq -r '.reasons[0]' <<<"$out")" '"iptables": false' "the reason"
        expect_eq "$(jq -r .netfilter.missing <<<"$out")" 0 "rules counted missing"
        out=$(agent "$h" apply)
        expect_eq "$(jq -r .changed <<<"$out")" false "apply with nothing to tie"
        # The firewall's restart now takes nothing from Docker.
        on "$h" 'systemctl restart nftables.service'
        expect_eq "$(rules_count "$h")" 0 "Docker's rules after a firewall restart"
        expect_verdict "$h" not-applicable
}

# With Requires=, a firewall unit masked after apply keeps docker from
# starting: audit says so before anyone finds out, and real jobs prove it
# (systemd refuses the restart, and after a stop, the start).
test_a_masked_firewall_blocks_docker_and_audit_says_so() {
        local h out
        h=$(host_of nftables 3)
        defer "$h" 'systemctl unmask nftables.service; systemctl start nftables.service'
        restore_host "$h"
        wait_start_room "$h"
        agent "$h" apply >/dev/null
        on "$h" 'systemctl mask nftables.service' 2>/dev/null
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" start-blocked "verdict with the required firewall masked"
        expect_match "$(jq -r '.reasons[0]' <<<"$out")" "requires nftables.service, which is masked" "the reason"
        if on "$h" 'systemctl restart docker.service' 2>/dev/null; then
                fail "docker restarted although it requires a masked unit: the verdict was wrong"
        fi
        on "$h" 'systemctl stop docker.service'
        if on "$h" 'systemctl start docker.service' 2>/dev/null; then
                fail "docker started although it requires a masked unit: the verdict was wrong"
        fi
        expect_eq "$(on "$h" 'systemctl is-active docker.service' || true)" inactive "docker after the start"
        on "$h" 'systemctl unmask nftables.service && systemctl start docker.service'
        expect_eq "$(on "$h" 'systemctl is-active docker.service')" active "docker once the firewall is unmasked"
        expect_verdict "$h" "$(bind_verdict nftables)"
        agent "$h" revert >/dev/null
}
