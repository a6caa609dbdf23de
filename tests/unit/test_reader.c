/* test_reader.c — lines and bytes over a source (reader.h).
 *
 * Covers lines ending in "\n" and "\r\n", a last line without a newline,
 * empty lines, reader_line / reader_offset after every call, lines longer
 * than max_line (READER_TOO_LONG with their full length, the next line read
 * correctly; a 10 MB line with max_line 1 MiB, plain and gzip), a line of
 * exactly max_line bytes, reader_peek not consuming, reader_window /
 * reader_consume / reader_getc keeping positions right, many lines over
 * gzip members split mid-line, and a source error surfacing as
 * READER_ERROR. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gzbytes.h"
#include "mrb/reader.h"

/* A reader over bytes in memory; both are released by close_all. */
typedef struct fixture {
    source *src;
    reader *r;
    mrb_err err;
} fixture;

static void open_mem(fixture *f, const void *data, size_t n, size_t max_line)
{
    mrb_err_clear(&f->err);
    f->src = source_open_mem(data, n, 1, &f->err);
    assert_non_null(f->src);
    f->r = reader_new(f->src, max_line);
    assert_non_null(f->r);
}

static void close_all(fixture *f)
{
    reader_free(f->r);
    source_close(f->src);
}

static void expect_line(fixture *f, const char *want, long long line_after, long long off_after,
                        int at)
{
    const char *p = NULL;
    size_t n = 0;
    int rc = reader_getline(f->r, &p, &n, &f->err);

    if (rc != READER_LINE)
        fail_msg("line %d: status %d, expected line \"%s\" (%s)", at, rc, want, f->err.text);
    if (n != strlen(want) || memcmp(p, want, n) != 0)
        fail_msg("line %d: got \"%.*s\", expected \"%s\"", at, (int)n, p, want);
    if (reader_line(f->r) != line_after || reader_offset(f->r) != off_after)
        fail_msg("line %d: after \"%s\" at line %lld offset %lld, expected %lld %lld", at, want,
                 reader_line(f->r), reader_offset(f->r), line_after, off_after);
}

#define EXPECT_LINE(f, want, line, off) expect_line((f), (want), (line), (off), __LINE__)

static void expect_eof(fixture *f)
{
    const char *p;
    size_t n;
    assert_int_equal(reader_getline(f->r, &p, &n, &f->err), READER_EOF);
    assert_int_equal(reader_getline(f->r, &p, &n, &f->err), READER_EOF);
}

static void test_lf_lines(void **state)
{
    static const char in[] = "a\nbb\n\nccc\n";
    fixture f;
    (void)state;

    open_mem(&f, in, sizeof in - 1, 1024);
    assert_int_equal(reader_line(f.r), 1);
    assert_int_equal(reader_offset(f.r), 0);
    assert_int_equal(reader_max_line(f.r), 1024);
    EXPECT_LINE(&f, "a", 2, 2);
    EXPECT_LINE(&f, "bb", 3, 5);
    EXPECT_LINE(&f, "", 4, 6);
    EXPECT_LINE(&f, "ccc", 5, 10);
    expect_eof(&f);
    assert_int_equal(reader_offset(f.r), 10);
    close_all(&f);
}

static void test_crlf_lines(void **state)
{
    static const char in[] = "a\r\nbb\r\n\r\nlast\r\n";
    fixture f;
    (void)state;

    open_mem(&f, in, sizeof in - 1, 1024);
    EXPECT_LINE(&f, "a", 2, 3);
    EXPECT_LINE(&f, "bb", 3, 7);
    EXPECT_LINE(&f, "", 4, 9);
    EXPECT_LINE(&f, "last", 5, 15);
    expect_eof(&f);
    close_all(&f);
}

static void test_last_line_without_newline(void **state)
{
    static const char in[] = "a\nlast";
    fixture f;
    (void)state;

    open_mem(&f, in, sizeof in - 1, 1024);
    EXPECT_LINE(&f, "a", 2, 2);
    EXPECT_LINE(&f, "last", 2, 6);
    expect_eof(&f);
    close_all(&f);

    open_mem(&f, "only", 4, 1024);
    EXPECT_LINE(&f, "only", 1, 4);
    expect_eof(&f);
    close_all(&f);

    open_mem(&f, "", 0, 1024);
    expect_eof(&f);
    assert_int_equal(reader_line(f.r), 1);
    assert_int_equal(reader_offset(f.r), 0);
    close_all(&f);
}

