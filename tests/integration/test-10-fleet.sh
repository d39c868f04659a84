# The test fleet is faithful: real hosts, strict host keys, the users the
# tests need, and the bug tether exists for, reproduced on every role that has
# a firewall.

test_every_host_answers_with_strict_host_keys() {
        local h state
        for h in $(all_hosts); do
                expect_eq "$(on "$h" hostname)" "$h" "hostname of $h"
                state=$(on "$h" 'systemctl is-system-running')
                [ "$state" = running ] ||
                        fail "systemd state of $h: expected 'running', got '$state'; failed: $(on "$h" "$(cat "$TOP/tests/fleet/failed-units.sh")")"
                expect_eq "$(on "$h" 'systemctl is-active docker.service')" active "docker on $h"
        done
}

test_a_wrong_host_key_is_refused() {
        local h address wrong out
        h=$(all_hosts | head -1)
        address=$(host_field "$h" 3)
        wrong=$(mktemp -d)
        ssh-keygen -q -t ed25519 -N '' -f "$wrong/key"
        echo "$address $(cut -d' ' -f1-2 "$wrong/key.pub")" >"$wrong/known_hosts"
        if out=$(ssh -i "$FLEET_DIR/id_ed25519" -o BatchMode=yes -o StrictHostKeyChecking=yes \
                -o UserKnownHostsFile="$wrong/known_hosts" -o GlobalKnownHostsFile=/dev/null \
                "root@$address" true </dev/null 2>&1); then
                rm -rf "$wrong"
                fail "ssh accepted $h with a host key that is not its own"
        fi
        rm -rf "$wrong"
        expect_match "$out" "HOST IDENTIFICATION HAS CHANGED|Host key verification failed" "ssh's refusal"
}

test_hosts_are_distinct_machines() {
        local keys ids n
        n=$(all_hosts | wc -l)
        keys=$(cut -d' ' -f3 "$FLEET_DIR/known_hosts" | sort -u | wc -l)
        expect_eq "$keys" "$n" "distinct host keys"
        ids=$(for h in $(all_hosts); do on "$h" cat /etc/machine-id; done | sort -u | wc -l)
        expect_eq "$ids" "$n" "distinct machine ids"
}

test_users_and_sudo() {
        local h out
        h=$(all_hosts | head -1)
        expect_eq "$(on "$h" --user deploy 'sudo -n id -u')" 0 "deploy's sudo without password"
        if out=$(on "$h" --user ops 'sudo -n id -u' 2>&1); then
                fail "ops ran sudo without its password"
        fi
        expect_match "$out" "password is required" "ops's sudo -n"
        local -a opts
        mapfile -t opts < <(ssh_opts)
        out=$(ssh "${opts[@]}" "ops@$(host_field "$h" 3)" "sudo -S -p '' id -u" <"$FLEET_DIR/ops-password")
        expect_eq "$out" 0 "ops's sudo with its password"
        expect_eq "$(on "$h" --user limited 'id -un')" limited "limited logs in"
        expect_match "$(on "$h" 'sudo -l -U limited')" "not allowed to run sudo" "limited's sudo allows nothing"
}

test_inventory_lists_the_fleet() {
        local n
        n=$(all_hosts | wc -l)
        expect_eq "$(grep -c '"name"' "$FLEET_DIR/inventory.json")" "$n" "hosts in the fleet's inventory"
        "$TETHER" inventory -i "$FLEET_DIR/inventory.json" >/dev/null ||
                fail "tether does not accept the fleet's inventory"
        expect_eq "$("$TETHER" inventory -i "$FLEET_DIR/inventory.json" --names | wc -l)" "$n" "hosts tether reads"
}

# The bug: a firewall restart wipes Docker's rules in the tables the role
# flushes, docker stays "active" and unaware, and a docker restart heals it.
# reproduce_on_role ROLE "TABLES WIPED" "TABLES KEPT"
reproduce_on_role() {
        local role=$1 wiped=$2 kept=$3 h unit pid_before t
        h=$(hosts_with_role "$role" | head -1)
        [ -n "$h" ] || fail "the fleet has no host of role $role"
        unit=$(role_unit "$role")
        expect_eq "$(on "$h" "systemctl is-enabled $unit")" enabled "$unit on $h"
        for t in filter nat; do
                [ "$(docker_rule_count "$h" $t)" -gt 0 ] || fail "$h has no docker rules in $t before the test"
        done
        pid_before=$(on "$h" 'systemctl show -P MainPID docker.service')
        # Whatever fails below, the host is left with docker and its rules:
        # the tests after this one take it as the fleet made it.
        defer "$h" "systemctl is-active --quiet docker.service && iptables -w -t filter -S | grep -q DOCKER && exit 0;
                $(restart_unit_command docker.service)"

        # A restart whose start fails to spawn (219/CGROUP, see restart_unit)
        # has flushed all the same: its stop ran. One whose stop failed to
        # spawn flushed nothing, and is made again (restart_firewall).
        restart_firewall "$h" "$unit"
        expect_eq "$(on "$h" 'systemctl is-active docker.service')" active "docker after the firewall restart"
        expect_eq "$(on "$h" 'systemctl show -P MainPID docker.service')" "$pid_before" "dockerd's pid (not restarted)"
        for t in $wiped; do
                expect_eq "$(docker_rule_count "$h" "$t")" 0 "docker rules in $t after restarting $unit"
        done
        for t in $kept; do
                [ "$(docker_rule_count "$h" "$t")" -gt 0 ] || fail "restarting $unit should leave $t alone"
        done

        restart_unit "$h" docker.service
        for t in filter nat; do
                [ "$(docker_rule_count "$h" $t)" -gt 0 ] || fail "docker's restart did not bring back its rules in $t"
        done
}

test_nftables_restart_wipes_every_table() {
        reproduce_on_role nftables "filter nat" ""
}

test_iptables_restart_wipes_every_table() {
        reproduce_on_role iptables "filter nat" ""
}

test_netfilter_persistent_restart_wipes_filter_only() {
        reproduce_on_role netfilter-persistent "filter" "nat"
}

test_role_none_has_no_firewall_service() {
        local h unit
        h=$(hosts_with_role none | head -1)
        [ -n "$h" ] || fail "the fleet has no host of role none"
        for unit in nftables.service iptables.service netfilter-persistent.service firewalld.service \
                ufw.service; do
                # is-enabled also succeeds for "alias": Debian 11 ships iptables.service
                # as one, which nothing enables.
                case "$(on "$h" "systemctl is-enabled $unit" 2>/dev/null || true)" in
                enabled | enabled-runtime) fail "$unit is enabled on $h" ;;
                esac
                if on "$h" "systemctl is-active --quiet $unit"; then
                        fail "$unit is active on $h"
                fi
        done
}
