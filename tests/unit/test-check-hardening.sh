#!/usr/bin/env bash
# scripts/check-hardening against small programs built here with this
# machine's compiler, one a row: every protection, then each one taken away
# by the flag that undoes it (named outright, since some compilers give a
# protection unasked: Debian's gcc makes PIEs, Ubuntu's fortifies). The
# programs tether ships are checked by make check-hardening.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
source tests/unit/script-rows.sh

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# A program with a buffer on its stack and a libc call that writes into it:
# a candidate for the stack protector and fortify both.
cat >"$dir/buffer.c" <<'EOF'
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
        char name[64];
        strcpy(name, argc > 1 ? argv[1] : "");
        puts(name);
        return 0;
}
EOF
# One with no buffer: neither is asked of it.
printf 'int main(void) {\n        return 0;\n}\n' >"$dir/plain.c"

CFLAGS_ALL="-O2 -fPIE -fstack-protector-strong -fcf-protection -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2"
LDFLAGS_ALL="-pie -Wl,-z,relro -Wl,-z,now"
CFLAGS_NONE="-O2 -fno-PIE -fno-stack-protector -fcf-protection=none -U_FORTIFY_SOURCE"
LDFLAGS_NONE="-no-pie -Wl,-z,norelro -Wl,-z,lazy"

# name | program | compiler flags | linker flags | x86_64 only | exit status | what the output must hold
rows=(
        "hardened|buffer|$CFLAGS_ALL|$LDFLAGS_ALL|no|0|is hardened"
        "no-pie|buffer|$CFLAGS_ALL -fno-PIE|$LDFLAGS_ALL -no-pie|no|1|PIE: not a position-independent executable"
        "lazy-binding|buffer|$CFLAGS_ALL|-pie -Wl,-z,relro -Wl,-z,lazy|no|1|BIND_NOW: symbols are bound lazily"
        "no-relro|buffer|$CFLAGS_ALL|-pie -Wl,-z,norelro -Wl,-z,now|no|1|RELRO: no GNU_RELRO segment"
        "no-stack-protector|buffer|$CFLAGS_ALL -fno-stack-protector|$LDFLAGS_ALL|no|1|stack protector: __stack_chk_fail is never called"
        "no-fortify|buffer|$CFLAGS_ALL -U_FORTIFY_SOURCE|$LDFLAGS_ALL|no|1|fortify: no *_chk function is called"
        "fortify-unoptimized|buffer|$CFLAGS_ALL -O0|$LDFLAGS_ALL|no|1|fortify: no *_chk function is called"
        "no-cf-protection|buffer|$CFLAGS_ALL -fcf-protection=none|$LDFLAGS_ALL|yes|1|CET: neither IBT and SHSTK marked nor main instrumented"
        "stripped|buffer|$CFLAGS_ALL -fcf-protection=none|$LDFLAGS_ALL -s|yes|1|CET: no IBT and SHSTK note, and no symbol table"
        "no-buffer-no-stack-protector|plain|$CFLAGS_ALL -fno-stack-protector -U_FORTIFY_SOURCE|$LDFLAGS_ALL|no|0|is hardened"
        "none-of-it|buffer|$CFLAGS_NONE|$LDFLAGS_NONE|no|1|PIE: not a position-independent executable"
)

machine=$(${CC:-cc} -dumpmachine)
failed=0
ran=0
for row in "${rows[@]}"; do
        IFS='|' read -r name program cflags ldflags x86_only want_status want_text <<<"$row"
        if [ "$x86_only" = yes ] && [[ "$machine" != x86_64-* ]]; then
                echo "skip   $name (x86_64 only)"
                continue
        fi
        ran=$((ran + 1))
        # shellcheck disable=SC2086
        if ! ${CC:-cc} $cflags $ldflags -o "$dir/$name" "$dir/$program.c" 2>"$dir/$name.cc"; then
                echo "FAILED $name: the program does not build: $(cat "$dir/$name.cc")" >&2
                failed=$((failed + 1))
                continue
        fi
        check_row "$name" "$want_status" "$want_text" scripts/check-hardening "$dir/$name"
done
echo "check-hardening: $ran rows, $failed failed"
[ "$failed" -eq 0 ]
