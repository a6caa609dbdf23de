/* test_source.c — plain and gzip byte streams (source.h).
 *
 * Inputs are built in memory and in temporary files with zlib (gzip members
 * via deflateInit2 with windowBits 31): plain text, one member, three
 * members decoded back to back, an empty member, an empty file, a file that
 * starts with 0x1f but is not gzip, gzip bytes with gzip_allowed = 0, and
 * standard input. Bad inputs must give -1 with a message and the decoded
 * offset reached: a member cut anywhere, corrupt deflate bytes, a bad CRC
 * or length trailer, and bytes after a member that are not gzip. Also the
 * raw byte count, raw CRC-32 and member count (complete after source_finish
 * even when decoding stopped early or failed), feeds (source_open_feed,
 * source_set_totals), and a missing file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gzbytes.h"
#include "mrb/source.h"

/* Deterministic text: numbered lines of varying length. */
static void make_text(bytes *out, size_t approx)
{
    uint32_t seed = 7;
    char line[256];

    for (unsigned i = 0; out->n < approx; i++) {
        seed = seed * 1664525u + 1013904223u;
        int k = snprintf(line, sizeof line, "%u\tline with %u words ", i, (seed >> 16) % 50);
        for (unsigned j = 0; j < (seed >> 8) % 120; j++)
            line[k++] = (char)('a' + (i + j) % 26);
        line[k++] = '\n';
        bytes_add(out, line, (size_t)k);
    }
}

