# tether-agent watch, installed by `apply --watch` as tether-watch.service
# (hardening and all): on a host of the nftables role, a flush by hand
# brings Docker's rules back through a restart of docker, with heal_ms in the
# journal; a flush every second backs off and restarts docker a bounded
# number of times; `tether audit` reports watch, its heals and the flush's
# culprit; `tether apply --watch` installs it, enabled and running, `tether
# revert` removes it; an apply --watch whose watch cannot start leaves the
# host as it was; live-restore makes a watch that only reports restart
# docker; iptables-legacy's tables are polled. On a host of every role:
# Docker's own changes restart nothing, and every flush by hand, and a
# firewall restart without the tie, is healed.
# Each test leaves its host as the fleet made it: watch and the drop-in
# removed, the firewall and docker restarted with every rule.

# watch_host [K]: the K-th host of the nftables role counted from the last
# (the fleet's and the agent's tests take the first ones), wrapping round
# on a fleet with fewer; the last by default. Tests that restart docker
# take turns over the hosts: on one host, each would wait up to a minute
# for room under docker's start limit (3 starts in 60 s) that the test
# before it spent.
watch_host() {
        local -a hosts
        mapfile -t hosts < <(hosts_with_role nftables)
        [ ${#hosts[@]} -gt 0 ] || fail "the fleet has no host of role nftables"
        echo "${hosts[${#hosts[@]} - 1 - (${1:-1} - 1) % ${#hosts[@]}]}"
}

# remove_watch_later HOST [UNIT]: when the test ends, watch, its unit and
# the drop-in go, whatever the test left. The firewall's own rules come
# back: UNIT, the host's firewall, is restarted, or without one the
# nftables role's table is loaded without its "flush ruleset" (which would
# take Docker's rules again); docker is restarted only where its rules are
# not all back, so the next test finds docker's start limit as spent as it
# must be. (Not in a command substitution: defer must run in the test's
# own shell.)
remove_watch_later() {
        local firewall='grep -v "^flush ruleset" /etc/nftables.conf | nft -f -'
        [ -z "${2:-}" ] || firewall="systemctl restart $2"
        defer "$1" "systemctl disable --now tether-watch.service; rm -rf /etc/systemd/system/tether-watch.service /etc/systemd/system/tether-watch.service.d /etc/systemd/system/docker.service.d/50-tether-firewall.conf; systemctl daemon-reload; $firewall; iptables -t nat -C POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE 2>/dev/null || { systemctl reset-failed docker.service; systemctl restart docker.service; }"
}

# install_watch HOST [UNIT [POLICY]]: the agent in /usr/local/bin, and
# `tether-agent apply --watch` installs tether-watch.service running it
# with --heal=POLICY, restart unless told (UNIT: as for remove_watch_later).
install_watch() {
        local h=$1 out
        remove_watch_later "$h" "${2:-}"
        push_agent "$h" || fail "cannot copy the agent to $h"
        out=$(agent "$h" apply --watch="${3:-restart}")
        expect_eq "$(agent_status)" 0 "apply --watch on $h ($(jq -c .error <<<"$out"))"
        expect_eq "$(on "$h" 'systemctl show -P ExecStart tether-watch.service' | grep -o 'path=[^ ;]*')" \
                "path=/usr/local/bin/tether-agent" "the agent tether-watch.service runs on $h"
}

# start_watch HOST: starts watch (Type=notify: it is watching when start
# returns) and waits for its first look at the rules.
start_watch() {
        on "$1" 'systemctl reset-failed docker.service; systemctl start tether-watch.service' ||
                fail "tether-watch.service did not start on $1: $(on "$1" 'journalctl -u tether-watch.service -n 20 --no-pager')"
        sleep 1
        expect_eq "$(on "$1" 'systemctl is-active tether-watch.service')" active "tether-watch.service on $1"
}

rules_count() {
        on "$1" 'iptables-save | grep -c -- "DOCKER\|docker0" || true'
}

host_now() {
        on "$1" 'date +%s'
}

# watch_events HOST SINCE EVENT: the journal's watch records of EVENT since
# the host's time SINCE, one JSON object a line.
watch_events() {
        on "$1" "journalctl -q -o json --since=@$2 TETHER_VERB=watch TETHER_WATCH_EVENT=$3" || true
}

# docker_starts HOST SINCE: how many times systemd started docker since SINCE.
docker_starts() {
        on "$1" "journalctl -q --since=@$2 -u docker.service MESSAGE_ID=39f53479d3a045ac8e11786248231fbf | wc -l"
}

# wait_rules HOST COUNT SECONDS: until Docker's rules number COUNT again.
wait_rules() {
        local i
        for ((i = 0; i < $3 * 2; i++)); do
                [ "$(rules_count "$1")" -ge "$2" ] && return 0
                sleep 0.5
        done
        fail "Docker's rules on $1 did not come back within $3 s: $(rules_count "$1") of $2"
}

# expect_healed HOST SINCE CULPRIT ACTION: one flush by CULPRIT recorded
# since SINCE, with an ACTION (a regular expression), and one heal with its
# heal_ms.
expect_healed() {
        local events
        events=$(watch_events "$1" "$2" flush)
        expect_eq "$(jq -s length <<<"$events")" 1 "flush records on $1"
        expect_eq "$(jq -rs '.[0].TETHER_WATCH_CULPRIT' <<<"$events")" "$3" "the flush's culprit"
        expect_match "$(jq -rs '.[0].TETHER_WATCH_ACTION' <<<"$events")" "$4" "the flush's action"
        expect_match "$(jq -rs '.[0].TETHER_WATCH_MISSING' <<<"$events")" 'DOCKER' "what was missing"
        events=$(watch_events "$1" "$2" heal)
        expect_eq "$(jq -s length <<<"$events")" 1 "heal records on $1"
        expect_eq "$(jq -rs '.[0].TETHER_WATCH_ACTION' <<<"$events")" healed "the heal's result"
        expect_match "$(jq -rs '.[0].TETHER_WATCH_HEAL_MS' <<<"$events")" '^[0-9]+$' "heal_ms"
        echo "    $3: heal_ms $(jq -rs '.[0].TETHER_WATCH_HEAL_MS' <<<"$events") on $1" >&2
}

# expect_audit_says_watch HOST OTHER CULPRIT: `tether audit` of HOST, where
# watch is installed and has healed a flush by CULPRIT, and of OTHER, where
# it is not: the report's watch object of each, and the summary's column
# and line.
expect_audit_says_watch() {
        local h=$1 other=$2 report=$IT_DIR/it-watch-audit.json watch
        run_tether audit -i "$FLEET_DIR/inventory.json" --limit "$h,$other" --report "$report"
        [ -s "$report" ] || fail "tether audit wrote no report (status $STATUS): $(cat "$IT_DIR/.tether-stderr")"
        watch=$(jq -c --arg h "$h" '.hosts[] | select(.name == $h) | .agent.watch' "$report")
        echo "    audit of $h: watch $watch" >&2
        expect_eq "$(jq -r .installed <<<"$watch")" true "watch installed on $h"
        expect_eq "$(jq -r .active <<<"$watch")" true "watch active on $h"
        expect_eq "$(jq -r .active_state <<<"$watch")" active "watch's state on $h"
        [ "$(jq -r .heals_24h <<<"$watch")" -ge 1 ] || fail "heals_24h on $h: $(jq -r .heals_24h <<<"$watch")"
        expect_match "$(jq -r .last_heal <<<"$watch")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "last_heal on $h"
        expect_eq "$(jq -r .last_culprit.name <<<"$watch")" "$3" "the last culprit on $h"
        expect_match "$(jq -r .last_heal_ms <<<"$watch")" '^[0-9]+$' "last_heal_ms on $h"

        watch=$(jq -c --arg h "$other" '.hosts[] | select(.name == $h) | .agent.watch' "$report")
        expect_eq "$(jq -r .installed <<<"$watch")" false "watch installed on $other"
        expect_eq "$(jq -r .active <<<"$watch")" false "watch active on $other"
        expect_eq "$(jq -r .heals_24h <<<"$watch")" 0 "heals_24h on $other"
        expect_eq "$(jq -c .last_culprit <<<"$watch")" null "the last culprit on $other"

        expect_match "$OUT" "HOSTS +OUTCOME .* WATCH +REASON" "the summary's WATCH column"
        expect_match "$OUT" "active, [0-9]+ heals?/24h, last flush by $3" "$h's watch in the summary"
        expect_match "$OUT" "watch: installed on 1 of 2 hosts, active on 1" "the summary's watch line"
}

test_flush_by_hand_is_healed() {
        local h before since invocation
        h=$(watch_host 2)
        install_watch "$h"
        before=$(rules_count "$h")
        [ "$before" -gt 5 ] || fail "Docker's rules on $h before the test: only $before"
        wait_start_room "$h"
        start_watch "$h"
        invocation=$(docker_invocation "$h")
        since=$(host_now "$h")

        on "$h" 'nft flush ruleset'
        wait_rules "$h" "$before" 30
        [ "$(docker_invocation "$h")" != "$invocation" ] || fail "docker was not restarted on $h"
        expect_healed "$h" "$since" nft '^restart$'
        expect_audit_says_watch "$h" "$(all_hosts | grep -vx "$h" | head -n 1)" nft

        # iptables' own flush, of both tables: after the back-off (10 s), and
        # docker's start limit (one start always left) where it started lately.
        sleep 1
        since=$(host_now "$h")
        on "$h" 'iptables -F && iptables -t nat -F'
        wait_rules "$h" "$before" 90
        expect_healed "$h" "$since" iptables '^(restart|backoff|start-limit)$'
}

test_flush_loop_backs_off() {
        local h before since starts heals backoffs
        h=$(watch_host 3)
        install_watch "$h"
        before=$(rules_count "$h")
        wait_start_room "$h"
        start_watch "$h"
        since=$(host_now "$h")

        on "$h" 'for i in $(seq 20); do nft flush ruleset; sleep 1; done'
        starts=$(docker_starts "$h" "$since")
        heals=$(watch_events "$h" "$since" heal | jq -s length)
        backoffs=$(watch_events "$h" "$since" backoff | jq -s length)
        echo "    in 20 s of flushes: $heals restarts by watch, $starts starts of docker, $backoffs back-offs" >&2
        # A restart at the first flush, perhaps one after the back-off; never
        # more. (Whether the second comes, or a back-off is recorded, depends
        # on how long docker takes to start: a flush during its start makes
        # it fail, and its own Restart= tries again. The back-off's timing is
        # tests/unit/test-watch-policy.c's.)
        [ "$heals" -ge 1 ] && [ "$heals" -le 2 ] || fail "watch restarted docker $heals times during the flush loop"
        # Once the flushes stop, watch heals after its back-off and docker's
        # start limit (a flush during dockerd's start makes it fail, and
        # Restart= may spend the limit).
        wait_rules "$h" "$before" 120
        expect_eq "$(on "$h" 'systemctl is-active docker.service')" active "docker on $h"
        expect_eq "$(on "$h" 'systemctl is-active tether-watch.service')" active "tether-watch.service on $h"
}

# `tether apply --watch` through SSH, as an admin runs it: watch installed,
# enabled and running from root's checked copy of the agent; a second run
# changes nothing; `tether revert` removes it with the drop-in.
test_apply_watch_then_revert() {
        local h report=$IT_DIR/it-watch-apply.json
        h=$(watch_host)
        remove_watch_later "$h"
        run_tether apply -i "$FLEET_DIR/inventory.json" --limit "$h" --watch --report "$report"
        expect_eq "$STATUS" 0 "tether apply --watch ($(cat "$IT_DIR/.tether-stderr"))"
        expect_eq "$(jq -r '.hosts[0].agent.changed' "$report")" true "apply --watch changed $h"
        expect_eq "$(jq -r '.options.watch' "$report")" true "the report's options say --watch"
        expect_eq "$(jq -r '.hosts[0].agent.watch.installed' "$report")" true "the report: watch installed"
        expect_eq "$(jq -r '.hosts[0].agent.watch.active' "$report")" true "the report: watch active"
        expect_eq "$(on "$h" 'systemctl is-enabled tether-watch.service')" enabled "tether-watch.service enabled"
        expect_eq "$(on "$h" 'systemctl is-active tether-watch.service')" active "tether-watch.service active"
        expect_match "$(on "$h" 'systemctl show -P ExecStart tether-watch.service')" \
                'path=/var/lib/tether/tether-agent-[0-9a-f]{64} ; argv\[\]=[^ ]+ watch --heal=restart' \
                "tether-watch.service runs root's copy of the agent"
        expect_eq "$(on "$h" 'head -n 1 /etc/systemd/system/tether-watch.service')" \
                "# Managed by tether: 'tether apply --watch' wrote this file," "the unit file's first line"

        run_tether apply -i "$FLEET_DIR/inventory.json" --limit "$h" --watch --report "$report"
        expect_eq "$STATUS" 0 "tether apply --watch, again"
        expect_eq "$(jq -r '.hosts[0].agent.changed' "$report")" false "apply --watch again changed nothing"

        run_tether revert -i "$FLEET_DIR/inventory.json" --limit "$h" --report "$report"
        expect_eq "$STATUS" 0 "tether revert ($(cat "$IT_DIR/.tether-stderr"))"
        expect_eq "$(jq -r '.hosts[0].agent.changed' "$report")" true "revert changed $h"
        expect_eq "$(jq -r '[.hosts[0].agent.changes[].path] | sort | join(" ")' "$report")" \
                "/etc/systemd/system/docker.service.d/50-tether-firewall.conf /etc/systemd/system/tether-watch.service" \
                "what revert removed"
        expect_eq "$(jq -r '.hosts[0].agent.watch.installed' "$report")" false "the report: watch removed"
        expect_eq "$(on "$h" 'systemctl is-active tether-watch.service || true')" inactive "watch stopped"
        expect_eq "$(on "$h" 'test -e /etc/systemd/system/tether-watch.service && echo there || echo gone')" gone \
                "the unit file"
        expect_eq "$(on "$h" 'ls /etc/systemd/system/multi-user.target.wants/ | grep -c tether-watch || true')" 0 \
                "the unit's enable link"
}

# expect_as_it_was HOST WHAT: no unit file, no enable link, no drop-in, and
# systemd with nothing left to reload.
expect_as_it_was() {
        expect_eq "$(on "$1" 'ls /etc/systemd/system/tether-watch.service /etc/systemd/system/multi-user.target.wants/tether-watch.service /etc/systemd/system/docker.service.d/50-tether-firewall.conf 2>/dev/null | wc -l')" \
                0 "tether's files on $1 after $2"
        expect_eq "$(on "$1" 'systemctl is-active tether-watch.service || true')" inactive "watch on $1 after $2"
        expect_eq "$(on "$1" 'systemctl show -P NeedDaemonReload docker.service')" no \
                "docker.service's files loaded on $1 after $2"
}

# A watch that fails to start (an admin's drop-in of its own makes it fail)
# takes the drop-in and the unit back with it.
test_apply_watch_puts_everything_back() {
        local h out
        h=$(watch_host)
        remove_watch_later "$h"
        push_agent "$h" || fail "cannot copy the agent to $h"

        on "$h" 'mkdir -p /etc/systemd/system/tether-watch.service.d &&
                 printf "[Service]\nExecStartPre=/bin/false\n" >/etc/systemd/system/tether-watch.service.d/50-broken.conf &&
                 systemctl daemon-reload'
        out=$(agent "$h" apply --watch)
        expect_eq "$(agent_status)" 1 "apply --watch with a watch that cannot start"
        expect_match "$(jq -r .error.message <<<"$out")" \
                'RestartUnit tether-watch.service: .*failed.*every file was put back as it was' "the error"
        expect_as_it_was "$h" "a watch that failed to start"

}

# `tether test --scenario flush` proves watch on a host: Docker's rules taken
# away, as a flush would, and back through a restart of docker by watch,
# with heal_ms; the host's own rules untouched. Without watch, it refuses.
test_test_flush_proves_watch() {
        local h report=$IT_DIR/it-watch-flush.json invocation test
        h=$(watch_host 3)
        remove_watch_later "$h"
        defer "$h" 'iptables -D INPUT -p tcp --dport 2222 -m comment --comment tether-it -j ACCEPT'
        on "$h" 'iptables -A INPUT -p tcp --dport 2222 -m comment --comment tether-it -j ACCEPT'
        run_tether apply -i "$FLEET_DIR/inventory.json" --limit "$h" --watch
        expect_eq "$STATUS" 0 "tether apply --watch ($(cat "$IT_DIR/.tether-stderr"))"
        wait_start_room "$h"
        invocation=$(docker_invocation "$h")

        run_tether test --yes --scenario flush --wait 120 -i "$FLEET_DIR/inventory.json" --limit "$h" \
                --report "$report"
        test=$(jq -c '.hosts[0].agent.tests[0]' "$report")
        echo "    test --scenario flush on $h: $test" >&2
        expect_eq "$STATUS" 0 "tether test --scenario flush ($(cat "$IT_DIR/.tether-stderr"))"
        expect_eq "$(jq -r .unit <<<"$test")" tether-watch.service "the unit tested"
        expect_eq "$(jq -r .scenario <<<"$test")" flush "the scenario"
        expect_eq "$(jq -r .result <<<"$test")" passed "the flush test's result"
        expect_match "$(jq -r .heal_ms <<<"$test")" '^[0-9]+$' "heal_ms"
        [ "$(docker_invocation "$h")" != "$invocation" ] || fail "docker was not restarted on $h"
        expect_eq "$(on "$h" 'iptables -S INPUT | grep -c "tether-it" || true')" 1 "the host's own rule"
        expect_match "$(watch_events "$h" "$(($(host_now "$h") - 300))" flush | jq -rs '.[-1].TETHER_WATCH_CULPRIT')" \
                '^iptables' "the flush's culprit, as watch saw it"

        run_tether revert -i "$FLEET_DIR/inventory.json" --limit "$h"
        expect_eq "$STATUS" 0 "tether revert"
        run_tether test --yes --scenario flush -i "$FLEET_DIR/inventory.json" --limit "$h" --report "$report"
        test=$(jq -c '.hosts[0].agent.tests[0]' "$report")
        expect_eq "$(jq -r .result <<<"$test")" refused "test --scenario flush without watch"
        expect_match "$(jq -r .reason <<<"$test")" "tether-watch.service is not installed" "the refusal"
}

# The role's firewall unit, to put its own rules back after a test: the
# one that flushes Docker's, or ufw's, which flushes only its own.
own_firewall() {
        case "$1" in
        ufw) echo ufw.service ;;
        *) role_unit "$1" ;;
        esac
}