static void test_too_long(void **state)
{
    char in[256];
    const char *p;
    size_t n = 0;
    fixture f;
    (void)state;

    /* "short\n" + 40 x + "\n" + "next\n" */
    strcpy(in, "short\n");
    memset(in + 6, 'x', 40);
    strcpy(in + 46, "\nnext\n");
    open_mem(&f, in, strlen(in), 16);
    EXPECT_LINE(&f, "short", 2, 6);
    assert_int_equal(reader_getline(f.r, &p, &n, &f.err), READER_TOO_LONG);
    assert_int_equal(n, 40);
    assert_int_equal(reader_line(f.r), 3);
    assert_int_equal(reader_offset(f.r), 47);
    EXPECT_LINE(&f, "next", 4, 52);
    expect_eof(&f);
    close_all(&f);

    /* an over-long last line without a newline */
    strcpy(in, "ok\n");
    memset(in + 3, 'y', 100);
    in[103] = '\0';
    open_mem(&f, in, 103, 16);
    EXPECT_LINE(&f, "ok", 2, 3);
    assert_int_equal(reader_getline(f.r, &p, &n, &f.err), READER_TOO_LONG);
    assert_int_equal(n, 100);
    assert_int_equal(reader_offset(f.r), 103);
    expect_eof(&f);
    close_all(&f);

    /* max_line + 1 is too long, several in a row */
    memset(in, 'z', 17);
    in[17] = '\n';
    memset(in + 18, 'w', 17);
    strcpy(in + 35, "\nend\n");
    open_mem(&f, in, strlen(in), 16);
    assert_int_equal(reader_getline(f.r, &p, &n, &f.err), READER_TOO_LONG);
    assert_int_equal(n, 17);
    assert_int_equal(reader_getline(f.r, &p, &n, &f.err), READER_TOO_LONG);
    assert_int_equal(n, 17);
    EXPECT_LINE(&f, "end", 4, 40);
    close_all(&f);
}

/* "a line longer than max_line" is skipped: one of exactly max_line is not. */
static void test_exactly_max_line(void **state)
{
    char in[64], want[17];
    fixture f;
    (void)state;

    memset(want, 'm', 16);
    want[16] = '\0';
    snprintf(in, sizeof in, "%s\n%s", want, want);
    open_mem(&f, in, strlen(in), 16);
    EXPECT_LINE(&f, want, 2, 17);
    EXPECT_LINE(&f, want, 2, 33);
    expect_eof(&f);
    close_all(&f);
}

static void test_peek(void **state)
{
    static const char in[] = "hello\nworld\n";
    const char *p;
    fixture f;
    (void)state;

    open_mem(&f, in, sizeof in - 1, 1024);
    long k = reader_peek(f.r, 3, &p, &f.err);
    assert_true(k >= 3);
    assert_memory_equal(p, "hel", 3);
    assert_int_equal(reader_offset(f.r), 0);
    k = reader_peek(f.r, 100, &p, &f.err); /* fewer only at the end */
    assert_int_equal(k, 12);
    assert_memory_equal(p, in, 12);
    assert_int_equal(reader_offset(f.r), 0);
    assert_int_equal(reader_line(f.r), 1);
    EXPECT_LINE(&f, "hello", 2, 6);
    k = reader_peek(f.r, 5, &p, &f.err);
    assert_true(k >= 5);
    assert_memory_equal(p, "world", 5);
    EXPECT_LINE(&f, "world", 3, 12);
    assert_int_equal(reader_peek(f.r, 5, &p, &f.err), 0);
    close_all(&f);
}

/* want is capped at max_line: asking for more than that still works. */
static void test_peek_capped(void **state)
{
    char in[5000];
    const char *p;
    fixture f;
    (void)state;

    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (char)('a' + i % 26);
    open_mem(&f, in, sizeof in, 64);
    long k = reader_peek(f.r, 1 << 20, &p, &f.err);
    assert_true(k >= 64);
    assert_true(k <= (long)sizeof in);
    assert_memory_equal(p, in, (size_t)k);
    assert_int_equal(reader_offset(f.r), 0);
    close_all(&f);
}

