/* plot.c — charts: NAME.dat and NAME.gp written here, drawn by gnuplot run
 * as a child process with a fixed argv and a time limit (see plot.h). */
#include "mrb/clock.h"
#include "mrb/hash64.h"
#include "mrb/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mrb/sb.h"
#include "mrb/stats.h"
#include "mrb/xalloc.h"

#define LABEL_MAX 40             /* bytes of a sanitised label */
#define NUM "%.12g"              /* numbers in .dat and .gp files */
#define DEFAULT_TIMEOUT_S 60.0   /* when the caller passes <= 0 */
#define GRID_COLOUR "#444444"    /* the reference line */

/* ---- labels and colours ----------------------------------------------- */

static int label_char_ok(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr(" ._:/()%+-", c) != NULL);
}

void plot_sanitise(const char *label, char *out, size_t size)
{
    size_t i, n = 0, max;

    if (!out || size == 0)
        return;
    max = size - 1 < LABEL_MAX ? size - 1 : LABEL_MAX;
    for (i = 0; label && label[i] && n < max; i++)
        out[n++] = label_char_ok((unsigned char)label[i]) ? label[i] : '_';
    if (n == 0 && max > 0)
        out[n++] = '_';
    out[n] = '\0';
}

static const struct {
    const char *runtime;
    const char *colour;
} fixed_colours[] = {
    {"python", "#1f77b4"},
    {"typescript", "#ff7f0e"},
    {"go", "#2ca02c"},
    {"kotlin", "#9467bd"},
};

static const char *const palette[] = {
    "#d62728", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};

const char *plot_colour(const char *runtime)
{
    size_t i;

    if (!runtime)
        runtime = "";
    for (i = 0; i < sizeof fixed_colours / sizeof fixed_colours[0]; i++)
        if (strcmp(runtime, fixed_colours[i].runtime) == 0)
            return fixed_colours[i].colour;
    /* FNV-1a: stable across runs and builds */
    return palette[hash64_fnv32_str(runtime) % (sizeof palette / sizeof palette[0])];
}

/* Appends label to s, sanitised and single-quoted. */
static void add_quoted(sb *s, const char *label)
{
    char buf[LABEL_MAX + 1];

    plot_sanitise(label, buf, sizeof buf);
    sb_addc(s, '\'');
    sb_adds(s, buf);
    sb_addc(s, '\'');
}

static int name_ok(const char *name)
{
    size_t i;

    if (!name || !name[0])
        return 0;
    for (i = 0; name[i]; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '-'))
            return 0;
    return 1;
}

/* ---- series data ------------------------------------------------------- */

/* The finite values of s, sorted, in a new array (caller frees); *n gets
 * their count. Non-finite values cannot be placed on an axis. */
static double *finite_sorted(const plot_series *s, size_t *n)
{
    double *x = xmalloc((s->n ? s->n : 1) * sizeof *x);
    size_t i, k = 0;

    for (i = 0; s->values && i < s->n; i++)
        if (isfinite(s->values[i]))
            x[k++] = s->values[i];
    stats_sort(x, k);
    *n = k;
    return x;
}

static int point_ok(const plot_series *s, size_t i)
{
    return isfinite(s->values[i]) && (!s->xs || isfinite(s->xs[i]));
}

/* Whether s gives the chart of kind anything to draw. */
static int series_has_data(enum plot_kind kind, const plot_series *s)
{
    size_t i;

    if (!s->values || s->n == 0)
        return 0;
    if (kind == PLOT_BARS)
        return isfinite(s->values[0]);
    for (i = 0; i < s->n; i++)
        if (kind == PLOT_LINES ? point_ok(s, i) : isfinite(s->values[i]))
            return 1;
    return 0;
}

/* ---- per-kind output: .dat block and .gp settings / plot clause --------- */

typedef struct dat_file {
    FILE *f;
    int err; /* first errno of a failed write, 0 while all went well */
} dat_file;

