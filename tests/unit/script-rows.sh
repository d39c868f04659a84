# Sourced by the unit tests of tether's check scripts (test-*.sh here),
# which run a script on a binary built for each row of a table.

# check_row NAME WANT_STATUS WANT_TEXT COMMAND...: runs COMMAND; the row
# passes when it exits WANT_STATUS and says WANT_TEXT. Prints the row's
# line and counts a failure in $failed.
check_row() {
        local name=$1 want_status=$2 want_text=$3 status=0 text
        shift 3
        text=$("$@" 2>&1) || status=$?
        if [ "$status" != "$want_status" ] || [[ "$text" != *"$want_text"* ]]; then
                printf 'FAILED %s: exit %s, expected %s with "%s"; it said:\n%s\n' "$name" "$status" \
                        "$want_status" "$want_text" "$text" >&2
                failed=$((failed + 1))
        else
                echo "ok     $name"
        fi
}
