# The path to root on a host, against an attacker who is the login user or
# another user there (docs/security.md): a cached agent swapped while tether
# runs is never run as root, a cache directory open to others is refused,
# and a user whose sudo allows only the agent runs audit, apply and revert.

INVENTORY=$FLEET_DIR/inventory.json

host_json() {
        jq -r --arg n "$2" ".hosts[] | select(.name == \$n) | $3" "$1"
}

agent_sha() {
        sha256sum <"$TETHER_AGENT" | cut -c1-64
}

# The first host of a role with a firewall, else the first host.
target_host() {
        local h
        h=$(hosts_with_role nftables | head -1)
        [ -n "$h" ] || h=$(all_hosts | head -1)
        echo "$h"
}

# While tether runs over and over, the login user swaps the cached agent,
# with rename(), between tether's own file and a script of its own, as fast
# as the shell goes. Every other run starts without root's copy, so that
# root makes it from the swapped file. The script records the user it ran
# as: it must never run as root. (Before root kept a copy of its own, the
# digest was checked on the file and then the file was run, by path: the
# script ran as root in about one run in ten.)
test_a_swapped_cached_agent_never_runs_as_root() {
        local h sha runs=${TETHER_RACE_RUNS:-120} i ok=0 uploaded=0 dir=/home/deploy/.cache/tether
        h=$(target_host)
        sha=$(agent_sha)
        run_tether audit -i "$INVENTORY" --limit "$h" -q
        expect_eq "$STATUS" 0 "the first audit, which deploys the agent: $OUT"
        # All of it the login user's own work (a hard link to another's file
        # is refused), but for the record, which root may append to.
        on "$h" --user deploy "cd $dir || exit; rm -f .stop .ran; touch .ran; ln -f tether-agent-$sha .good &&
                printf '#!/bin/sh\\nid -u >>$dir/.ran\\n' >.evil && chmod 0755 .evil || exit
                setsid sh -c 'while [ ! -e .stop ]; do ln -f .good .r1; mv -f .r1 tether-agent-$sha;
                ln -f .evil .r2; mv -f .r2 tether-agent-$sha; done' >/dev/null 2>&1 </dev/null &"
        defer "$h" "touch $dir/.stop; sleep 1; rm -f $dir/.stop $dir/.good $dir/.evil $dir/.r1 $dir/.r2 $dir/.ran"
        expect_eq "$(on "$h" "for i in \$(seq 200); do stat -c %s $dir/tether-agent-$sha; done 2>/dev/null | sort -u | wc -l")" 2 \
                "sizes the cached agent takes under the swap"
        for ((i = 0; i < runs; i++)); do
                if ((i % 2 == 0)); then
                        on "$h" "rm -f /var/lib/tether/tether-agent-$sha"
                fi
                run_tether audit -i "$INVENTORY" --limit "$h" -q --report "$IT_DIR/it-swap.json"
                [ "$STATUS" = 0 ] && ok=$((ok + 1))
                [ "$(jq -r '.hosts[0].uploaded' "$IT_DIR/it-swap.json")" = true ] && uploaded=$((uploaded + 1))
        done
        on "$h" "touch $dir/.stop"
        sleep 1
        echo "    ($runs runs under the swap: $ok audited, $uploaded uploaded again;" \
                "the swapped script ran as uid: $(on "$h" "sort $dir/.ran | uniq -c | tr -s ' \n' ' '"))" >&2
        expect_eq "$(on "$h" "grep -c '^0\$' $dir/.ran || true")" 0 \
                "runs of the login user's swapped file as root"
        [ "$ok" -gt 0 ] || fail "no audit succeeded under the swap"
        # The last runs under the swap may all have met the foreign file and made
        # no copy: one run without it makes root's copy for the look below.
        run_tether audit -i "$INVENTORY" --limit "$h" -q
        expect_eq "$STATUS" 0 "an audit once the swap stopped"
        expect_eq "$(on "$h" "stat -c '%U %a' /var/lib/tether /var/lib/tether/tether-agent-$sha")" $'root 700\nroot 700' \
                "root's directory and copy"
        expect_eq "$(on "$h" "sha256sum </var/lib/tether/tether-agent-$sha | cut -c1-64")" "$sha" "root's copy's digest"
}