static void test_window_consume_getc(void **state)
{
    static const char in[] = "ab\ncd\nef\n";
    const char *p;
    fixture f;
    (void)state;

    open_mem(&f, in, sizeof in - 1, 1024);
    long k = reader_window(f.r, &p, &f.err);
    assert_true(k > 0);
    assert_true(k <= 9);
    assert_memory_equal(p, in, (size_t)k);
    assert_int_equal(reader_offset(f.r), 0);
    assert_true(k >= 4);
    reader_consume(f.r, 4); /* "ab\nc" */
    assert_int_equal(reader_line(f.r), 2);
    assert_int_equal(reader_offset(f.r), 4);
    EXPECT_LINE(&f, "d", 3, 6);
    assert_int_equal(reader_getc(f.r, &f.err), 'e');
    assert_int_equal(reader_offset(f.r), 7);
    assert_int_equal(reader_getc(f.r, &f.err), 'f');
    assert_int_equal(reader_line(f.r), 3);
    assert_int_equal(reader_getc(f.r, &f.err), '\n');
    assert_int_equal(reader_line(f.r), 4);
    assert_int_equal(reader_offset(f.r), 9);
    assert_int_equal(reader_getc(f.r, &f.err), -1);
    assert_int_equal(reader_window(f.r, &p, &f.err), 0);
    close_all(&f);

    /* consuming whole windows over a larger input counts every newline */
    bytes big = {NULL, 0, 0};
    long long lines = 0;
    for (int i = 0; i < 40000; i++) {
        char l[32];
        int m = snprintf(l, sizeof l, "%d%s\n", i, i % 7 ? "" : "\r");
        bytes_add(&big, l, (size_t)m);
        lines++;
    }
    open_mem(&f, big.p, big.n, 1024);
    long long total = 0;
    while ((k = reader_window(f.r, &p, &f.err)) > 0) {
        assert_memory_equal(p, big.p + total, (size_t)k);
        size_t take = (size_t)k > 1000 ? (size_t)k / 2 : (size_t)k;
        reader_consume(f.r, take);
        total += (long long)take;
        assert_int_equal(reader_offset(f.r), total);
    }
    assert_int_equal(k, 0);
    assert_int_equal(total, (long long)big.n);
    assert_int_equal(reader_line(f.r), lines + 1);
    close_all(&f);
    bytes_free(&big);
}

/* A 10 MB line with max_line 1 MiB: skipped with its length, memory bounded,
 * and the next line read correctly. */
static void test_ten_mb_line(void **state)
{
    const size_t big = 10u * 1024 * 1024;
    bytes in = {NULL, 0, 0}, gz = {NULL, 0, 0};
    const char *p;
    size_t n = 0;
    fixture f;
    (void)state;

    bytes_add(&in, "before\n", 7);
    char *a = malloc(big);
    assert_non_null(a);
    memset(a, 'a', big);
    bytes_add(&in, a, big);
    free(a);
    bytes_add(&in, "\nafter\n", 7);

    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0) {
            open_mem(&f, in.p, in.n, 1u << 20);
        } else {
            gz_add(&gz, in.p, in.n);
            open_mem(&f, gz.p, gz.n, 1u << 20);
        }
        assert_int_equal(reader_max_line(f.r), 1u << 20);
        EXPECT_LINE(&f, "before", 2, 7);
        assert_int_equal(reader_getline(f.r, &p, &n, &f.err), READER_TOO_LONG);
        assert_int_equal(n, big);
        assert_int_equal(reader_line(f.r), 3);
        assert_int_equal(reader_offset(f.r), 7 + (long long)big + 1);
        EXPECT_LINE(&f, "after", 4, (long long)in.n);
        expect_eof(&f);
        close_all(&f);
    }
    bytes_free(&in);
    bytes_free(&gz);
}

