/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/fileio.c, in a fresh mkdtemp directory under /tmp
 * per test: reading whole files at and around the size limit, missing files
 * and directories; atomic replacement (parent created, old file replaced,
 * mode set whatever the umask, no temporary file left behind on success or
 * failure, a reader of the old file undisturbed); removal. Failures are
 * provoked with paths under a regular file, which fail even for root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fileio.h"
#include "macro.h"

/* Not a valid pointer: shows that a failing call left *ret alone. */
static char *const untouched = (char *)(uintptr_t)0x1;

/* The test's directory, and paths in it. */
static char directory[] = "/tmp/test-fileio-XXXXXX";

static int setup(void **state) {
        memcpy(directory + strlen(directory) - 6, "XXXXXX", 6);
        if (!mkdtemp(directory))
                return -1;
        umask(022);
        return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        return remove(path);
}

static int teardown(void **state) {
        umask(022);
        return nftw(directory, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path in the test's directory; the caller frees it. */
static char *path_of(const char *name) {
        char *path = NULL;

        assert_true(asprintf(&path, "%s/%s", directory, name) >= 0);
        return path;
}

static void create_file(const char *path, const void *data, size_t size) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, size), (ssize_t)size);
}

static char *read_ok(const char *path, size_t limit, size_t *ret_size) {
        struct tether_error error = TETHER_ERROR_INIT;
        char *data = NULL;
        int r;

        r = tether_read_file(path, limit, &data, ret_size, &error);
        if (r < 0)
                fail_msg("unexpected error %d: %s", r, error.text);
        assert_false(tether_error_is_set(&error));
        assert_non_null(data);
        return data;
}

static void write_ok(const char *path, const char *contents, mode_t mode) {
        struct tether_error error = TETHER_ERROR_INIT;
        int r;

        r = tether_write_file_atomic(path, contents, mode, &error);
        if (r < 0)
                fail_msg("unexpected error %d: %s", r, error.text);
        assert_false(tether_error_is_set(&error));
}

/* Checks an error: its code, that the message is exactly
 * prefix + path + suffix. */
static void assert_error(const struct tether_error *error, int r, int code, const char *prefix,
                         const char *path, const char *suffix) {
        _cleanup_free_ char *expected = NULL;

        if (getenv("TEST_VERBOSE"))
                print_message("    %s\n", error->text);
        assert_true(asprintf(&expected, "%s%s%s", prefix, path, suffix) >= 0);
        assert_int_equal(r, code);
        assert_int_equal(error->code, code);
        assert_string_equal(error->text, expected);
}

static void assert_mode(const char *path, mode_t mode, mode_t type) {
        struct stat st;

        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & S_IFMT, type);
        assert_int_equal(st.st_mode & 07777, mode);
}

/* The names in dir, but for . and .., sorted, joined by spaces. */
static char *list_directory(const char *dir) {
        struct dirent **entries = NULL;
        char *names = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&names, &size);
        bool first = true;
        int n;

        assert_non_null(f);
        n = scandir(dir, &entries, NULL, alphasort);
        assert_true(n >= 0);
        for (int i = 0; i < n; i++) {
                if (strcmp(entries[i]->d_name, ".") != 0 && strcmp(entries[i]->d_name, "..") != 0) {
                        fprintf(f, "%s%s", first ? "" : " ", entries[i]->d_name);
                        first = false;
                }
                free(entries[i]);
        }
        free(entries);
        assert_int_equal(fclose(f), 0);
        return names;
}

/* ---- read ------------------------------------------------------------------ */

static void test_read(void **state) {
        _cleanup_free_ char *path = path_of("file"), *data = NULL, *again = NULL;
        size_t size = 0;

        create_file(path, "[Unit]\nAfter=x.service\n", 23);
        data = read_ok(path, 1024, &size);
        assert_string_equal(data, "[Unit]\nAfter=x.service\n");
        assert_int_equal(size, 23);
        /* ret_size is optional. */
        again = read_ok(path, 1024, NULL);
        assert_string_equal(again, "[Unit]\nAfter=x.service\n");
}

