/* SPDX-License-Identifier: MIT */
/*
 * nftables change events and their culprits (see nft-events.h). The
 * parser trusts no length the kernel (or a test) hands it: every header and
 * attribute is checked against what is left of the datagram before it is
 * read, and it is read with memcpy(), so no alignment is assumed either.
 */
#include <errno.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "macro.h"
#include "nft-events.h"

/* Linux 6.3 added DESTROY* messages (a delete that ignores a missing
 * object); older headers do not name them. */
#define NFT_MSG_DESTROYTABLE_VALUE 26
#define NFT_MSG_DESTROYFLOWTABLE_VALUE 32

#define ALIGN4(n) (((n) + 3u) & ~(size_t)3u)

static bool is_deletion(unsigned type) {
        switch (type) {
        case NFT_MSG_DELTABLE:
        case NFT_MSG_DELCHAIN:
        case NFT_MSG_DELRULE:
        case NFT_MSG_DELSET:
        case NFT_MSG_DELSETELEM:
        case NFT_MSG_DELOBJ:
        case NFT_MSG_DELFLOWTABLE:
                return true;
        default:
                return type >= NFT_MSG_DESTROYTABLE_VALUE && type <= NFT_MSG_DESTROYFLOWTABLE_VALUE;
        }
}

static bool is_addition(unsigned type) {
        switch (type) {
        case NFT_MSG_NEWTABLE:
        case NFT_MSG_NEWCHAIN:
        case NFT_MSG_NEWRULE:
        case NFT_MSG_NEWSET:
        case NFT_MSG_NEWSETELEM:
        case NFT_MSG_NEWOBJ:
        case NFT_MSG_NEWFLOWTABLE:
                return true;
        default:
                return false;
        }
}

