# firewalld on real hosts (Debian 12: firewalld 1.3.3, FirewallBackend=nftables,
# docker.io 20.10.24): what a real restart, 'firewall-cmd --reload' and a stop
# then start do to Docker's rules, counted in iptables-save, against what audit
# says of the host, without tether's fix and with it. firewalld 1.x flushes
# every iptables table each time; Docker, connected to firewalld since its
# start, re-creates its rules on firewalld's D-Bus signals, all but the two
# isolation rules (CVE-2025-54410, fixed in Docker 28.0.0 and 25.0.13).

# fwd_host N: the N-th host of role firewalld, with the build's agent, left
# as the fleet made it when the test ends.
fwd_host() {
        local h
        h=$(hosts_with_role firewalld | sed -n "${1}p")
        [ -n "$h" ] || fail "the fleet has no host $1 of role firewalld"
        push_agent "$h"
        defer "$h" 'rm -f /etc/systemd/system/docker.service.d/*.conf /etc/systemd/system/*.service.d/50-tether-*.conf; systemctl daemon-reload; iptables -X TETHER-CANARY; systemctl start firewalld.service; systemctl is-active --quiet docker || systemctl start docker; iptables -C DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP 2>/dev/null || { systemctl reset-failed docker; systemctl restart docker; }'
        echo "$h"
}

# docker_lines HOST: Docker's part of iptables-save (the lines that name
# DOCKER or docker0), counters cut, sorted.
docker_lines() {
        on "$1" 'iptables-save | grep -- "DOCKER\|docker0" | sed "s/ \[[0-9]*:[0-9]*\]$//" | sort'
}

# settle HOST: until Docker's part of the ruleset is the same twice a second
# apart (Docker re-creates its rules within a second of firewalld's signal).
settle() {
        local before now _
        before=$(docker_lines "$1")
        for _ in $(seq 20); do
                sleep 1
                now=$(docker_lines "$1")
                [ "$now" = "$before" ] && return 0
                before=$now
        done
        fail "Docker's rules on $1 did not settle in 20 s"
}

# full_rules HOST: Docker's part of the ruleset as a fresh start of docker
# makes it, isolation rules included (restarting docker when they are gone).
full_rules() {
        local h=$1
        if ! on "$h" 'iptables -C DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP' 2>/dev/null; then
                wait_start_room "$h"
                on "$h" 'systemctl restart docker.service'
        fi
        docker_lines "$h"
}

# isolation_lines RULES: the two isolation rules of docker0 among them.
isolation_lines() {
        grep -- '-A DOCKER-ISOLATION-STAGE-[12] .*docker0' <<<"$1" || true
}

# missing_after RULES HOST: which of RULES the host no longer has.
missing_after() {
        comm -23 <(printf '%s\n' "$1") <(docker_lines "$2")
}

# bounce HOST ACTION: a real restart, reload or stop-start of firewalld;
# a canary chain that only a flush removes says that it flushed.
bounce() {
        local h=$1 action=$2
        on "$h" 'iptables -N TETHER-CANARY'
        case "$action" in
        restart) on "$h" 'systemctl restart firewalld.service' ;;
        reload) on "$h" 'firewall-cmd --reload' >/dev/null ;;
        systemctl-reload) on "$h" 'systemctl reload firewalld.service' ;;
        stop-start)
                on "$h" 'systemctl stop firewalld.service'
                # CleanupOnExit=yes: a stopped firewalld leaves Docker with nothing.
                expect_eq "$(docker_lines "$h" | grep -c -- '^-A' || true)" 0 "Docker's rules on $h while firewalld is stopped"
                on "$h" 'systemctl start firewalld.service'
                ;;
        esac
        if on "$h" 'iptables -S TETHER-CANARY' >/dev/null 2>&1; then
                on "$h" 'iptables -X TETHER-CANARY'
                fail "firewalld's $action on $h flushed nothing, though audit says it does"
        fi
}

fwd_judgement() {
        jq -c '.firewalls[] | select(.unit == "firewalld.service")' <<<"$1"
}