static void test_read_empty(void **state) {
        _cleanup_free_ char *path = path_of("empty"), *data = NULL, *zero = NULL;
        size_t size = 99;

        create_file(path, "", 0);
        data = read_ok(path, 1024, &size);
        assert_string_equal(data, "");
        assert_int_equal(size, 0);
        /* An empty file is within a limit of 0. */
        size = 99;
        zero = read_ok(path, 0, &size);
        assert_string_equal(zero, "");
        assert_int_equal(size, 0);
}

static void test_read_binary(void **state) {
        _cleanup_free_ char *path = path_of("binary"), *data = NULL;
        size_t size = 0;

        create_file(path, "a\0b\xff", 4);
        data = read_ok(path, 4, &size);
        assert_int_equal(size, 4);
        assert_memory_equal(data, "a\0b\xff", 5); /* and a NUL after the data */
}

static void test_read_missing(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *path = path_of("missing"), *in_missing = path_of("missing-dir/file");
        char *data = untouched;
        size_t size = 42;

        assert_error(&error, tether_read_file(path, 1024, &data, &size, &error), -ENOENT, "cannot open ",
                     path, ": No such file or directory");
        assert_ptr_equal(data, untouched);
        assert_int_equal(size, 42);

        tether_error_clear(&error);
        assert_error(&error, tether_read_file(in_missing, 1024, &data, &size, &error), -ENOENT,
                     "cannot open ", in_missing, ": No such file or directory");
        assert_ptr_equal(data, untouched);

        /* The error struct is optional. */
        assert_int_equal(tether_read_file(path, 1024, &data, NULL, NULL), -ENOENT);
        assert_ptr_equal(data, untouched);
}

static void test_read_limit(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *path = path_of("ten"), *data = NULL;
        char *rejected = untouched;
        size_t size = 0;

        create_file(path, "0123456789", 10);
        /* Exactly the limit is allowed. */
        data = read_ok(path, 10, &size);
        assert_string_equal(data, "0123456789");
        assert_int_equal(size, 10);

        size = 42;
        assert_error(&error, tether_read_file(path, 9, &rejected, &size, &error), -EFBIG, "", path,
                     " is larger than 9 bytes");
        assert_ptr_equal(rejected, untouched);
        assert_int_equal(size, 42);

        tether_error_clear(&error);
        assert_error(&error, tether_read_file(path, 0, &rejected, &size, &error), -EFBIG, "", path,
                     " is larger than 0 bytes");
        assert_ptr_equal(rejected, untouched);
}

static void test_read_limit_large(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *path = path_of("large"), *data = NULL, *content = malloc(100000);
        char *rejected = untouched;
        size_t size = 0;

        /* Past the first buffer, so the reader grows it on the way. */
        assert_non_null(content);
        for (size_t i = 0; i < 100000; i++)
                content[i] = (char)('a' + i % 26);
        create_file(path, content, 100000);

        data = read_ok(path, 100000, &size);
        assert_int_equal(size, 100000);
        assert_memory_equal(data, content, 100000);
        assert_int_equal(data[100000], '\0');

        assert_error(&error, tether_read_file(path, 99999, &rejected, &size, &error), -EFBIG, "", path,
                     " is larger than 99999 bytes");
        assert_ptr_equal(rejected, untouched);

        tether_error_clear(&error);
        assert_error(&error, tether_read_file(path, 8192, &rejected, &size, &error), -EFBIG, "", path,
                     " is larger than 8192 bytes");
        assert_ptr_equal(rejected, untouched);
}

static void test_read_no_limit(void **state) {
        _cleanup_free_ char *path = NULL, *data = NULL;
        path = path_of("small");
        create_file(path, "small", 5);
        data = read_ok(path, SIZE_MAX, NULL);
        assert_string_equal(data, "small");
}

static void test_read_directory(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        char *data = untouched;

        assert_error(&error, tether_read_file(directory, 1024, &data, NULL, &error), -EISDIR, "cannot read ",
                     directory, ": Is a directory");
        assert_ptr_equal(data, untouched);
}

