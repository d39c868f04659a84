/* SPDX-License-Identifier: MIT */
/*
 * bench/kex-probe ADDRESS: connects to ADDRESS port 22 with libssh's default
 * algorithms (what tether gets: tether sets none of them) and prints what was
 * negotiated, so the benchmark can say which key exchange each figure used.
 * It does not authenticate.
 */
#include <libssh/libssh.h>
#include <stdio.h>

int main(int argc, char **argv) {
        ssh_session session;
        int verbosity = SSH_LOG_NOLOG;
        long timeout = 10;
        ssh_key key = NULL;
        const char *host_key_type = "?";

        if (argc != 2) {
                fprintf(stderr, "usage: kex-probe ADDRESS\n");
                return 2;
        }
        session = ssh_new();
        if (!session)
                return 1;
        ssh_options_set(session, SSH_OPTIONS_HOST, argv[1]);
        ssh_options_set(session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
        ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout);
        /* tether parses ~/.ssh/config the same way before connecting. */
        ssh_options_parse_config(session, NULL);
        if (ssh_connect(session) != SSH_OK) {
                fprintf(stderr, "kex-probe: %s\n", ssh_get_error(session));
                ssh_free(session);
                return 1;
        }
        if (ssh_get_server_publickey(session, &key) == SSH_OK) {
                host_key_type = ssh_key_type_to_char(ssh_key_type(key));
                ssh_key_free(key);
        }
        printf("libssh %s kex=%s cipher=%s hostkey=%s\n", ssh_version(0), ssh_get_kex_algo(session),
               ssh_get_cipher_out(session), host_key_type);
        ssh_disconnect(session);
        ssh_free(session);
        return 0;
}
