# tether as a sysadmin installs it: the Debian packages build and pass
# lintian; the tether package installs into a clean root filesystem (the
# fleet's cached one, under an overlay: the cache is only read) and audits
# the fleet from there; the tether-agent package installed on a host is run
# with --agent-path (or the inventory's agent_path) and nothing is uploaded;
# an installed agent of another version fails its host alone; make install
# and make uninstall leave nothing; the bash completion completes.
#
# The packages are built once a run (make deb, about a minute on two cores),
# by the first test that needs them, and reused by the others.

INVENTORY=$FLEET_DIR/inventory.json
DEB_DIR=$TOP/build/deb
INSTALLED_AGENT=/usr/libexec/tether/tether-agent
VERSION=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")

# build_packages: make deb, unless this run (the runner's $$, the same in
# every test's subshell) has built them already. Without the unit tests
# (nocheck): make test has run them.
build_packages() {
        [ "$(cat "$DEB_DIR/.run" 2>/dev/null)" != "$$" ] || return 0
        if ! DEB_BUILD_OPTIONS="parallel=2 nocheck" make -C "$TOP" deb >"$TOP/build/deb.log" 2>&1; then
                tail -20 "$TOP/build/deb.log" >&2
                fail "make deb failed (build/deb.log)"
        fi
        echo "$$" >"$DEB_DIR/.run"
}

deb_of() {
        echo "$DEB_DIR/${1}_${VERSION}_$(dpkg --print-architecture).deb"
}

# copy_to HOST FILE DIR: scp as root.
copy_to() {
        local -a opts
        mapfile -t opts < <(ssh_opts)
        scp -q "${opts[@]}" "$2" "root@$(host_field "$1" 3):$3" </dev/null
}

# install_agent_package HOST: the tether-agent package on HOST, removed when the test ends.
install_agent_package() {
        copy_to "$1" "$(deb_of tether-agent)" /tmp/tether-agent.deb
        defer "$1" 'dpkg --purge tether-agent; rm -f /tmp/tether-agent.deb'
        on "$1" 'dpkg -i /tmp/tether-agent.deb >/dev/null'
}

# host_json REPORT NAME FILTER
host_json() {
        jq -r --arg n "$2" ".hosts[] | select(.name == \$n) | $3" "$1"
}

test_packages_build_and_pass_lintian() {
        local deb
        build_packages
        for deb in "$(deb_of tether)" "$(deb_of tether-agent)"; do
                [ -s "$deb" ] || fail "no $deb"
                expect_eq "$(dpkg-deb -f "$deb" Version)" "$VERSION" "the version of $(basename "$deb")"
        done
        expect_match "$(dpkg-deb -c "$(deb_of tether)")" "\./usr/bin/tether
.*\./usr/lib/tether/tether-agent
.*\./usr/share/bash-completion/completions/tether
.*\./usr/share/man/man1/tether\.1\.gz" "the files of tether"
        expect_match "$(dpkg-deb -c "$(deb_of tether-agent)")" "root/root .* \./usr/libexec/tether/tether-agent" \
                "tether-agent's agent, owned by root"
        # make deb failed unless lintian passed, without an error or a warning.
        grep -q "^lintian --fail-on error,warning" "$TOP/build/deb.log" || fail "lintian did not run"
        if grep -q '^[EW]: ' "$TOP/build/deb.log"; then
                fail "lintian: $(grep '^[EW]: ' "$TOP/build/deb.log" | head -3)"
        fi
}

