# The controller built under AddressSanitizer and UndefinedBehaviorSanitizer
# (make sanitize, build/sanitize/tether) runs the whole fix cycle on the
# fleet: any memory error, leak or undefined behaviour in a real run with
# threads, libssh sessions and agents fails it.

SANITIZED=$TOP/build/sanitize/tether

# run_sanitized ARGS...: $STATUS (the hosts get the ordinary agent, whose
# own run under the sanitizers is not this test's business), and the sanitizers' reports in $IT_DIR/.sanitize-stderr.
run_sanitized() {
        STATUS=0
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
                "$SANITIZED" "$@" --agent "$TETHER_AGENT" >/dev/null 2>"$IT_DIR/.sanitize-stderr" || STATUS=$?
        if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$IT_DIR/.sanitize-stderr"; then
                fail "the sanitizers found: $(grep -m3 -E 'ERROR|runtime error|SUMMARY' "$IT_DIR/.sanitize-stderr")"
        fi
}

test_the_fix_cycle_under_sanitizers() {
        local dir
        [ -x "$SANITIZED" ] || fail "no $SANITIZED: run make sanitize first"
        dir=$(mktemp -d)
        run_sanitized audit -i "$FLEET_DIR/inventory.json" --report "$dir/audit.json" --html "$dir/audit.html"
        expect_eq "$STATUS" 0 "audit"
        run_sanitized apply -i "$FLEET_DIR/inventory.json" --report "$dir/apply.json"
        expect_eq "$STATUS" 0 "apply"
        run_sanitized revert -i "$FLEET_DIR/inventory.json" --report "$dir/revert.json" --junit "$dir/revert.xml"
        expect_eq "$STATUS" 0 "revert"
        # Every host through the first as a bastion: the pump thread and its tunnels.
        run_sanitized audit -i "$FLEET_DIR/inventory.json" --jump "root@$(host_field "$(all_hosts | head -1)" 3)" -vv
        expect_eq "$STATUS" 0 "audit through a bastion"
        rm -rf "$dir"
}

# A second Ctrl-C ends the run at once, while workers still wait on hosts
# that never answer: a valid report, status 130, and no worker left to use
# freed memory on the way out.
test_a_second_ctrl_c_under_sanitizers() {
        local dir port listener pid status=0
        [ -x "$SANITIZED" ] || fail "no $SANITIZED: run make sanitize first"
        dir=$(mktemp -d)
        # A port that takes connections and never says a word.
        python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
print(s.getsockname()[1], flush=True); time.sleep(120)' >"$dir/port" &
        listener=$!
        defer_local "kill $listener"
        while [ ! -s "$dir/port" ]; do sleep 0.1; done
        port=$(cat "$dir/port")
        jq --argjson port "$port" '.hosts += [range(8) | {name: "silent-\(.)", address: "127.0.0.1", port: $port}]' \
                "$FLEET_DIR/inventory.json" >"$dir/inventory.json"
        ASAN_OPTIONS=detect_leaks=0 "$SANITIZED" audit -i "$dir/inventory.json" --agent "$TETHER_AGENT" \
                --connect-timeout 60 --report "$dir/report.json" >/dev/null 2>"$dir/stderr" &
        pid=$!
        sleep 3
        kill -INT "$pid"
        sleep 0.5
        kill -INT "$pid"
        wait "$pid" || status=$?
        expect_eq "$status" 130 "exit status after two Ctrl-Cs: $(grep -m3 -E 'ERROR|runtime error' "$dir/stderr")"
        if grep -qE "ERROR: AddressSanitizer|runtime error:" "$dir/stderr"; then
                fail "the sanitizers found: $(grep -m3 -E 'ERROR|runtime error|SUMMARY' "$dir/stderr")"
        fi
        expect_eq "$(jq -r .interrupted "$dir/report.json")" true "the report says it was interrupted"
        expect_eq "$(jq '.hosts | length' "$dir/report.json")" "$(jq '.hosts | length' "$dir/inventory.json")" \
                "every host is in the report"
        rm -rf "$dir"
}
