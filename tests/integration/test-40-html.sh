# The HTML report as a person sees it: `tether report render --format html`
# of the report fixtures, loaded from disk in headless Chromium (its script
# run, the filters read from the URL fragment), asserted on the DOM Chromium
# dumps, and a screenshot kept in build/artifacts/ to look at.
# Needs no fleet: the pages are made from saved reports.

REPORTS=$TOP/tests/unit/fixtures/reports
ARTIFACTS=$TOP/build/artifacts
HOST_ROWS="//tbody[contains(concat(' ', @class, ' '), ' host ')]"

# chromium_run ARGS...: headless Chromium with a throwaway profile, nothing
# fetched or phoned home; its noise on stderr goes to build/.chromium-stderr.
chromium_run() {
        local profile status=0
        command -v chromium >/dev/null || fail "chromium is not installed (make deps installs it)"
        profile=$(mktemp -d)
        timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
                --disable-background-networking --disable-component-update --disable-sync \
                --disable-default-apps --disable-extensions --mute-audio --hide-scrollbars \
                --user-data-dir="$profile" "$@" 2>>"$IT_DIR/.chromium-stderr" || status=$?
        rm -rf "$profile"
        return $status
}

# render NAME: the fixture's page, made by tether; prints its path.
render() {
        local page=$PAGES/$1.html
        "$TETHER" report render --format html -o "$page" "$REPORTS/$1.json" ||
                fail "tether report render --format html $1.json failed"
        [ -s "$page" ] || fail "tether wrote no page for $1.json"
        echo "$page"
}

# dom PAGE [FRAGMENT]: the DOM after the page's script ran, into $DOM.
dom() {
        DOM=$PAGES/$(basename "$1" .html)-dom-$RANDOM.html
        chromium_run --dump-dom "file://$1${2:+#$2}" >"$DOM" || fail "chromium could not load $1${2:+#$2}"
        grep -q '</html>' "$DOM" || fail "chromium dumped no page for $1${2:+#$2}"
}

# xpath EXPRESSION: its value in $DOM (a string or a number).
xpath() {
        xmllint --html --xpath "$1" "$DOM" 2>/dev/null
}

# xpath_strings EXPRESSION: the string value of each node, a line each.
xpath_strings() {
        local n i
        n=$(xpath "count($1)")
        for ((i = 1; i <= n; i++)); do
                printf '%s\n' "$(xpath "string(($1)[$i])")"
        done
}

visible_rows() {
        xpath "count(${HOST_ROWS}[not(@hidden)])"
}

# The number the chart shows for an outcome.
chart_count() {
        xpath "string(//*[@data-outcome='$1' and contains(@class, 'bar')]/*[@class='count'])"
}

setup_pages() {
        PAGES=$(mktemp -d)
        defer_local "rm -rf '$PAGES'"
        mkdir -p "$ARTIFACTS"
}