# flush_by_hand HOST N: the N-th of the flushes an admin or a script does by
# hand, outside any unit: nftables' whole ruleset; iptables' filter and nat
# tables; an iptables-restore of a file saved without Docker's chains.
flush_by_hand() {
        case $(($2 % 3)) in
        0) on "$1" 'nft flush ruleset' ;;
        1) on "$1" 'iptables -F && iptables -t nat -F' ;;
        2) on "$1" 'iptables-save | grep -v -e DOCKER -e docker0 >/run/saved.v4 && iptables-restore </run/saved.v4 && rm /run/saved.v4' ;;
        esac
}

# restart_flushes ROLE: whether a restart of the role's firewall unit takes
# Docker's rules and leaves them to watch.
restart_flushes() {
        role_flushes "$1" && [ "$1" != firewalld ]
}

# Every role, all hosts at once, watch installed: Docker's own changes
# (networks created and removed, five times) restart nothing; then each of
# the three flushes by hand, one a round, every role getting all three in
# turn, and last a restart of the firewall unit without the tie: on every
# host Docker's rules come back through a restart of docker by watch,
# recorded with its heal_ms. The rounds follow each other as
# fast as the rules come back: watch's back-off and docker's start limit
# make it wait, as they must.
test_every_role_is_healed_after_every_flush_by_hand() {
        local -a hosts=() befores=() sinces=() invocations=() roles
        local role h i round unit
        read -ra roles <<<"$(tests/fleet/fleet roles)"
        for role in "${roles[@]}"; do
                h=$(role_host "$role" '$')
                unit=$(own_firewall "$role")
                install_watch "$h" "$unit"
                hosts+=("$h")
                befores+=("$(rules_count "$h")")
                wait_start_room "$h"
        done
        for i in "${!hosts[@]}"; do
                start_watch "${hosts[$i]}"
                invocations+=("$(docker_invocation "${hosts[$i]}")")
                sinces+=("$(host_now "${hosts[$i]}")")
        done

        for h in "${hosts[@]}"; do
                on "$h" 'for i in 1 2 3 4 5; do docker network create tether-watch-$i >/dev/null &&
                           docker network rm tether-watch-$i >/dev/null; done' &
        done
        wait
        # Past the settle time, and a look at the rules.
        sleep 3
        for i in "${!hosts[@]}"; do
                h=${hosts[$i]}
                expect_eq "$(docker_invocation "$h")" "${invocations[$i]}" "docker's invocation on $h (${roles[$i]})"
                expect_eq "$(watch_events "$h" "${sinces[$i]}" flush | jq -s length)" 0 "flush records on $h"
                expect_eq "$(rules_count "$h")" "${befores[$i]}" "Docker's rules on $h"
        done

        for round in 0 1 2; do
                for i in "${!hosts[@]}"; do
                        sinces[i]=$(host_now "${hosts[$i]}")
                        flush_by_hand "${hosts[$i]}" $((i + round))
                done
                for i in "${!hosts[@]}"; do
                        h=${hosts[$i]}
                        wait_rules "$h" "${befores[$i]}" 120
                        expect_eq "$(watch_events "$h" "${sinces[$i]}" heal | jq -rs 'map(.TETHER_WATCH_ACTION) | index("healed") != null')" \
                                true "a heal on $h (${roles[$i]}, flush $(((i + round) % 3)))"
                        echo "    ${roles[$i]}, flush $(((i + round) % 3)): heal_ms $(watch_events "$h" "${sinces[$i]}" heal | jq -rs 'map(.TETHER_WATCH_HEAL_MS) | join(",")')" >&2
                done
                # Each heal's records are its own round's: the host's clock
                # moves on a second before the next flush.
                sleep 1
        done

        # Without the tie, a restart of the firewall unit is one more flush
        # (on the roles whose firewall takes Docker's rules). Not firewalld's:
        # the fleet's Docker re-creates its rules itself on firewalld's
        # signal, all but docker0's two isolation rules, which the judge does
        # not expect with one network (docs/watch.md), so watch rightly does
        # nothing there.
        for i in "${!hosts[@]}"; do
                restart_flushes "${roles[$i]}" || continue
                sinces[i]=$(host_now "${hosts[$i]}")
                on "${hosts[$i]}" "rm /etc/systemd/system/docker.service.d/50-tether-firewall.conf &&
                                   systemctl daemon-reload && systemctl restart $(role_unit "${roles[$i]}")"
        done
        for i in "${!hosts[@]}"; do
                restart_flushes "${roles[$i]}" || continue
                h=${hosts[$i]}
                wait_rules "$h" "${befores[$i]}" 120
                expect_eq "$(watch_events "$h" "${sinces[$i]}" heal | jq -rs 'map(.TETHER_WATCH_ACTION) | index("healed") != null')" \
                        true "a heal on $h (${roles[$i]}, $(role_unit "${roles[$i]}") restarted)"
                # The unit is named, from systemd's job where the culprit's
                # process could not be checked.
                expect_eq "$(watch_events "$h" "${sinces[$i]}" flush | jq -rs '.[0].TETHER_WATCH_CULPRIT_UNIT')" \
                        "$(role_unit "${roles[$i]}")" "the flush's unit on $h"
                echo "    ${roles[$i]}, $(role_unit "${roles[$i]}") restarted: heal_ms $(watch_events "$h" "${sinces[$i]}" heal | jq -rs 'map(.TETHER_WATCH_HEAL_MS) | join(",")')" >&2
        done
}

