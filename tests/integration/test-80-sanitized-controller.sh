# The controller built under AddressSanitizer and UndefinedBehaviorSanitizer
# (make sanitize, build/sanitize/tether) runs the whole fix cycle on the
# fleet: any memory error, leak or undefined behaviour in a real run with
# threads, libssh sessions and agents fails it.

SANITIZED=$TOP/build/sanitize/tether

# run_sanitized ARGS...: $STATUS (the hosts get the ordinary agent, whose
# own run under the sanitizers is not this test's business), and the sanitizers' reports in $TOP/build/.sanitize-stderr.
run_sanitized() {
        STATUS=0
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
                "$SANITIZED" "$@" --agent "$TETHER_AGENT" >/dev/null 2>"$TOP/build/.sanitize-stderr" || STATUS=$?
        if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$TOP/build/.sanitize-stderr"; then
                fail "the sanitizers found: $(grep -m3 -E 'ERROR|runtime error|SUMMARY' "$TOP/build/.sanitize-stderr")"
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