# root runs nothing from a /var/lib/tether that is not its own and closed.
test_an_open_root_directory_runs_nothing() {
        local h report=$IT_DIR/it-rootdir.json
        h=$(target_host)
        run_tether audit -i "$INVENTORY" --limit "$h" -q
        on "$h" 'chmod 0755 /var/lib/tether'
        defer "$h" 'chmod 0700 /var/lib/tether'
        run_tether audit -i "$INVENTORY" --limit "$h" --report "$report"
        expect_eq "$STATUS" 2 "audit over an open /var/lib/tether"
        expect_eq "$(host_json "$report" "$h" .error.stage)" agent "its stage"
        expect_match "$(host_json "$report" "$h" .error.message)" "^agent-unsafe: /var/lib/tether" "its message"
}

# Another user who may write in the login user's cache could swap an upload:
# tether uploads nothing into a cache directory open to others.
test_a_cache_open_to_others_is_refused() {
        local h report=$IT_DIR/it-cache-mode.json
        h=$(target_host)
        on "$h" 'rm -rf /var/lib/tether'
        on "$h" --user deploy 'mkdir -p ~/.cache && rm -rf ~/.cache/tether && mkdir ~/.cache/tether && chmod 0775 ~/.cache/tether'
        defer "$h" 'chmod 0700 ~deploy/.cache/tether'
        run_tether audit -i "$INVENTORY" --limit "$h" --report "$report"
        expect_eq "$STATUS" 2 "audit over a group-writable ~/.cache/tether"
        expect_eq "$(host_json "$report" "$h" .error.stage)" upload "its stage"
        expect_match "$(host_json "$report" "$h" .error.message)" "^~/.cache/tether on the host is not a directory of the login user's \\(or root's\\) closed to others .*mode 0775" "its message"
        on "$h" 'test -z "$(ls -A ~deploy/.cache/tether)"' || fail "something was uploaded into the open directory"
        on "$h" 'chmod 0700 ~deploy/.cache/tether'
        run_tether audit -i "$INVENTORY" --limit "$h" --report "$report"
        expect_eq "$STATUS" 0 "audit once the directory is closed"
}

# The sudoers rule of docs/security.md, for user limited: the lines of its
# ```sudoers block, with the example's user "deploy" replaced.
security_md_rule() {
        awk '/^```sudoers$/ { f = 1; next } /^```$/ { f = 0 } f' "$TOP/docs/security.md" | sed 's/deploy/limited/g'
}

# wait_docker_rules HOST: the count of Docker's nat rules once docker is
# active again after a restart of the firewall (0 if it stays down).
wait_docker_rules() {
        local i
        for i in $(seq 30); do
                if on "$1" 'systemctl is-active -q docker.service'; then
                        break
                fi
                sleep 1
        done
        docker_rule_count "$1" nat
}

# A user whose sudo allows the installed agent and nothing else runs
# audit, apply and revert, and the fix holds against a real restart of the
# firewall; tether's own upload, which needs root to copy it, is refused.
test_a_user_whose_sudo_allows_only_the_agent() {
        local h role dir rule
        h=$(target_host)
        role=$(host_field "$h" 2)
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        rule=$(security_md_rule)
        [ -n "$rule" ] || fail "no sudoers rule in docs/security.md"
        expect_match "$(on "$h" 'sudo -l -U limited')" "not allowed to run sudo" "limited's sudo before the rule"
        on "$h" 'install -d -m 0755 /usr/libexec/tether'
        local -a opts
        mapfile -t opts < <(ssh_opts)
        scp -q "${opts[@]}" "$TETHER_AGENT" "root@$(host_field "$h" 3):/usr/libexec/tether/tether-agent" </dev/null
        on "$h" "chown root: /usr/libexec/tether/tether-agent && chmod 0755 /usr/libexec/tether/tether-agent &&
                printf '%s\\n' '$rule' >/etc/sudoers.d/tether-limited && chmod 0440 /etc/sudoers.d/tether-limited &&
                visudo -cq -f /etc/sudoers.d/tether-limited"
        defer "$h" 'rm -rf /etc/sudoers.d/tether-limited /usr/libexec/tether'
        defer_local "'$TETHER' revert -i '$INVENTORY' --limit '$h' -q"

        # Nothing else: no shell, no other program, not the deployed agent.
        on "$h" --user limited 'sudo -n id' 2>/dev/null && fail "limited may run id as root"
        on "$h" --user limited 'sudo -n /bin/sh -c id' 2>/dev/null && fail "limited may run a shell as root"
        run_tether audit -i "$INVENTORY" --limit "$h" --user limited --report "$dir/deployed.json"
        expect_eq "$(jq -r '.hosts[0].error.stage' "$dir/deployed.json")" sudo "tether's own agent, as limited"

        local args=(-i "$INVENTORY" --limit "$h" --user limited --agent-path /usr/libexec/tether/tether-agent)
        run_tether audit "${args[@]}" --report "$dir/audit.json"
        expect_eq "$(jq -r '.hosts[0] | .verdict + " " + .agent_source' "$dir/audit.json")" "vulnerable installed" \
                "audit as limited: $(jq -c '.hosts[0].error' "$dir/audit.json")"
        run_tether apply "${args[@]}" --report "$dir/apply.json"
        expect_eq "$STATUS" 0 "apply as limited: $(jq -c '.hosts[0].error' "$dir/apply.json")"
        expect_eq "$(jq -r '.hosts[0].verdict' "$dir/apply.json")" "$(bind_verdict "$role")" "verdict after apply"
        wait_start_room "$h"
        on "$h" "systemctl restart $(role_unit "$role")"
        [ "$(wait_docker_rules "$h")" -gt 0 ] || fail "Docker's nat rules are gone after a restart of the firewall, with the fix"
        run_tether revert "${args[@]}" --report "$dir/revert.json"
        expect_eq "$STATUS" 0 "revert as limited: $(jq -c '.hosts[0].error' "$dir/revert.json")"
        expect_eq "$(jq -r '.hosts[0].verdict' "$dir/revert.json")" vulnerable "verdict after revert"
        wait_start_room "$h"
        on "$h" "systemctl restart $(role_unit "$role")"
        sleep 2
        expect_eq "$(docker_rule_count "$h" nat)" 0 "Docker's nat rules after a restart of the firewall, the fix reverted"
        on "$h" 'systemctl restart docker'
}