test_tether_package_installs_into_a_clean_root_and_audits() {
        local dir rootfs reference sha h
        build_packages
        dir=$(mktemp -d /var/tmp/tether-root.XXXXXX)
        defer_local "rm -rf '$dir'"
        # The root filesystem the fleet runs on: its hosts' lower layer.
        rootfs=$(awk -v m="$FLEET_DIR/hosts/$(all_hosts | head -1)/merged" '$2 == m { print $4 }' /proc/mounts |
                tr ',' '\n' | sed -n 's/^lowerdir=//p')
        [ -d "$rootfs/usr" ] || fail "no root filesystem under the fleet's hosts"
        mkdir -p "$dir/upper" "$dir/work" "$dir/root"
        # A private mount namespace: the overlay, /proc and /dev go with it.
        # The installed tether deploys the package's agent, not the one the tests name.
        env -u TETHER_AGENT ROOTFS=$rootfs DIR=$dir DEB=$(deb_of tether) FLEET_DIR=$FLEET_DIR \
                unshare --mount --propagation private \
                bash -euo pipefail -c '
                root=$DIR/root
                mount -t overlay overlay -o "lowerdir=$ROOTFS,upperdir=$DIR/upper,workdir=$DIR/work" "$root"
                mount -t proc proc "$root/proc"
                mount --rbind /dev "$root/dev"
                cp "$DEB" "$root/tmp/tether.deb"
                chroot "$root" dpkg -i /tmp/tether.deb >"$DIR/dpkg.log"
                mkdir -p "$root$FLEET_DIR"
                cp -p "$FLEET_DIR/inventory.json" "$FLEET_DIR/known_hosts" "$FLEET_DIR/id_ed25519" "$root$FLEET_DIR/"
                chroot "$root" tether --version >"$DIR/version"
                status=0
                chroot "$root" tether audit -i "$FLEET_DIR/inventory.json" -q --report /tmp/report.json \
                        >"$DIR/out" 2>&1 || status=$?
                echo "$status" >"$DIR/status"
                cp "$root/tmp/report.json" "$DIR/report.json"'
        [ ! -e "$rootfs/usr/bin/tether" ] && [ -s "$dir/upper/usr/bin/tether" ] ||
                fail "the package went elsewhere than into the overlay"
        expect_match "$(cat "$dir/version")" "^tether $VERSION
agent /usr/lib/tether/tether-agent
agent sha256 [0-9a-f]{64}
built with libssh [0-9.]+, libsystemd [0-9]+, jansson [0-9.]+" "the installed tether's --version"
        expect_eq "$(cat "$dir/status")" 0 "the installed tether's audit: $(cat "$dir/out")"

        reference=$dir/reference.json
        "$TETHER" audit -i "$INVENTORY" -q --report "$reference" >/dev/null || true
        sha=$(sed -n 's/^agent sha256 //p' "$dir/version")
        for h in $(all_hosts); do
                expect_eq "$(host_json "$dir/report.json" "$h" .verdict)" "$(host_json "$reference" "$h" .verdict)" \
                        "$h: the installed tether's verdict vs the build's"
                expect_eq "$(host_json "$dir/report.json" "$h" .agent_source)" deployed "$h's agent"
                on "$h" "test -x ~deploy/.cache/tether/tether-agent-$sha" ||
                        fail "$h does not have the package's agent (tether-agent-$sha)"
        done
}

test_agent_package_is_run_with_agent_path_and_nothing_uploaded() {
        local h dir status=0
        build_packages
        h=$(all_hosts | head -1)
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        install_agent_package "$h"
        expect_eq "$(on "$h" "stat -c '%U %a' $INSTALLED_AGENT")" "root 755" "the installed agent's owner and mode"
        on "$h" 'rm -rf ~deploy/.cache/tether ~guest/.cache/tether'

        "$TETHER" audit -i "$INVENTORY" --limit "$h" --agent-path "$INSTALLED_AGENT" --report "$dir/r.json" \
                >/dev/null || status=$?
        expect_eq "$status" 0 "audit with --agent-path"
        expect_eq "$(host_json "$dir/r.json" "$h" '[.agent_source, .agent_path, .uploaded] | join(" ")')" \
                "installed $INSTALLED_AGENT false" "what the report says of the agent"
        expect_eq "$(jq .summary.uploaded "$dir/r.json")" 0 "agents uploaded"
        expect_eq "$(host_json "$dir/r.json" "$h" .agent.agent_version)" "$VERSION" "the agent's version"
        on "$h" '! test -e ~deploy/.cache/tether' || fail "something was uploaded to $h"

        # The inventory's agent_path, and a user whose sudo allows that one program only.
        on "$h" "echo 'guest ALL=(root) NOPASSWD: $INSTALLED_AGENT' >/etc/sudoers.d/tether-test-guest"
        defer "$h" 'rm -f /etc/sudoers.d/tether-test-guest'
        jq --arg n "$h" --arg p "$INSTALLED_AGENT" \
                '.hosts |= map(select(.name == $n) | .user = "guest" | .agent_path = $p)' "$INVENTORY" >"$dir/inv.json"
        status=0
        "$TETHER" audit -i "$dir/inv.json" --report "$dir/guest.json" >/dev/null || status=$?
        expect_eq "$status" 0 "audit as guest, whose sudo names only the agent: $(host_json "$dir/guest.json" "$h" .error)"
        expect_eq "$(host_json "$dir/guest.json" "$h" .agent_source)" installed "the agent guest ran"
        on "$h" '! test -e ~guest/.cache/tether' || fail "something was uploaded to guest on $h"
}