test_firewalld_runs_only_on_its_role() {
        local h
        for h in $(hosts_with_role firewalld); do
                expect_eq "$(on "$h" 'systemctl is-enabled firewalld.service')" enabled "firewalld on $h"
                expect_eq "$(on "$h" 'systemctl is-active firewalld.service')" active "firewalld on $h"
                expect_eq "$(on "$h" 'firewall-cmd --version')" 1.3.3 "firewalld's version on $h"
                expect_eq "$(on "$h" 'firewall-cmd --get-zone-of-interface=docker0')" docker \
                        "docker0's zone on $h (Docker connected to firewalld)"
        done
        for h in $(all_hosts); do
                [ "$(host_field "$h" 2)" != firewalld ] || continue
                expect_eq "$(on "$h" 'systemctl is-enabled firewalld.service' || true)" disabled "firewalld on $h"
                expect_eq "$(on "$h" 'systemctl is-active firewalld.service' || true)" inactive "firewalld on $h"
        done
}

# Without the fix: audit says vulnerable, firewalld flushes, and Docker
# re-creates all but its isolation rules. Each real action flushes (the
# canary goes), docker is not restarted, and exactly the isolation rules stay
# missing.
test_firewalld_untied_verdict_matches_restart_reload_stop_start() {
        local h full isolation out fwd pid action
        h=$(fwd_host 2)
        full=$(full_rules "$h")
        isolation=$(isolation_lines "$full")
        expect_eq "$(wc -l <<<"$isolation")" 2 "isolation rules on $h to begin with"

        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" vulnerable "verdict of $h"
        fwd=$(fwd_judgement "$out")
        expect_eq "$(jq -r .flushes_docker_rules <<<"$fwd")" true "firewalld flushes"
        expect_eq "$(jq -r .docker_heals_itself <<<"$fwd")" false "Docker heals itself"
        expect_eq "$(jq -r .reloads_outside_systemd <<<"$fwd")" true "firewalld reloads outside systemd"
        expect_match "$(jq -r .why <<<"$fwd")" "all but the isolation rules between its networks" "why"

        pid=$(on "$h" 'systemctl show -P MainPID docker.service')
        for action in restart reload stop-start; do
                bounce "$h" "$action"
                settle "$h"
                expect_eq "$(missing_after "$full" "$h")" "$isolation" "Docker's rules missing after $action"
                expect_eq "$(on "$h" 'systemctl show -P MainPID docker.service')" "$pid" \
                        "dockerd's pid after $action (it heals itself, not restarted)"
        done
        expect_eq "$(agent "$h" audit | jq -r .verdict)" vulnerable "verdict of $h afterwards"
}

# Docker started while firewalld was stopped never connects to it: the next
# firewalld start takes every rule for good, and audit says why.
test_firewalld_started_after_docker_takes_everything() {
        local h full out
        h=$(fwd_host 3)
        full=$(full_rules "$h")
        wait_start_room "$h"
        on "$h" 'systemctl stop firewalld.service && systemctl restart docker.service'
        expect_eq "$(docker_lines "$h")" "$full" "Docker's rules, made without firewalld"
        on "$h" 'systemctl start firewalld.service'
        settle "$h"
        expect_eq "$(docker_lines "$h" | grep -c -- '^-A' || true)" 0 "Docker's rules after firewalld's start"
        expect_eq "$(on "$h" 'firewall-cmd --get-zone-of-interface=docker0 2>&1' || true)" "no zone" "docker0's zone"
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" broken "verdict of $h"
        expect_match "$(fwd_judgement "$out" | jq -r .why)" "it is not connected to firewalld" "why"

        # A restart of docker while firewalld runs connects it again.
        wait_start_room "$h"
        on "$h" 'systemctl restart docker.service'
        expect_eq "$(docker_lines "$h")" "$full" "Docker's rules after its restart"
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" vulnerable "verdict of $h, connected again"
        expect_match "$(fwd_judgement "$out" | jq -r .why)" "all but the isolation rules" "why"
}