# An inventory of N entries that are all the target host (names dup-0...),
# for runs with many hosts on a small fleet.
duplicated_inventory() {
        local n=$1 file=$2
        jq --arg h "$(target_host)" --argjson n "$n" \
                '(.hosts[] | select(.name == $h)) as $host | .hosts = [range($n) | $host + {name: ("dup-\(.)")}]' \
                "$INVENTORY" >"$file"
}

# A reader that goes away (`| head -1`) stops what tether prints, not the
# run: every report is written and the exit status is the run's.
test_a_closed_pipe_still_writes_every_report() {
        local dir status
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        duplicated_inventory 6 "$dir/inv.json"
        {
                status=0
                "$TETHER" audit -i "$dir/inv.json" -j 1 --fail-on vulnerable --report "$dir/r.json" \
                        --junit "$dir/j.xml" 2>"$dir/err" || status=$?
                echo "$status" >"$dir/status"
        } | head -1 >"$dir/first"
        status=$(cat "$dir/status")
        expect_eq "$status" 2 "exit status under | head -1 (the run's: vulnerable hosts, --fail-on vulnerable): $(cat "$dir/err")"
        expect_match "$(cat "$dir/first")" "^dup-[0-5] +vulnerable" "the one line head read"
        expect_eq "$(jq '[.hosts[] | select(.verdict == "vulnerable")] | length' "$dir/r.json")" 6 "hosts in the report"
        expect_eq "$(grep -c '<testcase ' "$dir/j.xml")" 6 "test cases in the JUnit report"
}

# SIGHUP (the terminal or the SSH session that ran tether went away) ends
# the run as Ctrl-C does: a valid report of what was done.
test_sighup_leaves_a_valid_report() {
        local dir pid status=0
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        duplicated_inventory 20 "$dir/inv.json"
        "$TETHER" audit -i "$dir/inv.json" -j 1 --report "$dir/r.json" >/dev/null 2>&1 &
        pid=$!
        sleep 1
        kill -HUP "$pid"
        wait "$pid" || status=$?
        expect_eq "$status" 130 "exit status after SIGHUP"
        expect_eq "$(jq -r .interrupted "$dir/r.json")" true "the report says it was interrupted"
        expect_eq "$(jq '.hosts | length' "$dir/r.json")" 20 "every host is in the report"
        [ "$(jq '[.hosts[] | select(.verdict == "skipped")] | length' "$dir/r.json")" -gt 0 ] ||
                fail "no host was left out by the interruption"
}