static void dat_printf(dat_file *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void dat_printf(dat_file *d, const char *fmt, ...)
{
    va_list ap;
    int rc;

    if (d->err)
        return;
    va_start(ap, fmt);
    rc = vfprintf(d->f, fmt, ap);
    va_end(ap);
    if (rc < 0)
        d->err = errno ? errno : EIO;
}

static void cdf_block(dat_file *d, const plot_series *s, size_t pos)
{
    size_t i, n;
    double *x = finite_sorted(s, &n);

    (void)pos;
    for (i = 0; i < n; i++)
        dat_printf(d, NUM " " NUM "\n", x[i], (double)(i + 1) / (double)n);
    free(x);
}

static void box_block(dat_file *d, const plot_series *s, size_t pos)
{
    size_t n;
    double *x = finite_sorted(s, &n);

    dat_printf(d, "%zu " NUM " " NUM " " NUM " " NUM " " NUM " %zu\n", pos, x[0],
               stats_percentile_sorted(x, n, 25), stats_percentile_sorted(x, n, 50),
               stats_percentile_sorted(x, n, 75), x[n - 1], n);
    free(x);
}

static void bars_block(dat_file *d, const plot_series *s, size_t pos)
{
    dat_printf(d, "%zu " NUM "\n", pos, s->values[0]);
}

static void lines_block(dat_file *d, const plot_series *s, size_t pos)
{
    size_t i;

    (void)pos;
    for (i = 0; i < s->n; i++)
        if (point_ok(s, i))
            dat_printf(d, NUM " " NUM "\n", s->xs ? s->xs[i] : (double)i, s->values[i]);
}

/* xtics naming each series at x = its position (BOX and BARS). */
static void category_axis(sb *gp, const plot_spec *spec, int with_n)
{
    size_t i, n, j;

    sb_addf(gp, "set xrange [-0.5:%zu.5]\nset xtics (", spec->n_series - 1);
    for (i = 0; i < spec->n_series; i++) {
        const plot_series *s = &spec->series[i];
        char buf[LABEL_MAX + 1], tic[LABEL_MAX + 32];

        plot_sanitise(s->label, buf, sizeof buf);
        for (n = 0, j = 0; with_n && s->values && j < s->n; j++)
            n += isfinite(s->values[j]) != 0;
        if (with_n)
            snprintf(tic, sizeof tic, "%s (n=%zu)", buf, n);
        else
            snprintf(tic, sizeof tic, "%s", buf);
        sb_addf(gp, "%s'%s' %zu", i ? ", " : "", tic, i);
    }
    sb_adds(gp, ")\n");
}

static void cdf_settings(sb *gp, const plot_spec *spec)
{
    sb_adds(gp, "set key left top\nset yrange [0:1]\n");
    if (spec->log_x)
        sb_adds(gp, "set logscale x\n");
}

static void box_settings(sb *gp, const plot_spec *spec)
{
    sb_adds(gp, "set style fill solid 0.4 border\nset boxwidth 0.5\nset key right top\n");
    category_axis(gp, spec, 1);
}

static void bars_settings(sb *gp, const plot_spec *spec)
{
    sb_adds(gp, "set style fill solid 0.7 border\nset boxwidth 0.6\nset key right top\n"
                "set yrange [0:*]\n");
    category_axis(gp, spec, 0);
}

static void lines_settings(sb *gp, const plot_spec *spec)
{
    sb_adds(gp, "set key left top\n");
    if (spec->time_x)
        sb_addf(gp, "set xdata time\nset timefmt '%%s'\nset format x '%s'\n",
                spec->time_x == PLOT_TIME_DAYS ? "%m-%d" : "%H:%M");
    if (spec->time_x == PLOT_TIME_DAYS)
        sb_adds(gp, "set xtics 86400\n");
}

static void cdf_clause(sb *gp, const char *dat, size_t block, const plot_series *s)
{
    sb_addf(gp, "'%s' index %zu using 1:2 with steps lw 2 lc rgb '%s' title ", dat, block,
            plot_colour(s->label));
    add_quoted(gp, s->label);
}

static void box_clause(sb *gp, const char *dat, size_t block, const plot_series *s)
{
    sb_addf(gp,
            "'%s' index %zu using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '%s' notitle, "
            "'%s' index %zu using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle",
            dat, block, plot_colour(s->label), dat, block);
}

static void bars_clause(sb *gp, const char *dat, size_t block, const plot_series *s)
{
    sb_addf(gp, "'%s' index %zu using 1:2 with boxes lc rgb '%s' notitle", dat, block,
            plot_colour(s->label));
}

static void lines_clause(sb *gp, const char *dat, size_t block, const plot_series *s)
{
    sb_addf(gp, "'%s' index %zu using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '%s' title ",
            dat, block, plot_colour(s->label));
    add_quoted(gp, s->label);
}

static const struct plot_kind_ops {
    void (*block)(dat_file *d, const plot_series *s, size_t pos);
    void (*settings)(sb *gp, const plot_spec *spec);
    void (*clause)(sb *gp, const char *dat, size_t block, const plot_series *s);
    int has_hline;
} kinds[] = {
    [PLOT_CDF] = {cdf_block, cdf_settings, cdf_clause, 0},
    [PLOT_BOX] = {box_block, box_settings, box_clause, 1},
    [PLOT_BARS] = {bars_block, bars_settings, bars_clause, 1},
    [PLOT_LINES] = {lines_block, lines_settings, lines_clause, 0},
};

/* ---- plot_write --------------------------------------------------------- */

static int write_dat(const char *path, const plot_spec *spec, const struct plot_kind_ops *ops,
                     mrb_err *err)
{
    dat_file d = {NULL, 0};
    size_t i, blocks = 0;

    mrb_err_source(err, path);
    d.f = fopen(path, "w");
    if (!d.f)
        return mrb_err_set(err, 0, -1, "cannot create: %s", strerror(errno));
    for (i = 0; i < spec->n_series; i++) {
        const plot_series *s = &spec->series[i];
        char label[LABEL_MAX + 1];

        if (!series_has_data(spec->kind, s))
            continue;
        plot_sanitise(s->label, label, sizeof label);
        dat_printf(&d, "%s# %s\n", blocks++ ? "\n\n" : "", label);
        ops->block(&d, s, i);
    }
    if (fclose(d.f) != 0 && !d.err)
        d.err = errno ? errno : EIO;
    if (d.err)
        return mrb_err_set(err, 0, -1, "cannot write: %s", strerror(d.err));
    return 0;
}

static void build_gp(sb *gp, const plot_spec *spec, const struct plot_kind_ops *ops)
{
    size_t i, blocks = 0;
    sb dat = SB_INIT;

    sb_addf(&dat, "%s.dat", spec->name);
    sb_addf(gp, "# %s.gp, written by mrb-analyze: run gnuplot %s.gp here to redraw\n",
            spec->name, spec->name);
    /* noenhanced: '_' and other label characters must not become markup */
    sb_addf(gp, "set terminal pngcairo size 900,500\nset termoption noenhanced\n"
                "set output '%s.png'\n", spec->name);
    if (spec->title) {
        sb_adds(gp, "set title ");
        add_quoted(gp, spec->title);
        sb_addc(gp, '\n');
    }
    if (spec->x_label) {
        sb_adds(gp, "set xlabel ");
        add_quoted(gp, spec->x_label);
        sb_addc(gp, '\n');
    }
    if (spec->y_label) {
        sb_adds(gp, "set ylabel ");
        add_quoted(gp, spec->y_label);
        sb_addc(gp, '\n');
    }
    sb_adds(gp, "set grid\n");
    ops->settings(gp, spec);
    sb_adds(gp, "plot ");
    for (i = 0; i < spec->n_series; i++) {
        if (!series_has_data(spec->kind, &spec->series[i]))
            continue;
        if (blocks)
            sb_adds(gp, ", \\\n     ");
        ops->clause(gp, sb_str(&dat), blocks++, &spec->series[i]);
    }
    if (ops->has_hline && spec->hline != 0 && isfinite(spec->hline)) {
        sb_addf(gp, ", \\\n     " NUM " with lines dt 2 lw 1.5 lc rgb '%s' ", spec->hline,
                GRID_COLOUR);
        if (spec->hline_label) {
            sb_adds(gp, "title ");
            add_quoted(gp, spec->hline_label);
        } else {
            sb_adds(gp, "notitle");
        }
    }
    sb_addf(gp, "\nset terminal svg size 900,500\nset termoption noenhanced\n"
                "set output '%s.svg'\nreplot\nunset output\n", spec->name);
    sb_release(&dat);
}

static int write_gp(const char *path, const plot_spec *spec, const struct plot_kind_ops *ops,
                    mrb_err *err)
{
    sb gp = SB_INIT;
    FILE *f;
    int e = 0;

    mrb_err_source(err, path);
    build_gp(&gp, spec, ops);
    f = fopen(path, "w");
    if (!f) {
        e = errno;
        sb_release(&gp);
        return mrb_err_set(err, 0, -1, "cannot create: %s", strerror(e));
    }
    if (fwrite(gp.buf, 1, gp.len, f) != gp.len)
        e = errno ? errno : EIO;
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    sb_release(&gp);
    if (e)
        return mrb_err_set(err, 0, -1, "cannot write: %s", strerror(e));
    return 0;
}

int plot_write(const char *dir, const plot_spec *spec, mrb_err *err)
{
    sb path = SB_INIT;
    const struct plot_kind_ops *ops;
    size_t i, with_data = 0;
    int rc;

    if (!spec || !name_ok(spec->name)) {
        mrb_err_source(err, "");
        return mrb_err_set(err, 0, -1, "bad plot name '%s'",
                           spec && spec->name ? spec->name : "");
    }
    if ((unsigned)spec->kind >= sizeof kinds / sizeof kinds[0]) {
        mrb_err_source(err, "");
        return mrb_err_set(err, 0, -1, "plot %s: unknown kind %d", spec->name, (int)spec->kind);
    }
    ops = &kinds[spec->kind];
    for (i = 0; i < spec->n_series; i++)
        with_data += series_has_data(spec->kind, &spec->series[i]);
    if (with_data == 0) {
        mrb_err_source(err, "");
        return mrb_err_set(err, 0, -1, "plot %s: no data to draw", spec->name);
    }
    sb_addf(&path, "%s/%s.dat", dir, spec->name);
    rc = write_dat(sb_str(&path), spec, ops, err);
    if (rc == 0) {
        sb_reset(&path);
        sb_addf(&path, "%s/%s.gp", dir, spec->name);
        rc = write_gp(sb_str(&path), spec, ops, err);
    }
    sb_release(&path);
    if (rc == 0)
        mrb_err_clear(err);
    return rc;
}

extern char **environ;

/* ---- plot_render -------------------------------------------------------- */

/* Starts gnuplot in dir with stdin and stdout on /dev/null, stderr on
 * err_fd and no signal blocked: posix_spawn, not fork, so that nothing
 * runs in a copy of this process (other threads may be working, e.g. the
 * report's metric load). 0 with *pid, or an errno value: ENOENT means no
 * gnuplot on PATH (dir exists: the script was just written there). */
static int spawn(const char *dir, char *const argv[], int err_fd, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none;
    int rc;

    if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
        return rc;
    if ((rc = posix_spawnattr_init(&at)) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return rc;
    }
    sigemptyset(&none);
    rc = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, err_fd, STDERR_FILENO);
    if (rc == 0)
        rc = posix_spawn_file_actions_addchdir_np(&fa, dir);
    if (rc == 0)
        rc = posix_spawnattr_setsigmask(&at, &none);
    if (rc == 0)
        rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
    if (rc == 0)
        rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

typedef struct capture {
    char buf[4096]; /* the start of the child's stderr */
    size_t len;
    int open;       /* the pipe has not reached EOF */
} capture;

/* Reads what is available from fd; keeps the first bytes, drops the rest. */
static void capture_read(capture *c, int fd)
{
    char chunk[4096];

    while (c->open) {
        ssize_t n = read(fd, chunk, sizeof chunk);

        if (n > 0) {
            size_t room = sizeof c->buf - 1 - c->len;
            size_t k = (size_t)n < room ? (size_t)n : room;

            memcpy(c->buf + c->len, chunk, k);
            c->len += k;
            c->buf[c->len] = '\0';
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            c->open = 0;
        } else if (errno == EAGAIN) {
            return;
        }
    }
}

/* The line to quote from gnuplot's stderr: the first one giving a script
 * line ("NAME.gp" line 3: ...), else the first non-blank one. gnuplot echoes
 * the failing command and a caret before that line. Control bytes become
 * '?'. */
static void error_line(const capture *c, char *out, size_t size)
{
    const char *p, *pick = NULL, *first = NULL;
    size_t n = 0, len;

    for (p = c->buf; *p; p += len + (p[len] == '\n')) {
        const char *q = p;

        len = strcspn(p, "\n");
        while (q < p + len && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q == p + len || *q == '^')
            continue;
        if (!first)
            first = q;
        if (!pick && memmem(q, (size_t)(p + len - q), "\" line ", 7))
            pick = q;
    }
    if (!pick)
        pick = first ? first : "";
    len = strcspn(pick, "\n");
    while (len > 0 && (pick[len - 1] == ' ' || pick[len - 1] == '\r'))
        len--;
    for (; n < len && n + 1 < size; n++)
        out[n] = (unsigned char)pick[n] < 0x20 ? '?' : pick[n];
    out[n] = '\0';
}

/* Waits for pid up to timeout_s while collecting its stderr. 0 with
 * *status, or 1 when it was killed for running too long. */
static int wait_child(pid_t pid, int fd, double timeout_s, capture *c, int *status)
{
    double deadline = clock_now_s() + timeout_s;

    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        double left;
        pid_t w = waitpid(pid, status, WNOHANG);

        if (w == pid || (w < 0 && errno != EINTR)) {
            capture_read(c, fd);
            return 0;
        }
        left = deadline - clock_now_s();
        if (left <= 0) {
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            return 1;
        }
        /* poll the pipe while it is open, else just sleep */
        if (poll(&p, c->open ? 1 : 0, left < 0.02 ? (int)(left * 1000) + 1 : 20) > 0)
            capture_read(c, fd);
    }
}

