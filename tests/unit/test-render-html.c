/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/render-html.c: each report fixture of
 * tests/unit/fixtures/reports renders to exactly its golden page in
 * tests/unit/fixtures/render/<name>.html (TETHER_UPDATE_GOLDEN=1 rewrites
 * the goldens: look at them before committing), except that the goldens
 * name the CSS and the script instead of repeating them:
 *
 *   ... style-src 'sha256-[controller/assets/report.css]'; script-src ...
 *   <style>[controller/assets/report.css]</style>
 *
 * and a test of its own checks that the page carries exactly the bytes of
 * those files, with their SHA-256 in its Content-Security-Policy. The page
 * is the same every time and fetches nothing; hostile strings in every
 * field come out escaped, so the only markup in the page is tether's own,
 * and each string of tests/unit/hostile-strings.h as tether_escape_html()
 * writes it; and reports with no hosts, missing agent fields or fields of
 * the wrong type render without crashing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libgen.h>
#include <unistd.h>

#include "fileio.h"
#include "hostile-strings.h"
#include "macro.h"
#include "render.h"
#include "report-assets.h"
#include "sha256.h"
#include "test-util.h"

#define GOLDEN_DIR "tests/unit/fixtures/render"

/* Pages that differ from their goldens go beside the test binary, in
 * whatever build directory it was built into. */
static char *actual_dir(void) {
        char self[4096], *dir = NULL;
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

        if (n <= 0)
                return strdup("render-html");
        self[n] = '\0';
        if (asprintf(&dir, "%s/render-html", dirname(self)) < 0)
                return NULL;
        return dir;
}

static const char *const fixtures[] = {"audit", "apply", "test", "failures", "hostile"};

/* The files compiled into the page, where it carries them, and how the
 * goldens name them. */
static const struct {
        const char *path;
        const struct report_asset *asset;
        const char *open, *close, *csp_directive;
        const char *golden_text, *golden_csp_source;
} assets[] = {
        {"controller/assets/report.css", &report_asset_css, "<style>", "</style>", "style-src ",
         "[controller/assets/report.css]", "'sha256-[controller/assets/report.css]'"},
        {"controller/assets/report.js", &report_asset_js, "<script>", "</script>", "script-src ",
         "[controller/assets/report.js]", "'sha256-[controller/assets/report.js]'"},
};

/* The elements render-html.c writes; anything else in a page came from data. */
static const char *const own_elements[] = {
        "!DOCTYPE", "html",    "head",  "meta",  "title", "style",  "body",    "header", "h1",     "h2",
        "h3",       "h4",      "p",     "code",  "main",  "div",    "section", "dl",     "dt",     "dd",
        "time",     "svg",     "g",     "text",  "rect",  "form",   "label",   "select", "option", "input",
        "button",   "span",    "table", "thead", "tbody", "tr",     "th",      "td",     "strong", "br",
        "details",  "summary", "ul",    "li",    "pre",   "footer", "script",
};

static size_t count(const char *haystack, const char *needle) {
        size_t n = 0;

        for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
                n++;
        return n;
}

/* The line where two texts first differ, 1-based; 0 when equal. */
static size_t first_difference(const char *a, const char *b) {
        size_t line = 1;

        for (; *a && *a == *b; a++, b++)
                line += *a == '\n';
        return *a == *b ? 0 : line;
}

/* Every '<' in page opens or closes one of tether's own elements, or a
 * comment-free CDATA-less script and style of its own: a string from the
 * report that was not escaped shows up here as a foreign element. */
