# The verdict is the truth: on every host of the fleet, whatever its role,
# under each Docker daemon variant the fleet's docker.io runs, `tether audit`
# says what a real restart, reload and stop-start of the host's firewall
# units, and their own reloads outside systemd ('ufw reload'), then do to
# Docker's rules, counted on the host
# (ground-truth-host.sh, which knows nothing of tether). Before `tether
# apply` and after it. Hosts run side by side; each role gets every variant,
# in as few rounds as the fleet's hosts of a role allow.
#
# Under the bind policy a stop and start of the firewall leaves docker
# stopped (docs/policies.md): the ground truth counts that as docker
# restarted with its firewall, not as a flush, and says so in its lines.
# Where a restart flushes, the reasons must name IPv6 exactly when the
# restart took Docker's IPv6 rules. The hosts run no containers (runc
# cannot set up cgroups in these nested hosts), so of live-restore only
# the verdict is proven here, not what it does for running containers.

INVENTORY=$FLEET_DIR/inventory.json
GROUND_TRUTH=$TOP/tests/integration/ground-truth-host.sh
# TETHER_GROUND_TRUTH_VARIANTS narrows the variants, in the order the hosts
# of a role take them: the mixed fleet's run gives its Debian 11 host of
# each role the default and its Debian 13 host IPv6, in one round.
read -ra VARIANTS <<<"${TETHER_GROUND_TRUTH_VARIANTS:-${DOCKER_VARIANTS[*]}}"

fleet_roles() {
        cut -f2 "$FLEET_DIR/hosts.tsv" | awk '!seen[$0]++'
}

