/* SPDX-License-Identifier: MIT */
/*
 * What a ferm.conf keeps of rules ferm did not write. ferm replaces each
 * table it manages with iptables-restore (no --noflush): every chain of
 * those tables is flushed, except the chains marked @preserve, whose rules
 * ferm reads back from iptables-save and restores as they were (ferm(1),
 * "@preserve"; ferm's rules_to_save()). A table ferm.conf never names is
 * left alone, and `filter` is ferm's default table.
 *
 *   domain (ip ip6) table nat {
 *       chain (DOCKER PREROUTING OUTPUT POSTROUTING) @preserve;
 *   }
 *
 * preserves those four chain names and manages the filter and nat tables.
 * Files pulled in with @include are not read.
 */
#pragma once

/* Reads text (NULL: no file). Returns 0 and, in *ret_preserved and
 * *ret_tables, new NULL-terminated lists (never NULL) of the chain names
 * marked @preserve and of the tables the file manages; -ENOMEM, leaving
 * both untouched. */
int tether_ferm_read(const char *text, char ***ret_preserved, char ***ret_tables);
