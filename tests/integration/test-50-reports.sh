# Reports on the real fleet: shards that cover the fleet once and merge
# back, and every rendering of a live run, as CI pipelines consume them.

INVENTORY=$FLEET_DIR/inventory.json

test_shards_cover_the_fleet_once_and_merge() {
        local dir n k hosts='[.hosts[] | {name, verdict, reasons: .agent.reasons, firewalls: .agent.firewalls}] | sort_by(.name)'
        dir=$(mktemp -d)
        n=$(all_hosts | wc -l)
        local -a reports=()
        # Four jobs, as docs/ci.md's matrices run them. A shard the hash left
        # empty (a small fleet) exits 5 and writes no report; the merge takes
        # the others.
        for k in 1 2 3 4; do
                run_tether audit -i "$INVENTORY" -q --shard "$k/4" --report "$dir/$k.json"
                if [ -e "$dir/$k.json" ]; then
                        reports+=("$dir/$k.json")
                else
                        expect_eq "$STATUS" 5 "the status of shard $k/4, which wrote no report"
                        expect_match "$(cat "$IT_DIR/.tether-stderr")" "holds no host" "why shard $k/4 wrote none"
                fi
        done
        expect_eq "$(jq -s '[.[].hosts[].name] | length' "${reports[@]}")" "$n" "hosts in the four shards"
        expect_eq "$(jq -s '[.[].hosts[].name] | unique | length' "${reports[@]}")" "$n" "distinct hosts"

        "$TETHER" report merge "${reports[@]}" -o "$dir/all.json"
        expect_eq "$(jq '.hosts | length' "$dir/all.json")" "$n" "hosts in the merged report"
        expect_eq "$(jq '.summary.hosts' "$dir/all.json")" "$n" "the merged summary"
        expect_eq "$(jq '.merged_from | length' "$dir/all.json")" "${#reports[@]}" "runs merged"
        "$TETHER" audit -i "$INVENTORY" -q --report "$dir/whole.json" || true
        expect_eq "$(jq -S -c ".summary | del(.uploaded)" "$dir/all.json")" "$(jq -S -c ".summary | del(.uploaded)" "$dir/whole.json")" \
                "the summary of the shards vs the whole"
        # Host for host: the same verdict, reasons and firewalls.
        expect_eq "$(jq -S -c "$hosts" "$dir/all.json")" "$(jq -S -c "$hosts" "$dir/whole.json")" \
                "the hosts of the shards vs the whole"

        local status=0
        "$TETHER" report merge "${reports[0]}" "${reports[0]}" -o "$dir/twice.json" 2>"$dir/err" || status=$?
        expect_eq "$status" 5 "merging a report with itself"
        expect_match "$(cat "$dir/err")" "is in .* and in" "the duplicate host's error"
        [ ! -e "$dir/twice.json" ] || fail "a failed merge wrote its output"
        rm -rf "$dir"
}

test_a_live_run_writes_every_rendering() {
        local dir
        dir=$(mktemp -d)
        "$TETHER" audit -i "$INVENTORY" -q --report "$dir/r.json" --junit "$dir/r.xml" --markdown "$dir/r.md" \
                --html "$dir/r.html" || true
        xmllint --noout --schema "$TOP/tests/unit/fixtures/junit/jenkins-junit.xsd" "$dir/r.xml" ||
                fail "the JUnit report does not validate"
        expect_eq "$(grep -c '<testcase' "$dir/r.xml")" "$(all_hosts | wc -l)" "testcases"
        expect_match "$(cat "$dir/r.md")" "vulnerable" "the Markdown summary"
        expect_match "$(head -c 200 "$dir/r.html")" "<!DOCTYPE html>" "the HTML page"
        "$TETHER" report render --format junit "$dir/r.json" >"$dir/again.xml"
        cmp -s "$dir/r.xml" "$dir/again.xml" || fail "rendering the saved report differs from the live one"
        "$TETHER" report render "$dir/r.json" | grep -q "HOSTS" || fail "the text rendering has no table"
        rm -rf "$dir"
}