# With the fix (bind): a restart restarts docker and every rule is back; a
# reload, through systemd or 'firewall-cmd --reload', restarts nothing and
# the isolation rules stay missing: reload-vulnerable is the truth. A stop
# stops docker (PartOf=), and the start leaves it stopped, by design.
test_firewalld_bind_covers_restart_not_reload() {
        local h full isolation out invocation
        h=$(fwd_host 4)
        full=$(full_rules "$h")
        isolation=$(isolation_lines "$full")
        wait_start_room "$h"
        out=$(agent "$h" apply)
        expect_eq "$(jq -r .verdict <<<"$out")" "$(bind_verdict firewalld)" "verdict under bind"
        expect_match "$(jq -r '.reasons | join(" ")' <<<"$out")" "nor 'firewall-cmd --reload', which systemd never sees" \
                "the reason"

        invocation=$(docker_invocation "$h")
        bounce "$h" restart
        settle "$h"
        [ "$(docker_invocation "$h")" != "$invocation" ] || fail "firewalld's restart did not restart docker"
        expect_eq "$(missing_after "$full" "$h")" "" "Docker's rules missing after a restart under bind"

        invocation=$(docker_invocation "$h")
        bounce "$h" reload
        settle "$h"
        expect_eq "$(docker_invocation "$h")" "$invocation" "docker's invocation after 'firewall-cmd --reload'"
        expect_eq "$(missing_after "$full" "$h")" "$isolation" "Docker's rules missing after 'firewall-cmd --reload'"
        expect_eq "$(agent "$h" audit | jq -r .verdict)" "$(bind_verdict firewalld)" "verdict after the reload"

        wait_start_room "$h"
        on "$h" 'systemctl stop firewalld.service'
        expect_eq "$(on "$h" 'systemctl is-active docker.service' || true)" inactive "docker after firewalld's stop"
        on "$h" 'systemctl start firewalld.service'
        expect_eq "$(on "$h" 'systemctl is-active docker.service' || true)" inactive "docker after firewalld's start"
        on "$h" 'systemctl start docker.service'
        settle "$h"
        expect_eq "$(missing_after "$full" "$h")" "" "Docker's rules once docker is started again"
        agent "$h" revert >/dev/null
}

# Under follow, firewalld's own ExecReload= hook restarts docker on
# 'systemctl reload', but 'firewall-cmd --reload' goes to firewalld over
# D-Bus and no hook sees it: still reload-vulnerable, and the rules say why.
test_firewalld_follow_misses_firewall_cmd_reload() {
        local h full isolation out invocation
        h=$(fwd_host 5)
        full=$(full_rules "$h")
        isolation=$(isolation_lines "$full")
        wait_start_room "$h"
        out=$(agent "$h" apply --policy follow)
        expect_eq "$(jq -r .verdict <<<"$out")" reload-vulnerable "verdict under follow"

        invocation=$(docker_invocation "$h")
        bounce "$h" systemctl-reload
        settle "$h"
        [ "$(docker_invocation "$h")" != "$invocation" ] || fail "systemctl reload firewalld did not restart docker"
        expect_eq "$(missing_after "$full" "$h")" "" "Docker's rules missing after systemctl reload under follow"

        invocation=$(docker_invocation "$h")
        bounce "$h" reload
        settle "$h"
        expect_eq "$(docker_invocation "$h")" "$invocation" "docker's invocation after 'firewall-cmd --reload'"
        expect_eq "$(missing_after "$full" "$h")" "$isolation" "Docker's rules missing after 'firewall-cmd --reload'"
        agent "$h" revert >/dev/null
}

# firewalld 1.x flushes iptables whatever its backend: with
# FirewallBackend=iptables a reload flushes all the same, and Docker puts
# back the same rules; audit judges the host the same.
test_firewalld_1x_with_the_iptables_backend_flushes_alike() {
        local h full isolation out
        h=$(fwd_host 1)
        full=$(full_rules "$h")
        isolation=$(isolation_lines "$full")
        defer "$h" 'sed -i "s/^FirewallBackend=.*/FirewallBackend=nftables/" /etc/firewalld/firewalld.conf; systemctl restart firewalld.service; systemctl reset-failed docker; systemctl restart docker'
        on "$h" 'sed -i "s/^FirewallBackend=.*/FirewallBackend=iptables/" /etc/firewalld/firewalld.conf'
        bounce "$h" restart
        settle "$h"
        out=$(agent "$h" audit)
        expect_eq "$(jq -r .verdict <<<"$out")" vulnerable "verdict with FirewallBackend=iptables"
        expect_match "$(fwd_judgement "$out" | jq -r .why)" "all but the isolation rules between its networks" "why"
        bounce "$h" reload
        settle "$h"
        expect_eq "$(missing_after "$full" "$h")" "$isolation" "Docker's rules missing after a reload, iptables backend"
}
