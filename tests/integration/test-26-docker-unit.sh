# The unit that runs dockerd: tether ties docker.service only. Where Docker
# runs as another unit (snap's snap.docker.dockerd.service), audit names
# that unit and says plainly that tether does not support it, and apply
# ties nothing, on a host whose firewall does flush Docker's rules.

SNAP_UNIT=snap.docker.dockerd.service

# As the snap has it: docker.service absent, dockerd run by a unit of
# another name (here Debian's dockerd, without docker.socket). Debian's
# /etc/init.d/docker goes too, or systemd-sysv-generator makes a
# docker.service of it.
run_docker_as_snap() {
        defer "$1" "systemctl stop $SNAP_UNIT; rm -f /etc/systemd/system/$SNAP_UNIT; mv /root/docker.service.moved /lib/systemd/system/docker.service; mv /root/docker.init.moved /etc/init.d/docker; systemctl unmask docker.socket; systemctl daemon-reload; systemctl reset-failed docker.service; systemctl start docker.service"
        wait_start_room "$1"
        on "$1" "systemctl stop docker.service docker.socket && systemctl mask docker.socket &&
                mv /lib/systemd/system/docker.service /root/docker.service.moved &&
                mv /etc/init.d/docker /root/docker.init.moved &&
                printf '[Unit]\nDescription=Docker as the snap runs it\nAfter=network-online.target containerd.service\n[Service]\nExecStart=/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock\n' >/etc/systemd/system/$SNAP_UNIT &&
                systemctl daemon-reload && systemctl start $SNAP_UNIT" >/dev/null 2>&1
}

test_snap_docker_is_named_and_not_supported() {
        local h out
        h=$(hosts_with_role ufw-builtins | sed -n 2p)
        [ -n "$h" ] || fail "the fleet has no second host of role ufw-builtins"
        push_agent "$h"
        expect_eq "$(agent "$h" audit | jq -r .verdict)" vulnerable "verdict with docker.service"

        run_docker_as_snap "$h"
        expect_eq "$(on "$h" "systemctl is-active $SNAP_UNIT")" active "$SNAP_UNIT"
        expect_eq "$(on "$h" 'systemctl show -P LoadState docker.service')" not-found "docker.service"
        for _ in $(seq 50); do
                [ "$(on "$h" 'iptables -t nat -S | grep -c DOCKER || true')" -gt 0 ] && break
                sleep 0.2
        done
        out=$(agent "$h" audit)
        expect_eq "$(agent_status)" 0 "audit's exit status"
        expect_eq "$(jq -r .verdict <<<"$out")" not-applicable "verdict with snap's Docker"
        expect_eq "$(jq -r .docker.installed <<<"$out")" false "docker.service installed"
        expect_eq "$(jq -r .docker.other_unit <<<"$out")" "$SNAP_UNIT" "the unit that runs dockerd"
        expect_match "$(jq -r '.reasons[0]' <<<"$out")" "^Docker runs here as $SNAP_UNIT .*does not support it" \
                "the reason"
        out=$(agent "$h" apply)
        expect_eq "$(agent_status)" 0 "apply's exit status"
        expect_eq "$(jq -r .changed <<<"$out")" false "apply on snap's Docker"
        if on "$h" 'ls /etc/systemd/system/*.service.d/50-tether-* 2>/dev/null'; then
                fail "apply wrote a drop-in on a host whose Docker it does not support"
        fi
}
