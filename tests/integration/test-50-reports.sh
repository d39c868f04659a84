# Reports on the real fleet: shards that cover the fleet once and merge
# back, and every rendering of a live run, as CI pipelines consume them.

INVENTORY=$FLEET_DIR/inventory.json

test_shards_cover_the_fleet_once_and_merge() {
        local dir n
        dir=$(mktemp -d)
        n=$(all_hosts | wc -l)
        "$TETHER" audit -i "$INVENTORY" -q --shard 1/3 --report "$dir/1.json" || true
        "$TETHER" audit -i "$INVENTORY" -q --shard 2/3 --report "$dir/2.json" || true
        "$TETHER" audit -i "$INVENTORY" -q --shard 3/3 --report "$dir/3.json" || true
        expect_eq "$(jq -s '[.[].hosts[].name] | length' "$dir"/[123].json)" "$n" "hosts in the three shards"
        expect_eq "$(jq -s '[.[].hosts[].name] | unique | length' "$dir"/[123].json)" "$n" "distinct hosts"

        "$TETHER" report merge "$dir/1.json" "$dir/2.json" "$dir/3.json" -o "$dir/all.json"
        expect_eq "$(jq '.hosts | length' "$dir/all.json")" "$n" "hosts in the merged report"
        expect_eq "$(jq '.summary.hosts' "$dir/all.json")" "$n" "the merged summary"
        expect_eq "$(jq '.merged_from | length' "$dir/all.json")" 3 "runs merged"
        "$TETHER" audit -i "$INVENTORY" -q --report "$dir/whole.json" || true
        expect_eq "$(jq -c .summary.by_verdict "$dir/all.json" | jq -S -c .)" \
                "$(jq -c .summary.by_verdict "$dir/whole.json" | jq -S -c .)" "verdicts of the shards vs the whole"

        local status=0
        "$TETHER" report merge "$dir/1.json" "$dir/1.json" -o "$dir/twice.json" 2>"$dir/err" || status=$?
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