static int image_ok(const char *dir, const char *name, const char *ext, mrb_err *err)
{
    struct stat st;
    sb path = SB_INIT;
    int rc = 0;

    sb_addf(&path, "%s/%s.%s", dir, name, ext);
    if (stat(sb_str(&path), &st) != 0 || st.st_size <= 0) {
        mrb_err_source(err, sb_str(&path));
        rc = mrb_err_set(err, 0, -1, "gnuplot wrote no image");
    }
    sb_release(&path);
    return rc;
}

int plot_render(const char *dir, const char *name, double timeout_s, mrb_err *err)
{
    sb script = SB_INIT, gp_path = SB_INIT;
    capture c;
    char line[256];
    int fds[2], status = 0, timed_out, rc = -1, spawned;
    pid_t pid = -1;

    if (!name_ok(name)) {
        mrb_err_source(err, "");
        return mrb_err_set(err, 0, -1, "bad plot name '%s'", name ? name : "");
    }
    if (!(timeout_s > 0))
        timeout_s = DEFAULT_TIMEOUT_S;
    sb_addf(&script, "%s.gp", name);
    sb_addf(&gp_path, "%s/%s.gp", dir, name);
    mrb_err_source(err, sb_str(&gp_path));
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        mrb_err_set(err, 0, -1, "cannot create a pipe for gnuplot: %s", strerror(errno));
        goto done;
    }
    {
        char *argv[] = {"gnuplot", script.buf, NULL};
        spawned = spawn(dir, argv, fds[1], &pid);
    }
    close(fds[1]);
    if (spawned == ENOENT) {
        close(fds[0]);
        mrb_err_source(err, "");
        mrb_err_set(err, 0, -1, "gnuplot is not installed");
        rc = 1;
        goto done;
    }
    if (spawned != 0) {
        mrb_err_set(err, 0, -1, "cannot start gnuplot: %s", strerror(spawned));
        close(fds[0]);
        goto done;
    }
    c.len = 0;
    c.buf[0] = '\0';
    c.open = 1;
    timed_out = wait_child(pid, fds[0], timeout_s, &c, &status);
    close(fds[0]);
    error_line(&c, line, sizeof line);
    if (timed_out) {
        mrb_err_set(err, 0, -1, "gnuplot timed out after %g s", timeout_s);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        mrb_err_source(err, "");
        mrb_err_set(err, 0, -1, "gnuplot is not installed");
        rc = 1;
    } else if (WIFSIGNALED(status)) {
        mrb_err_set(err, 0, -1, "gnuplot failed: killed by signal %d", WTERMSIG(status));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (line[0])
            mrb_err_set(err, 0, -1, "gnuplot failed: %s", line);
        else
            mrb_err_set(err, 0, -1, "gnuplot failed: exit status %d", WEXITSTATUS(status));
    } else if (image_ok(dir, name, "png", err) == 0 && image_ok(dir, name, "svg", err) == 0) {
        mrb_err_clear(err);
        rc = 0;
    }
done:
    sb_release(&script);
    sb_release(&gp_path);
    return rc;
}