static uint32_t read_be32(const unsigned char *p) {
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The attributes of a NEWGEN message (payload after its nfgenmsg). */
static int read_generation(const unsigned char *p, size_t length, struct tether_nft_batch *batch) {
        while (length >= sizeof(struct nlattr)) {
                struct nlattr attr;
                size_t value_length;

                memcpy(&attr, p, sizeof(attr));
                if (attr.nla_len < sizeof(attr) || attr.nla_len > length)
                        return -EBADMSG;
                value_length = attr.nla_len - sizeof(attr);
                switch (attr.nla_type & NLA_TYPE_MASK) {
                case NFTA_GEN_ID:
                case NFTA_GEN_PROC_PID:
                        if (value_length != 4)
                                return -EBADMSG;
                        if ((attr.nla_type & NLA_TYPE_MASK) == NFTA_GEN_ID)
                                batch->generation = read_be32(p + sizeof(attr));
                        else
                                batch->pid = read_be32(p + sizeof(attr));
                        break;
                case NFTA_GEN_PROC_NAME: {
                        size_t n = strnlen((const char *)p + sizeof(attr), value_length);

                        if (n >= sizeof(batch->proc_name))
                                n = sizeof(batch->proc_name) - 1;
                        memcpy(batch->proc_name, p + sizeof(attr), n);
                        batch->proc_name[n] = '\0';
                        break;
                }
                default:
                        break;
                }
                if (ALIGN4(attr.nla_len) >= length)
                        return 0;
                p += ALIGN4(attr.nla_len);
                length -= ALIGN4(attr.nla_len);
        }
        return 0;
}

int tether_nft_events_read(const void *datagram, size_t length, struct tether_nft_batch *pending,
                           tether_nft_batch_handler handler, void *userdata) {
        const unsigned char *p = datagram;
        int batches = 0;

        while (length > 0) {
                struct nlmsghdr header;
                unsigned type;
                int r;

                if (length < sizeof(header))
                        return -EBADMSG;
                memcpy(&header, p, sizeof(header));
                if (header.nlmsg_len < sizeof(header) || header.nlmsg_len > length)
                        return -EBADMSG;
                type = NFNL_MSG_TYPE(header.nlmsg_type);
                if (header.nlmsg_type >= NLMSG_MIN_TYPE &&
                    NFNL_SUBSYS_ID(header.nlmsg_type) == NFNL_SUBSYS_NFTABLES) {
                        if (header.nlmsg_len < sizeof(header) + sizeof(struct nfgenmsg))
                                return -EBADMSG;
                        if (type == NFT_MSG_NEWGEN) {
                                const size_t skip = NLMSG_HDRLEN + ALIGN4(sizeof(struct nfgenmsg));

                                pending->generation = 0;
                                pending->pid = 0;
                                pending->proc_name[0] = '\0';
                                r = header.nlmsg_len > skip
                                            ? read_generation(p + skip, header.nlmsg_len - skip, pending)
                                            : 0;
                                if (r < 0)
                                        return r;
                                if (handler)
                                        handler(pending, userdata);
                                *pending = (struct tether_nft_batch){};
                                batches++;
                        } else if (is_deletion(type))
                                pending->deleted++;
                        else if (is_addition(type))
                                pending->added++;
                }
                if (ALIGN4(header.nlmsg_len) >= length)
                        break;
                p += ALIGN4(header.nlmsg_len);
                length -= ALIGN4(header.nlmsg_len);
        }
        return batches;
}

/* Whether a /proc/PID/cgroup text has a cgroup that is unit, or inside it
 * ("/system.slice/docker.service", "/system.slice/docker.service/x"). */
static bool cgroup_in_unit(const char *cgroup, const char *unit) {
        size_t length = strlen(unit);

        for (const char *s = cgroup; (s = strstr(s, unit)); s += length)
                if (s > cgroup && s[-1] == '/' &&
                    (s[length] == '\0' || s[length] == '\n' || s[length] == '/'))
                        return true;
        return false;
}

enum tether_nft_culprit tether_nft_culprit_classify(const struct tether_nft_process *process) {
        static const char *const docker_units[] = {"docker.service", "snap.docker.dockerd.service"};
        const char *name = process->proc_name ? process->proc_name : "";
        bool same_process = process->proc_comm && process->proc_cgroup && name[0] &&
                            strcmp(process->proc_comm, name) == 0;

        if (process->is_self)
                return TETHER_NFT_CULPRIT_SELF;
        if (same_process) {
                if (cgroup_in_unit(process->proc_cgroup, "tether-watch.service"))
                        return TETHER_NFT_CULPRIT_SELF;
                for (size_t i = 0; i < ELEMENTSOF(docker_units); i++)
                        if (cgroup_in_unit(process->proc_cgroup, docker_units[i]))
                                return TETHER_NFT_CULPRIT_DOCKER;
        }
        if (strcmp(name, "dockerd") == 0)
                return TETHER_NFT_CULPRIT_DOCKER;
        if (!same_process && (strcmp(name, "iptables") == 0 || strcmp(name, "ip6tables") == 0))
                return TETHER_NFT_CULPRIT_MAYBE_DOCKER;
        return TETHER_NFT_CULPRIT_OTHER;
}

/* The path of the line of cgroup that holds marker ("0::" at its start for
 * cgroup v2, ":name=systemd:" for v1), as start and length. */
static bool cgroup_path(const char *cgroup, const char *marker, bool at_start, const char **ret_start,
                        size_t *ret_length) {
        size_t marker_length = strlen(marker);

        for (const char *line = cgroup; *line;) {
                size_t length = strcspn(line, "\n");

                for (size_t i = 0; i + marker_length <= length && (i == 0 || !at_start); i++)
                        if (strncmp(line + i, marker, marker_length) == 0) {
                                *ret_start = line + i + marker_length;
                                *ret_length = length - i - marker_length;
                                return true;
                        }
                line += length;
                if (*line)
                        line++;
        }
        return false;
}

bool tether_nft_cgroup_unit(const char *cgroup, char *ret, size_t size) {
        const char *path = NULL, *last;
        size_t length = 0;

        if (size > 0)
                ret[0] = '\0';
        if (!cgroup || size == 0)
                return false;
        if (!cgroup_path(cgroup, "0::", true, &path, &length) &&
            !cgroup_path(cgroup, ":name=systemd:", false, &path, &length))
                return false;
        last = path;
        for (size_t i = 0; i < length; i++)
                if (path[i] == '/' && i + 1 < length)
                        last = path + i + 1;
        length -= (size_t)(last - path);
        if (length == 0 || *last == '/' || length >= size)
                return false;
        memcpy(ret, last, length);
        ret[length] = '\0';
        return true;
}

const char *tether_nft_culprit_to_string(enum tether_nft_culprit culprit) {
        static const char *const names[] = {
                [TETHER_NFT_CULPRIT_OTHER] = "other",
                [TETHER_NFT_CULPRIT_DOCKER] = "docker",
                [TETHER_NFT_CULPRIT_SELF] = "self",
                [TETHER_NFT_CULPRIT_MAYBE_DOCKER] = "maybe-docker",
        };

        return (size_t)culprit < ELEMENTSOF(names) ? names[culprit] : "other";
}