/* From a pipe, where nothing tells the size before the end: the limit
 * still holds, messages use the name given, and the descriptor stays open. */
static void test_read_fd(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *data = NULL;
        char *rejected = untouched;
        size_t size = 0;
        int fds[2];

        assert_int_equal(pipe(fds), 0);
        assert_int_equal(write(fds[1], "0123456789", 10), 10);
        assert_int_equal(close(fds[1]), 0);
        assert_int_equal(tether_read_fd(fds[0], "the pipe", 10, &data, &size, &error), 0);
        assert_false(tether_error_is_set(&error));
        assert_string_equal(data, "0123456789");
        assert_int_equal(size, 10);
        assert_true(fcntl(fds[0], F_GETFD) >= 0); /* still open */
        assert_int_equal(close(fds[0]), 0);

        assert_int_equal(pipe(fds), 0);
        assert_int_equal(write(fds[1], "0123456789", 10), 10);
        assert_int_equal(close(fds[1]), 0);
        size = 42;
        assert_error(&error, tether_read_fd(fds[0], "the pipe", 9, &rejected, &size, &error), -EFBIG, "",
                     "the pipe", " is larger than 9 bytes");
        assert_ptr_equal(rejected, untouched);
        assert_int_equal(size, 42);
        assert_int_equal(close(fds[0]), 0);

        /* A descriptor that cannot be read from. */
        assert_int_equal(pipe(fds), 0);
        tether_error_clear(&error);
        assert_error(&error, tether_read_fd(fds[1], "the pipe", 9, &rejected, NULL, &error), -EBADF,
                     "cannot read ", "the pipe", ": Bad file descriptor");
        assert_ptr_equal(rejected, untouched);
        assert_int_equal(close(fds[0]), 0);
        assert_int_equal(close(fds[1]), 0);
}

/* ---- write ------------------------------------------------------------------- */

static void test_write_creates_parent(void **state) {
        _cleanup_free_ char *parent = path_of("docker.service.d"),
                            *path = path_of("docker.service.d/50-tether-firewall.conf"), *data = NULL,
                            *names = NULL;

        write_ok(path, "[Unit]\nAfter=nftables.service\n", 0644);
        assert_mode(parent, 0755, S_IFDIR);
        assert_mode(path, 0644, S_IFREG);
        data = read_ok(path, 1024, NULL);
        assert_string_equal(data, "[Unit]\nAfter=nftables.service\n");
        names = list_directory(parent);
        assert_string_equal(names, "50-tether-firewall.conf");
}

static void test_write_replaces(void **state) {
        _cleanup_free_ char *path = path_of("unit.conf"), *data = NULL, *names = NULL;
        _cleanup_close_ int old_fd = -1;
        struct stat before, after;
        char old[16] = "";

        write_ok(path, "old contents\n", 0600);
        assert_int_equal(stat(path, &before), 0);
        old_fd = open(path, O_RDONLY | O_CLOEXEC);
        assert_true(old_fd >= 0);

        write_ok(path, "new\n", 0644);
        data = read_ok(path, 1024, NULL);
        assert_string_equal(data, "new\n");
        assert_mode(path, 0644, S_IFREG);

        /* Replaced by rename, not rewritten in place: a reader of the old
         * file still sees all of the old contents. */
        assert_int_equal(stat(path, &after), 0);
        assert_true(before.st_ino != after.st_ino);
        assert_int_equal(read(old_fd, old, sizeof(old) - 1), 13);
        assert_string_equal(old, "old contents\n");

        names = list_directory(directory);
        assert_string_equal(names, "unit.conf");
}

static void test_write_mode(void **state) {
        static const mode_t modes[] = {0644, 0600, 0755, 0444, 0400, 0640};
        _cleanup_free_ char *path = path_of("moded");

        for (size_t i = 0; i < ELEMENTSOF(modes); i++) {
                write_ok(path, "x\n", modes[i]);
                assert_mode(path, modes[i], S_IFREG);
        }

        /* The mode asked for, whatever the umask. */
        umask(077);
        write_ok(path, "x\n", 0644);
        assert_mode(path, 0644, S_IFREG);
        umask(0);
        write_ok(path, "x\n", 0600);
        assert_mode(path, 0600, S_IFREG);
}