static void write_temp(char *path, size_t size, const void *data, size_t n)
{
    snprintf(path, size, "/tmp/mrb-ut-source-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    if (n)
        assert_int_equal(write(fd, data, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
}

/* Reads s to its end in chunks of the given size. Returns 0 at the end or
 * -1 on error; the decoded bytes go into out either way. */
static long drain(source *s, size_t chunk, bytes *out, mrb_err *err)
{
    unsigned char *buf = malloc(chunk);
    long got;

    assert_non_null(buf);
    while ((got = source_read(s, buf, chunk, err)) > 0) {
        assert_true((size_t)got <= chunk);
        bytes_add(out, buf, (size_t)got);
    }
    free(buf);
    assert_true(got == 0 || got == -1);
    return got;
}

static void assert_decodes_to(source *s, size_t chunk, const bytes *want)
{
    bytes got = {NULL, 0, 0};
    mrb_err err;

    mrb_err_clear(&err);
    if (drain(s, chunk, &got, &err) != 0)
        fail_msg("read failed: %s", err.text);
    assert_int_equal(got.n, want->n);
    if (want->n)
        assert_memory_equal(got.p, want->p, want->n);
    bytes_free(&got);
    /* the end stays the end */
    unsigned char c;
    assert_int_equal(source_read(s, &c, 1, &err), 0);
}

static void test_plain_mem(void **state)
{
    static const char text[] = "hello\nworld\n";
    const bytes want = {(unsigned char *)text, sizeof text - 1, 0};
    const size_t chunks[] = {1, 3, 4096};
    mrb_err err;
    (void)state;

    for (size_t i = 0; i < 3; i++) {
        mrb_err_clear(&err);
        source *s = source_open_mem(text, sizeof text - 1, 1, &err);
        assert_non_null(s);
        assert_decodes_to(s, chunks[i], &want);
        assert_int_equal(source_is_gzip(s), 0);
        assert_int_equal(source_members(s), 0);
        assert_int_equal(source_raw_bytes(s), sizeof text - 1);
        assert_int_equal(source_raw_crc32(s),
                         crc32(0, (const Bytef *)text, (uInt)(sizeof text - 1)));
        source_close(s);
    }
}

static void test_plain_file(void **state)
{
    bytes text = {NULL, 0, 0};
    char path[64];
    mrb_err err;
    (void)state;

    make_text(&text, 700 * 1024);
    write_temp(path, sizeof path, text.p, text.n);
    mrb_err_clear(&err);
    source *s = source_open(path, &err);
    unlink(path); /* stays readable while open; leave nothing behind */
    assert_non_null(s);
    assert_decodes_to(s, 10000, &text);
    assert_int_equal(source_is_gzip(s), 0);
    assert_int_equal(source_raw_bytes(s), text.n);
    assert_int_equal(source_raw_crc32(s), crc32(0, text.p, (uInt)text.n));
    source_close(s);
    bytes_free(&text);
}

static void test_gzip_one_member(void **state)
{
    bytes text = {NULL, 0, 0}, gz = {NULL, 0, 0};
    char path[64];
    mrb_err err;
    (void)state;

    make_text(&text, 1024 * 1024);
    gz_add(&gz, text.p, text.n);

    mrb_err_clear(&err);
    source *s = source_open_mem(gz.p, gz.n, 1, &err);
    assert_non_null(s);
    assert_decodes_to(s, 4096, &text);
    assert_int_equal(source_is_gzip(s), 1);
    assert_int_equal(source_members(s), 1);
    source_close(s);

    write_temp(path, sizeof path, gz.p, gz.n);
    s = source_open(path, &err);
    unlink(path); /* stays readable while open; leave nothing behind */
    assert_non_null(s);
    assert_decodes_to(s, 65536, &text);
    assert_int_equal(source_is_gzip(s), 1);
    assert_int_equal(source_members(s), 1);
    assert_int_equal(source_raw_bytes(s), gz.n);
    assert_int_equal(source_raw_crc32(s), crc32(0, gz.p, (uInt)gz.n));
    source_close(s);

    /* a tiny member, read one byte at a time */
    bytes_free(&gz);
    gz_add(&gz, "x\ny\n", 4);
    s = source_open_mem(gz.p, gz.n, 1, &err);
    const bytes small = {(unsigned char *)"x\ny\n", 4, 0};
    assert_decodes_to(s, 1, &small);
    assert_int_equal(source_members(s), 1);
    source_close(s);

    bytes_free(&gz);
    bytes_free(&text);
}

static void test_gzip_three_members(void **state)
{
    bytes all = {NULL, 0, 0}, mid = {NULL, 0, 0}, gz = {NULL, 0, 0};
    char path[64];
    mrb_err err;
    (void)state;

    make_text(&mid, 600 * 1024);
    gz_add(&gz, "first\n", 6);
    gz_add(&gz, mid.p, mid.n);
    gz_add(&gz, "third, no newline", 17);
    bytes_add(&all, "first\n", 6);
    bytes_add(&all, mid.p, mid.n);
    bytes_add(&all, "third, no newline", 17);

    const size_t chunks[] = {1, 7, 4096, 1 << 20};
    for (size_t i = 0; i < 4; i++) {
        mrb_err_clear(&err);
        source *s = source_open_mem(gz.p, gz.n, 1, &err);
        assert_non_null(s);
        assert_decodes_to(s, chunks[i], &all);
        assert_int_equal(source_is_gzip(s), 1);
        assert_int_equal(source_members(s), 3);
        source_close(s);
    }

    write_temp(path, sizeof path, gz.p, gz.n);
    source *s = source_open(path, &err);
    unlink(path); /* stays readable while open; leave nothing behind */
    assert_non_null(s);
    assert_decodes_to(s, 3000, &all);
    assert_int_equal(source_members(s), 3);
    assert_int_equal(source_raw_bytes(s), gz.n);
    assert_int_equal(source_raw_crc32(s), crc32(0, gz.p, (uInt)gz.n));
    source_close(s);

    bytes_free(&all);
    bytes_free(&mid);
    bytes_free(&gz);
}

static void test_empty_inputs(void **state)
{
    const bytes none = {NULL, 0, 0};
    bytes gz = {NULL, 0, 0};
    char path[64];
    mrb_err err;
    (void)state;

    write_temp(path, sizeof path, "", 0);
    mrb_err_clear(&err);
    source *s = source_open(path, &err);
    unlink(path); /* stays readable while open; leave nothing behind */
    assert_non_null(s);
    assert_decodes_to(s, 100, &none);
    assert_int_equal(source_is_gzip(s), 0);
    assert_int_equal(source_raw_bytes(s), 0);
    assert_int_equal(source_members(s), 0);
    source_close(s);

    s = source_open_mem("", 0, 1, &err);
    assert_non_null(s);
    assert_decodes_to(s, 100, &none);
    source_close(s);

    /* an empty gzip member, then one with data after another empty one */
    gz_add(&gz, "", 0);
    s = source_open_mem(gz.p, gz.n, 1, &err);
    assert_decodes_to(s, 100, &none);
    assert_int_equal(source_is_gzip(s), 1);
    assert_int_equal(source_members(s), 1);
    source_close(s);
    gz_add(&gz, "", 0);
    gz_add(&gz, "data\n", 5);
    s = source_open_mem(gz.p, gz.n, 1, &err);
    const bytes data = {(unsigned char *)"data\n", 5, 0};
    assert_decodes_to(s, 100, &data);
    assert_int_equal(source_members(s), 3);
    source_close(s);
    bytes_free(&gz);
}

/* Expects -1 with a message, after a prefix of want (when want is not NULL).
 * Returns the error and, in *decoded, how many bytes came before it. */
static mrb_err expect_error(const void *data, size_t n, size_t chunk, const bytes *want,
                            const char *what, size_t *decoded)
{
    bytes got = {NULL, 0, 0};
    mrb_err err;

    mrb_err_clear(&err);
    source *s = source_open_mem(data, n, 1, &err);
    assert_non_null(s);
    long rc = drain(s, chunk, &got, &err);
    if (rc != -1)
        fail_msg("%s: read to the end without an error (%zu bytes)", what, got.n);
    if (err.text[0] == '\0')
        fail_msg("%s: no error text", what);
    if (want) {
        assert_true(got.n <= want->n);
        if (got.n)
            assert_memory_equal(got.p, want->p, got.n);
    }
    if (decoded)
        *decoded = got.n;
    source_close(s);
    bytes_free(&got);
    return err;
}

static void test_truncated_gzip(void **state)
{
    bytes text = {NULL, 0, 0}, gz = {NULL, 0, 0};
    (void)state;

    make_text(&text, 300 * 1024);
    gz_add(&gz, text.p, text.n);
    const size_t cuts[] = {2, 10, gz.n / 3, gz.n / 2, gz.n - 8, gz.n - 4, gz.n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "cut at %zu of %zu", cuts[i], gz.n);
        expect_error(gz.p, cuts[i], 4096, &text, what, NULL);
    }

    /* a second member cut short after a complete first one */
    bytes two = {NULL, 0, 0}, want = {NULL, 0, 0};
    gz_add(&two, "one\n", 4);
    size_t first = two.n;
    gz_add(&two, text.p, text.n);
    bytes_add(&want, "one\n", 4);
    bytes_add(&want, text.p, text.n);
    expect_error(two.p, first + (two.n - first) / 2, 1000, &want, "second member cut", NULL);
    bytes_free(&two);
    bytes_free(&want);

    bytes_free(&gz);
    bytes_free(&text);
}

static void test_corrupt_deflate(void **state)
{
    bytes text = {NULL, 0, 0}, gz = {NULL, 0, 0};
    (void)state;

    make_text(&text, 200 * 1024);
    gz_add(&gz, text.p, text.n);
    for (size_t i = gz.n / 2; i < gz.n / 2 + 64; i++)
        gz.p[i] = 0xff;
    /* what corrupt data decodes to before zlib notices is anyone's guess */
    expect_error(gz.p, gz.n, 4096, NULL, "corrupt deflate", NULL);

    /* an invalid block type right after the header */
    bytes bad = {NULL, 0, 0};
    gz_add(&bad, "hello\n", 6);
    bad.p[10] = 0xff;
    const bytes hello = {(unsigned char *)"hello\n", 6, 0};
    expect_error(bad.p, bad.n, 4096, &hello, "invalid block type", NULL);
    bytes_free(&bad);

    bytes_free(&gz);
    bytes_free(&text);
}

static void test_bad_trailer(void **state)
{
    bytes text = {NULL, 0, 0}, gz = {NULL, 0, 0};
    (void)state;

    make_text(&text, 100 * 1024);
    gz_add(&gz, text.p, text.n);
    gz.p[gz.n - 8] ^= 0x5a; /* CRC-32 */
    expect_error(gz.p, gz.n, 4096, &text, "bad CRC", NULL);
    gz.p[gz.n - 8] ^= 0x5a;
    gz.p[gz.n - 1] ^= 0x01; /* ISIZE */
    expect_error(gz.p, gz.n, 4096, &text, "bad length", NULL);
    bytes_free(&gz);
    bytes_free(&text);
}

static void test_garbage_after_member(void **state)
{
    bytes gz = {NULL, 0, 0};
    const bytes want = {(unsigned char *)"payload\n", 8, 0};
    (void)state;

    gz_add(&gz, "payload\n", 8);
    bytes_add(&gz, "this is not gzip\n", 17);
    expect_error(gz.p, gz.n, 4096, &want, "text after a member", NULL);
    expect_error(gz.p, gz.n, 1, &want, "text after a member, 1-byte reads", NULL);
    bytes_free(&gz);

    gz_add(&gz, "payload\n", 8);
    bytes_add(&gz, "\x1f", 1);
    expect_error(gz.p, gz.n, 4096, &want, "one stray byte after a member", NULL);
    bytes_free(&gz);
}

/* "err's offset is the decoded offset reached" (source.h). Checked after
 * cleaning up, so that a failure leaks nothing. */
static void test_error_offset(void **state)
{
    bytes text = {NULL, 0, 0}, gz = {NULL, 0, 0}, cut = {NULL, 0, 0};
    size_t decoded[3];
    mrb_err err[3];
    (void)state;

    make_text(&text, 200 * 1024);
    gz_add(&gz, text.p, text.n);

    bytes_add(&cut, gz.p, gz.n / 2);
    err[0] = expect_error(cut.p, cut.n, 4096, &text, "truncated", &decoded[0]);

    gz.p[gz.n - 8] ^= 0x5a;
    err[1] = expect_error(gz.p, gz.n, 4096, &text, "bad CRC", &decoded[1]);

    bytes_free(&gz);
    gz_add(&gz, "payload\n", 8);
    bytes_add(&gz, "not gzip", 8);
    const bytes payload = {(unsigned char *)"payload\n", 8, 0};
    err[2] = expect_error(gz.p, gz.n, 1, &payload, "garbage", &decoded[2]);

    bytes_free(&cut);
    bytes_free(&gz);
    bytes_free(&text);

    static const char *const what[] = {"truncated", "bad CRC", "garbage"};
    for (int i = 0; i < 3; i++)
        if (err[i].offset != (long long)decoded[i])
            fail_msg("%s: err.offset %lld after %zu decoded bytes (%s)", what[i], err[i].offset,
                     decoded[i], err[i].text);
}

/* A complete, valid member is delivered before the error about what follows. */
static void test_member_data_before_garbage(void **state)
{
    bytes gz = {NULL, 0, 0};
    const bytes want = {(unsigned char *)"payload\n", 8, 0};
    size_t big_reads, small_reads;
    (void)state;

    gz_add(&gz, "payload\n", 8);
    bytes_add(&gz, "this is not gzip\n", 17);
    expect_error(gz.p, gz.n, 4096, &want, "text after a member", &big_reads);
    expect_error(gz.p, gz.n, 1, &want, "text after a member, 1-byte reads", &small_reads);
    bytes_free(&gz);
    if (big_reads != 8)
        fail_msg("4096-byte reads: %zu of the member's 8 bytes returned before the error",
                 big_reads);
    if (small_reads != 8)
        fail_msg("1-byte reads: %zu of the member's 8 bytes returned before the error",
                 small_reads);
}

static void test_starts_with_1f_not_gzip(void **state)
{
    static const char a[] = "\x1f plain text\nline 2\n";
    static const char b[] = "\x1f";
    static const char c[] = "\x1f\x8c\x08\x00 almost";
    const bytes wa = {(unsigned char *)a, sizeof a - 1, 0};
    const bytes wb = {(unsigned char *)b, 1, 0};
    const bytes wc = {(unsigned char *)c, sizeof c - 1, 0};
    mrb_err err;
    (void)state;

    mrb_err_clear(&err);
    source *s = source_open_mem(a, sizeof a - 1, 1, &err);
    assert_decodes_to(s, 5, &wa);
    assert_int_equal(source_is_gzip(s), 0);
    source_close(s);
    s = source_open_mem(b, 1, 1, &err);
    assert_decodes_to(s, 5, &wb);
    assert_int_equal(source_is_gzip(s), 0);
    source_close(s);
    s = source_open_mem(c, sizeof c - 1, 1, &err);
    assert_decodes_to(s, 5, &wc);
    assert_int_equal(source_is_gzip(s), 0);
    source_close(s);
}

static void test_gzip_not_allowed(void **state)
{
    bytes gz = {NULL, 0, 0};
    mrb_err err;
    (void)state;

    gz_add(&gz, "payload\n", 8);
    mrb_err_clear(&err);
    source *s = source_open_mem(gz.p, gz.n, 0, &err);
    assert_non_null(s);
    assert_decodes_to(s, 7, &gz);
    assert_int_equal(source_is_gzip(s), 0);
    source_close(s);
    bytes_free(&gz);
}

static void test_open_missing(void **state)
{
    mrb_err err;
    (void)state;

    mrb_err_clear(&err);
    assert_null(source_open("/tmp/mrb-ut-no-such-dir/in.json.gz", &err));
    assert_true(err.text[0] != '\0');
}

/* source_finish: the totals describe the whole file even when decoding
 * stopped early or failed. */
static void test_finish_totals(void **state)
{
    bytes text = {NULL, 0, 0}, gz = {NULL, 0, 0};
    unsigned char buf[100];
    char path[64];
    mrb_err err;
    (void)state;

    /* random letters compress poorly: several raw chunks of any sane size */
    uint32_t seed = 1;
    unsigned char line[81];
    while (text.n < 2u * 1024 * 1024) {
        for (size_t i = 0; i < 80; i++) {
            seed = seed * 1664525u + 1013904223u;
            line[i] = (unsigned char)('a' + (seed >> 24) % 26);
        }
        line[80] = '\n';
        bytes_add(&text, line, sizeof line);
    }
    gz_add(&gz, text.p, text.n);
    assert_true(gz.n > 1024 * 1024);

    /* stopped early, from a file */
    write_temp(path, sizeof path, gz.p, gz.n);
    mrb_err_clear(&err);
    source *s = source_open(path, &err);
    unlink(path); /* stays readable while open; leave nothing behind */
    assert_non_null(s);
    for (size_t have = 0; have < sizeof buf;) {
        long k = source_read(s, buf + have, sizeof buf - have, &err);
        assert_true(k > 0);
        have += (size_t)k;
    }
    assert_memory_equal(buf, text.p, sizeof buf);
    source_finish(s);
    assert_int_equal(source_raw_bytes(s), gz.n);
    assert_int_equal(source_raw_crc32(s), crc32(0, gz.p, (uInt)gz.n));
    assert_int_equal(source_is_gzip(s), 1);
    source_close(s);

    /* failed early, in memory */
    bytes bad = {NULL, 0, 0};
    bytes_add(&bad, gz.p, gz.n);
    for (size_t i = 100; i < 200; i++)
        bad.p[i] = 0xff;
    s = source_open_mem(bad.p, bad.n, 1, &err);
    bytes got = {NULL, 0, 0};
    assert_int_equal(drain(s, 4096, &got, &err), -1);
    source_finish(s);
    assert_int_equal(source_raw_bytes(s), bad.n);
    assert_int_equal(source_raw_crc32(s), crc32(0, bad.p, (uInt)bad.n));
    source_close(s);
    bytes_free(&got);
    bytes_free(&bad);

    /* plain, nothing read yet; and finishing twice changes nothing */
    write_temp(path, sizeof path, text.p, text.n);
    s = source_open(path, &err);
    unlink(path); /* stays readable while open; leave nothing behind */
    assert_non_null(s);
    source_finish(s);
    source_finish(s);
    assert_int_equal(source_raw_bytes(s), text.n);
    assert_int_equal(source_raw_crc32(s), crc32(0, text.p, (uInt)text.n));
    source_close(s);

    bytes_free(&gz);
    bytes_free(&text);
}

/* A feed hands out bytes from a string and reports fixed totals. */
typedef struct feed_state {
    const char *data;
    size_t n, pos;
    int finished;
} feed_state;

static long feed_read(void *arg, void *buf, size_t n, mrb_err *err)
{
    feed_state *f = arg;
    (void)err;
    size_t k = f->n - f->pos < n ? f->n - f->pos : n;
    if (k > 3)
        k = 3; /* short reads, like a pipe */
    memcpy(buf, f->data + f->pos, k);
    f->pos += k;
    return (long)k;
}

static void feed_finish(void *arg, source *s)
{
    feed_state *f = arg;
    f->finished++;
    source_set_totals(s, 1234, 0xdeadbeefu, 1, 2);
}

static void test_feed(void **state)
{
    static const char text[] = "fed\nby a\nfeed\n";
    feed_state fs = {text, sizeof text - 1, 0, 0};
    const source_feed feed = {feed_read, feed_finish, &fs};
    const bytes want = {(unsigned char *)text, sizeof text - 1, 0};
    (void)state;

    source *s = source_open_feed(&feed);
    assert_non_null(s);
    assert_decodes_to(s, 100, &want);
    assert_int_equal(fs.finished, 0);
    source_finish(s);
    assert_int_equal(fs.finished, 1);
    assert_int_equal(source_raw_bytes(s), 1234);
    assert_int_equal(source_raw_crc32(s), 0xdeadbeefu);
    assert_int_equal(source_is_gzip(s), 1);
    assert_int_equal(source_members(s), 2);
    source_finish(s);
    assert_int_equal(fs.finished, 1);
    source_close(s);
}

static void test_stdin(void **state)
{
    bytes text = {NULL, 0, 0}, gz = {NULL, 0, 0};
    char path[64];
    mrb_err err;
    (void)state;

    make_text(&text, 50 * 1024);
    gz_add(&gz, text.p, text.n);
    gz_add(&gz, "tail\n", 5);
    bytes_add(&text, "tail\n", 5);
    write_temp(path, sizeof path, gz.p, gz.n);
    assert_non_null(freopen(path, "rb", stdin));
    unlink(path); /* stays readable while open; leave nothing behind */

    mrb_err_clear(&err);
    source *s = source_open("-", &err);
    assert_non_null(s);
    assert_decodes_to(s, 4096, &text);
    assert_int_equal(source_is_gzip(s), 1);
    assert_int_equal(source_members(s), 2);
    source_close(s);
    /* standard input is not closed */
    assert_true(fcntl(0, F_GETFD) != -1);

    bytes_free(&gz);
    bytes_free(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_mem),
        cmocka_unit_test(test_plain_file),
        cmocka_unit_test(test_gzip_one_member),
        cmocka_unit_test(test_gzip_three_members),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_truncated_gzip),
        cmocka_unit_test(test_corrupt_deflate),
        cmocka_unit_test(test_bad_trailer),
        cmocka_unit_test(test_garbage_after_member),
        cmocka_unit_test(test_error_offset),
        cmocka_unit_test(test_member_data_before_garbage),
        cmocka_unit_test(test_starts_with_1f_not_gzip),
        cmocka_unit_test(test_gzip_not_allowed),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_finish_totals),
        cmocka_unit_test(test_feed),
        cmocka_unit_test(test_stdin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
