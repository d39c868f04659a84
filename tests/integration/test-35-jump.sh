# Jump hosts: the fleet's first host is the bastion, and the others are
# reached by names that resolve only on the bastion ("NAME.behind" in its
# /etc/hosts), so a run that did not go through it could reach none of them.
# tether runs with no ssh on PATH: libssh's `ssh -W` fallback cannot help.

INVENTORY=$FLEET_DIR/inventory.json

bastion() {
        all_hosts | head -1
}

targets() {
        all_hosts | tail -n +2
}

# A directory with an inventory of the targets by their hidden names, a
# known_hosts that knows them by those names, and the bastion's /etc/hosts
# taught them; undone when the test ends.
setup_behind() {
        local dir=$1 first=1 h address key
        : >"$dir/known_hosts"
        cat "$FLEET_DIR/known_hosts" >>"$dir/known_hosts"
        on "$(bastion)" "cp /etc/hosts /etc/hosts.tether-test"
        defer "$(bastion)" "mv /etc/hosts.tether-test /etc/hosts"
        {
                printf '{"defaults": {"user": "deploy", "sudo": true, "identity_file": "%s",' "$FLEET_DIR/id_ed25519"
                printf ' "known_hosts": "%s"},\n "hosts": [' "$dir/known_hosts"
                for h in $(targets); do
                        address=$(host_field "$h" 3)
                        key=$(awk -v a="$address" 'index("," $1 ",", "," a ",") { print $2, $3; exit }' \
                                "$FLEET_DIR/known_hosts")
                        echo "$h.behind $key" >>"$dir/known_hosts"
                        on "$(bastion)" "echo '$address $h.behind' >>/etc/hosts"
                        [ $first = 1 ] || printf ','
                        first=0
                        printf '\n  {"name": "%s", "address": "%s.behind", "tags": ["%s"]}' "$h" "$h" \
                                "$(host_field "$h" 2)"
                done
                printf '\n]}\n'
        } >"$dir/inventory.json"
}

# run_tether without ssh on PATH.
run_tether_no_ssh() {
        STATUS=0
        OUT=$(PATH=/nonexistent "$TETHER" "$@" 2>"$IT_DIR/.tether-stderr") || STATUS=$?
}

# Logins to the bastion's sshd from this machine since the epoch second $1.
bastion_logins_since() {
        on "$(bastion)" "journalctl -q -o cat --since @$1 _COMM=sshd | grep -c 'Accepted publickey for root' || true"
}

test_every_host_through_one_bastion_session() {
        local dir started h
        dir=$(mktemp -d)
        setup_behind "$dir"
        run_tether audit -i "$INVENTORY" --limit "$(targets | paste -sd,)" --report "$dir/direct.json"
        expect_eq "$STATUS" 0 "audit without a bastion"
        sleep 1
        started=$(date +%s)
        run_tether_no_ssh audit -i "$dir/inventory.json" --jump "root@$(host_field "$(bastion)" 3)" \
                --report "$dir/jump.json"
        expect_eq "$STATUS" 0 "audit through the bastion: $(cat "$IT_DIR/.tether-stderr")"
        for h in $(targets); do
                expect_eq "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .verdict' "$dir/jump.json")" \
                        "$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .verdict' "$dir/direct.json")" \
                        "$h through the bastion and directly"
        done
        # tether's one session, and the one that reads the journal.
        expect_eq "$(bastion_logins_since "$started")" 2 "logins to the bastion for $(targets | wc -l) hosts"
        rm -rf "$dir"
}

test_proxyjump_from_ssh_config() {
        local dir
        dir=$(mktemp -d)
        setup_behind "$dir"
        printf 'Host *.behind\n  ProxyJump root@%s\n' "$(host_field "$(bastion)" 3)" >"$dir/ssh_config"
        run_tether_no_ssh audit -i "$dir/inventory.json" --ssh-config "$dir/ssh_config" --report "$dir/r.json"
        expect_eq "$STATUS" 0 "audit through ssh_config's ProxyJump: $(cat "$IT_DIR/.tether-stderr")"
        expect_eq "$(jq '[.hosts[] | select(.error)] | length' "$dir/r.json")" 0 "hosts that failed"
        rm -rf "$dir"
}

# Two bastions: the first reaches the second, which reaches the targets.
test_a_chain_of_two_bastions() {
        local dir second line
        dir=$(mktemp -d)
        setup_behind "$dir"
        second=$(targets | head -1)
        on "$second" "cp /etc/hosts /etc/hosts.tether-test"
        defer "$second" "mv /etc/hosts.tether-test /etc/hosts"
        while read -r line; do
                on "$second" "echo '$line' >>/etc/hosts"
        done <<<"$(on "$(bastion)" "grep behind /etc/hosts")"
        run_tether_no_ssh audit -i "$dir/inventory.json" --limit "$(targets | tail -1)" \
                --jump "root@$(host_field "$(bastion)" 3),root@$(host_field "$second" 3)" --report "$dir/r.json"
        expect_eq "$STATUS" 0 "audit through two bastions: $OUT"
        rm -rf "$dir"
}

test_errors_name_the_hop() {
        local dir address target message
        dir=$(mktemp -d)
        setup_behind "$dir"
        address=$(host_field "$(bastion)" 3)
        target=$(targets | head -1)

        run_tether_no_ssh audit -i "$dir/inventory.json" --limit "$target" --jump "nobody@$address" \
                --report "$dir/r.json"
        expect_eq "$STATUS" 4 "a bastion that refuses the key"
        expect_eq "$(jq -r '.hosts[0].error.stage' "$dir/r.json")" auth "its stage"
        expect_match "$(jq -r '.hosts[0].error.message' "$dir/r.json")" "^bastion nobody@$address: .*refused" \
                "its message"

        : >"$dir/empty"
        run_tether_no_ssh audit -i "$dir/inventory.json" --limit "$target" --jump "root@$address" \
                --known-hosts "$dir/empty" --report "$dir/r.json"
        expect_eq "$(jq -r '.hosts[0].error.stage' "$dir/r.json")" hostkey "an unknown bastion key"
        expect_match "$(jq -r '.hosts[0].error.message' "$dir/r.json")" "^bastion root@$address: the host key of" \
                "its message"

        inventory_with_port() {
                jq --arg t "$target" '(.hosts[] | select(.name == $t)).port = 2222' "$dir/inventory.json"
        }
        inventory_with_port >"$dir/closed.json"
        run_tether_no_ssh audit -i "$dir/closed.json" --limit "$target" --jump "root@$address" \
                --report "$dir/r.json" --connect-timeout 5
        expect_eq "$STATUS" 4 "a target the bastion cannot reach"
        expect_match "$(jq -r '.hosts[0].error.message' "$dir/r.json")" \
                "^the bastion root@$address could not reach $target.behind port 2222" "its message"

        grep -v "^$target.behind " "$dir/known_hosts" >"$dir/known_hosts.less"
        run_tether_no_ssh audit -i "$dir/inventory.json" --limit "$target" --jump "root@$address" \
                --known-hosts "$dir/known_hosts.less" --report "$dir/r.json"
        message=$(jq -r '.hosts[0].error.message' "$dir/r.json")
        expect_match "$message" "ssh root@$address ssh-keyscan -p 22 $target.behind" \
                "the hint scans the target from the bastion"
        rm -rf "$dir"
}
