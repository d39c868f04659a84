/* SPDX-License-Identifier: MIT */
/* The SSH edge's parsers: known_hosts marker lines and index, ssh_config's key keywords, jump host specs. */
#include "fuzz.h"
#include "jump.h"
#include "known-hosts-index.h"
#include "known-hosts.h"
#include "ssh-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct tether_ssh_auth_config config = {.identities_only = -1};
        struct tether_known_hosts_markers markers;
        struct tether_jump_hop *hops = NULL;
        struct tether_known_hosts_index *index = NULL;
        char *text = fuzz_string(data, size), *kept;
        size_t n = 0;

        if (!text)
                return 0;
        tether_known_hosts_find_markers(text, "web-01.example.com", 2222, "AAAAC3NzaC1lZDI1NTE5AAAAIA",
                                        &markers);
        kept = tether_known_hosts_marker_lines(text);
        free(kept);
        if (tether_known_hosts_index_new(text, &index) == 0) {
                struct strbuf lines = STRBUF_INIT;

                tether_known_hosts_index_lines(index, "Web-01.example.com", 2222, &lines);
                strbuf_free(&lines);
                tether_known_hosts_index_free(index);
        }
        (void)tether_host_patterns_match(text, "web-01.example.com");
        (void)tether_ssh_config_read(text, "web-01.example.com", NULL, NULL, &config, NULL);
        tether_ssh_auth_config_done(&config);
        if (tether_jump_parse(text, &hops, &n, NULL) == 0)
                tether_jump_hops_free(hops, n);
        free(text);
        return 0;
}