# Out of file descriptors is tether's problem, never an unreachable host:
# -j is fitted to what RLIMIT_NOFILE allows (raised to the hard limit).
test_few_file_descriptors_fit_parallel() {
        local dir status=0
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        duplicated_inventory 16 "$dir/inv.json"
        prlimit --nofile=16:16 "$TETHER" audit -i "$dir/inv.json" -j 16 --report "$dir/r.json" \
                >"$dir/out" 2>"$dir/err" || status=$?
        expect_match "$(cat "$dir/err")" "-j 16 lowered to 2: tether may open only 16 files at once" "what tether says"
        expect_eq "$(jq '[.hosts[] | select(.verdict == "unreachable" or (.error.message // "" | test("open files")))] | length' "$dir/r.json")" 0 \
                "hosts failed for tether's lack of descriptors: $(jq -c '[.hosts[].error.message]' "$dir/r.json")"
        # A soft limit below the hard one is raised: -j stays.
        status=0
        prlimit --nofile=16:4096 "$TETHER" audit -i "$dir/inv.json" -j 4 --report "$dir/r2.json" \
                >"$dir/out" 2>"$dir/err" || status=$?
        if grep -q lowered "$dir/err"; then
                fail "-j was lowered under a hard limit of 4096: $(cat "$dir/err")"
        fi
        expect_eq "$(jq '[.hosts[] | select(.verdict == "unreachable")] | length' "$dir/r2.json")" 0 "unreachable hosts"
}

# Reports honour the umask and an existing file's mode; a report to
# /dev/stdout (a link, as root) or "-" goes to stdout, and /dev/stdout stays
# what it is.
test_report_files_modes_and_stdout() {
        local dir h mode
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        h=$(target_host)
        (umask 077 && "$TETHER" audit -i "$INVENTORY" --limit "$h" -q --report "$dir/r.json" --junit "$dir/j.xml" \
                --html "$dir/r.html" --markdown "$dir/r.md" >/dev/null) || true
        for f in r.json j.xml r.html r.md; do
                expect_eq "$(stat -c %a "$dir/$f")" 600 "mode of $f under umask 077"
        done
        chmod 0640 "$dir/r.json"
        "$TETHER" audit -i "$INVENTORY" --limit "$h" -q --report "$dir/r.json" >/dev/null || true
        expect_eq "$(stat -c %a "$dir/r.json")" 640 "mode of a report that was there"

        # A link of its own to /proc/self/fd/1, as /dev/stdout is: a tether
        # that replaced it would not replace this machine's /dev/stdout.
        ln -s /proc/self/fd/1 "$dir/stdout"
        "$TETHER" audit -i "$INVENTORY" --limit "$h" --report "$dir/stdout" >"$dir/stdout.json" 2>/dev/null || true
        expect_eq "$(jq -r '.hosts[0].name' "$dir/stdout.json")" "$h" "the report on stdout, alone: $(head -c 300 "$dir/stdout.json")"
        [ -L "$dir/stdout" ] || fail "the link to stdout was replaced"
        "$TETHER" audit -i "$INVENTORY" --limit "$h" --report - 2>/dev/null | jq -r '.hosts[0].name' >"$dir/name" || true
        expect_eq "$(cat "$dir/name")" "$h" "--report - through a pipe"
        [ ! -e ./- ] || fail "a file named - was written"
}

# A sudo password file that others may read is refused before any host.
test_a_readable_password_file_is_refused() {
        local dir
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        install -m 0640 "$FLEET_DIR/ops-password" "$dir/password"
        run_tether audit -i "$INVENTORY" --user ops --sudo-password-file "$dir/password" --report "$dir/r.json"
        expect_eq "$STATUS" 5 "exit status with a group-readable password file"
        expect_match "$(cat "$IT_DIR/.tether-stderr")" "may be read by its group \\(mode 0640\\): make it yours alone" "the message"
        [ ! -e "$dir/r.json" ] || fail "tether ran with a password file others may read"
}

# When no worker thread can start (here: RLIMIT_NPROC of 1, for a user
# with no other process), nothing ran: exit status 1 and the reason, never
# a run that looks done.
test_no_worker_thread_is_tethers_failure() {
        local dir status=0
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        chmod 0777 "$dir"
        cp "$INVENTORY" "$dir/inv.json"
        chmod 0644 "$dir/inv.json"
        setpriv --reuid nobody --regid nogroup --clear-groups bash -c \
                "ulimit -u 1; HOME=$dir exec '$TETHER' audit -i '$dir/inv.json' --report '$dir/r.json'" \
                >"$dir/out" 2>"$dir/err" || status=$?
        expect_eq "$status" 1 "exit status: $(cat "$dir/err")"
        expect_match "$(cat "$dir/err")" "Cannot start the workers that connect to the hosts" "what tether says"
        expect_eq "$(jq -r '[.interrupted, ([.hosts[].skip_reason] | unique | join(","))] | join(" ")' "$dir/r.json")" \
                "false not started: tether could not start its workers" "the report"
}
