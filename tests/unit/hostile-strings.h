/* SPDX-License-Identifier: MIT */
/*
 * One table of hostile strings, for every test of what tether writes from
 * text it did not write itself (a host's reason, an SSH error, a report):
 * terminal escapes (OSC 52 writes the clipboard, CSI moves the cursor or
 * clears the screen, CR rewrites a line), C1 controls as UTF-8 and as raw
 * bytes, DEL, every bidi control, malformed UTF-8, the markup of HTML, XML
 * and Markdown, and benign text that must come out as it went in. Each row
 * holds what each escaper of common/escape.h makes of it (test-escape.c
 * checks them); the renderers' tests put the same strings into reports.
 */
#pragma once

#include <string.h>

#include "escape.h"

#define FFFD "\xef\xbf\xbd"
#define WJ "\xe2\x81\xa0" /* U+2060 WORD JOINER */

struct hostile_string {
        const char *name;
        const char *text;
        const char *terminal;
        const char *html;
        const char *markdown;
        const char *xml_text;
        const char *xml_attribute;
        const char *json_text;
};

/* A bidi control between two letters: U+code, its UTF-8 bytes. */
#define HOSTILE_BIDI(code, utf8)                                                                         \
        {                                                                                                \
                "bidi U+" code, "x" utf8 "y", "x\\u" code "y", "x&#xFFFD;y", "x" FFFD "y", "x" FFFD "y", \
                        "x" FFFD "y", "x" FFFD "y"                                                       \
        }

