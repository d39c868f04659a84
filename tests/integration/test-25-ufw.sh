# ufw on real hosts (Debian 12's ufw 0.36): with the default
# MANAGE_BUILTINS=no it touches only its own ufw-* chains; with
# MANAGE_BUILTINS=yes it flushes every table, also through its own commands
# (ufw reload, disable, enable), which run ufw-init without systemd. Every
# verdict is held against Docker's rules counted after real restarts, reloads
# and stop-starts of ufw.service and after those commands.

# ufw_host ROLE [N]: the N-th host of the role (default 1), with the agent.
ufw_host() {
        local h
        h=$(role_host "$1" "${2:-1}") || return
        push_agent "$h"
        echo "$h"
}

# Lines of iptables-save that are Docker's: its chains, its rules, docker0's.
rules_count() {
        on "$1" 'iptables-save | grep -c -- "DOCKER\|docker0" || true'
}

# The host as the fleet made it, now and when the test ends: no drop-ins,
# ufw enabled and running, docker running with every rule.
restore_ufw_host() {
        local restore='rm -f /etc/systemd/system/docker.service.d/*.conf /etc/systemd/system/ufw.service.d/50-tether-*.conf; systemctl daemon-reload; ufw --force enable >/dev/null; systemctl reset-failed ufw.service docker.service; systemctl start ufw.service; systemctl is-active --quiet docker || systemctl start docker; iptables -t nat -C POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE 2>/dev/null || systemctl restart docker'
        defer "$1" "$restore"
        on "$1" "$restore" >/dev/null
}

# ufw_job HOST VERB: systemctl VERB ufw.service. In these nested containers
# a oneshot unit's ExecStop= or ExecStart= now and then fails with
# 219/CGROUP before it runs: then the unit did nothing, and the job is run
# once more from a started unit.
ufw_job() {
        on "$1" "systemctl $2 ufw.service" 2>/dev/null || true
        if [ "$(on "$1" 'systemctl show -P Result ufw.service')" != success ]; then
                echo "    (ufw.service failed to $2 on $1; once more)" >&2
                on "$1" "systemctl reset-failed ufw.service; systemctl start ufw.service; systemctl $2 ufw.service"
                expect_eq "$(on "$1" 'systemctl show -P Result ufw.service')" success "ufw.service's $2 on $1"
        fi
}

# docker_back HOST COUNT: restarts docker (its start limit reset first:
# reset_start_limit) and waits until its COUNT rules are back.
docker_back() {
        on "$1" 'systemctl reset-failed docker.service; systemctl restart docker.service'
        rules_back "$1" "$2"
}

# rules_back HOST COUNT: waits (10 s at most) until Docker's COUNT rules are there.
rules_back() {
        for _ in $(seq 50); do
                [ "$(rules_count "$1")" = "$2" ] && return 0
                sleep 0.2
        done
        expect_eq "$(rules_count "$1")" "$2" "Docker's rules on $1"
}

# rules_lost HOST BEFORE WHAT: Docker lost rules (fewer than BEFORE) after WHAT.
rules_lost() {
        local after
        after=$(rules_count "$1")
        [ "$after" -lt "$2" ] || fail "$3 on $1 left $after of Docker's $2 rules: it did not flush them"
}

firewall_field() {
        jq -r --arg f "$2" '.firewalls[] | select(.unit == "ufw.service") | .[$f]' <<<"$1"
}

test_ufw_default_keeps_docker_rules_on_restart_reload_and_stop_start() {
        local h out before
        h=$(ufw_host ufw)
        restore_ufw_host "$h"
        expect_eq "$(on "$h" 'grep ^MANAGE_BUILTINS= /etc/default/ufw')" MANAGE_BUILTINS=no "the role's setting"
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" not-applicable "verdict with MANAGE_BUILTINS=no"
        expect_eq "$(firewall_field "$out" flushes_docker_rules)" false "ufw.service flushes"
        expect_eq "$(firewall_field "$out" active)" true "ufw.service is running"
        expect_eq "$(jq -r .netfilter.missing <<<"$out")" 0 "missing rules"
        before=$(rules_count "$h")
        [ "$before" -gt 0 ] || fail "no Docker rules on $h to begin with"

        ufw_job "$h" restart
        expect_eq "$(rules_count "$h")" "$before" "Docker's rules after a restart of ufw.service"
        if on "$h" 'systemctl reload ufw.service' 2>/dev/null; then
                fail "ufw.service reloaded, though the knowledge table says it has no reload"
        fi
        expect_eq "$(rules_count "$h")" "$before" "Docker's rules after the refused reload"
        on "$h" 'ufw reload' >/dev/null
        expect_eq "$(rules_count "$h")" "$before" "Docker's rules after 'ufw reload'"
        ufw_job "$h" stop
        ufw_job "$h" start
        expect_eq "$(rules_count "$h")" "$before" "Docker's rules after a stop and start of ufw.service"
        on "$h" 'ufw disable && ufw --force enable' >/dev/null
        expect_eq "$(rules_count "$h")" "$before" "Docker's rules after 'ufw disable' and 'ufw enable'"

        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" not-applicable "verdict after all of that"
        expect_eq "$(jq -r .netfilter.missing <<<"$out")" 0 "missing rules after all of that"
        expect_eq "$(agent "$h" apply | jq -r .changed)" false "apply with nothing to tie"
}

