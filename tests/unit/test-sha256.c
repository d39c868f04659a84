/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/sha256.c: the FIPS 180-4 / NIST test vectors ("",
 * "abc", the 448-bit and 896-bit messages, one million 'a'), the lengths
 * around the padding boundary (55, 56, 63, 64, 65 bytes, where the length
 * field stops fitting in the last block), and that splitting the input into
 * any chunks gives the same digest. The digests of runs of 'a' were computed
 * with `sha256sum` (GNU coreutils) when this test was written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "sha256.h"

#define EMPTY_DIGEST "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ABC_DIGEST "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define MILLION_A_DIGEST "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

static void assert_hex(const void *data, size_t size, const char *expected) {
        char hex[TETHER_SHA256_HEX_SIZE];

        memset(hex, 'X', sizeof(hex));
        tether_sha256_hex(data, size, hex);
        assert_int_equal(strlen(hex), 64);
        assert_string_equal(hex, expected);
}

/* Feeds data in chunks of the sizes given, cycling through them. */
static void assert_chunked(const uint8_t *data, size_t size, const size_t *chunks, size_t n_chunks,
                           const char *expected) {
        struct tether_sha256 ctx;
        uint8_t digest[TETHER_SHA256_SIZE];
        char hex[TETHER_SHA256_HEX_SIZE];
        size_t done = 0;

        tether_sha256_init(&ctx);
        for (size_t i = 0; done < size; i++) {
                size_t n = chunks[i % n_chunks];

                if (n > size - done)
                        n = size - done;
                tether_sha256_update(&ctx, data + done, n);
                done += n;
        }
        tether_sha256_final(&ctx, digest);
        tether_sha256_to_hex(digest, hex);
        assert_string_equal(hex, expected);
}

static void test_empty(void **state) {
        struct tether_sha256 ctx;
        uint8_t digest[TETHER_SHA256_SIZE];
        char hex[TETHER_SHA256_HEX_SIZE];

        assert_hex("", 0, EMPTY_DIGEST);
        /* No data at all, and an empty update: the same. */
        assert_hex(NULL, 0, EMPTY_DIGEST);
        tether_sha256_init(&ctx);
        tether_sha256_update(&ctx, "", 0);
        tether_sha256_update(&ctx, NULL, 0);
        tether_sha256_final(&ctx, digest);
        tether_sha256_to_hex(digest, hex);
        assert_string_equal(hex, EMPTY_DIGEST);
}

static void test_abc(void **state) {
        static const uint8_t abc_digest[TETHER_SHA256_SIZE] = {
                0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
        };
        struct tether_sha256 ctx;
        uint8_t digest[TETHER_SHA256_SIZE];

        assert_hex("abc", 3, ABC_DIGEST);

        /* The raw digest, byte order included. */
        tether_sha256_init(&ctx);
        tether_sha256_update(&ctx, "abc", 3);
        tether_sha256_final(&ctx, digest);
        assert_memory_equal(digest, abc_digest, sizeof(abc_digest));

        /* One byte at a time. */
        tether_sha256_init(&ctx);
        tether_sha256_update(&ctx, "a", 1);
        tether_sha256_update(&ctx, "b", 1);
        tether_sha256_update(&ctx, "c", 1);
        tether_sha256_final(&ctx, digest);
        assert_memory_equal(digest, abc_digest, sizeof(abc_digest));

        /* A context is reusable after init. */
        tether_sha256_init(&ctx);
        tether_sha256_update(&ctx, "abc", 3);
        tether_sha256_final(&ctx, digest);
        assert_memory_equal(digest, abc_digest, sizeof(abc_digest));
}

static void test_448_bits(void **state) {
        static const char message[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        static const size_t chunks[] = {1, 7, 13};

        assert_int_equal(strlen(message), 56);
        assert_hex(message, strlen(message),
                   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        assert_chunked((const uint8_t *)message, strlen(message), chunks, ELEMENTSOF(chunks),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void **state) {
        static const char message[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                                      "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

        assert_int_equal(strlen(message), 112);
        assert_hex(message, strlen(message),
                   "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state) {
        /* Uneven chunks, so block boundaries fall in the middle of updates,
         * at their ends, and inside one byte updates. */
        static const size_t uneven[] = {1, 63, 64, 65, 127, 3, 1000, 55, 56, 4096, 7};
        static const size_t whole[] = {1000000};
        static const size_t single[] = {1};
        uint8_t *a = malloc(1000000);

        assert_non_null(a);
        memset(a, 'a', 1000000);
        assert_hex(a, 1000000, MILLION_A_DIGEST);
        assert_chunked(a, 1000000, uneven, ELEMENTSOF(uneven), MILLION_A_DIGEST);
        assert_chunked(a, 1000000, whole, ELEMENTSOF(whole), MILLION_A_DIGEST);
        assert_chunked(a, 1000000, single, ELEMENTSOF(single), MILLION_A_DIGEST);
        free(a);
}

static void test_padding_boundaries(void **state) {
        /* printf 'a%.0s' $(seq N) | sha256sum */
        static const struct {
                size_t length;
                const char *digest;
        } vectors[] = {
                {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
                {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
                {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
                {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
                {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        };
        static const size_t by_one[] = {1}, by_seven[] = {7}, split_at_32[] = {32};
        uint8_t a[65];

        memset(a, 'a', sizeof(a));
        for (size_t i = 0; i < ELEMENTSOF(vectors); i++) {
                assert_hex(a, vectors[i].length, vectors[i].digest);
                assert_chunked(a, vectors[i].length, by_one, 1, vectors[i].digest);
                assert_chunked(a, vectors[i].length, by_seven, 1, vectors[i].digest);
                assert_chunked(a, vectors[i].length, split_at_32, 1, vectors[i].digest);
        }
}

static void test_binary_data(void **state) {
        /* Every byte value once: printf of bytes 0..255 | sha256sum. NUL
         * bytes and high bytes are data like any other. */
        static const size_t chunks[] = {5, 100};
        uint8_t bytes[256];

        for (size_t i = 0; i < sizeof(bytes); i++)
                bytes[i] = (uint8_t)i;
        assert_hex(bytes, sizeof(bytes), "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880");
        assert_chunked(bytes, sizeof(bytes), chunks, ELEMENTSOF(chunks),
                       "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880");
}

static void test_to_hex(void **state) {
        uint8_t digest[TETHER_SHA256_SIZE];
        char hex[TETHER_SHA256_HEX_SIZE];

        for (size_t i = 0; i < sizeof(digest); i++)
                digest[i] = (uint8_t)(i * 8 + 7);
        memset(hex, 'X', sizeof(hex));
        tether_sha256_to_hex(digest, hex);
        assert_string_equal(hex, "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");

        memset(digest, 0, sizeof(digest));
        tether_sha256_to_hex(digest, hex);
        assert_string_equal(hex, "0000000000000000000000000000000000000000000000000000000000000000");
        memset(digest, 0xff, sizeof(digest));
        tether_sha256_to_hex(digest, hex);
        assert_string_equal(hex, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_empty),       cmocka_unit_test(test_abc),
                cmocka_unit_test(test_448_bits),    cmocka_unit_test(test_896_bits),
                cmocka_unit_test(test_million_a),   cmocka_unit_test(test_padding_boundaries),
                cmocka_unit_test(test_binary_data), cmocka_unit_test(test_to_hex),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