test_installed_agent_of_another_version_fails_its_host_alone() {
        local old other dir status=0
        old=$(all_hosts | head -1)
        other=$(all_hosts | sed -n 2p)
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        on "$old" 'printf "#!/bin/sh\necho tether-agent 0.0.1\n" >/usr/local/sbin/old-agent && chmod 755 /usr/local/sbin/old-agent'
        defer "$old" 'rm -f /usr/local/sbin/old-agent'
        on "$old" 'rm -rf ~deploy/.cache/tether'
        jq --arg n "$old" '.hosts |= map(if .name == $n then .agent_path = "/usr/local/sbin/old-agent" else . end)' \
                "$INVENTORY" >"$dir/inv.json"
        "$TETHER" audit -i "$dir/inv.json" --limit "$old,$other" --report "$dir/r.json" >/dev/null || status=$?
        expect_eq "$status" 2 "exit status with one host's agent of another version"
        expect_eq "$(host_json "$dir/r.json" "$old" .error.stage)" agent "$old's stage"
        expect_match "$(host_json "$dir/r.json" "$old" .error.message)" \
                "^agent-version-mismatch: the agent at /usr/local/sbin/old-agent says \"tether-agent 0.0.1\", and this tether is $VERSION" \
                "$old's message"
        on "$old" '! test -e ~deploy/.cache/tether' || fail "an agent was uploaded to $old in the place of its own"
        expect_match "$(host_json "$dir/r.json" "$other" .verdict)" "^(vulnerable|protected|not-applicable)$" \
                "$other beside it"
        expect_eq "$(host_json "$dir/r.json" "$other" .agent_source)" deployed "$other's agent"

        status=0
        "$TETHER" audit -i "$INVENTORY" --limit "$other" --agent-path /usr/local/sbin/no-agent --report "$dir/m.json" \
                >/dev/null || status=$?
        expect_eq "$status" 2 "exit status with no agent at --agent-path"
        expect_match "$(host_json "$dir/m.json" "$other" .error.message)" "^agent-missing: " "the missing agent's message"
}

test_make_install_then_uninstall_leaves_nothing() {
        local dest moved left build
        dest=$(mktemp -d)
        moved=$(mktemp -d)
        build=$(mktemp -d)
        defer_local "rm -rf '$dest' '$moved' '$build'"
        # A build directory of its own, from a copy of build/'s objects: a
        # PREFIX=/usr build relinks the programs, and build/tether must
        # not change under the tests of the fleets that run beside this one.
        cp -a "$TOP/build/obj" "$TOP/build/gen" "$build/"
        make -s -C "$TOP" install BUILD="$build" PREFIX=/usr DESTDIR="$dest" >/dev/null
        expect_eq "$(cd "$dest" && find . -type f | sort | tr '\n' ' ')" \
                "./usr/bin/tether ./usr/libexec/tether/tether-agent ./usr/share/bash-completion/completions/tether ./usr/share/man/man1/tether-agent.1 ./usr/share/man/man1/tether.1 " \
                "the files make install put"
        # Found relative to where it was put, and else where PREFIX says, though the first build had another.
        expect_eq "$(env -u TETHER_AGENT "$dest/usr/bin/tether" --version | sed -n 2p)" "agent $dest/usr/libexec/tether/tether-agent" \
                "the agent the installed tether finds"
        cp "$dest/usr/bin/tether" "$moved/"
        expect_match "$(env -u TETHER_AGENT "$moved/tether" --version | sed -n 2p)" "^agent none: .*/usr/libexec/tether/tether-agent" \
                "the path compiled in for PREFIX=/usr"

        make -s -C "$TOP" uninstall BUILD="$build" PREFIX=/usr DESTDIR="$dest"
        left=$(cd "$dest" && find . \( -type f -o -type l -o -name tether \) | tr '\n' ' ')
        expect_eq "$left" "" "what make uninstall left"
}

# complete LINE: what bash completes for LINE (its last word), sorted, on one line.
complete_words() {
        PATH=$TOP/build:$PATH bash -c '
                source /usr/share/bash-completion/bash_completion
                source "$1/shell-completion/bash/tether"
                COMP_LINE=$2
                COMP_POINT=${#COMP_LINE}
                read -r -a COMP_WORDS <<<"$COMP_LINE"
                [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                _tether tether
                [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$TOP" "$1"
}

test_bash_completion() {
        local first
        first=$(all_hosts | head -1)
        expect_eq "$(complete_words "tether a")" "apply audit " "verbs"
        expect_eq "$(complete_words "tether audit --agent")" "--agent --agent-path " "an audit's options"
        expect_eq "$(complete_words "tether revert --ch")" "" "apply's --check for revert"
        expect_eq "$(complete_words "tether apply --policy ")" "bind follow " "--policy's words"
        expect_eq "$(complete_words "tether audit --fail-on vulnerable,b")" "vulnerable,broken " "--fail-on's second verdict"
        expect_eq "$(complete_words "tether report ")" "merge render " "report's actions"
        expect_match "$(complete_words "tether -i $INVENTORY audit --limit ")" "^(.* )?$first .*tag:fleet .*tag:nftables " \
                "--limit's names and tags from the inventory"
        expect_eq "$(complete_words "tether audit -i $INVENTORY --limit $first,!tag:n")" \
                "netfilter-persistent nftables none " "a --limit term after a comma and '!', past the colon"
}
