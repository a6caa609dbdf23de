/* test_prefetch.c — files decoded ahead on the worker thread (prefetch.h).
 *
 * Three files: a gzip member, a file that starts like gzip but whose deflate
 * bytes are corrupt, and plain text. Without `wanted`, every file is decoded
 * ahead: the corrupt one fails with an error, and each source gives the
 * file's bytes and raw totals. With a `wanted` that turns down the corrupt
 * file (as ingest turns down a file whose content is stored), the worker asks
 * about every file in order, never decodes that one (no error: its source is
 * empty and prefetch_passed says so), and the files around it are intact. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gzbytes.h"
#include "mrb/prefetch.h"

#define TEXT "2026-11-25T04:28:22.441Z line one\nline two\n"

typedef struct fixture {
    char paths[3][64];
    char *list[3];
} fixture;

static void write_file(char *path, const void *data, size_t n)
{
    snprintf(path, 64, "/tmp/mrb-ut-prefetch-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
}

static void make_files(fixture *f)
{
    bytes gz = {0}, bad = {0};

    gz_add(&gz, TEXT, strlen(TEXT));
    write_file(f->paths[0], gz.p, gz.n);
    bytes_add(&bad, gz.p, 10); /* a gzip header, then bytes that are no deflate stream */
    bytes_add(&bad, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
    write_file(f->paths[1], bad.p, bad.n);
    write_file(f->paths[2], TEXT, strlen(TEXT));
    for (int i = 0; i < 3; i++)
        f->list[i] = f->paths[i];
    bytes_free(&gz);
    bytes_free(&bad);
}

static void remove_files(fixture *f)
{
    for (int i = 0; i < 3; i++)
        unlink(f->paths[i]);
}

/* Reads a source to its end: the bytes in out, -1 on an error. */
static long read_all(source *s, char *out, size_t size)
{
    long n = 0, got;
    mrb_err err;

    mrb_err_clear(&err);
    while ((got = source_read(s, out + n, size - (size_t)n, &err)) > 0)
        n += got;
    return got < 0 ? -1 : n;
}

typedef struct asked {
    const char *turn_down;
    char seen[3][64];
    int n;
} asked;

static int wanted(void *arg, const char *path)
{
    asked *a = arg;

    if (a->n < 3)
        snprintf(a->seen[a->n], sizeof a->seen[0], "%s", path);
    a->n++;
    return strcmp(path, a->turn_down) != 0;
}

static void test_every_file_decoded(void **state)
{
    (void)state;
    fixture f;
    mrb_err err;
    char buf[256];

    make_files(&f);
    mrb_err_clear(&err);
    prefetch *p = prefetch_start(f.list, 3, NULL, NULL, &err);
    assert_non_null(p);
    source *s = prefetch_next(p);
    assert_int_equal(prefetch_passed(p), 0);
    assert_int_equal(read_all(s, buf, sizeof buf), (long)strlen(TEXT));
    assert_memory_equal(buf, TEXT, strlen(TEXT));
    s = prefetch_next(p);
    assert_int_equal(prefetch_passed(p), 0);
    assert_int_equal(read_all(s, buf, sizeof buf), -1); /* decoded: corrupt */
    s = prefetch_next(p);
    assert_int_equal(read_all(s, buf, sizeof buf), (long)strlen(TEXT));
    source_finish(s);
    assert_int_equal(source_raw_bytes(s), (long long)strlen(TEXT));
    assert_null(prefetch_next(p));
    prefetch_stop(p);
    remove_files(&f);
}

static void test_turned_down_not_decoded(void **state)
{
    (void)state;
    fixture f;
    mrb_err err;
    char buf[256];

    make_files(&f);
    asked a = {.turn_down = f.paths[1]};
    mrb_err_clear(&err);
    prefetch *p = prefetch_start(f.list, 3, wanted, &a, &err);
    assert_non_null(p);
    source *s = prefetch_next(p);
    assert_int_equal(prefetch_passed(p), 0);
    assert_int_equal(read_all(s, buf, sizeof buf), (long)strlen(TEXT));
    s = prefetch_next(p);
    assert_int_equal(prefetch_passed(p), 1);
    assert_int_equal(read_all(s, buf, sizeof buf), 0); /* not decoded: no error */
    s = prefetch_next(p);
    assert_int_equal(prefetch_passed(p), 0);
    assert_int_equal(read_all(s, buf, sizeof buf), (long)strlen(TEXT));
    assert_memory_equal(buf, TEXT, strlen(TEXT));
    assert_null(prefetch_next(p));
    prefetch_stop(p); /* joins the worker: a is complete */
    assert_int_equal(a.n, 3);
    for (int i = 0; i < 3; i++)
        assert_string_equal(a.seen[i], f.paths[i]);
    remove_files(&f);
}

/* Files left when the caller stops early: the worker quits cleanly. */
static void test_stop_early(void **state)
{
    (void)state;
    fixture f;
    mrb_err err;

    make_files(&f);
    asked a = {.turn_down = f.paths[0]};
    mrb_err_clear(&err);
    prefetch *p = prefetch_start(f.list, 3, wanted, &a, &err);
    assert_non_null(p);
    assert_non_null(prefetch_next(p));
    assert_int_equal(prefetch_passed(p), 1);
    prefetch_stop(p);
    remove_files(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_file_decoded),
        cmocka_unit_test(test_turned_down_not_decoded),
        cmocka_unit_test(test_stop_early),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
