/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for shell-completion/bash/tether against the tables it copies:
 * its verbs are the verbs' table, each verb's options are those the verb
 * takes (long and short names), the options it completes a value for are
 * those that take an argument, and its words for --policy, --scenario,
 * --fail-on and --format are the ones tether takes. The script's lists are
 * read as bash expands them, by sourcing it, so a list built from another
 * is checked as the user gets it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd-report.h"
#include "macro.h"
#include "options.h"
#include "outcome.h"
#include "strbuf.h"
#include "verbs.h"
#include "test-util.h"

#define SCRIPT "shell-completion/bash/tether"

/* The words of the script's variable, in its order, as bash expands it:
 * a new NULL-terminated array. */
static char **script_list(const char *variable) {
        _cleanup_free_ char *command =
                format("bash -c 'source " SCRIPT " && printf \"%%s\\n\" $%s'", variable);
        char **words = NULL, line[256];
        FILE *pipe = popen(command, "r");

        assert_non_null(pipe);
        while (fgets(line, sizeof(line), pipe)) {
                line[strcspn(line, "\n")] = '\0';
                if (line[0])
                        assert_int_equal(strv_push(&words, strdup(line)), 0);
        }
        assert_int_equal(pclose(pipe), 0);
        if (!words)
                fail_msg("%s: no words in $%s", SCRIPT, variable);
        return words;
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* n words, sorted by strcmp(), joined with spaces. */
static char *sorted_words(const char **words, size_t n) {
        struct strbuf joined = STRBUF_INIT;

        qsort(words, n, sizeof(*words), compare_strings);
        for (size_t i = 0; i < n; i++)
                strbuf_appendf(&joined, "%s%s", i ? " " : "", words[i]);
        return strbuf_steal(&joined);
}

/* "--name" and "-c" of each option whose bit is in mask, as the script has them. */
static char *option_words(uint64_t mask) {
        static char names[_OPTION_MAX][64], shorts[_OPTION_MAX][3];
        const char *words[2 * _OPTION_MAX];
        size_t n = 0;

        for (enum option_id id = 0; id < _OPTION_MAX; id++) {
                const struct option_spec *spec = option_spec_of(id);

                if (!(mask & OPTION_BIT(id)))
                        continue;
                snprintf(names[id], sizeof(names[id]), "--%s", spec->name);
                words[n++] = names[id];
                if (spec->short_name) {
                        snprintf(shorts[id], sizeof(shorts[id]), "-%c", spec->short_name);
                        words[n++] = shorts[id];
                }
        }
        return sorted_words(words, n);
}

/* The script's variable holds the words of expected (new, freed here),
 * in any order. */
static void assert_words(const char *variable, char *expected) {
        _cleanup_strv_free_ char **list = script_list(variable);
        _cleanup_free_ char *actual = NULL;
        size_t n = 0;

        while (list[n])
                n++;
        actual = sorted_words((const char **)list, n);
        if (strcmp(actual, expected) != 0)
                fail_msg("%s: $%s is\n  %s\nbut tether's tables say\n  %s", SCRIPT, variable, actual,
                         expected);
        free(expected);
}

static void test_verbs(void **state) {
        const char *names[16];

        assert_true(n_verbs <= ELEMENTSOF(names));
        for (size_t i = 0; i < n_verbs; i++)
                names[i] = verbs[i].name;
        assert_words("_tether_verbs", sorted_words(names, n_verbs));
}

static void test_options_of_each_verb(void **state) {
        uint64_t taken = 0;

        for (size_t i = 0; i < n_verbs; i++) {
                _cleanup_free_ char *variable = format("_tether_options_%s", verbs[i].name);

                assert_words(variable, option_words(verbs[i].options));
                taken |= verbs[i].options;
        }
        /* Before a verb, the script offers the options that go with none. */
        assert_words("_tether_options_none", option_words(~taken & (OPTION_BIT(_OPTION_MAX) - 1)));
}

static void test_options_with_a_value(void **state) {
        uint64_t with_argument = 0;

        for (enum option_id id = 0; id < _OPTION_MAX; id++)
                if (option_takes_argument(id))
                        with_argument |= OPTION_BIT(id);
        assert_words("_tether_takes_argument", option_words(with_argument));
}

static void test_choices(void **state) {
        static const struct {
                enum option_id id;
                const char *variable;
        } cases[] = {
                {OPTION_POLICY, "_tether_choices_policy"},
                {OPTION_SCENARIO, "_tether_choices_scenario"},
        };
        const char *verdicts[_HOST_VERDICT_MAX];
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const char *const *choices = option_spec_of(cases[i].id)->choices;
                const char *words[16];
                size_t n_words = 0;

                assert_non_null(choices);
                while (choices[n_words] && n_words < ELEMENTSOF(words)) {
                        words[n_words] = choices[n_words];
                        n_words++;
                }
                assert_words(cases[i].variable, sorted_words(words, n_words));
        }

        /* --fail-on takes every host verdict but skipped. */
        for (enum host_verdict v = 1; v < _HOST_VERDICT_MAX; v++)
                if (v != HOST_VERDICT_SKIPPED)
                        verdicts[n++] = host_verdict_to_string(v);
        assert_words("_tether_choices_fail_on", sorted_words(verdicts, n));
}

/* Each format the script offers renders a report, and they are the ones,
 * in the same order, that tether lists when it refuses another. */
static void test_formats(void **state) {
        json_auto_t *report = load_fixture("audit");
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_strv_free_ char **formats = script_list("_tether_choices_format");
        _cleanup_free_ char *expected = NULL;
        char listed[256];

        for (size_t i = 0; formats[i]; i++) {
                _cleanup_free_ char *text = NULL;

                if (report_render_to(report, formats[i], false, &text, &error) < 0)
                        fail_msg("%s offers --format %s: %s", SCRIPT, formats[i], error.text);
        }
        assert_int_equal(report_render_to(report, "pdf", false, &(char *){NULL}, &error), -EINVAL);
        join_choices((const char *const *)formats, listed, sizeof(listed));
        expected = format("Unknown format 'pdf'; use %s.", listed);
        assert_string_equal(error.text, expected);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_verbs),
                cmocka_unit_test(test_options_of_each_verb),
                cmocka_unit_test(test_options_with_a_value),
                cmocka_unit_test(test_choices),
                cmocka_unit_test(test_formats),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