test_ufw_builtins_flush_and_the_verdicts_say_so() {
        local h out before invocation
        h=$(ufw_host ufw-builtins)
        restore_ufw_host "$h"
        expect_eq "$(on "$h" 'grep ^MANAGE_BUILTINS= /etc/default/ufw')" MANAGE_BUILTINS=yes "the role's setting"
        before=$(rules_count "$h")
        [ "$before" -gt 0 ] || fail "no Docker rules on $h to begin with"

        # Untied: vulnerable, and a real restart proves it.
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" vulnerable "verdict with MANAGE_BUILTINS=yes"
        expect_eq "$(firewall_field "$out" flushes_docker_rules)" true "ufw.service flushes"
        expect_match "$(firewall_field "$out" flushes_outside_systemd)" "ufw reload" "the commands outside systemd"
        expect_match "$(jq -r '.reasons | join(" ")' <<<"$out")" "from outside systemd" "the reasons"
        ufw_job "$h" restart
        rules_lost "$h" "$before" "a restart of ufw.service"
        expect_eq "$(agent "$h" audit | jq -r .verdict)" broken "verdict once the rules are gone"
        docker_back "$h" "$before"

        # Not enabled ('ufw disable' sets ENABLED=no): ufw.service's restart
        # does nothing and audit does not count it; 'ufw enable' flushes.
        on "$h" 'ufw disable' >/dev/null
        docker_back "$h" "$before"
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" not-applicable "verdict with ufw not enabled"
        expect_eq "$(firewall_field "$out" flushes_docker_rules)" false "ufw.service flushes, not enabled"
        ufw_job "$h" restart
        expect_eq "$(rules_count "$h")" "$before" "Docker's rules after a restart of ufw.service, not enabled"
        on "$h" 'ufw --force enable' >/dev/null
        rules_lost "$h" "$before" "'ufw enable'"
        expect_eq "$(agent "$h" audit | jq -r .verdict)" broken "verdict after 'ufw enable'"
        docker_back "$h" "$before"

        # Tied by bind: a restart restarts docker, but 'ufw reload' still
        # cuts Docker off: reload-vulnerable, not protected.
        reset_start_limit "$h"
        out=$(agent "$h" apply)
        expect_eq "$(jq -r .verdict <<<"$out")" reload-vulnerable "verdict under bind"
        invocation=$(docker_invocation "$h")
        ufw_job "$h" restart
        [ "$(docker_invocation "$h")" != "$invocation" ] || fail "restarting ufw.service did not restart docker"
        rules_back "$h" "$before"
        expect_eq "$(agent "$h" audit | jq -r .verdict)" reload-vulnerable "verdict after a tied restart"
        on "$h" 'ufw reload' >/dev/null
        rules_lost "$h" "$before" "'ufw reload' under bind"
        expect_eq "$(agent "$h" audit | jq -r .verdict)" broken "verdict after 'ufw reload'"
        docker_back "$h" "$before"

        # Tied by follow: a stop and start of ufw.service restarts docker,
        # and 'ufw disable' / 'ufw enable' still cut it off.
        reset_start_limit "$h"
        out=$(agent "$h" apply --policy follow)
        expect_eq "$(jq -r .verdict <<<"$out")" reload-vulnerable "verdict under follow"
        expect_match "$(jq -r '.reasons | join(" ")' <<<"$out")" "no tie to the unit covers" "the reasons under follow"
        ufw_job "$h" stop
        rules_lost "$h" "$before" "a stop of ufw.service"
        reset_start_limit "$h"
        ufw_job "$h" start
        rules_back "$h" "$before"
        expect_eq "$(on "$h" 'systemctl is-active docker.service')" active "docker after a stop and start under follow"
        on "$h" 'ufw disable && ufw --force enable' >/dev/null
        rules_lost "$h" "$before" "'ufw disable' and 'ufw enable' under follow"
        expect_eq "$(agent "$h" audit | jq -r .verdict)" broken "verdict after 'ufw disable' and 'ufw enable'"
        docker_back "$h" "$before"
        agent "$h" revert >/dev/null
        expect_eq "$(agent "$h" audit | jq -r .verdict)" vulnerable "verdict after revert"
}
