/* SPDX-License-Identifier: MIT */
/* iptables-save output, as a host prints it. */
#include "fuzz.h"
#include "netfilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct tether_netfilter_snapshot *snapshot = NULL;
        enum tether_netfilter_backend backend;
        char *text = fuzz_string(data, size);

        if (text)
                (void)tether_netfilter_parse_version(text, &backend);
        free(text);
        if (tether_netfilter_parse_save((const char *)data, size, &snapshot, NULL) == 0)
                tether_netfilter_snapshot_free(snapshot);
        return 0;
}
