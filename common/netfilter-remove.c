/* SPDX-License-Identifier: MIT */
/*
 * The script that takes Docker's rules away, as a flush would, for `test
 * --scenario flush` (see netfilter.h). One iptables-restore --noflush of it
 * is one commit a table: watch sees the change as a flush does, and the
 * host's own rules are not touched.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "netfilter.h"
#include "strbuf.h"

/* Whether items[from, to) declare chain (":CHAIN"), chain_length bytes. */
static bool declares(const struct tether_netfilter_item *items, size_t from, size_t to, const char *chain,
                     size_t chain_length) {
        for (size_t i = from; i < to; i++)
                if (items[i].text[0] == ':' && strlen(items[i].text + 1) == chain_length &&
                    strncmp(items[i].text + 1, chain, chain_length) == 0)
                        return true;
        return false;
}

static void append_table(struct strbuf *buf, const struct tether_netfilter_item *items, size_t from,
                         size_t to) {
        strbuf_appendf(buf, "*%s\n", items[from].table);
        for (size_t i = from; i < to; i++) {
                const char *chain = items[i].text + 3;

                if (strncmp(items[i].text, "-A ", 3) != 0 ||
                    declares(items, from, to, chain, strcspn(chain, " ")))
                        continue;
                strbuf_appendf(buf, "-D %s\n", chain);
        }
        for (size_t i = from; i < to; i++)
                if (items[i].text[0] == ':')
                        strbuf_appendf(buf, "-F %s\n", items[i].text + 1);
        strbuf_append(buf, "COMMIT\n");
}

int tether_netfilter_removal_script(const struct tether_netfilter_snapshot *docker, char **ret) {
        struct strbuf buf = STRBUF_INIT;
        char *text;

        if (!docker)
                return -EINVAL;
        for (size_t from = 0, to; from < docker->n_items; from = to) {
                for (to = from;
                     to < docker->n_items && strcmp(docker->items[to].table, docker->items[from].table) == 0;
                     to++)
                        ;
                append_table(&buf, docker->items, from, to);
        }
        text = strbuf_steal(&buf);
        if (!text)
                return -ENOMEM;
        *ret = text;
        return 0;
}