# A host whose daemon.json says "live-restore": true, with a watch that only
# reports: a restart of docker there leaves the containers running, so
# watch restarts it all the same, and says why.
test_live_restore_is_healed_whatever_the_policy() {
        local h before since config
        h=$(watch_host 2)
        config=$(on "$h" 'cat /etc/docker/daemon.json')
        install_watch "$h" "" report
        defer "$h" "printf '%s\n' '$config' >/etc/docker/daemon.json; systemctl reset-failed docker.service; systemctl restart docker.service"
        wait_start_room "$h"
        # The fleet's daemon.json is one JSON object on one line.
        on "$h" "sed 's/}\$/,\"live-restore\":true}/' /etc/docker/daemon.json >/run/daemon.json &&
                 mv /run/daemon.json /etc/docker/daemon.json && systemctl restart docker.service"
        expect_eq "$(on "$h" "docker info -f '{{.LiveRestoreEnabled}}'")" true "live-restore on $h"
        before=$(rules_count "$h")
        wait_start_room "$h"
        start_watch "$h"
        since=$(host_now "$h")
        on "$h" 'nft flush ruleset'
        wait_rules "$h" "$before" 60
        expect_healed "$h" "$since" nft '^restart$'
        expect_match "$(on "$h" "journalctl -q -u tether-watch.service --since=@$since --no-pager")" \
                'live-restore kept the containers running' "watch's account of the restart"
}