static void test_write_empty(void **state) {
        _cleanup_free_ char *path = path_of("empty"), *data = NULL;
        size_t size = 99;

        write_ok(path, "", 0644);
        data = read_ok(path, 0, &size);
        assert_string_equal(data, "");
        assert_int_equal(size, 0);
}

static void test_write_large(void **state) {
        _cleanup_free_ char *path = path_of("large"), *content = malloc(300001), *data = NULL;
        size_t size = 0;

        assert_non_null(content);
        for (size_t i = 0; i < 300000; i++)
                content[i] = (char)('A' + i % 50);
        content[300000] = '\0';
        write_ok(path, content, 0644);
        data = read_ok(path, 300000, &size);
        assert_int_equal(size, 300000);
        assert_string_equal(data, content);
}

static void test_write_under_regular_file(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *file = path_of("plain"), *beside = path_of("plain/x.conf"),
                            *deeper = path_of("plain/sub/x.conf"), *names = NULL;

        create_file(file, "keep\n", 5);

        assert_error(&error, tether_write_file_atomic(beside, "x\n", 0644, &error), -ENOTDIR,
                     "cannot create a temporary file beside ", beside, ": Not a directory");

        tether_error_clear(&error);
        assert_error(&error, tether_write_file_atomic(deeper, "x\n", 0644, &error), -ENOTDIR,
                     "cannot create the directory of ", deeper, ": Not a directory");

        /* Nothing changed, nothing left behind. */
        names = list_directory(directory);
        assert_string_equal(names, "plain");
        {
                _cleanup_free_ char *data = read_ok(file, 1024, NULL);

                assert_string_equal(data, "keep\n");
        }

        assert_int_equal(tether_write_file_atomic(beside, "x\n", 0644, NULL), -ENOTDIR);
}

static void test_write_missing_grandparent(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *path = path_of("a/b/c.conf"), *names = NULL;

        /* Only the parent is created, not a whole tree. */
        assert_error(&error, tether_write_file_atomic(path, "x\n", 0644, &error), -ENOENT,
                     "cannot create the directory of ", path, ": No such file or directory");
        names = list_directory(directory);
        assert_string_equal(names, "");
}

static void test_write_over_directory(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *path = path_of("taken"), *names = NULL;

        assert_int_equal(mkdir(path, 0755), 0);
        assert_error(&error, tether_write_file_atomic(path, "x\n", 0644, &error), -EISDIR, "cannot write ",
                     path, ": Is a directory");
        /* The temporary file is removed after the failed rename. */
        names = list_directory(directory);
        assert_string_equal(names, "taken");
        assert_mode(path, 0755, S_IFDIR);
}

/* ---- remove ---------------------------------------------------------------------- */

static void test_remove(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *path = path_of("gone"), *names = NULL;

        write_ok(path, "x\n", 0644);
        assert_int_equal(tether_remove_file(path, &error), 0);
        assert_false(tether_error_is_set(&error));
        assert_int_equal(access(path, F_OK), -1);
        assert_int_equal(errno, ENOENT);
        names = list_directory(directory);
        assert_string_equal(names, "");
}

static void test_remove_missing(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *path = path_of("never"), *in_missing = path_of("no-dir/never");

        assert_int_equal(tether_remove_file(path, &error), 0);
        assert_false(tether_error_is_set(&error));
        assert_string_equal(error.text, "");
        assert_int_equal(tether_remove_file(in_missing, &error), 0);
        assert_false(tether_error_is_set(&error));
        assert_int_equal(tether_remove_file(path, NULL), 0);
}

static void test_remove_fails(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *dir = path_of("dir"), *file = path_of("plain"), *under = path_of("plain/x");

        assert_int_equal(mkdir(dir, 0755), 0);
        assert_error(&error, tether_remove_file(dir, &error), -EISDIR, "cannot remove ", dir,
                     ": Is a directory");
        assert_mode(dir, 0755, S_IFDIR);

        create_file(file, "x", 1);
        tether_error_clear(&error);
        assert_error(&error, tether_remove_file(under, &error), -ENOTDIR, "cannot remove ", under,
                     ": Not a directory");
}

