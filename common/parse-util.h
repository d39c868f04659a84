/* SPDX-License-Identifier: MIT */
/*
 * The one parser of whole numbers that tether reads from a command line or
 * a file: ports, seconds, counts of hosts. Decimal digits only, as OpenSSH's
 * a2port() and curl's str2num() take them, because each of the usual
 * traps is a mistake to refuse rather than guess at: strtoul() would skip
 * leading blanks, take a sign ("-1" wraps to 4294967295), stop at the first
 * non-digit ("30s" as 30) and read "0x10" as hex.
 */
#pragma once

/* Parses text, decimal digits only (leading zeros are fine: "022" is 22),
 * into a value from min to max, both included. Returns 0 and sets *ret;
 * -EINVAL for NULL, an empty string, a sign, a blank or any other
 * character that is not a digit; -ERANGE for a number below min or above
 * max, however many digits it has (it never overflows). *ret is untouched
 * on failure. */
int tether_parse_unsigned(const char *text, unsigned min, unsigned max, unsigned *ret);