# A host whose iptables is iptables-legacy, with Docker's rules in legacy
# tables: no event says they changed, so watch reads the tables every
# second; a flush of them by hand is healed all the same.
test_legacy_tables_are_polled_and_healed() {
        local h before since events
        h=$(watch_host 4)
        # One command puts it all back, in order.
        defer "$h" 'systemctl disable --now tether-watch.service; rm -rf /etc/systemd/system/tether-watch.service /etc/systemd/system/docker.service.d/50-tether-firewall.conf; systemctl daemon-reload; update-alternatives --quiet --set iptables /usr/sbin/iptables-nft; update-alternatives --quiet --set ip6tables /usr/sbin/ip6tables-nft; for t in filter nat mangle raw; do iptables-legacy -t $t -F; iptables-legacy -t $t -X; ip6tables-legacy -t $t -F; ip6tables-legacy -t $t -X; done 2>/dev/null; grep -v "^flush ruleset" /etc/nftables.conf | nft -f -; systemctl reset-failed docker.service; systemctl restart docker.service'
        wait_start_room "$h"
        on "$h" 'update-alternatives --quiet --set iptables /usr/sbin/iptables-legacy &&
                 update-alternatives --quiet --set ip6tables /usr/sbin/ip6tables-legacy &&
                 systemctl restart docker.service'
        expect_match "$(on "$h" 'iptables -V')" 'legacy' "iptables on $h"
        install_watch "$h"
        before=$(rules_count "$h")
        [ "$before" -gt 5 ] || fail "Docker's rules in $h's legacy tables: only $before"
        expect_match "$(on "$h" 'journalctl -q -u tether-watch.service -n 20 --no-pager')" \
                'iptables-legacy here.*read every second' "watch says it polls"
        wait_start_room "$h"
        since=$(host_now "$h")
        on "$h" 'iptables -F && iptables -t nat -F'
        wait_rules "$h" "$before" 60
        events=$(watch_events "$h" "$since" heal)
        expect_eq "$(jq -rs 'map(.TETHER_WATCH_ACTION) | index("healed") != null' <<<"$events")" true \
                "a heal on $h"
        echo "    iptables-legacy: heal_ms $(jq -rs 'map(.TETHER_WATCH_HEAL_MS) | join(",")' <<<"$events") on $h" >&2
        expect_eq "$(watch_events "$h" "$since" flush | jq -rs '.[0].TETHER_WATCH_CULPRIT')" "" \
                "the culprit of a polled change (not known)"
}
