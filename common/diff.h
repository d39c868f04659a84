/* SPDX-License-Identifier: MIT */
/*
 * A unified diff of two small texts (drop-ins: tens of lines), shown by
 * `apply --check`. One hunk spans the whole file, so every line of it is
 * shown with its context: for files this small that reads best.
 *
 *   --- /dev/null
 *   +++ /etc/systemd/system/docker.service.d/50-tether-firewall.conf (tether)
 *   @@ -0,0 +1,7 @@
 *   +# Managed by tether, ...
 */
#pragma once

/* old or new may be NULL (no file). *ret is a new string; "" when equal. */
int tether_diff_unified(const char *old_label, const char *old, const char *new_label, const char *new,
                        char **ret);