/* ---- outputs (reports) ------------------------------------------------------- */

static void output_ok(const char *path, const char *contents) {
        struct tether_error error = TETHER_ERROR_INIT;
        int r;

        r = tether_write_output(path, contents, &error);
        if (r < 0)
                fail_msg("unexpected error %d: %s", r, error.text);
        assert_false(tether_error_is_set(&error));
}

/* A new report gets 0666 less the umask; the mode of one that exists is kept. */
static void test_output_mode(void **state) {
        static const struct {
                mode_t umask, created;
        } rows[] = {
                {022, 0644},
                {077, 0600},
                {027, 0640},
                {002, 0664},
        };
        _cleanup_free_ char *path = path_of("report.json"), *data = NULL, *names = NULL;

        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                (void)unlink(path);
                umask(rows[i].umask);
                output_ok(path, "{}\n");
                assert_mode(path, rows[i].created, S_IFREG);
        }
        umask(022);
        assert_int_equal(chmod(path, 0640), 0);
        output_ok(path, "{\"new\": 1}\n");
        assert_mode(path, 0640, S_IFREG);
        data = read_ok(path, 100, NULL);
        assert_string_equal(data, "{\"new\": 1}\n");
        names = list_directory(directory);
        assert_string_equal(names, "report.json");
}

/* A link (as /dev/stdout is) stays a link; what it leads to is written. */
static void test_output_through_a_link(void **state) {
        _cleanup_free_ char *target = path_of("target"), *link = path_of("link"), *data = NULL;
        struct stat st;

        create_file(target, "old contents, longer\n", 21);
        assert_int_equal(symlink(target, link), 0);
        output_ok(link, "new\n");
        assert_int_equal(lstat(link, &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        data = read_ok(target, 100, NULL);
        assert_string_equal(data, "new\n");
}

/* A pipe (or a device) is written straight through, never replaced. */
static void test_output_to_a_fifo(void **state) {
        _cleanup_free_ char *fifo = path_of("fifo");
        _cleanup_close_ int reader = -1;
        char got[16] = {};
        struct stat st;

        assert_int_equal(mkfifo(fifo, 0600), 0);
        reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        assert_true(reader >= 0);
        output_ok(fifo, "report\n");
        assert_int_equal(read(reader, got, sizeof(got) - 1), 7);
        assert_string_equal(got, "report\n");
        assert_int_equal(lstat(fifo, &st), 0);
        assert_true(S_ISFIFO(st.st_mode));
        output_ok("/dev/null", "nothing\n");
        assert_int_equal(lstat("/dev/null", &st), 0);
        assert_true(S_ISCHR(st.st_mode));
}

static void test_first_error_wins(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_free_ char *missing = path_of("missing");
        char *data = untouched;

        tether_error_set(&error, -EPERM, "earlier");
        assert_int_equal(tether_read_file(missing, 10, &data, NULL, &error), -ENOENT);
        assert_int_equal(error.code, -EPERM);
        assert_string_equal(error.text, "earlier");
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void) {
        const struct CMUnitTest tests[] = {
                TEST(test_read),
                TEST(test_read_empty),
                TEST(test_read_binary),
                TEST(test_read_missing),
                TEST(test_read_limit),
                TEST(test_read_limit_large),
                TEST(test_read_no_limit),
                TEST(test_read_directory),
                TEST(test_read_fd),
                TEST(test_write_creates_parent),
                TEST(test_write_replaces),
                TEST(test_write_mode),
                TEST(test_write_empty),
                TEST(test_write_large),
                TEST(test_write_under_regular_file),
                TEST(test_write_missing_grandparent),
                TEST(test_write_over_directory),
                TEST(test_output_mode),
                TEST(test_output_through_a_link),
                TEST(test_output_to_a_fifo),
                TEST(test_remove),
                TEST(test_remove_missing),
                TEST(test_remove_fails),
                TEST(test_first_error_wins),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
