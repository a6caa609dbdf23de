/* test_plot.c — chart files and the gnuplot child (plot.h).
 *
 * Covers plot_sanitise on hostile labels (quotes, backticks, ';', newlines,
 * $(...), ../, long labels, UTF-8), plot_colour (fixed and hashed), the .dat
 * and .gp that plot_write makes for each kind (exact data lines; every
 * quoted string in the script made only of allowed characters), bad names
 * and unwritable folders, and plot_render: images made, a hostile label
 * that runs nothing, a failing script, a timeout, and gnuplot missing from
 * PATH. The render tests that need gnuplot pass with a '#' note when it is
 * not on PATH. Everything happens in one mkdtemp folder, removed at the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mrb/plot.h"

#define HOSTILE "x' ; system('touch PWNED') ; '"

static char tmp[256];

static int is_allowed(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr(" ._:/()%+-", c) != NULL);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int make_tmp(void **state)
{
    const char *base = getenv("TMPDIR");

    (void)state;
    snprintf(tmp, sizeof tmp, "%s/mrb-plot-XXXXXX", base && base[0] ? base : "/tmp");
    return mkdtemp(tmp) ? 0 : -1;
}

static int remove_tmp(void **state)
{
    (void)state;
    return nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The contents of tmp/name (caller frees), or NULL. */
