/* plot.h — charts drawn by gnuplot, run as a child process.
 *
 * A plot is written as two files in the report folder and kept there so
 * users can re-render it: NAME.dat (the data, whitespace-separated, one
 * block per series, blocks separated by two blank lines) and NAME.gp (the
 * gnuplot script that reads it and writes NAME.png and NAME.svg). gnuplot
 * runs with a fixed argv (execvp "gnuplot" "NAME.gp" in the folder), never
 * through a shell, with a time limit. Every label that came from the logs
 * (runtime, function, metric names) is sanitised before it reaches the
 * script: only [A-Za-z0-9 ._:/()%+-] are kept, at most 40 bytes, others
 * become '_' — so nothing in a log can inject gnuplot commands, and quotes
 * cannot end a string. Each series gets its runtime's fixed colour
 * (plot_colour), the same in every chart.
 *
 * Ownership: plot_spec and its arrays are the caller's; nothing is kept. */
#ifndef MRB_PLOT_H
#define MRB_PLOT_H

#include <stddef.h>
#include "mrb/err.h"

enum plot_kind {
    PLOT_CDF,     /* per series: sorted values, y = fraction <= x; x on a log axis if log_x */
    PLOT_BOX,     /* per series: a box (quartiles), whiskers (min, max) and n in the label */
    PLOT_BARS,    /* per series: one value (values[0]) */
    PLOT_LINES    /* per series: points (x = xs[i], y = values[i]), e.g. counts per 5 minutes */
};

#define PLOT_TIME_DAYS 2

typedef struct plot_series {
    const char *label;      /* e.g. the runtime; sanitised */
    const double *values;   /* n values */
    const double *xs;       /* PLOT_LINES only: n x values (epoch seconds for time axes) */
    size_t n;
} plot_series;

typedef struct plot_spec {
    const char *name;       /* file stem: [a-z0-9-]+, checked (never from the logs) */
    const char *title;      /* sanitised */
    const char *x_label, *y_label;  /* sanitised */
    enum plot_kind kind;
    int log_x;              /* PLOT_CDF: logarithmic x axis */
    int time_x;             /* PLOT_LINES: x is epoch seconds, shown as UTC HH:MM, or
                             * with PLOT_TIME_DAYS as MM-DD, a tic a day */
    double hline;           /* PLOT_BOX / PLOT_BARS: a reference line at this y (0: none),
                             * e.g. the configured memory */
    const char *hline_label;
    const plot_series *series;
    size_t n_series;
} plot_spec;

/* Writes dir/NAME.dat and dir/NAME.gp. 0, or -1 with err. */
int plot_write(const char *dir, const plot_spec *spec, mrb_err *err);

/* Runs gnuplot on dir/NAME.gp (making NAME.png and NAME.svg). Returns 0, 1
 * when gnuplot is not installed (err says so: the caller notes it in the
 * report and warns), or -1 when gnuplot failed or timed out (err). */
int plot_render(const char *dir, const char *name, double timeout_s, mrb_err *err);

/* The colour of a runtime, as "#rrggbb": python, typescript, go, kotlin have
 * fixed colours; any other label gets one from a small palette by hash. */
const char *plot_colour(const char *runtime);

/* Copies label into out (size bytes) as it may appear in a gnuplot script. */
void plot_sanitise(const char *label, char *out, size_t size);

#endif
