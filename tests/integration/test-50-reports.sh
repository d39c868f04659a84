# Reports on the real fleet: shards that cover the fleet once and merge
# back, and every rendering of a live run, as CI pipelines consume them.

INVENTORY=$FLEET_DIR/inventory.json

test_shards_cover_the_fleet_once_and_merge() {
        local dir n k hosts='[.hosts[] | {name, verdict, reasons: .agent.reasons, firewalls: .agent.firewalls}] | sort_by(.name)'
        dir=$(mktemp -d)
        n=$(all_hosts | wc -l)
        local -a reports=()
        # Four jobs, as docs/ci.md's matrices run them. A shard the hash left
        # empty (a small fleet) runs no host and still writes a report that
        # merges.
        for k in 1 2 3 4; do
                run_tether audit -i "$INVENTORY" -q --shard "$k/4" --report "$dir/$k.json"
                [ -e "$dir/$k.json" ] || fail "shard $k/4 wrote no report (status $STATUS)"
                reports+=("$dir/$k.json")
                if [ "$(jq '.hosts | length' "$dir/$k.json")" = 0 ]; then
                        expect_eq "$STATUS" 0 "the status of shard $k/4, which holds no host"
                        expect_eq "$(jq '.summary.hosts' "$dir/$k.json")" 0 "the summary of the empty shard $k/4"
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

        # A shard with hosts (an empty one has no host to be in two reports).
        local status=0 some= r
        for r in "${reports[@]}"; do
                [ "$(jq '.hosts | length' "$r")" = 0 ] || { some=$r && break; }
        done
        "$TETHER" report merge "$some" "$some" -o "$dir/twice.json" 2>"$dir/err" || status=$?
        expect_eq "$status" 5 "merging a report with itself"
        expect_match "$(cat "$dir/err")" "is in .* and in" "the duplicate host's error"
        [ ! -e "$dir/twice.json" ] || fail "a failed merge wrote its output"
        rm -rf "$dir"
}

# One host in two shards: one shard is empty, as on a small fleet with a wide
# CI matrix. It exits 0 with a report of no host, and the two merge.
test_an_empty_shard_writes_a_report_that_merges() {
        local dir host k empty=0
        dir=$(mktemp -d)
        host=$(all_hosts | head -n 1)
        for k in 1 2; do
                run_tether audit -i "$INVENTORY" -q --limit "$host" --shard "$k/2" --report "$dir/$k.json"
                [ -e "$dir/$k.json" ] || fail "shard $k/2 wrote no report (status $STATUS)"
                if [ "$(jq '.hosts | length' "$dir/$k.json")" = 0 ]; then
                        empty=$((empty + 1))
                        expect_eq "$STATUS" 0 "the status of the empty shard $k/2"
                fi
        done
        expect_eq "$empty" 1 "empty shards of one host in two"
        "$TETHER" report merge "$dir/1.json" "$dir/2.json" -o "$dir/all.json"
        expect_eq "$(jq -c '[.hosts[].name]' "$dir/all.json")" "[\"$host\"]" "the merged hosts"
        expect_eq "$(jq '.summary.hosts' "$dir/all.json")" 1 "the merged summary"
        "$TETHER" report render --format text "$dir/1.json" >/dev/null
        "$TETHER" report render --format junit "$dir/2.json" >/dev/null
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
        # A saved report is read a host at a time (controller/report-stream.c):
        # each rendering of it is the live run's, byte for byte.
        "$TETHER" report render --format junit "$dir/r.json" >"$dir/again.xml"
        cmp -s "$dir/r.xml" "$dir/again.xml" || fail "rendering the saved report as JUnit differs from the live one"
        "$TETHER" report render --format markdown "$dir/r.json" >"$dir/again.md"
        cmp -s "$dir/r.md" "$dir/again.md" || fail "rendering the saved report as Markdown differs from the live one"
        "$TETHER" report render --format html "$dir/r.json" >"$dir/again.html"
        cmp -s "$dir/r.html" "$dir/again.html" || fail "rendering the saved report as HTML differs from the live one"
        "$TETHER" report render "$dir/r.json" | grep -q "HOSTS" || fail "the text rendering has no table"
        rm -rf "$dir"
}