test_html_pages_show_every_host_and_the_counts() {
        setup_pages
        local name page hosts outcome shown total=0
        for name in audit apply test failures hostile; do
                page=$(render "$name")
                hosts=$(jq '.hosts | length' "$REPORTS/$name.json")
                dom "$page"
                expect_eq "$(xpath "count($HOST_ROWS)")" "$hosts" "$name: host rows"
                expect_eq "$(visible_rows)" "$hosts" "$name: rows shown without a filter"
                expect_eq "$(xpath "string(//*[@id='shown']/@data-shown)")" "$hosts" "$name: the 'showing' count"
                expect_eq "$(xpath "string(//*[@id='stat-hosts']/dd)")" "$(jq .summary.hosts "$REPORTS/$name.json")" \
                        "$name: hosts in the summary"
                # The controls are shown once the script ran (a broken script leaves them hidden).
                expect_eq "$(xpath "count(//form[@id='controls'][@hidden])")" 0 "$name: controls hidden"
                # Each bar's number is the number of rows with that outcome; together, every host.
                total=0
                while IFS= read -r outcome; do
                        [ -n "$outcome" ] || continue
                        shown=$(chart_count "$outcome")
                        expect_eq "$shown" "$(xpath "count(${HOST_ROWS}[@data-outcome='$outcome'])")" \
                                "$name: the chart's count of $outcome"
                        total=$((total + shown))
                done < <(xpath_strings "//*[contains(@class, 'bar')]/@data-outcome")
                expect_eq "$total" "$hosts" "$name: hosts counted in the chart"
        done

        # In an audit, outcomes are the verdicts: the chart agrees with the report's summary.
        page=$(render audit)
        dom "$page"
        while IFS=$'\t' read -r outcome shown; do
                expect_eq "$(chart_count "$outcome")" "$shown" "audit: the chart's $outcome"
        done < <(jq -r '.summary.by_verdict | to_entries[] | "\(.key)\t\(.value)"' "$REPORTS/audit.json")
        # Worst first: the failures fixture's error and unreachable hosts lead.
        page=$(render failures)
        dom "$page"
        expect_eq "$(xpath "string(($HOST_ROWS)[1]/@data-outcome)")" error "failures: the first row"
        expect_eq "$(xpath "string(($HOST_ROWS)[2]/@data-outcome)")" unreachable "failures: the second row"
}

test_html_filters_come_from_the_url_fragment() {
        setup_pages
        local page report=$REPORTS/failures.json expected tag
        page=$(render failures)

        dom "$page" "outcome=unreachable"
        expected=$(jq '[.hosts[] | select(.verdict == "unreachable")] | length' "$report")
        [ "$expected" -gt 0 ] || fail "the failures fixture has no unreachable host"
        expect_eq "$(visible_rows)" "$expected" "rows shown for outcome=unreachable"
        expect_eq "$(xpath "count(${HOST_ROWS}[not(@hidden)][@data-outcome!='unreachable'])")" 0 \
                "rows of other outcomes shown"
        expect_eq "$(xpath "count(${HOST_ROWS}[@hidden][@data-outcome='unreachable'])")" 0 "unreachable rows hidden"
        expect_eq "$(xpath "string(//*[@id='shown']/@data-shown)")" "$expected" "the 'showing' count"
        expect_match "$(xpath "string(//*[@id='shown'])")" "^Showing $expected of 11 hosts, filtered: outcome is \"unreachable\"$" \
                "what the page says it shows"

        # A tag, matched within any tag, ignoring case; with an outcome too.
        tag=NFT
        dom "$page" "tag=$tag"
        expected=$(jq --arg t "${tag,,}" '[.hosts[] | select(any(.tags[]?; ascii_downcase | contains($t)))] | length' "$report")
        expect_eq "$(visible_rows)" "$expected" "rows shown for tag=$tag"
        dom "$page" "outcome=protected&tag=fleet"
        expected=$(jq '[.hosts[] | select(.verdict == "protected" and any(.tags[]?; . == "fleet"))] | length' "$report")
        expect_eq "$(visible_rows)" "$expected" "rows shown for outcome=protected&tag=fleet"
        dom "$page" "os=Debian+GNU%2FLinux+12+(bookworm)&firewall=-"
        expected=$(jq '[.hosts[] | select(.agent.host.os.pretty_name == "Debian GNU/Linux 12 (bookworm)" and
                ([.agent.firewalls[]? | select(.flushes_docker_rules and (.enabled or .active))] | length) == 0)] | length' "$report")
        expect_eq "$(visible_rows)" "$expected" "rows shown for an OS and no firewall"

        # A value no host has shows no rows, and says so in the select.
        dom "$page" "outcome=broken"
        expect_eq "$(visible_rows)" 0 "rows shown for outcome=broken"
        expect_eq "$(xpath "count(//select[@id='filter-outcome']/option[@value='broken'])")" 1 "the linked outcome offered"

        # Sorting from the fragment: by name, descending.
        dom "$page" "sort=name&dir=desc"
        expect_eq "$(xpath_strings "$HOST_ROWS/@data-name" | paste -sd,)" \
                "$(jq -r '.hosts[].name' "$report" | LC_ALL=C sort -r | paste -sd,)" "rows sorted by name, descending"
        expect_eq "$(xpath "string(//th[@data-sort='name']/@aria-sort)")" descending "the name column's aria-sort"
}

test_html_hostile_report_runs_no_foreign_code() {
        setup_pages
        local page report=$REPORTS/hostile.json
        page=$(render hostile)
        dom "$page"
        expect_eq "$(xpath "count(//script)")" 1 "script elements"
        expect_eq "$(xpath "count(//img | //iframe | //object | //embed | //link | //b)")" 0 "elements from the data"
        expect_eq "$(xpath "count(//@*[starts-with(name(), 'on')])")" 0 "event handler attributes"
        # Every host name reads as it is in the report.
        expect_eq "$(xpath_strings "$HOST_ROWS/tr[1]/td[1]/strong" | LC_ALL=C sort | paste -sd$'\x1f')" \
                "$(jq -r '.hosts[].name' "$report" | LC_ALL=C sort | paste -sd$'\x1f')" "host names as text"
        expect_eq "$(xpath "count($HOST_ROWS)")" "$(jq '.hosts | length' "$report")" "host rows"
}

test_html_screenshot() {
        setup_pages
        local page
        page=$(render failures)
        rm -f "$ARTIFACTS/report.png" "$ARTIFACTS/report-filtered.png"
        chromium_run --screenshot="$ARTIFACTS/report.png" --window-size=1280,1024 "file://$page" >/dev/null ||
                fail "chromium took no screenshot"
        chromium_run --screenshot="$ARTIFACTS/report-filtered.png" --window-size=1280,1024 \
                "file://$page#outcome=unreachable" >/dev/null || fail "chromium took no screenshot"
        expect_eq "$(head -c 8 "$ARTIFACTS/report.png" | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a "a PNG"
        [ "$(stat -c %s "$ARTIFACTS/report.png")" -gt 20000 ] || fail "the screenshot is nearly empty"
        cp "$page" "$ARTIFACTS/report.html"
        # The printed page (details opened for print) kept beside it.
        chromium_run --no-pdf-header-footer --print-to-pdf="$ARTIFACTS/report.pdf" "file://$page" >/dev/null ||
                fail "chromium printed no PDF"
        expect_eq "$(head -c 5 "$ARTIFACTS/report.pdf")" "%PDF-" "a PDF"
}