static void assert_only_own_markup(const char *page) {
        for (const char *p = strchr(page, '<'); p; p = strchr(p + 1, '<')) {
                const char *name = p + 1 + (p[1] == '/');
                size_t length = strcspn(name, " >\n/");
                bool known = false;

                for (size_t i = 0; i < ELEMENTSOF(own_elements); i++)
                        known = known || (strlen(own_elements[i]) == length &&
                                          strncmp(name, own_elements[i], length) == 0);
                if (!known)
                        fail_msg("foreign markup at byte %zu: %.40s", (size_t)(p - page), p);
                if (strncmp(p, "<script>", 8) == 0 || strncmp(p, "<style>", 7) == 0) {
                        /* Inside them '<' is the code's own; skip to their end. */
                        const char *end = strstr(p, p[1] == 's' && p[2] == 'c' ? "</script>" : "</style>");

                        assert_non_null(end);
                        p = end;
                }
        }
        assert_int_equal(count(page, "<script"), 1);
        assert_int_equal(count(page, "</script"), 1);
        assert_int_equal(count(page, "<style"), 1);
        assert_null(strstr(page, "<!--"));
}

/* Nothing in the page loads anything: no URL anywhere (a report's text has
 * none either), and no attribute or CSS that would fetch. Escaped text may
 * say "src=", so attributes are looked for inside tags only. */
