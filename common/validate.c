/* SPDX-License-Identifier: MIT */
/*
 * Character-set and range checks for values that end up on an SSH command
 * line or in a systemd call (see validate.h). Each check is an allow-list:
 * a character not named is refused, so a new shell metacharacter can never
 * slip through.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "parse-util.h"
#include "validate.h"

static bool is_letter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

/* Every character of s[0..length) is a letter, a digit or in extra. */
static bool chars_in_set(const char *s, size_t length, const char *extra) {
        for (size_t i = 0; i < length; i++)
                if (!is_letter(s[i]) && !is_digit(s[i]) && (s[i] == '\0' || !strchr(extra, s[i])))
                        return false;
        return true;
}

/* Whether s is 1..max characters long, its length then in *ret_length;
 * an overlong string is read one past max, never to its end. */
static bool length_within(const char *s, size_t max, size_t *ret_length) {
        size_t length;

        if (!s)
                return false;
        length = strnlen(s, max + 1);
        if (length == 0 || length > max)
                return false;
        *ret_length = length;
        return true;
}

bool tether_valid_host_name(const char *s) {
        size_t length;

        if (!length_within(s, TETHER_HOST_NAME_MAX, &length))
                return false;
        if (s[0] == '-' || s[0] == '.')
                return false;
        return chars_in_set(s, length, "._-");
}

bool tether_valid_tag(const char *s) {
        return tether_valid_host_name(s);
}

static bool valid_ipv6_literal(const char *s, size_t length) {
        char buffer[INET6_ADDRSTRLEN + 1];
        struct in6_addr address;

        if (length == 0 || length >= sizeof(buffer))
                return false;
        if (!chars_in_set(s, length, ":."))
                return false;
        memcpy(buffer, s, length);
        buffer[length] = '\0';
        return inet_pton(AF_INET6, buffer, &address) == 1;
}

bool tether_valid_address(const char *s) {
        size_t length;

        if (!length_within(s, TETHER_ADDRESS_MAX, &length))
                return false;
        if (s[0] == '[')
                return length >= 2 && s[length - 1] == ']' && valid_ipv6_literal(s + 1, length - 2);
        if (s[0] == '-')
                return false;
        if (!chars_in_set(s, length, "._:-"))
                return false;
        if (memchr(s, ':', length))
                return valid_ipv6_literal(s, length);
        return true;
}

bool tether_valid_user_name(const char *s) {
        size_t length;

        if (!length_within(s, TETHER_USER_NAME_MAX, &length))
                return false;
        if (!is_letter(s[0]) && s[0] != '_')
                return false;
        return chars_in_set(s, length, "_.-");
}

bool tether_valid_unit_name(const char *s) {
        const char *dot, *at;
        size_t length;

        if (!length_within(s, TETHER_UNIT_NAME_MAX, &length))
                return false;
        if (!chars_in_set(s, length, ":_.@\\-"))
                return false;
        if (s[0] == '-' || s[0] == '.' || s[0] == '@')
                return false;

        dot = strrchr(s, '.');
        if (!dot || dot[1] == '\0')
                return false;
        for (const char *c = dot + 1; *c; c++)
                if (*c < 'a' || *c > 'z')
                        return false;

        at = strchr(s, '@');
        if (at && strchr(at + 1, '@'))
                return false;
        return true;
}

bool tether_valid_shell_word(const char *s) {
        size_t length;

        return length_within(s, TETHER_UNIT_NAME_MAX, &length) && chars_in_set(s, length, "._:@-");
}

bool tether_valid_agent_path(const char *s) {
        size_t length;

        if (!length_within(s, TETHER_AGENT_PATH_MAX, &length) || length < 2 || s[0] != '/' ||
            s[length - 1] == '/')
                return false;
        if (strstr(s, "//") || strstr(s, "/./") || strstr(s, "/../") ||
            (length >= 3 && strcmp(s + length - 3, "/..") == 0) ||
            (length >= 2 && strcmp(s + length - 2, "/.") == 0))
                return false;
        return chars_in_set(s, length, "._+:@/-");
}

int tether_parse_port(const char *s, unsigned *ret_port) {
        return tether_parse_unsigned(s, 1, 65535, ret_port);
}
