# sudo asks what tether cannot answer: a second question after the
# password (a one-time code, here pam_ftp's), or a prompt that is not
# tether's (here a site's wrapper around sudo, as a sudo that ignores -p
# would show one). The host ends at once with a message that says so, well
# before --timeout; a host that asks only for the password, in the same run,
# is audited as ever. The user ops needs its password for sudo (the
# fleet's sudoers).

INVENTORY=$FLEET_DIR/inventory.json

host_json() {
        jq -r --arg n "$2" ".hosts[] | select(.name == \$n) | $3" "$1"
}

# The inventory as ops, limited to the first two hosts, in $1.
ops_inventory() {
        jq --arg a "$(all_hosts | sed -n 1p)" --arg b "$(all_hosts | sed -n 2p)" \
                '.defaults.user = "ops" | .hosts |= map(select(.name == $a or .name == $b))' \
                "$INVENTORY" >"$1"
}

# tether's audit with the password of ops, --timeout 120; the seconds it
# took in $TOOK.
audit_as_ops() {
        local started=$SECONDS
        run_tether audit -i "$1" --report "$2" --timeout 120 --sudo-password-file "$FLEET_DIR/ops-password"
        TOOK=$((SECONDS - started))
}

# The host was audited: a verdict, no error.
expect_audited() {
        local verdict
        verdict=$(host_json "$1" "$2" .verdict)
        case "$verdict" in
        vulnerable | not-applicable) ;;
        *) fail "$2: verdict '$verdict' ($(host_json "$1" "$2" .error.message))" ;;
        esac
}

test_a_prompt_not_tethers_ends_the_host_early() {
        local dir h other message
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        h=$(all_hosts | sed -n 1p)
        other=$(all_hosts | sed -n 2p)
        # For ops only: a prompt with a colour and a screen clear in it, then a
        # read that nothing answers; everyone else gets sudo itself.
        on "$h" "cat >/usr/local/bin/sudo <<'EOF'
#!/bin/sh
if [ \"\$(id -un)\" = ops ]; then
        printf '\\033[2J\\033[31mVerification code: ' >&2
        read -r code
fi
exec /usr/bin/sudo \"\$@\"
EOF
chmod 755 /usr/local/bin/sudo"
        defer "$h" "rm -f /usr/local/bin/sudo"
        ops_inventory "$dir/inventory.json"
        audit_as_ops "$dir/inventory.json" "$dir/report.json"
        expect_eq "$STATUS" 2 "audit with a prompt not tether's on $h"
        [ "$TOOK" -lt 60 ] || fail "the run took ${TOOK}s: the prompt was waited for until --timeout"
        expect_eq "$(host_json "$dir/report.json" "$h" .error.stage)" sudo "the stage of $h"
        message=$(host_json "$dir/report.json" "$h" .error.message)
        expect_match "$message" 'waits at a prompt that tether did not set, ".*Verification code: "' "its message"
        expect_match "$message" 'NOPASSWD rule' "its message says the fix"
        expect_audited "$dir/report.json" "$other"
        # What the host sent is shown, not obeyed: no ESC reaches the terminal.
        if grep -q $'\x1b' <<<"$OUT" || grep -q $'\x1b' "$IT_DIR/.tether-stderr"; then
                fail "the host's escape sequence reached the output"
        fi
}

test_a_second_question_after_the_password() {
        local dir h other message
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        h=$(all_hosts | sed -n 1p)
        other=$(all_hosts | sed -n 2p)
        # pam_ftp asks ops a question of its own after the password, as a
        # one-time code's module would; sudo shows tether's prompt for it.
        on "$h" "cp /etc/pam.d/sudo /etc/pam.d/.sudo.tether-test &&
                sed -i '/^@include common-auth/a auth requisite pam_ftp.so users=ops' /etc/pam.d/sudo"
        defer "$h" "mv -f /etc/pam.d/.sudo.tether-test /etc/pam.d/sudo"
        ops_inventory "$dir/inventory.json"
        audit_as_ops "$dir/inventory.json" "$dir/report.json"
        expect_eq "$STATUS" 2 "audit with a second question on $h"
        [ "$TOOK" -lt 60 ] || fail "the run took ${TOOK}s"
        expect_eq "$(host_json "$dir/report.json" "$h" .error.stage)" sudo "the stage of $h"
        message=$(host_json "$dir/report.json" "$h" .error.message)
        expect_match "$message" "asked a second question after the password for ops" "its message"
        expect_audited "$dir/report.json" "$other"
}

# What is no prompt is waited for as ever: a user that needs no password,
# given one all the same (sudo -S with tether's prompt, which never shows),
# whose sudo prints a warning line and then starts the agent only after
# longer than tether waits at a prompt not its own.
test_a_warning_and_a_slow_start_are_no_prompt() {
        local dir h other
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        h=$(all_hosts | sed -n 1p)
        other=$(all_hosts | sed -n 2p)
        on "$h" "cat >/usr/local/bin/sudo <<'EOF'
#!/bin/sh
echo \"sudo: unable to resolve host \$(hostname): Name or service not known\" >&2
sleep 13
exec /usr/bin/sudo \"\$@\"
EOF
chmod 755 /usr/local/bin/sudo"
        defer "$h" "rm -f /usr/local/bin/sudo"
        ops_inventory "$dir/inventory.json"
        jq '.defaults.user = "deploy"' "$dir/inventory.json" >"$dir/deploy.json"
        audit_as_ops "$dir/deploy.json" "$dir/report.json"
        expect_eq "$STATUS" 0 "audit as deploy, slow to start on $h: $(host_json "$dir/report.json" "$h" .error.message)"
        [ "$TOOK" -ge 13 ] || fail "the run took ${TOOK}s: the wrapper did not run"
        expect_audited "$dir/report.json" "$h"
        expect_audited "$dir/report.json" "$other"
}
