/* SPDX-License-Identifier: MIT */
/*
 * A minimal HTTP/1.0 client for Engine API calls on a Unix socket:
 *
 *   > GET /version HTTP/1.0
 *   < HTTP/1.0 200 OK ... \r\n\r\n{"Version":"20.10.24+dfsg1",...}
 *
 * HTTP/1.0 makes dockerd close the connection after the answer, so the body
 * ends at EOF; the answer is limited in size and time.
 */
#include <errno.h>
#include <stdio.h>
#include <jansson.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "docker-api.h"
#include "strbuf.h"
#include "validate.h"

#define DOCKER_SOCKET "/run/docker.sock"
#define ANSWER_LIMIT (256u * 1024)
#define TIMEOUT_MS 3000

/* GET path, HTTP/1.0: the answer's JSON body, a new reference in *ret. */
static int docker_api_get(const char *path, json_t **ret, struct tether_error *error) {
        struct sockaddr_un address = {.sun_family = AF_UNIX, .sun_path = DOCKER_SOCKET};
        struct strbuf answer = {.limit = ANSWER_LIMIT};
        _cleanup_free_ char *request = NULL;
        _cleanup_close_ int fd = -1;
        const char *start;
        json_t *body;
        int r = 0;

        if (asprintf(&request, "GET %s HTTP/1.0\r\nHost: docker\r\n\r\n", path) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return tether_error_set(error, -errno, "cannot create a socket: %s", strerror(errno));
        if (connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0)
                return tether_error_set(error, -errno, "cannot connect to %s: %s", DOCKER_SOCKET,
                                        strerror(errno));
        if (write(fd, request, strlen(request)) != (ssize_t)strlen(request))
                return tether_error_set(error, -EIO, "cannot send a request to %s", DOCKER_SOCKET);

        for (;;) {
                struct pollfd pfd = {.fd = fd, .events = POLLIN};
                char chunk[8192];
                ssize_t n;

                n = poll(&pfd, 1, TIMEOUT_MS);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        r = n == 0 ? -ETIMEDOUT : -errno;
                        break;
                }
                n = read(fd, chunk, sizeof(chunk));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        r = n < 0 ? -errno : 0;
                        break;
                }
                strbuf_append_n(&answer, chunk, (size_t)n);
                if (answer.failed) {
                        r = -EFBIG;
                        break;
                }
        }
        if (r < 0 || !answer.data) {
                strbuf_free(&answer);
                return tether_error_set(error, r < 0 ? r : -EBADMSG, "no answer from dockerd on %s",
                                        DOCKER_SOCKET);
        }
        start = strstr(answer.data, "\r\n\r\n");
        body = start ? json_loads(start + 4, 0, NULL) : NULL;
        strbuf_free(&answer);
        if (!body)
                return tether_error_set(error, -EBADMSG, "dockerd's answer to %s is not JSON", path);
        *ret = body;
        return 0;
}

int docker_api_version(char **ret, unsigned *ret_major, struct tether_error *error) {
        json_t *body = NULL, *version;
        char *value;
        int r;

        r = docker_api_get("/version", &body, error);
        if (r < 0)
                return r;
        version = json_object_get(body, "Version");
        if (!json_is_string(version)) {
                json_decref(body);
                return tether_error_set(error, -EBADMSG, "dockerd's /version answer has no Version");
        }
        value = strdup(json_string_value(version));
        json_decref(body);
        if (!value)
                return tether_error_set(error, -ENOMEM, "out of memory");
        *ret_major = (unsigned)strtoul(value, NULL, 10);
        *ret = value;
        return 0;
}

int docker_api_running_containers(unsigned *ret, struct tether_error *error) {
        json_t *body = NULL;
        int r;

        /* Without all=1 the list holds the running containers only. */
        r = docker_api_get("/containers/json", &body, error);
        if (r < 0)
                return r;
        if (!json_is_array(body)) {
                json_decref(body);
                return tether_error_set(error, -EBADMSG, "dockerd's /containers/json answer is not a list");
        }
        *ret = (unsigned)json_array_size(body);
        json_decref(body);
        return 0;
}
