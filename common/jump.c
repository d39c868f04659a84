/* SPDX-License-Identifier: MIT */
/*
 * Parsing jump host specs (see jump.h): split at ',', then each hop into
 * its user (before the last '@'), its address (in brackets when it is an
 * IPv6 literal with a port) and its port.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jump.h"
#include "macro.h"
#include "quote.h"
#include "validate.h"

void tether_jump_hops_free(struct tether_jump_hop *hops, size_t n) {
        for (size_t i = 0; hops && i < n; i++) {
                free(hops[i].user);
                free(hops[i].address);
        }
        free(hops);
}

static int hop_fail(struct tether_error *error, const char *hop, size_t length, const char *what) {
        char quoted[TETHER_QUOTE_SIZE];

        return tether_error_set(error, -EINVAL,
                                "jump host %s: %s; write [user@]host[:port], hops separated by ','",
                                tether_quote(hop, length, quoted), what);
}

/* One hop, hop[0..length). */
static int parse_hop(const char *hop, size_t length, struct tether_jump_hop *ret,
                     struct tether_error *error) {
        _cleanup_free_ char *text = strndup(hop, length);
        char *at, *host, *port = NULL;
        struct tether_jump_hop parsed = {0};

        if (!text)
                return tether_error_set(error, -ENOMEM, "out of memory");
        if (length == 0)
                return hop_fail(error, hop, length, "a hop is empty");
        at = strrchr(text, '@');
        host = at ? at + 1 : text;
        if (at) {
                *at = '\0';
                if (!tether_valid_user_name(text))
                        return hop_fail(error, hop, length, "the user is not a valid user name");
        }
        if (host[0] == '[') {
                char *close = strchr(host, ']');

                if (!close || (close[1] != '\0' && close[1] != ':'))
                        return hop_fail(error, hop, length, "a '[' without its ']'");
                *close = '\0';
                port = close[1] == ':' ? close + 2 : NULL;
                host++;
        } else {
                char *colon = strchr(host, ':');

                /* Two ':' or more: an IPv6 literal, without a port. */
                if (colon && !strchr(colon + 1, ':')) {
                        *colon = '\0';
                        port = colon + 1;
                }
        }
        if (!tether_valid_address(host) || host[0] == '\0')
                return hop_fail(error, hop, length, "the host is not a valid host name or address");
        if (port && tether_parse_port(port, &parsed.port) < 0)
                return hop_fail(error, hop, length, "the port is not a number from 1 to 65535");
        parsed.address = strdup(host);
        parsed.user = at ? strdup(text) : NULL;
        if (!parsed.address || (at && !parsed.user)) {
                free(parsed.address);
                free(parsed.user);
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        *ret = parsed;
        return 0;
}

int tether_jump_check(const char *spec, struct tether_error *error) {
        struct tether_jump_hop *hops = NULL;
        size_t n = 0;
        int r = tether_jump_parse(spec, &hops, &n, error);

        if (r >= 0)
                tether_jump_hops_free(hops, n);
        return r;
}

int tether_jump_parse(const char *spec, struct tether_jump_hop **ret, size_t *ret_n,
                      struct tether_error *error) {
        struct tether_jump_hop *hops;
        size_t n = 0;
        int r;

        if (!spec || spec[0] == '\0')
                return tether_error_set(error, -EINVAL, "empty jump host: write [user@]host[:port]");
        if (strlen(spec) > TETHER_JUMP_SPEC_MAX)
                return tether_error_set(error, -E2BIG, "jump host spec longer than %u bytes",
                                        TETHER_JUMP_SPEC_MAX);
        hops = calloc(TETHER_JUMP_HOPS_MAX, sizeof(*hops));
        if (!hops)
                return tether_error_set(error, -ENOMEM, "out of memory");
        for (const char *hop = spec;; n++) {
                size_t length = strcspn(hop, ",");

                if (n == TETHER_JUMP_HOPS_MAX) {
                        tether_jump_hops_free(hops, n);
                        return tether_error_set(error, -E2BIG, "more than %u jump hosts in %s",
                                                TETHER_JUMP_HOPS_MAX, spec);
                }
                r = parse_hop(hop, length, &hops[n], error);
                if (r < 0) {
                        tether_jump_hops_free(hops, n);
                        return r;
                }
                if (hop[length] == '\0') {
                        n++;
                        break;
                }
                hop += length + 1;
        }
        *ret = hops;
        *ret_n = n;
        return 0;
}