/* Hex escapes are closed by "" before a character that could be a hex digit. */
static const struct hostile_string hostile_strings[] = {
        /* name, text,
         *      terminal, HTML, Markdown, XML text, XML attribute, JSON text */
        {"OSC 52 clipboard write, BEL", "\x1b]52;c;aGVsbG8=\x07", "\\x1b]52;c;aGVsbG8=\\a",
         "&#xFFFD;]52;c;aGVsbG8=&#xFFFD;", FFFD "\\]52;c;aGVsbG8=" FFFD, FFFD "]52;c;aGVsbG8=" FFFD,
         FFFD "]52;c;aGVsbG8=" FFFD, FFFD "]52;c;aGVsbG8=" FFFD},
        {"OSC 52 clipboard write, ST", "\x1b]52;c;Zm9v\x1b\\", "\\x1b]52;c;Zm9v\\x1b\\\\",
         "&#xFFFD;]52;c;Zm9v&#xFFFD;\\", FFFD "\\]52;c;Zm9v" FFFD "\\\\", FFFD "]52;c;Zm9v" FFFD "\\",
         FFFD "]52;c;Zm9v" FFFD "\\", FFFD "]52;c;Zm9v" FFFD "\\"},
        {"CSI clear screen and colour", "\x1b[2J\x1b[1;31mred\x1b[0m", "\\x1b[2J\\x1b[1;31mred\\x1b[0m",
         "&#xFFFD;[2J&#xFFFD;[1;31mred&#xFFFD;[0m", FFFD "\\[2J" FFFD "\\[1;31mred" FFFD "\\[0m",
         FFFD "[2J" FFFD "[1;31mred" FFFD "[0m", FFFD "[2J" FFFD "[1;31mred" FFFD "[0m",
         FFFD "[2J" FFFD "[1;31mred" FFFD "[0m"},
        {"CR and erase line rewrite a line", "ok\r\x1b[Kprotected", "ok\\r\\x1b[Kprotected",
         "ok\r&#xFFFD;[Kprotected", "ok " FFFD "\\[Kprotected", "ok&#13;" FFFD "[Kprotected",
         "ok&#13;" FFFD "[Kprotected", "ok" FFFD FFFD "[Kprotected"},
        {"C0 controls",
         "a\bb\ac\vd\fe\x01"
         "f\x1f"
         "g",
         "a\\bb\\ac\\vd\\fe\\x01f\\x1fg", "a&#xFFFD;b&#xFFFD;c&#xFFFD;d&#xFFFD;e&#xFFFD;f&#xFFFD;g",
         "a" FFFD "b" FFFD "c" FFFD "d" FFFD "e" FFFD "f" FFFD "g",
         "a" FFFD "b" FFFD "c" FFFD "d" FFFD "e" FFFD "f" FFFD "g",
         "a" FFFD "b" FFFD "c" FFFD "d" FFFD "e" FFFD "f" FFFD "g",
         "a" FFFD "b" FFFD "c" FFFD "d" FFFD "e" FFFD "f" FFFD "g"},
        {"tab, LF, CR", "tab\tnl\ncr\r", "tab\\tnl\\ncr\\r", "tab\tnl\ncr\r", "tab nl cr ",
         "tab\tnl\ncr&#13;", "tab&#9;nl&#10;cr&#13;", "tab\tnl\ncr" FFFD},
        {"DEL",
         "a\x7f"
         "b",
         "a\\x7fb", "a&#xFFFD;b", "a" FFFD "b", "a" FFFD "b", "a" FFFD "b", "a" FFFD "b"},
        {"C1 NEL as UTF-8",
         "a\xc2\x85"
         "b",
         "a\\u0085b", "a&#xFFFD;b", "a" FFFD "b", "a" FFFD "b", "a" FFFD "b", "a" FFFD "b"},
        {"C1 CSI as UTF-8",
         "\xc2\x9b"
         "31mred",
         "\\u009b31mred", "&#xFFFD;31mred", FFFD "31mred", FFFD "31mred", FFFD "31mred", FFFD "31mred"},
        {"C1 CSI as a raw byte",
         "\x9b"
         "31mred",
         "\\x9b31mred", "&#xFFFD;31mred", FFFD "31mred", FFFD "31mred", FFFD "31mred", FFFD "31mred"},
        HOSTILE_BIDI("061c", "\xd8\x9c"),
        HOSTILE_BIDI("200e", "\xe2\x80\x8e"),
        HOSTILE_BIDI("200f", "\xe2\x80\x8f"),
        HOSTILE_BIDI("202a", "\xe2\x80\xaa"),
        HOSTILE_BIDI("202b", "\xe2\x80\xab"),
        HOSTILE_BIDI("202c", "\xe2\x80\xac"),
        HOSTILE_BIDI("202d", "\xe2\x80\xad"),
        HOSTILE_BIDI("202e", "\xe2\x80\xae"),
        HOSTILE_BIDI("2066", "\xe2\x81\xa6"),
        HOSTILE_BIDI("2067", "\xe2\x81\xa7"),
        HOSTILE_BIDI("2068", "\xe2\x81\xa8"),
        HOSTILE_BIDI("2069", "\xe2\x81\xa9"),
        {"right-to-left override in a file name",
         "invoice\xe2\x80\xae"
         "fdp.exe",
         "invoice\\u202efdp.exe", "invoice&#xFFFD;fdp.exe", "invoice" FFFD "fdp.exe",
         "invoice" FFFD "fdp.exe", "invoice" FFFD "fdp.exe", "invoice" FFFD "fdp.exe"},
        {"overlong '/'", "\xc0\xaf", "\\xc0\\xaf", "&#xFFFD;&#xFFFD;", FFFD FFFD, FFFD FFFD, FFFD FFFD,
         FFFD FFFD},
        {"overlong '/' in three bytes", "\xe0\x80\xaf", "\\xe0\\x80\\xaf", "&#xFFFD;&#xFFFD;&#xFFFD;",
         FFFD FFFD FFFD, FFFD FFFD FFFD, FFFD FFFD FFFD, FFFD FFFD FFFD},
        {"surrogate U+D800", "\xed\xa0\x80", "\\xed\\xa0\\x80", "&#xFFFD;&#xFFFD;&#xFFFD;", FFFD FFFD FFFD,
         FFFD FFFD FFFD, FFFD FFFD FFFD, FFFD FFFD FFFD},
        {"truncated at the end", "ab\xe2\x80", "ab\\xe2\\x80", "ab&#xFFFD;&#xFFFD;", "ab" FFFD FFFD,
         "ab" FFFD FFFD, "ab" FFFD FFFD, "ab" FFFD FFFD},
        {"truncated by a letter",
         "\xe2\x80"
         "z",
         "\\xe2\\x80z", "&#xFFFD;&#xFFFD;z", FFFD FFFD "z", FFFD FFFD "z", FFFD FFFD "z", FFFD FFFD "z"},
        {"byte 0xff", "\xff", "\\xff", "&#xFFFD;", FFFD, FFFD, FFFD, FFFD},
        {"stray continuation byte", "\x80", "\\x80", "&#xFFFD;", FFFD, FFFD, FFFD, FFFD},
        {"past U+10FFFF", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", "&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;",
         FFFD FFFD FFFD FFFD, FFFD FFFD FFFD FFFD, FFFD FFFD FFFD FFFD, FFFD FFFD FFFD FFFD},
        {"non-character U+FFFE", "\xef\xbf\xbe", "\\ufffe", "&#xFFFD;", FFFD, FFFD, FFFD, FFFD},
        {"non-character U+FFFF", "\xef\xbf\xbf", "\\uffff", "&#xFFFD;", FFFD, FFFD, FFFD, FFFD},
        {"a real U+FFFD", "a" FFFD "b", "a" FFFD "b", "a&#xFFFD;b", "a" FFFD "b", "a" FFFD "b", "a" FFFD "b",
         "a" FFFD "b"},
        {"HTML markup and quotes", "<script>alert(\"x\")</script> & 'y'",
         "<script>alert(\"x\")</script> & 'y'",
         "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;",
         "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'y'",
         "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'y'",
         "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos;",
         "<script>alert(\"x\")</script> & 'y'"},
        {"end of CDATA, start of a comment", "x]]><!--", "x]]><!--", "x]]&gt;&lt;!--", "x\\]\\]&gt;&lt;!--",
         "x]]&gt;&lt;!--", "x]]&gt;&lt;!--", "x]]><!--"},
        {"an entity", "&amp;", "&amp;", "&amp;amp;", "&amp;amp;", "&amp;amp;", "&amp;amp;", "&amp;"},
        {"Markdown punctuation", "| * _ ` [ ] < > ~ $ \\", "| * _ ` [ ] < > ~ $ \\\\",
         "| * _ ` [ ] &lt; &gt; ~ $ \\", "\\| \\* \\_ \\` \\[ \\] &lt; &gt; \\~ \\$ \\\\",
         "| * _ ` [ ] &lt; &gt; ~ $ \\", "| * _ ` [ ] &lt; &gt; ~ $ \\", "| * _ ` [ ] < > ~ $ \\"},
        {"a leading '#'", "# not a heading #1", "# not a heading #1", "# not a heading #1",
         "\\# not a heading #1", "# not a heading #1", "# not a heading #1", "# not a heading #1"},
        {"a Markdown link", "[click](https://x.test/?a=1&b=2)", "[click](https://x.test/?a=1&b=2)",
         "[click](https://x.test/?a=1&amp;b=2)", "\\[click\\](https://x.test/?a=1&amp;b=2)",
         "[click](https://x.test/?a=1&amp;b=2)", "[click](https://x.test/?a=1&amp;b=2)",
         "[click](https://x.test/?a=1&b=2)"},
        {"a mention", "@all and me@host", "@all and me@host", "@all and me@host", "@" WJ "all and me@host",
         "@all and me@host", "@all and me@host", "@all and me@host"},
        {"literal backslashes", "C:\\dir\\x1b", "C:\\\\dir\\\\x1b", "C:\\dir\\x1b", "C:\\\\dir\\\\x1b",
         "C:\\dir\\x1b", "C:\\dir\\x1b", "C:\\dir\\x1b"},
        {"letters of other scripts",
         "caf\xc3\xa9 \xc3\x9cml\xc3\xa4ut \xe6\x97\xa5\xe6\x9c\xac "
         "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1 "
         "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa "
         "\xf0\x9f\x98\x80 \xe2\x80\xa6",
         "caf\xc3\xa9 \xc3\x9cml\xc3\xa4ut \xe6\x97\xa5\xe6\x9c\xac "
         "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1 "
         "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa \xf0\x9f\x98\x80 "
         "\xe2\x80\xa6",
         "caf\xc3\xa9 \xc3\x9cml\xc3\xa4ut \xe6\x97\xa5\xe6\x9c\xac "
         "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1 "
         "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa \xf0\x9f\x98\x80 "
         "\xe2\x80\xa6",
         "caf\xc3\xa9 \xc3\x9cml\xc3\xa4ut \xe6\x97\xa5\xe6\x9c\xac "
         "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1 "
         "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa \xf0\x9f\x98\x80 "
         "\xe2\x80\xa6",
         "caf\xc3\xa9 \xc3\x9cml\xc3\xa4ut \xe6\x97\xa5\xe6\x9c\xac "
         "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1 "
         "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa \xf0\x9f\x98\x80 "
         "\xe2\x80\xa6",
         "caf\xc3\xa9 \xc3\x9cml\xc3\xa4ut \xe6\x97\xa5\xe6\x9c\xac "
         "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1 "
         "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa \xf0\x9f\x98\x80 "
         "\xe2\x80\xa6",
         "caf\xc3\xa9 \xc3\x9cml\xc3\xa4ut \xe6\x97\xa5\xe6\x9c\xac "
         "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1 "
         "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa \xf0\x9f\x98\x80 "
         "\xe2\x80\xa6"},
        {"a plain name", "web-01.example.com nftables.service", "web-01.example.com nftables.service",
         "web-01.example.com nftables.service", "web-01.example.com nftables.service",
         "web-01.example.com nftables.service", "web-01.example.com nftables.service",
         "web-01.example.com nftables.service"},
        {"empty", "", "", "", "", "", "", ""},
};

/* Where text (NUL-terminated) holds a character that no output may carry
 * as itself: a C0 control other than those in allowed_c0, DEL, a C1 or
 * bidi control, a non-character, a byte of malformed UTF-8; NULL if none. */
static inline const char *hostile_raw_character(const char *text, const char *allowed_c0) {
        size_t length = strlen(text);

        for (size_t i = 0, n; i < length; i += n) {
                uint32_t code;
                enum tether_escape_class class = tether_escape_classify(text + i, length - i, &code, &n);

                if (class == TETHER_ESCAPE_PRINTABLE ||
                    (class == TETHER_ESCAPE_C0 && code != 0 && strchr(allowed_c0, (int)code)))
                        continue;
                return text + i;
        }
        return NULL;
}
