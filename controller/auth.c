/* SPDX-License-Identifier: MIT */
/*
 * Logging in by key, as OpenSSH would for the same ssh_config. libssh 0.10
 * reads IdentityFile but skips IdentitiesOnly and CertificateFile, so they
 * are read here (ssh-config.h) and the keys are offered in OpenSSH's order:
 *
 *   1. --identity / identity_file, then ssh_config's IdentityFile entries,
 *      each with its certificate first (CertificateFile, or KEY-cert.pub)
 *   2. unless IdentitiesOnly: ssh-agent, then libssh's own list (those
 *      IdentityFile entries and ~/.ssh/id_*)
 *
 * With IdentitiesOnly an agent holding many keys cannot use up the
 * server's MaxAuthTries before the configured key is offered.
 */
#include <errno.h>
#include <glob.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "fileio.h"
#include "macro.h"
#include "session.h"
#include "ssh-config.h"

#define SSH_CONFIG_SIZE_MAX (1u << 20)

struct include_base {
        const char *directory; /* where a relative Include is: ~/.ssh or /etc/ssh */
};

/* ssh_config's Include: '~' expanded, relative to the file's directory,
 * globbed. Files that cannot be read are skipped, as OpenSSH skips them. */
static int include_files(const char *pattern, char ***ret, void *userdata) {
        const struct include_base *base = userdata;
        _cleanup_free_ char *expanded = NULL;
        glob_t found = {0};
        int r = 0;

        if (pattern[0] == '~' || pattern[0] == '/')
                expanded = session_expand_path(pattern);
        else if (asprintf(&expanded, "%s/%s", base->directory, pattern) < 0)
                expanded = NULL;
        if (!expanded)
                return -ENOMEM;
        if (glob(expanded, 0, NULL, &found) != 0)
                return 0;
        for (size_t i = 0; r >= 0 && i < found.gl_pathc; i++) {
                char *text = NULL;

                if (tether_read_file(found.gl_pathv[i], SSH_CONFIG_SIZE_MAX, &text, NULL, NULL) >= 0)
                        r = strv_push(ret, text);
        }
        globfree(&found);
        return r;
}

/* The key-related ssh_config for the host: --ssh-config FILE, or
 * $HOME/.ssh/config then /etc/ssh/ssh_config. Unreadable files count as
 * empty: libssh, which reads them too, says what it thinks of them. */
static void read_auth_config(const char *ssh_config, const char *host,
                             struct tether_ssh_auth_config *config) {
        _cleanup_free_ char *user_file = session_expand_path(ssh_config ? ssh_config : "~/.ssh/config");
        _cleanup_free_ char *user_directory = session_expand_path("~/.ssh");
        const char *files[] = {user_file, ssh_config ? NULL : "/etc/ssh/ssh_config"};
        struct include_base bases[] = {{user_directory}, {"/etc/ssh"}};

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *text = NULL;

                if (!files[i] || !bases[i].directory ||
                    tether_read_file(files[i], SSH_CONFIG_SIZE_MAX, &text, NULL, NULL) < 0)
                        continue;
                (void)tether_ssh_config_read(text, host, include_files, &bases[i], config, NULL);
        }
}

/* Offers key, with a certificate of it first when one is found among
 * certificates or next to it (PATH-cert.pub). 1: logged in; 0: refused;
 * -ENOKEY: the key cannot be read; -EPROTO: a protocol error. */
static int offer_key(ssh_session session, const char *path, char *const *certificates, bool plain_too) {
        _cleanup_free_ char *next_to_it = NULL;
        ssh_key key = NULL;
        int r, result = 0;

        if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) != SSH_OK)
                return -ENOKEY;
        if (asprintf(&next_to_it, "%s-cert.pub", path) < 0)
                next_to_it = NULL;
        for (size_t i = 0; result == 0 && (certificates && certificates[i] ? true : next_to_it != NULL);
             i++) {
                const char *certificate = certificates && certificates[i] ? certificates[i] : next_to_it;
                _cleanup_free_ char *certificate_path = session_expand_path(certificate);
                ssh_key cert = NULL, with_cert = NULL;

                if (certificate_path && access(certificate_path, R_OK) == 0 &&
                    ssh_pki_import_cert_file(certificate_path, &cert) == SSH_OK &&
                    ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &with_cert) == SSH_OK &&
                    ssh_pki_copy_cert_to_privkey(cert, with_cert) == SSH_OK) {
                        r = ssh_userauth_publickey(session, NULL, with_cert);
                        result = r == SSH_AUTH_SUCCESS ? 1 : r == SSH_AUTH_ERROR ? -EPROTO : 0;
                }
                ssh_key_free(cert);
                ssh_key_free(with_cert);
                if (certificate == next_to_it)
                        break;
        }
        if (result == 0 && plain_too) {
                r = ssh_userauth_publickey(session, NULL, key);
                result = r == SSH_AUTH_SUCCESS ? 1 : r == SSH_AUTH_ERROR ? -EPROTO : 0;
        }
        ssh_key_free(key);
        return result;
}

int auth_login(ssh_session session, const struct auth_request *request, struct host_failure *failure) {
        struct tether_ssh_auth_config config = {.identities_only = -1};
        bool only;
        int r = 0;

        read_auth_config(request->ssh_config, request->config_host, &config);
        only = request->identities_only >= 0 ? request->identities_only == 1 : config.identities_only == 1;

        if (request->identity_file) {
                _cleanup_free_ char *path = session_expand_path(request->identity_file);

                r = path ? offer_key(session, path, config.certificate_files, true) : -ENOKEY;
                if (r == -ENOKEY) {
                        tether_ssh_auth_config_done(&config);
                        return fail_host(
                                failure, HOST_STAGE_AUTH,
                                "cannot read the private key %s (missing, unreadable, or protected by a "
                                "passphrase: load it into ssh-agent instead)",
                                path ? path : request->identity_file);
                }
        }
        /* ssh_config's own keys: here only for their certificates, or all of
         * them with IdentitiesOnly (libssh's list below comes after ssh-agent). */
        for (size_t i = 0; r == 0 && config.identity_files && config.identity_files[i]; i++) {
                _cleanup_free_ char *path = session_expand_path(config.identity_files[i]);

                /* A key of ssh_config that cannot be read is skipped, as ssh skips it. */
                if (path && (r = offer_key(session, path, config.certificate_files, only)) == -ENOKEY)
                        r = 0;
        }
        tether_ssh_auth_config_done(&config);
        if (r == 0 && !only) {
                int auto_r = ssh_userauth_publickey_auto(session, NULL, NULL);

                r = auto_r == SSH_AUTH_SUCCESS ? 1 : auto_r == SSH_AUTH_ERROR ? -EPROTO : 0;
        }
        if (r > 0)
                return 0;
        if (r < 0)
                return fail_host(failure, HOST_STAGE_CONNECT, "%s: %s", request->address,
                                 ssh_get_error(session));
        return fail_host(
                failure, HOST_STAGE_AUTH,
                "%s@%s refused every key tried (%s%s%s): add the key to the user's authorized_keys, "
                "or name the right one with --identity or identity_file",
                request->user ? request->user : "(default user)", request->address,
                request->identity_file ? request->identity_file : "", request->identity_file ? ", " : "",
                only ? "the IdentityFile entries of ssh_config; IdentitiesOnly is set, so ssh-agent was "
                       "not asked"
                     : "ssh-agent, ~/.ssh/config's IdentityFile, ~/.ssh/id_*");
}