# round_assignments ROUND: "HOST VARIANT" lines of the round: the k-th host
# of each role gets variant ROUND * (hosts of the role) + k, while there is
# one.
round_assignments() {
        local round=$1 role hosts n k index
        for role in $(fleet_roles); do
                mapfile -t hosts < <(hosts_with_role "$role")
                n=${#hosts[@]}
                for ((k = 0; k < n; k++)); do
                        index=$((round * n + k))
                        [ "$index" -lt ${#VARIANTS[@]} ] || break
                        echo "${hosts[$k]} ${VARIANTS[$index]}"
                done
        done
}

rounds_needed() {
        local role n most=1 rounds
        for role in $(fleet_roles); do
                n=$(hosts_with_role "$role" | wc -l)
                rounds=$(((${#VARIANTS[@]} + n - 1) / n))
                [ "$rounds" -gt "$most" ] && most=$rounds
        done
        echo "$most"
}

# in_parallel DIR FUNCTION HOST...: FUNCTION HOST for every host at once, its
# output in DIR/HOST; fails naming the hosts whose run failed.
in_parallel() {
        local dir=$1 function=$2 h failed=()
        shift 2
        declare -A pids=()
        for h in "$@"; do
                "$function" "$h" >"$dir/$h" 2>&1 &
                pids[$h]=$!
        done
        for h in "$@"; do
                wait "${pids[$h]}" || failed+=("$h")
        done
        [ ${#failed[@]} -eq 0 ] || fail "$function failed on ${failed[*]}: $(for h in "${failed[@]}"; do tail -3 "$dir/$h"; done)"
}

ground_truth_of() {
        local -a opts
        mapfile -t opts < <(ssh_opts)
        ssh "${opts[@]}" "root@$(host_field "$1" 3)" bash -s <"$GROUND_TRUTH"
}

host_reasons() {
        jq -r --arg n "$2" '.hosts[] | select(.name == $n) | .agent.reasons | join(" ")' "$1"
}

# families_match REPORT TRUTH-FILE: where a restart flushes, the reasons
# of an untied host name IPv6 exactly when the restart took IPv6 rules.
families_match() {
        local report=$1 truth=$2 h reasons
        h=$(basename "$truth")
        grep -q ' restart flushed ' "$truth" || return 0
        reasons=$(host_reasons "$report" "$h")
        if grep ' restart flushed ' "$truth" | grep -q 'ipv6'; then
                [[ "$reasons" == *IPv6* ]]
        else
                [[ "$reasons" != *IPv6* ]]
        fi
}

# check_against_truth PHASE DIR HOST...: the verdict `tether audit` gives
# now, for every host, against the ground truth found after it.
check_against_truth() {
        local phase=$1 dir=$2 report h verdict truth mismatches=() started=$SECONDS
        shift 2
        report=$dir/audit-$phase.json
        run_tether audit -i "$INVENTORY" --limit "$(IFS=,; echo "$*")" --report "$report"
        expect_eq "$(jq '.hosts | length' "$report")" $# "hosts audited $phase"
        mkdir -p "$dir/$phase"
        in_parallel "$dir/$phase" ground_truth_of "$@"
        for h in "$@"; do
                verdict=$(jq -r --arg n "$h" '.hosts[] | select(.name == $n) | .verdict' "$report")
                truth=$(awk '$1 == "verdict" { print $2 }' "$dir/$phase/$h")
                [ -n "$truth" ] || fail "no ground truth for $h: $(cat "$dir/$phase/$h")"
                if grep -q ' failed ' "$dir/$phase/$h"; then
                        mismatches+=("$h $phase: a firewall action failed: $(tr '\n' ';' <"$dir/$phase/$h")")
                elif [ "$verdict" != "$truth" ]; then
                        mismatches+=("$h ($(host_field "$h" 2), ${VARIANT_OF[$h]}) $phase: tether says $verdict, the host shows $truth: $(grep -v '^verdict' "$dir/$phase/$h" | tr '\n' ';')")
                elif ! families_match "$report" "$dir/$phase/$h"; then
                        mismatches+=("$h ($(host_field "$h" 2), ${VARIANT_OF[$h]}) $phase: the reasons name the wrong families: $(host_reasons "$report" "$h") vs $(grep ' restart flushed ' "$dir/$phase/$h" | tr '\n' ';')")
                fi
        done
        echo "    $phase ($((SECONDS - started)) s): $(for h in "$@"; do printf '%s=%s ' "$h" "$(awk '$1 == "verdict" { print $2 }' "$dir/$phase/$h")"; done)" >&2
        echo "    slowest actions: $(for h in "$@"; do sed -n "s/^\(.*\) ms=\([0-9]*\)$/\2 $h \1/p" "$dir/$phase/$h"; done | sort -rn | head -3 | paste -sd';')" >&2
        [ ${#mismatches[@]} -eq 0 ] || fail "$(printf '%s\n' "${mismatches[@]}")"
}

switch_variant() {
        on "$1" "$(docker_variant_command "${VARIANT_OF[$1]}")"
}

test_every_verdict_matches_what_real_firewall_actions_do() {
        local round dir h variant hosts limit started
        declare -gA VARIANT_OF=()
        dir=$(mktemp -d)
        defer_local "rm -rf '$dir'"
        for ((round = 0; round < $(rounds_needed); round++)); do
                hosts=()
                while read -r h variant; do
                        hosts+=("$h")
                        VARIANT_OF[$h]=$variant
                        defer "$h" "$(docker_variant_command default)"
                        docker_variant_prepare "$h" "$variant"
                done < <(round_assignments "$round")
                limit=$(IFS=,; echo "${hosts[*]}")
                defer_local "'$TETHER' revert -i '$INVENTORY' --limit '$limit'"
                echo "    round $((round + 1)): $(for h in "${hosts[@]}"; do printf '%s:%s ' "$h" "${VARIANT_OF[$h]}"; done)" >&2
                mkdir -p "$dir/$round"
                started=$SECONDS
                in_parallel "$dir/$round" switch_variant "${hosts[@]}"
                echo "    variants switched ($((SECONDS - started)) s)" >&2

                check_against_truth before-apply "$dir/$round" "${hosts[@]}"
                run_tether apply -i "$INVENTORY" --limit "$limit" --report "$dir/$round/apply.json"
                expect_eq "$(jq '[.hosts[] | select(.error)] | length' "$dir/$round/apply.json")" 0 \
                        "hosts apply failed on: $(jq -c '[.hosts[] | select(.error) | {name, error}]' "$dir/$round/apply.json")"
                check_against_truth after-apply "$dir/$round" "${hosts[@]}"
                run_tether revert -i "$INVENTORY" --limit "$limit" --report "$dir/$round/revert.json"
                in_parallel "$dir/$round" restore_default "${hosts[@]}"
        done
}

restore_default() {
        on "$1" "$(docker_variant_command default)"
}
