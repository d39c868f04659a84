#!/usr/bin/env bash
# scripts/check-agent-symbols against small binaries built here with this
# machine's compiler, one a row: what each links to, and what the check must
# say of it. The objects are shared libraries, so that a row can hold only
# the symbols it names (a program would also ask for __libc_start_main,
# which glibc 2.34 versioned anew). The portable agent itself is checked by
# make portable-agent.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
source tests/unit/script-rows.sh

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# name | C body (inside a function) | libraries | exit status | what the message must hold
rows=(
        "old-enough|getpid(); sd_bus_open_system(0);|-lsystemd|0|needs at most GLIBC_2.2.5 and LIBSYSTEMD_221"
        "libsystemd-240|sd_bus_set_method_call_timeout(0, 0);|-lsystemd|1|sd_bus_set_method_call_timeout needs LIBSYSTEMD_240, above the baseline LIBSYSTEMD_239"
        "glibc-2.30|gettid();|-lsystemd|1|gettid needs GLIBC_2.30, above the baseline GLIBC_2.28"
        "jansson-shared|json_object();|-ljansson|1|needs libjansson.so.4: only libc.so.6 libsystemd.so.0 may be needed"
        "systemd-and-glibc|sd_bus_set_method_call_timeout(0, 0); gettid();|-lsystemd|1|gettid needs GLIBC_2.30"
)

failed=0
for row in "${rows[@]}"; do
        IFS='|' read -r name body libraries want_status want_text <<<"$row"
        printf '#define _GNU_SOURCE\n#include <unistd.h>\n#include <stdlib.h>\n#include <jansson.h>\n#include <systemd/sd-bus.h>\nvoid probe(void);\nvoid probe(void) { %s }\n' \
                "$body" >"$dir/$name.c"
        # shellcheck disable=SC2086
        if ! ${CC:-cc} -shared -fPIC -Wl,--as-needed -o "$dir/$name.so" "$dir/$name.c" $libraries 2>"$dir/$name.cc"; then
                echo "FAILED $name: the probe does not build: $(cat "$dir/$name.cc")" >&2
                failed=$((failed + 1))
                continue
        fi
        check_row "$name" "$want_status" "$want_text" scripts/check-agent-symbols "$dir/$name.so"
done
echo "check-agent-symbols: ${#rows[@]} rows, $failed failed"
[ "$failed" -eq 0 ]
