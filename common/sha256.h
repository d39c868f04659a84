/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4), for naming agent builds by their content and for
 * the before/after digests of the files the agent changes. Small and
 * dependency-free, so the agent needs nothing beyond libc and libsystemd.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define TETHER_SHA256_SIZE 32
#define TETHER_SHA256_HEX_SIZE (2 * TETHER_SHA256_SIZE + 1)

struct tether_sha256 {
        uint32_t state[8];
        uint64_t length; /* bytes hashed so far */
        uint8_t block[64];
        size_t used; /* bytes in block */
};

void tether_sha256_init(struct tether_sha256 *ctx);
void tether_sha256_update(struct tether_sha256 *ctx, const void *data, size_t size);
void tether_sha256_final(struct tether_sha256 *ctx, uint8_t digest[TETHER_SHA256_SIZE]);

/* The lower-case hex digest of data into hex (TETHER_SHA256_HEX_SIZE bytes). */
void tether_sha256_hex(const void *data, size_t size, char hex[TETHER_SHA256_HEX_SIZE]);
void tether_sha256_to_hex(const uint8_t digest[TETHER_SHA256_SIZE], char hex[TETHER_SHA256_HEX_SIZE]);
