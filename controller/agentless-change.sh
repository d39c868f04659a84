# tether: a change of files on this host made as one, without tether-agent,
# as the agent makes it (agent/changes.h). Sent after agentless-gather.sh,
# whose section() it uses, in the same `sh -c` (no single quote here either).
# The controller adds, all its own words:
#   before it:  VERB (apply, revert) and TIES, the firewall units whose ties
#               to docker it checks after the reload
#   after it:   put PATH TEXT   PATH is to hold TEXT (a printf format: octal
#                               escapes and %%, so any byte goes through)
#               remove PATH     PATH is to go
#               change          then, only where the change was kept:
#               heal            restart docker (apply --heal, rules missing)
#               gather          the host as it is now, for the report
#
# Each file is replaced atomically: a temp file in its directory, synced,
# renamed over it, the directory synced. A copy of every file as it was is
# kept in a directory only root reads, under /run. After the daemon-reload the
# script prints what systemd loaded and asks the controller, which checks
# it by the rules of the agent: "keep" on stdin keeps the change; anything else,
# no answer within 60 s, or a connection gone puts every file back, with
# its time, and reloads again. Either way the copies go. The lock of the agent
# is held throughout, so no agent or watch works on the host meanwhile.

SAVED=
COUNT=0
FAILED=
KEPT=

# note WORDS: in the journal, as the agent records its changes.
note() {
        logger -t tether-agentless -- "$VERB: $*" 2>/dev/null
        return 0
}

sync_path() {
        sync "$1" 2>/dev/null || sync
}

# begin: the lock of the agent, and the directory of the copies.
begin() {
        exec 9>>/run/tether-agent.lock || { FAILED="cannot open /run/tether-agent.lock"; return; }
        flock -w 10 9 || { FAILED="busy: another tether-agent is working on this host"; return; }
        SAVED=$(mktemp -d /run/tether-change.XXXXXX) || FAILED="cannot make a directory under /run"
}

# save PATH: a copy of PATH as it is (or that there is none), and its
# directory made when missing.
save() {
        COUNT=$((COUNT + 1))
        printf "%s\n" "$1" >"$SAVED/$COUNT.path" || return 1
        if [ -e "$1" ]; then
                cp -p "$1" "$SAVED/$COUNT.old" || return 1
        fi
        if [ ! -d "${1%/*}" ]; then
                : >"$SAVED/$COUNT.made-dir" && mkdir -p "${1%/*}" || return 1
        fi
}

put() {
        [ -z "$FAILED" ] || return
        save "$1" || { FAILED="cannot keep a copy of $1"; return; }
        tmp=$(mktemp "${1%/*}/.tether.XXXXXX") || { FAILED="cannot make a temp file beside $1"; return; }
        if printf "$2" >"$tmp" && chmod 0644 "$tmp" && sync_path "$tmp" && mv -f "$tmp" "$1"; then
                sync_path "${1%/*}"
                note "wrote $1"
        else
                rm -f "$tmp"
                FAILED="cannot write $1"
        fi
}

remove() {
        [ -z "$FAILED" ] || return
        save "$1" || { FAILED="cannot keep a copy of $1"; return; }
        if rm -f "$1"; then
                sync_path "${1%/*}"
                note "removed $1"
        else
                FAILED="cannot remove $1"
        fi
}

# put_back: every file as it was, the last change first.
put_back() {
        i=$COUNT
        status=0
        while [ "$i" -gt 0 ]; do
                path=$(cat "$SAVED/$i.path")
                if [ -e "$SAVED/$i.old" ]; then
                        tmp=$(mktemp "${path%/*}/.tether.XXXXXX") && cp -p "$SAVED/$i.old" "$tmp" &&
                                mv -f "$tmp" "$path" || status=1
                else
                        rm -f "$path" || status=1
                fi
                [ -e "$SAVED/$i.made-dir" ] && rmdir "${path%/*}" 2>/dev/null
                note "rolled back $path"
                i=$((i - 1))
        done
        return $status
}

failed() {
        printf "%s\n" "$FAILED"
        [ -z "$FAILED" ]
}

# change: reload, show what systemd loaded, and keep or put back as the
# controller answers.
change() {
        if [ -z "$FAILED" ]; then
                section reload systemctl daemon-reload
                for unit in docker.service $TIES; do
                        section "loaded $unit" systemctl show --property="$PROPS" "$unit"
                done
                printf "%s ask\n" "$B"
                answer=$(timeout 60 head -n 1)
                [ "$answer" = keep ] || FAILED="the controller did not keep the change: ${answer:-no answer}"
        fi
        section failed failed
        if [ -n "$FAILED" ] && [ "$COUNT" -gt 0 ]; then
                section put-back put_back
                section reload-again systemctl daemon-reload
        elif [ -n "$FAILED" ]; then
                section put-back true
        else
                KEPT=1
        fi
        [ -n "$SAVED" ] && rm -rf "$SAVED"
}

heal() {
        [ -n "$KEPT" ] || return
        section heal systemctl restart docker.service
        note "restarted docker.service to restore its missing rules"
}

begin
