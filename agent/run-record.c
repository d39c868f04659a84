/* SPDX-License-Identifier: MIT */
/*
 * Run records on the host (see run-record.h and common/record.h): one file
 * a run id in /run/tether, which only root may read (mode 0700; each file
 * 0600), each replaced atomically through common/fileio.c, so a reader
 * finds the old record or the new one, never half of one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "run-record.h"
#include "time-util.h"

#define RECORD_MAX_AGE_SEC (24 * 60 * 60)
#define TEST_HOLD_PATH TETHER_RECORD_DIR "/test-hold"
#define TEST_HELD_PATH TETHER_RECORD_DIR "/test-held"
#define TEST_HOLD_MAX_USEC (600ULL * 1000000ULL)

/* /run/tether, root's alone, whoever made it first. */
static int make_directory(struct tether_error *error) {
        struct stat st;

        if (mkdir(TETHER_RECORD_DIR, 0700) < 0 && errno != EEXIST)
                return tether_error_set(error, -errno, "cannot create %s: %s", TETHER_RECORD_DIR,
                                        strerror(errno));
        if (lstat(TETHER_RECORD_DIR, &st) < 0)
                return tether_error_set(error, -errno, "cannot look at %s: %s", TETHER_RECORD_DIR,
                                        strerror(errno));
        if (!S_ISDIR(st.st_mode) || st.st_uid != 0)
                return tether_error_set(error, -ENOTDIR, "%s is not a directory of root's",
                                        TETHER_RECORD_DIR);
        if ((st.st_mode & 07777) != 0700 && chmod(TETHER_RECORD_DIR, 0700) < 0)
                return tether_error_set(error, -errno, "cannot make %s root's alone: %s", TETHER_RECORD_DIR,
                                        strerror(errno));
        return 0;
}

/* Records of runs older than a day: no controller reads them back any more. */
static void prune(void) {
        DIR *dir = opendir(TETHER_RECORD_DIR);
        time_t oldest = time(NULL) - RECORD_MAX_AGE_SEC;
        struct dirent *entry;

        if (!dir)
                return;
        while ((entry = readdir(dir))) {
                size_t length = strlen(entry->d_name);
                struct stat st;

                if (length < 6 || strcmp(entry->d_name + length - 5, ".json") != 0 ||
                    fstatat(dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
                    !S_ISREG(st.st_mode) || st.st_mtime >= oldest)
                        continue;
                (void)unlinkat(dirfd(dir), entry->d_name, 0);
        }
        closedir(dir);
}

int agent_record_write(const struct tether_record *record, struct tether_error *error) {
        _cleanup_free_ char *path = NULL, *text = NULL, *line = NULL;
        json_t *json;
        int r;

        r = make_directory(error);
        if (r < 0)
                return r;
        if (tether_record_path(TETHER_RECORD_DIR, record->run_id, &path) < 0)
                return tether_error_set(error, -EINVAL, "no record for the run id \"%s\"", record->run_id);
        json = tether_record_to_json(record);
        text = json ? json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(json);
        if (!text || asprintf(&line, "%s\n", text) < 0) {
                line = NULL;
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        return tether_write_file_atomic(path, line, 0600, error);
}

int agent_record_read(const char *run_id, json_t **ret_json, struct tether_record *ret,
                      struct tether_error *error) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        struct tether_record record;
        json_error_t json_error;
        size_t size;
        json_t *json;
        int r;

        if (tether_record_path(TETHER_RECORD_DIR, run_id, &path) < 0)
                return tether_error_set(error, -EINVAL, "no record for the run id \"%s\"", run_id);
        r = tether_read_file(path, TETHER_RECORD_LIMIT, &text, &size, error);
        if (r == -ENOENT) {
                tether_error_clear(error);
                return -ENOENT;
        }
        if (r < 0)
                return r;
        json = json_loadb(text, size, JSON_REJECT_DUPLICATES, &json_error);
        if (!json)
                return tether_error_set(error, -EBADMSG, "%s is not JSON: %s", path, json_error.text);
        r = tether_record_from_json(json, run_id, &record, error);
        if (r < 0) {
                json_decref(json);
                return r;
        }
        *ret_json = json;
        *ret = record;
        return 0;
}

int agent_record_begin(const char *run_id, const char *verb, struct tether_error *error) {
        struct tether_record record;
        json_t *json = NULL;
        int r;

        r = agent_record_read(run_id, &json, &record, error);
        if (r >= 0) {
                bool closed = record.state == TETHER_RECORD_CLOSED;

                json_decref(json);
                if (closed)
                        return -ESTALE;
        } else if (r != -ENOENT)
                return r;
        prune();
        return agent_record_write(
                &(struct tether_record){
                        .state = TETHER_RECORD_STARTED, .run_id = run_id, .verb = verb, .pid = getpid()},
                error);
}

/* The test hook (see run-record.h): only root can create the file, in a
 * directory of root's alone. */
static void hold_for_tests(void) {
        uint64_t deadline = tether_now_usec() + TEST_HOLD_MAX_USEC;
        char pid[32];

        if (access(TEST_HOLD_PATH, F_OK) < 0)
                return;
        snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
        (void)tether_write_file_atomic(TEST_HELD_PATH, pid, 0600, NULL);
        while (access(TEST_HOLD_PATH, F_OK) == 0 && tether_now_usec() < deadline)
                (void)usleep(100 * 1000);
        (void)unlink(TEST_HELD_PATH);
}

int agent_record_finish(const char *run_id, const char *verb, const json_t *document,
                        struct tether_error *error) {
        hold_for_tests();
        return agent_record_write(&(struct tether_record){.state = TETHER_RECORD_FINISHED,
                                                          .run_id = run_id,
                                                          .verb = verb,
                                                          .pid = getpid(),
                                                          .document = document},
                                  error);
}
