/* SPDX-License-Identifier: MIT */
/* nftables netlink events, as the kernel sends them (one datagram, or two
 * with a batch carried across), and /proc/PID/cgroup text read on a host. */
#include "fuzz.h"
#include "nft-events.h"

static void count(const struct tether_nft_batch *batch, void *userdata) {
        *(size_t *)userdata += batch->deleted + batch->added;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct tether_nft_batch pending = {0};
        size_t objects = 0, half = size / 2;
        char unit[64], *text;

        (void)tether_nft_events_read(data, size, &pending, count, &objects);
        pending = (struct tether_nft_batch){0};
        if (tether_nft_events_read(data, half, &pending, count, &objects) >= 0)
                (void)tether_nft_events_read(data + half, size - half, &pending, count, &objects);

        text = fuzz_string(data, size);
        if (text) {
                (void)tether_nft_cgroup_unit(text, unit, sizeof(unit));
                (void)tether_nft_culprit_classify(&(struct tether_nft_process){
                        .proc_name = "iptables", .proc_comm = "iptables", .proc_cgroup = text});
        }
        free(text);
        return 0;
}