/* Many lines of varied length, in gzip members split mid-line. */
static void test_many_lines_over_members(void **state)
{
    bytes text = {NULL, 0, 0}, gz = {NULL, 0, 0};
    uint32_t seed = 99;
    size_t nlines = 0;
    fixture f;
    (void)state;

    while (text.n < 3u * 1024 * 1024) {
        char line[4100];
        seed = seed * 1664525u + 1013904223u;
        size_t len = (seed >> 8) % 4000;
        for (size_t j = 0; j < len; j++)
            line[j] = (char)('!' + (j * 7 + nlines) % 90);
        line[len] = '\n';
        bytes_add(&text, line, len + 1);
        nlines++;
    }
    size_t cut1 = text.n / 3 + 17, cut2 = 2 * text.n / 3 + 5;
    gz_add(&gz, text.p, cut1);
    gz_add(&gz, text.p + cut1, cut2 - cut1);
    gz_add(&gz, text.p + cut2, text.n - cut2);

    open_mem(&f, gz.p, gz.n, 4096);
    size_t at = 0, count = 0;
    const char *p;
    size_t n;
    int rc;
    while ((rc = reader_getline(f.r, &p, &n, &f.err)) == READER_LINE) {
        const unsigned char *nl = memchr(text.p + at, '\n', text.n - at);
        assert_non_null(nl);
        size_t want = (size_t)(nl - (text.p + at));
        assert_int_equal(n, want);
        assert_memory_equal(p, text.p + at, n);
        at += want + 1;
        count++;
        assert_int_equal(reader_offset(f.r), (long long)at);
    }
    assert_int_equal(rc, READER_EOF);
    assert_int_equal(count, nlines);
    assert_int_equal(reader_line(f.r), (long long)nlines + 1);
    close_all(&f);
    bytes_free(&text);
    bytes_free(&gz);
}

static void test_source_error(void **state)
{
    bytes text = {NULL, 0, 0}, gz = {NULL, 0, 0};
    fixture f;
    const char *p;
    size_t n;
    int rc;
    (void)state;

    for (int i = 0; text.n < 400 * 1024; i++) {
        char l[64];
        int m = snprintf(l, sizeof l, "line %d of a file cut short\n", i);
        bytes_add(&text, l, (size_t)m);
    }
    gz_add(&gz, text.p, text.n);
    open_mem(&f, gz.p, gz.n / 2, 1024);
    while ((rc = reader_getline(f.r, &p, &n, &f.err)) == READER_LINE)
        ;
    assert_int_equal(rc, READER_ERROR);
    assert_true(f.err.text[0] != '\0');
    mrb_err line_err = f.err;
    long long consumed = reader_offset(f.r);
    close_all(&f);

    open_mem(&f, gz.p, gz.n / 2, 1024);
    int c;
    long long got = 0;
    while ((c = reader_getc(f.r, &f.err)) >= 0) {
        assert_int_equal(c, text.p[got]);
        got++;
    }
    assert_int_equal(c, -2);
    assert_true(f.err.text[0] != '\0');
    close_all(&f);

    long long total = (long long)text.n;
    bytes_free(&text);
    bytes_free(&gz);
    /* the source's offset is "the decoded offset reached": at least what the
     * reader consumed, at most the whole text */
    if (line_err.offset < consumed || line_err.offset > total)
        fail_msg("err.offset %lld, reader offset %lld, text %lld bytes (%s)", line_err.offset,
                 consumed, total, line_err.text);
}

/* A line longer than the limit is skipped; after reader_raise_max_line the
 * same length fits (a decoder chosen after sniffing with a larger need). */
static void test_raise_max_line(void **state)
{
    fixture f;
    char data[300];
    const char *p;
    size_t n;
    (void)state;

    memset(data, 'a', 100);
    data[100] = '\n';
    memset(data + 101, 'b', 150);
    data[251] = '\n';
    open_mem(&f, data, 252, 64);
    assert_int_equal(reader_getline(f.r, &p, &n, &f.err), READER_TOO_LONG);
    assert_int_equal(n, 100);
    reader_raise_max_line(f.r, 32); /* smaller: ignored */
    assert_int_equal(reader_max_line(f.r), 64);
    reader_raise_max_line(f.r, 200);
    assert_int_equal(reader_max_line(f.r), 200);
    assert_int_equal(reader_getline(f.r, &p, &n, &f.err), READER_LINE);
    assert_int_equal(n, 150);
    assert_int_equal(p[0], 'b');
    assert_int_equal(reader_getline(f.r, &p, &n, &f.err), READER_EOF);
    close_all(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lf_lines),
        cmocka_unit_test(test_raise_max_line),
        cmocka_unit_test(test_crlf_lines),
        cmocka_unit_test(test_last_line_without_newline),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_exactly_max_line),
        cmocka_unit_test(test_peek),
        cmocka_unit_test(test_peek_capped),
        cmocka_unit_test(test_window_consume_getc),
        cmocka_unit_test(test_ten_mb_line),
        cmocka_unit_test(test_many_lines_over_members),
        cmocka_unit_test(test_source_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