static char *slurp(const char *name)
{
    char path[512];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof path, "%s/%s", tmp, name);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static long file_size(const char *name)
{
    char path[512];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", tmp, name);
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int have_gnuplot(void)
{
    const char *path = getenv("PATH");
    char buf[4096], exe[4200];
    char *dir, *save = NULL;

    if (!path)
        return 0;
    snprintf(buf, sizeof buf, "%s", path);
    for (dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        snprintf(exe, sizeof exe, "%s/gnuplot", dir);
        if (access(exe, X_OK) == 0)
            return 1;
    }
    return 0;
}

/* Every single-quoted string in the script is a colour ('#rrggbb') or holds
 * only allowed characters, and quotes pair up on every line. */
static void assert_script_safe(const char *gp)
{
    const char *p;
    int in_quote = 0;

    for (p = gp; *p; p++) {
        if (*p == '\'') {
            in_quote = !in_quote;
            if (in_quote && p[1] == '#' && strspn(p + 2, "0123456789abcdef") == 6 &&
                p[8] == '\'')
                p += 7;
        } else if (*p == '\n') {
            assert_false(in_quote);
        } else if (in_quote) {
            assert_true(is_allowed((unsigned char)*p) || *p == '='); /* '(n=25)' */
        }
    }
    assert_false(in_quote);
    assert_null(strstr(gp, "system('"));
    assert_null(strstr(gp, "'PWNED'"));
    assert_null(strchr(gp, '`'));
}

/* ---- sanitise ---------------------------------------------------------- */

static void check_sanitised(const char *in, const char *want)
{
    char out[64];

    plot_sanitise(in, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_sanitise_hostile(void **state)
{
    static const char *const hostile[] = {
        HOSTILE, "a\"b", "`id`", "a;b", "line\nbreak\r", "$(rm -rf /)", "../x", "\\'",
        "caf\xc3\xa9 \xe2\x82\xac", "{@^&~}", "tab\there", "#comment", "",
    };
    char out[64], longer[101];
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        plot_sanitise(hostile[i], out, sizeof out);
        assert_true(strlen(out) >= 1 && strlen(out) <= 40);
        for (j = 0; out[j]; j++)
            assert_true(is_allowed((unsigned char)out[j]));
    }
    check_sanitised(HOSTILE, "x_ _ system(_touch PWNED_) _ _");
    check_sanitised("a;b", "a_b");
    check_sanitised("line\nbreak\r", "line_break_");
    check_sanitised("$(rm -rf /)", "_(rm -rf /)");
    check_sanitised("../x", "../x");
    check_sanitised("caf\xc3\xa9", "caf__");
    check_sanitised("p99 (ms) 12.5% +-:/", "p99 (ms) 12.5% +-:/");
    check_sanitised("", "_");
    check_sanitised(NULL, "_");

    memset(longer, 'a', 100);
    longer[100] = '\0';
    plot_sanitise(longer, out, sizeof out);
    assert_int_equal(strlen(out), 40);
    assert_int_equal(strspn(out, "a"), 40);
}

static void test_sanitise_small_buffers(void **state)
{
    char out[8];

    (void)state;
    memset(out, 'z', sizeof out);
    plot_sanitise("abcdefghij", out, 5);
    assert_string_equal(out, "abcd");
    assert_int_equal(out[5], 'z');
    plot_sanitise("abc", out, 1);
    assert_string_equal(out, "");
    plot_sanitise("", out, 2);
    assert_string_equal(out, "_");
    plot_sanitise("abc", out, 0); /* writes nothing */
    assert_string_equal(out, "_");
}

/* ---- colours ----------------------------------------------------------- */

static void test_colours(void **state)
{
    static const char *const others[] = {"java", "rust", "dotnet", "ruby", "", "x' ;"};
    size_t i;

    (void)state;
    assert_string_equal(plot_colour("python"), "#1f77b4");
    assert_string_equal(plot_colour("typescript"), "#ff7f0e");
    assert_string_equal(plot_colour("go"), "#2ca02c");
    assert_string_equal(plot_colour("kotlin"), "#9467bd");
    for (i = 0; i < sizeof others / sizeof others[0]; i++) {
        const char *c = plot_colour(others[i]);

        assert_int_equal(strlen(c), 7);
        assert_int_equal(c[0], '#');
        assert_int_equal(strspn(c + 1, "0123456789abcdef"), 6);
        assert_string_equal(c, plot_colour(others[i]));
        assert_string_not_equal(c, "#1f77b4");
        assert_string_not_equal(c, "#ff7f0e");
        assert_string_not_equal(c, "#2ca02c");
        assert_string_not_equal(c, "#9467bd");
    }
    assert_string_equal(plot_colour(NULL), plot_colour(""));
}

/* ---- plot_write -------------------------------------------------------- */

static void test_write_cdf(void **state)
{
    const double py[] = {3, 1, 2};
    const double go[] = {10, NAN};
    const plot_series series[] = {
        {"python", py, NULL, 3}, {"empty", NULL, NULL, 0}, {"go", go, NULL, 2},
    };
    plot_spec spec = {"dur-cdf", "Duration", "ms", "fraction", PLOT_CDF, 1, 0, 0, NULL,
                      series, 3};
    mrb_err err;
    char *dat, *gp;

    (void)state;
    assert_int_equal(plot_write(tmp, &spec, &err), 0);
    dat = slurp("dur-cdf.dat");
    assert_non_null(dat);
    assert_string_equal(dat, "# python\n1 0.333333333333\n2 0.666666666667\n3 1\n"
                             "\n\n# go\n10 1\n");
    assert_true(py[0] == 3 && py[1] == 1 && py[2] == 2); /* caller's array untouched */
    gp = slurp("dur-cdf.gp");
    assert_non_null(gp);
    assert_script_safe(gp);
    assert_non_null(strstr(gp, "set terminal pngcairo size 900,500\n"));
    assert_non_null(strstr(gp, "set output 'dur-cdf.png'\n"));
    assert_non_null(strstr(gp, "set terminal svg size 900,500\n"));
    assert_non_null(strstr(gp, "set output 'dur-cdf.svg'\n"));
    assert_true(strstr(gp, "dur-cdf.png") < strstr(gp, "dur-cdf.svg"));
    assert_non_null(strstr(gp, "set logscale x\n"));
    assert_non_null(strstr(gp, "set title 'Duration'\n"));
    assert_non_null(strstr(gp, "'dur-cdf.dat' index 0 using 1:2 with steps lw 2 lc rgb "
                               "'#1f77b4' title 'python'"));
    assert_non_null(strstr(gp, "index 1 using 1:2 with steps lw 2 lc rgb '#2ca02c' title 'go'"));
    assert_null(strstr(gp, "empty"));
    free(dat);
    free(gp);
}

static void test_write_box(void **state)
{
    const double py[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    const double go[] = {4};
    const plot_series series[] = {{"python", py, NULL, 10}, {"go", go, NULL, 1}};
    plot_spec spec = {"mem-box", "Memory", NULL, "MB", PLOT_BOX, 0, 0, 128, "configured",
                      series, 2};
    mrb_err err;
    char *dat, *gp;

    (void)state;
    assert_int_equal(plot_write(tmp, &spec, &err), 0);
    dat = slurp("mem-box.dat");
    assert_non_null(dat);
    assert_string_equal(dat, "# python\n0 1 3.25 5.5 7.75 10 10\n\n\n# go\n1 4 4 4 4 4 1\n");
    gp = slurp("mem-box.gp");
    assert_non_null(gp);
    assert_script_safe(gp);
    assert_non_null(strstr(gp, "set xtics ('python (n=10)' 0, 'go (n=1)' 1)\n"));
    assert_non_null(strstr(gp, "set xrange [-0.5:1.5]\n"));
    assert_non_null(strstr(gp, "index 0 using 1:3:2:6:5 with candlesticks"));
    assert_non_null(strstr(gp, "index 1 using 1:4:4:4:4 with candlesticks"));
    assert_non_null(strstr(gp, "'#2ca02c'"));
    assert_non_null(strstr(gp, "128 with lines dt 2"));
    assert_non_null(strstr(gp, "title 'configured'"));
    free(dat);
    free(gp);
}

static void test_write_bars_and_lines(void **state)
{
    const double a[] = {12.5}, b[] = {7};
    const plot_series bars[] = {{"kotlin", a, NULL, 1}, {"java", b, NULL, 1}};
    plot_spec bspec = {"cost-bars", "Cost", NULL, "USD", PLOT_BARS, 0, 0, 0, NULL, bars, 2};
    const double ys[] = {3, 5, 4}, xs[] = {1700000000, 1700000300, 1700000600};
    const plot_series lines[] = {{"typescript", ys, xs, 3}};
    plot_spec lspec = {"rate", "Invocations", "time (UTC)", "count", PLOT_LINES, 0, 1, 0,
                       NULL, lines, 1};
    mrb_err err;
    char *dat, *gp;

    (void)state;
    assert_int_equal(plot_write(tmp, &bspec, &err), 0);
    dat = slurp("cost-bars.dat");
    assert_string_equal(dat, "# kotlin\n0 12.5\n\n\n# java\n1 7\n");
    gp = slurp("cost-bars.gp");
    assert_script_safe(gp);
    assert_non_null(strstr(gp, "set xtics ('kotlin' 0, 'java' 1)\n"));
    assert_non_null(strstr(gp, "with boxes lc rgb '#9467bd'"));
    assert_null(strstr(gp, "dt 2")); /* hline 0: none */
    free(dat);
    free(gp);

    assert_int_equal(plot_write(tmp, &lspec, &err), 0);
    dat = slurp("rate.dat");
    assert_string_equal(dat, "# typescript\n1700000000 3\n1700000300 5\n1700000600 4\n");
    gp = slurp("rate.gp");
    assert_script_safe(gp);
    assert_non_null(strstr(gp, "set xdata time\nset timefmt '%s'\nset format x '%H:%M'\n"));
    assert_non_null(strstr(gp, "with linespoints lw 2 pt 7 ps 0.5 lc rgb '#ff7f0e' "
                               "title 'typescript'"));
    free(dat);
    free(gp);
}

static void test_write_hostile_labels(void **state)
{
    const double v[] = {1, 2, 3, 4, 5, 6};
    const plot_series series[] = {{HOSTILE, v, NULL, 6}, {"`touch PWNED`\n!touch PWNED", v, NULL, 6}};
    plot_spec spec = {"hostile", HOSTILE, "a\nset output 'PWNED'", "$(touch PWNED)", PLOT_BOX,
                      0, 0, 3, HOSTILE, series, 2};
    mrb_err err;
    char *gp;

    (void)state;
    assert_int_equal(plot_write(tmp, &spec, &err), 0);
    gp = slurp("hostile.gp");
    assert_non_null(gp);
    assert_script_safe(gp);
    assert_null(strstr(gp, HOSTILE));
    assert_null(strstr(gp, "\n!"));
    assert_null(strstr(gp, "set output 'PWNED'"));
    assert_non_null(strstr(gp, "set title 'x_ _ system(_touch PWNED_) _ _'\n"));
    spec.kind = PLOT_CDF;
    spec.name = "hostile-cdf";
    assert_int_equal(plot_write(tmp, &spec, &err), 0);
    free(gp);
    gp = slurp("hostile-cdf.gp");
    assert_script_safe(gp);
    free(gp);
}

static void test_write_errors(void **state)
{
    static const char *const bad[] = {"", "Bad", "a/b", "../x", "a b", "a.b", "x'", NULL};
    const double v[] = {1};
    const plot_series series[] = {{"go", v, NULL, 1}};
    const plot_series none[] = {{"go", NULL, NULL, 0}};
    plot_spec spec = {"ok", NULL, NULL, NULL, PLOT_BARS, 0, 0, 0, NULL, series, 1};
    mrb_err err;
    char dir[512];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        spec.name = bad[i];
        assert_int_equal(plot_write(tmp, &spec, &err), -1);
        assert_non_null(strstr(err.text, "bad plot name"));
        assert_int_equal(plot_render(tmp, bad[i], 5, &err), -1);
        assert_non_null(strstr(err.text, "bad plot name"));
    }
    assert_int_equal(file_size(".dat"), -1);

    spec.name = "ok";
    snprintf(dir, sizeof dir, "%s/missing", tmp);
    assert_int_equal(plot_write(dir, &spec, &err), -1);
    assert_non_null(strstr(err.source, "missing/ok.dat"));
    assert_non_null(strstr(err.text, "cannot create"));

    spec.series = none;
    assert_int_equal(plot_write(tmp, &spec, &err), -1);
    assert_non_null(strstr(err.text, "no data"));
}

/* ---- plot_render ------------------------------------------------------- */

static void test_render(void **state)
{
    const double v[] = {120, 80, 95, 300, 101, 99, 87, 1500, 110, 90};
    const double w[] = {30, 40, 35, 33, 31, 500};
    const plot_series series[] = {{"python", v, NULL, 10}, {"go", w, NULL, 6},
                                  {"my_func", w, NULL, 6}};
    plot_spec box = {"sample-box", "Duration by runtime", "runtime", "ms", PLOT_BOX,
                     0, 0, 1000, "timeout", series, 3};
    plot_spec cdf = {"sample-cdf", "Duration CDF", "ms", "fraction", PLOT_CDF,
                     1, 0, 0, NULL, series, 3};
    mrb_err err;

    (void)state;
    if (!have_gnuplot()) {
        print_message("# skipped: gnuplot is not on PATH\n");
        return;
    }
    assert_int_equal(plot_write(tmp, &box, &err), 0);
    if (plot_render(tmp, "sample-box", 30, &err) != 0)
        fail_msg("%s: %s", err.source, err.text);
    assert_true(file_size("sample-box.png") > 0);
    assert_true(file_size("sample-box.svg") > 0);
    assert_int_equal(plot_write(tmp, &cdf, &err), 0);
    assert_int_equal(plot_render(tmp, "sample-cdf", 30, &err), 0);
    assert_true(file_size("sample-cdf.png") > 0);
    assert_true(file_size("sample-cdf.svg") > 0);
    /* the other kinds, written by the tests above */
    assert_int_equal(plot_render(tmp, "cost-bars", 30, &err), 0);
    assert_int_equal(plot_render(tmp, "rate", 30, &err), 0);
    assert_true(file_size("rate.png") > 0);
}

static void test_render_hostile_runs_nothing(void **state)
{
    mrb_err err;

    (void)state;
    if (!have_gnuplot()) {
        print_message("# skipped: gnuplot is not on PATH\n");
        return;
    }
    assert_int_equal(plot_render(tmp, "hostile", 30, &err), 0);
    assert_int_equal(plot_render(tmp, "hostile-cdf", 30, &err), 0);
    assert_true(file_size("hostile.png") > 0);
    assert_int_equal(file_size("PWNED"), -1);
    assert_int_equal(access("PWNED", F_OK), -1);
}

static void write_script(const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", tmp, name);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static void test_render_failure_and_timeout(void **state)
{
    mrb_err err;

    (void)state;
    if (!have_gnuplot()) {
        print_message("# skipped: gnuplot is not on PATH\n");
        return;
    }
    write_script("broken.gp", "set terminal pngcairo\nset output 'broken.png'\n"
                              "plot no_such_variable\n");
    assert_int_equal(plot_render(tmp, "broken", 30, &err), -1);
    assert_non_null(strstr(err.text, "gnuplot failed: "));
    assert_non_null(strstr(err.text, "undefined variable"));
    assert_non_null(strstr(err.source, "broken.gp"));

    write_script("empty.gp", "print 'nothing drawn'\n");
    assert_int_equal(plot_render(tmp, "empty", 30, &err), -1);
    assert_non_null(strstr(err.text, "no image"));

    write_script("slow.gp", "pause 20\n");
    assert_int_equal(plot_render(tmp, "slow", 0.3, &err), -1);
    assert_string_equal(err.text, "gnuplot timed out after 0.3 s");

    assert_int_equal(plot_render(tmp, "no-such-plot", 30, &err), -1);
}

static void test_render_not_installed(void **state)
{
    char empty[512], *saved;
    const char *path = getenv("PATH");
    mrb_err err;
    int rc;

    (void)state;
    snprintf(empty, sizeof empty, "%s/empty-path", tmp);
    assert_int_equal(mkdir(empty, 0700), 0);
    saved = path ? strdup(path) : NULL;
    assert_int_equal(setenv("PATH", empty, 1), 0);
    rc = plot_render(tmp, "cost-bars", 5, &err);
    if (saved)
        assert_int_equal(setenv("PATH", saved, 1), 0);
    else
        unsetenv("PATH");
    free(saved);
    assert_int_equal(rc, 1);
    assert_string_equal(err.text, "gnuplot is not installed");
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_sanitise_hostile),
        T(test_sanitise_small_buffers),
        T(test_colours),
        T(test_write_cdf),
        T(test_write_box),
        T(test_write_bars_and_lines),
        T(test_write_hostile_labels),
        T(test_write_errors),
        T(test_render),
        T(test_render_hostile_runs_nothing),
        T(test_render_failure_and_timeout),
        T(test_render_not_installed),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