static void assert_self_contained(const char *page) {
        assert_null(strstr(page, "http://"));
        assert_null(strstr(page, "https://"));
        assert_null(strstr(page, "url("));
        assert_null(strstr(page, "@import"));
        for (const char *p = strchr(page, '<'); p; p = strchr(p + 1, '<')) {
                size_t length = strcspn(p, ">");
                _cleanup_free_ char *tag = strndup(p, length);

                assert_non_null(tag);
                if (strstr(tag, " src=") || strstr(tag, " href=") || strstr(tag, " action=") ||
                    strstr(tag, " srcset=") || strstr(tag, " xlink:"))
                        fail_msg("a tag that loads something: %s", tag);
                if (strcmp(tag, "<script") == 0 || strcmp(tag, "<style") == 0) {
                        const char *end =
                                strstr(p, tag[1] == 's' && tag[2] == 'c' ? "</script>" : "</style>");

                        assert_non_null(end);
                        p = end;
                }
        }
        assert_non_null(
                strstr(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'"));
}

/* text with its one occurrence of the n bytes at needle replaced (a new
 * string); fails the test when needle is not there exactly once. */
static char *replace_once(const char *text, const char *needle, size_t n, const char *replacement) {
        const char *at = memmem(text, strlen(text), needle, n);
        char *replaced = NULL;

        if (!at || memmem(at + 1, strlen(at + 1), needle, n))
                fail_msg("the page has %s %.40s...", at ? "more than one" : "no", needle);
        assert_true(asprintf(&replaced, "%.*s%s%s", (int)(at - text), text, replacement, at + n) > 0);
        return replaced;
}

/* The page as its golden has it: the CSS, the script and their hashes
 * named, not repeated, so a golden changes only with what the page says. */
static char *page_for_golden(const char *page) {
        char *text = strdup(page);

        assert_non_null(text);
        for (size_t i = 0; i < ELEMENTSOF(assets); i++) {
                const struct report_asset *asset = assets[i].asset;
                char *replaced = replace_once(text, asset->bytes, asset->size, assets[i].golden_text);

                free(text);
                text = replace_once(replaced, asset->csp_source, strlen(asset->csp_source),
                                    assets[i].golden_csp_source);
                free(replaced);
        }
        return text;
}

static void test_goldens(void **state) {
        bool update = getenv("TETHER_UPDATE_GOLDEN") && strcmp(getenv("TETHER_UPDATE_GOLDEN"), "1") == 0;
        size_t differing = 0;

        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                json_auto_t *report = load_fixture(fixtures[i]);
                _cleanup_free_ char *rendered = render_html(report), *golden = NULL, *golden_path = NULL;
                _cleanup_free_ char *actual_path = NULL, *page = NULL;
                struct tether_error error = TETHER_ERROR_INIT;
                size_t line;
                int r;

                assert_non_null(rendered);
                page = page_for_golden(rendered);
                assert_true(asprintf(&golden_path, "%s/%s.html", GOLDEN_DIR, fixtures[i]) > 0);
                if (update) {
                        r = tether_write_file_atomic(golden_path, page, 0644, &error);
                        if (r < 0)
                                fail_msg("%s", error.text);
                        print_message("wrote %s\n", golden_path);
                        continue;
                }
                r = tether_read_file(golden_path, 64u << 20, &golden, NULL, &error);
                if (r < 0)
                        fail_msg("%s (TETHER_UPDATE_GOLDEN=1 writes the goldens)", error.text);
                line = first_difference(page, golden);
                if (line == 0)
                        continue;
                /* Every differing page is kept, to diff them all at once. */
                {
                        _cleanup_free_ char *dir = actual_dir();

                        assert_non_null(dir);
                        assert_true(asprintf(&actual_path, "%s/%s.html", dir, fixtures[i]) > 0);
                }
                (void)tether_write_file_atomic(actual_path, page, 0644, NULL);
                print_error("%s differs from the page rendered now from line %zu on; the page is in %s\n",
                            golden_path, line, actual_path);
                differing++;
        }
        if (differing > 0)
                fail_msg("%zu pages differ from their goldens: diff them, and if the change is meant, "
                         "TETHER_UPDATE_GOLDEN=1 takes them as the goldens",
                         differing);
}

static void base64(const uint8_t *data, size_t n, char *out) {
        static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        for (size_t i = 0; i < n; i += 3) {
                uint32_t triple = (uint32_t)data[i] << 16 | (i + 1 < n ? (uint32_t)data[i + 1] << 8 : 0) |
                                  (i + 2 < n ? data[i + 2] : 0);

                *out++ = alphabet[triple >> 18 & 63];
                *out++ = alphabet[triple >> 12 & 63];
                *out++ = i + 1 < n ? alphabet[triple >> 6 & 63] : '=';
                *out++ = i + 2 < n ? alphabet[triple & 63] : '=';
        }
        *out = '\0';
}

/* 'sha256-BASE64' of the bytes, as a Content-Security-Policy names them. */
static char *csp_source(const void *data, size_t size) {
        struct tether_sha256 ctx;
        uint8_t digest[TETHER_SHA256_SIZE];
        char encoded[4 * (TETHER_SHA256_SIZE + 2) / 3 + 1], *source = NULL;

        tether_sha256_init(&ctx);
        tether_sha256_update(&ctx, data, size);
        tether_sha256_final(&ctx, digest);
        base64(digest, sizeof(digest), encoded);
        assert_true(asprintf(&source, "'sha256-%s'", encoded) > 0);
        return source;
}

/* The test's own hashing, against known digests in base64 (RFC 4648 and
 * FIPS 180-4 vectors), so the test of the page cannot pass by being wrong
 * the same way as the build. */
static void test_csp_source(void **state) {
        static const struct {
                const char *data, *expected;
        } cases[] = {
                {"", "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"},
                {"abc", "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"},
        };
        static const struct {
                const char *data, *expected;
        } encodings[] = {
                {"", ""},        {"f", "Zg=="},        {"fo", "Zm8="},
                {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *source = csp_source(cases[i].data, strlen(cases[i].data));

                assert_string_equal(source, cases[i].expected);
        }
        for (size_t i = 0; i < ELEMENTSOF(encodings); i++) {
                char out[16];

                base64((const uint8_t *)encodings[i].data, strlen(encodings[i].data), out);
                assert_string_equal(out, encodings[i].expected);
        }
}

/* The page's <style> and <script> are exactly the bytes of the asset files,
 * and its Content-Security-Policy allows them by their SHA-256: the one
 * place the goldens do not look. */
static void test_embedded_assets(void **state) {
        static const char csp_meta[] = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
        json_auto_t *report = load_fixture("failures");
        _cleanup_free_ char *page = render_html(report);

        assert_non_null(page);
        for (size_t i = 0; i < ELEMENTSOF(assets); i++) {
                _cleanup_free_ char *file = NULL, *expected_source = NULL, *directive = NULL;
                struct tether_error error = TETHER_ERROR_INIT;
                const char *start, *end;
                size_t size = 0;

                if (tether_read_file(assets[i].path, 1u << 20, &file, &size, &error) < 0)
                        fail_msg("%s", error.text);
                start = strstr(page, assets[i].open);
                assert_non_null(start);
                start += strlen(assets[i].open);
                end = strstr(start, assets[i].close);
                assert_non_null(end);
                assert_int_equal(end - start, size);
                assert_memory_equal(start, file, size);

                expected_source = csp_source(file, size);
                assert_true(asprintf(&directive, "%s%s;", assets[i].csp_directive, expected_source) > 0);
                start = strstr(page, csp_meta);
                assert_non_null(start);
                end = strchr(start + strlen(csp_meta), '"');
                assert_non_null(end);
                if (!memmem(start, (size_t)(end - start), directive, strlen(directive)))
                        fail_msg("the page's CSP has no %s: %.*s", directive, (int)(end - start), start);
                assert_string_equal(assets[i].asset->csp_source, expected_source);
        }
}

static void test_fixtures_self_contained_and_escaped(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                json_auto_t *report = load_fixture(fixtures[i]);
                _cleanup_free_ char *page = render_html(report), *again = render_html(report);

                assert_non_null(page);
                assert_non_null(again);
                assert_string_equal(page, again); /* no clock, no addresses */
                assert_self_contained(page);
                assert_only_own_markup(page);
                assert_int_equal(count(page, "<tbody class=\"host "),
                                 json_array_size(json_object_get(report, "hosts")));
        }
}

/* A report whose every string is hostile, built here so the test does not
 * depend on what the fixture happens to hold. */
static json_t *hostile_report(void) {
        json_t *report = json_pack(
                "{s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:I, s:b, s:{s:I, s:{s:I}}}",
                "schema", "tether.report/1", "tool", "name", "<i>tool</i>", "version", "1\"2", "run_id",
                "</title><script>alert('run')</script>", "verb", "<svg onload=alert(1)>", "inventory",
                "/tmp/a&b/<inv>.json", "options", "<k>", "<v>", "limit", "web-* && '1'", "started_at",
                "2026-11-27T19:57:01Z\"><script>", "finished_at", "<!-- x -->", "duration_ms",
                (json_int_t)61005, "interrupted", 1, "summary", "hosts", (json_int_t)2, "by_verdict",
                "<b>weird</b>", (json_int_t)1);
        json_t *agent = json_pack(
                "{s:s, s:[s], s:{s:s, s:{s:s}}, s:{s:b, s:s}, s:{s:s, s:[{s:s, s:s, s:b}, {s:s, s:s, "
                "s:b}]}, "
                "s:[{s:s, s:b, s:b, s:b, s:s}], s:{s:s, s:s, s:[s]}, s:[{s:s, s:s, s:s}], s:s, "
                "s:[{s:s, s:s, s:s, s:I}]}",
                "verdict", "broken", "reasons", "<img src=x onerror=alert(1)>", "host", "kernel",
                "6.1\x01<k>", "os", "pretty_name", "Debian \xe2\x80\xa8<os> &", "docker", "installed", 1,
                "active_state", "<active>", "netfilter", "backend", "nft</code>", "checks", "table",
                "filter", "what", "chain <DOCKER>", "present", 1, "table", "nat'", "what", "jump \"x\"",
                "present", 0, "firewalls", "unit", "<fw>.service", "enabled", 1, "active", 1,
                "flushes_docker_rules", 1, "why", "</td></tr></table><script>", "dropin", "state",
                "<drifted>", "path", "/etc/\"x\"", "foreign", "<foreign>", "changes", "path", "/etc/<p>",
                "action", "write", "diff",
                "--- /dev/null\n+++ </pre><script>alert(2)</script>\n@@ -0,0 +1 @@\n+After=<fw>&\n",
                "test_result", "failed", "tests", "unit", "<fw>.service", "result", "failed", "reason",
                "rules <missing> & gone", "heal_ms", (json_int_t)12);
        json_t *host = json_pack("{s:s, s:s, s:[s, s, s], s:s, s:b, s:O, s:{s:s, s:s}, s:{s:I}}", "name",
                                 "<script>alert(1)</script>", "address", "\"quoted\"", "tags", "a&b",
                                 "'single'", "<tag>", "verdict", "broken", "changed", 1, "agent", agent,
                                 "error", "stage", "<stage>", "message", "it's <bad> & \"worse\"\x7f",
                                 "timings_ms", "total", (json_int_t)5);
        json_t *odd = json_pack("{s:s, s:s, s:s, s:s}", "name", "odd", "address", "-", "verdict",
                                "<b>weird</b>", "skip_reason", "</details><!--");

        assert_non_null(report);
        assert_non_null(agent);
        assert_non_null(host);
        assert_non_null(odd);
        json_decref(agent);
        json_object_set_new(host, "agent_path", json_string("/usr/<lib>/tether-agent"));
        json_object_set_new(report, "hosts", json_pack("[o, o]", host, odd));
        return report;
}

static void test_hostile_strings_escaped(void **state) {
        json_auto_t *report = hostile_report();
        _cleanup_free_ char *page = render_html(report);

        assert_non_null(page);
        assert_only_own_markup(page);
        assert_self_contained(page);
        assert_null(strstr(page, "<img"));
        assert_null(strstr(page, "<b>"));
        assert_null(strstr(page, "<i>"));
        assert_null(strstr(page, "<svg onload"));
        assert_null(strstr(page, "\"><script"));
        /* What a reader sees, escaped. */
        assert_non_null(strstr(page, "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>"));
        assert_non_null(strstr(page, "data-name=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
        assert_non_null(strstr(page, "&quot;quoted&quot;"));
        assert_non_null(strstr(page, "<span class=\"tag\">a&amp;b</span>"));
        assert_non_null(strstr(page, "<span class=\"tag\">&#39;single&#39;</span>"));
        assert_non_null(strstr(page, "it&#39;s &lt;bad&gt; &amp; &quot;worse&quot;&#xFFFD;"));
        assert_non_null(strstr(page, "6.1&#xFFFD;&lt;k&gt;"));
        assert_non_null(strstr(page, "<dt>Agent installed at</dt><dd>/usr/&lt;lib&gt;/tether-agent</dd>"));
        assert_non_null(strstr(page, "<dt>&lt;k&gt;</dt><dd>&lt;v&gt;</dd>"));
        assert_non_null(strstr(page, "&lt;/title&gt;&lt;script&gt;alert(&#39;run&#39;)&lt;/script&gt;"));
        assert_non_null(strstr(page, "+++ &lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert_non_null(strstr(page, "&lt;/details&gt;&lt;!--"));
        assert_non_null(strstr(page, "&lt;!-- x --&gt;"));
        assert_non_null(strstr(page, "data-outcome=\"&lt;b&gt;weird&lt;/b&gt;\""));
        /* U+2028 is harmless in HTML text and attributes: no script reads JSON. */
        assert_non_null(strstr(page, "data-os=\"Debian \xe2\x80\xa8&lt;os&gt; &amp;\""));
        /* An unknown verdict is an error for the reader, coloured so. */
        assert_non_null(strstr(page, "<span class=\"badge o-other\">&lt;b&gt;weird&lt;/b&gt;</span>"));
        assert_non_null(strstr(page, "class=\"missing\""));
        assert_non_null(strstr(page, "1 min 01 s (61005 ms)"));
        assert_non_null(strstr(page, "This run was interrupted"));
}

/* Characters that would make a reader see something else than is there:
 * a bidi override that reverses what follows, a C1 control. */
static void test_deceptive_characters_replaced(void **state) {
        json_auto_t *report =
                json_pack("{s:s, s:s, s:[{s:s, s:s, s:s}]}", "schema", "tether.report/1", "verb", "audit",
                          "hosts", "name", "web-01", "address", "203.0.113.10", "verdict", "vulnerable");
        json_t *host = json_array_get(json_object_get(report, "hosts"), 0);
        _cleanup_free_ char *page = NULL;

        json_object_set_new(host, "skip_reason",
                            json_string("safe \xe2\x80\xae"
                                        "txt.exe and \xc2\x85"
                                        "end"));
        page = render_html(report);
        assert_non_null(page);
        assert_null(strstr(page, "\xe2\x80\xae"));
        assert_null(strstr(page, "\xc2\x85"));
        assert_non_null(strstr(page, "safe &#xFFFD;txt.exe and &#xFFFD;end"));
}

/* Each string of the table of hostile strings, after "row N: ", as a
 * host's name and skip reason: each comes out as tether_escape_html()
 * writes it, in the name's attribute and cell and in the reason's cell,
 * and the page carries no character that must not reach a reader. */
static void test_hostile_table(void **state) {
        json_auto_t *report =
                json_pack("{s:s, s:s, s:[]}", "schema", "tether.report/1", "verb", "audit", "hosts");
        json_t *hosts = json_object_get(report, "hosts");
        _cleanup_free_ char *page = NULL;

        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                _cleanup_free_ char *value = NULL;

                assert_true(asprintf(&value, "row %zu: %s", i, hostile_strings[i].text) >= 0);
                assert_int_equal(
                        json_array_append_new(hosts, json_pack("{s:o, s:s, s:s, s:o}", "name",
                                                               json_string_nocheck(value), "address",
                                                               "203.0.113.10", "verdict", "skipped",
                                                               "skip_reason", json_string_nocheck(value))),
                        0);
        }
        page = render_html(report);
        assert_non_null(page);
        assert_only_own_markup(page);
        for (size_t i = 0; i < ELEMENTSOF(hostile_strings); i++) {
                const struct hostile_string *row = &hostile_strings[i];
                _cleanup_free_ char *attribute = NULL, *name = NULL, *reason = NULL;

                assert_true(asprintf(&attribute, "data-name=\"row %zu: %s\"", i, row->html) >= 0);
                assert_true(asprintf(&name, "<strong>row %zu: %s</strong>", i, row->html) >= 0);
                assert_true(asprintf(&reason, "<td class=\"reason\">row %zu: %s<", i, row->html) >= 0);
                if (!strstr(page, attribute) || !strstr(page, name) || !strstr(page, reason))
                        fail_msg("%s: not written as expected: %s, %s, %s", row->name, attribute, name,
                                 reason);
        }
        if (hostile_raw_character(page, "\t\n\r"))
                fail_msg("a raw control or malformed byte at: %.40s", hostile_raw_character(page, "\t\n\r"));
}

static void test_counts_and_filters(void **state) {
        json_auto_t *report = json_pack(
                "{s:s, s:s, s:[{s:s, s:s, s:[s], s:s}, {s:s, s:s, s:[s], s:s}, {s:s, s:s, s:[], s:s},"
                " {s:s, s:s, s:[s, s], s:s, s:{s:s, s:[{s:I}]}}]}",
                "schema", "tether.report/1", "verb", "test", "hosts", "name", "web-2", "address", "10.0.0.2",
                "tags", "web", "verdict", "broken", "name", "web-10", "address", "10.0.0.10", "tags", "web",
                "verdict", "broken", "name", "db-1", "address", "10.0.0.3", "tags", "verdict", "protected",
                "name", "web-1", "address", "10.0.0.1", "tags", "web", "canary", "verdict", "protected",
                "agent", "test_result", "passed", "tests", "heal_ms", (json_int_t)1234);
        _cleanup_free_ char *page = render_html(report);
        const char *web10, *web2, *db1, *web1;

        assert_non_null(page);
        assert_int_equal(count(page, "<tbody class=\"host "), 4);
        assert_non_null(strstr(page, "data-shown=\"4\" data-total=\"4\""));
        assert_non_null(strstr(page, "<p class=\"headline attention\">2 of 4 hosts need attention.</p>"));
        /* Worst first, by name within an outcome. */
        web10 = strstr(page, "data-name=\"web-10\"");
        web2 = strstr(page, "data-name=\"web-2\"");
        db1 = strstr(page, "data-name=\"db-1\"");
        web1 = strstr(page, "data-name=\"web-1\"");
        assert_true(web10 && web2 && db1 && web1);
        assert_true(web10 < web2 && web2 < db1 && db1 < web1);
        /* The chart: one bar an outcome, in the order of the table, the number as text. */
        assert_non_null(strstr(page,
                               "<g class=\"bar o-broken\" data-outcome=\"broken\"><text class=\"label\" "
                               "x=\"122\" y=\"19\" text-anchor=\"end\">broken</text><rect x=\"130\" "
                               "y=\"4\" width=\"360\" height=\"20\" rx=\"2\"/><text class=\"count\" "
                               "x=\"496\" y=\"19\">2</text></g>"));
        assert_non_null(strstr(page, "data-outcome=\"test passed\"><text class=\"label\" x=\"122\" y=\"45\" "
                                     "text-anchor=\"end\">test passed</text><rect x=\"130\" y=\"30\" "
                                     "width=\"180\""));
        assert_non_null(strstr(page, "data-outcome=\"protected\"><text class=\"label\" x=\"122\" y=\"71\""));
        assert_int_equal(count(page, "<g class=\"bar "), 3);
        /* The filters offer what occurs. */
        assert_non_null(strstr(page, "<option value=\"broken\">broken (2)</option>\n"
                                     "<option value=\"test passed\">test passed (1)</option>\n"
                                     "<option value=\"protected\">protected (1)</option>\n"));
        assert_non_null(strstr(page, "<option value=\"\">all firewalls</option>\n<option value=\"-\">"));
        assert_non_null(strstr(page, "<span class=\"tag\">web</span> <span class=\"tag\">canary</span>"));
        assert_non_null(strstr(page, "data-heal=\"1234\""));
        assert_non_null(strstr(page, "<td class=\"heal nowrap\">1234 ms</td>"));
}

/* watch's section of a host's details: only where some host of the report
 * has watch installed, for each host then; its culprit escaped. */
static void test_watch(void **state) {
        json_auto_t *report = json_pack(
                "{s:s, s:s, s:[{s:s, s:s, s:s, s:{s:{s:b, s:b, s:s, s:i, s:s, s:{s:s, s:i, s:s}, s:i}}},"
                " {s:s, s:s, s:s, s:{s:{s:b, s:b, s:n, s:i, s:n, s:n, s:n}}}]}",
                "schema", "tether.report/1", "verb", "audit", "hosts", "name", "nft-01", "address",
                "10.0.0.1", "verdict", "vulnerable", "agent", "watch", "installed", 1, "active", 1,
                "active_state", "active", "heals_24h", 2, "last_heal", "2026-12-02T13:02:11Z",
                "last_culprit", "name", "<nft>", "pid", 4242, "unit", "session-3.scope", "last_heal_ms",
                2488, "name", "ipt-01", "address", "10.0.0.2", "verdict", "vulnerable", "agent", "watch",
                "installed", 0, "active", 0, "active_state", "heals_24h", 0, "last_heal", "last_culprit",
                "last_heal_ms");
        json_auto_t *without =
                json_pack("{s:s, s:s, s:[{s:s, s:s, s:s, s:{s:{s:b, s:b}}}]}", "schema", "tether.report/1",
                          "verb", "audit", "hosts", "name", "ipt-01", "address", "10.0.0.2", "verdict",
                          "vulnerable", "agent", "watch", "installed", 0, "active", 0);
        _cleanup_free_ char *page = render_html(report), *plain = render_html(without);

        assert_non_null(page);
        assert_only_own_markup(page);
        assert_int_equal(count(page, "<h4>tether-agent watch</h4>"), 2);
        assert_non_null(strstr(page, "<dt>Installed</dt><dd>yes</dd>\n<dt>State</dt><dd>active</dd>\n"
                                     "<dt>Heals in 24 h</dt><dd>2</dd>\n"
                                     "<dt>Last heal</dt><dd>2026-12-02T13:02:11Z</dd>\n"
                                     "<dt>Last flush by</dt><dd>&lt;nft&gt; (pid 4242) in "
                                     "<code>session-3.scope</code></dd>\n"
                                     "<dt>Rules back after</dt><dd>2488 ms</dd>\n"));
        assert_non_null(strstr(page, "<h4>tether-agent watch</h4><dl class=\"facts\">\n"
                                     "<dt>Installed</dt><dd>no</dd>\n</dl>"));
        assert_non_null(plain);
        assert_null(strstr(plain, "tether-agent watch"));
}

/* Reports that are cut short, or not reports: a page, never a crash. */
static void test_degenerate_reports(void **state) {
        static const char *const texts[] = {
                "{}",
                "{\"hosts\": []}",
                "{\"hosts\": {}}",
                "{\"hosts\": [{}]}",
                "{\"hosts\": [{\"name\": \"bare\"}, {\"name\": \"empty-agent\", \"agent\": {}}, "
                "{\"name\": \"null-agent\", \"agent\": null, \"error\": null, \"tags\": null}]}",
                "{\"verb\": 5, \"run_id\": [], \"tool\": \"x\", \"options\": [1], \"summary\": 3, "
                "\"duration_ms\": -4, \"started_at\": 7, \"hosts\": [{\"name\": 5, \"verdict\": [], "
                "\"tags\": \"web\", \"timings_ms\": [], \"error\": {\"stage\": 1}, \"agent\": {"
                "\"reasons\": 5, \"host\": [], \"docker\": {\"installed\": true, \"start_limit\": 4}, "
                "\"netfilter\": {\"checks\": \"x\"}, \"firewalls\": {}, \"dropin\": {\"loaded\": 1}, "
                "\"tests\": [1, {\"repair\": 2}], \"changes\": [1, {\"diff\": 5}, {\"diff\": \"\"}, "
                "{\"diff\": \"no newline\"}], \"error\": {\"kind\": 3}}}]}",
        };

        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                json_error_t error;
                json_auto_t *report = json_loads(texts[i], 0, &error);
                _cleanup_free_ char *page = NULL;

                if (!report)
                        fail_msg("%s: %s", texts[i], error.text);
                page = render_html(report);
                assert_non_null(page);
                assert_only_own_markup(page);
                assert_non_null(strstr(page, "</html>\n"));
        }

        {
                _cleanup_free_ char *page = render_html(NULL);

                assert_non_null(page);
                assert_non_null(strstr(page, "This report has no hosts."));
                assert_non_null(strstr(page, "data-shown=\"0\" data-total=\"0\""));
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_goldens),
                cmocka_unit_test(test_csp_source),
                cmocka_unit_test(test_embedded_assets),
                cmocka_unit_test(test_fixtures_self_contained_and_escaped),
                cmocka_unit_test(test_hostile_strings_escaped),
                cmocka_unit_test(test_deceptive_characters_replaced),
                cmocka_unit_test(test_hostile_table),
                cmocka_unit_test(test_counts_and_filters),
                cmocka_unit_test(test_watch),
                cmocka_unit_test(test_degenerate_reports),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
