/* report_plots.h — the report's charts, from the selected invocations.
 *
 * Each chart reads the view sel, or a section's result kept by the report
 * (temp.report_cost for the cost bars, temp.report_memory for the configured
 * size: a chart comes after its section), groups values per runtime in
 * label order (memory linear in the invocations selected), writes NAME.dat / NAME.gp with plot.h and
 * runs gnuplot. The Markdown for the chart (an image link, or a note when
 * gnuplot is missing or failed) is appended to the report by the caller. */
#ifndef MRB_REPORT_PLOTS_H
#define MRB_REPORT_PLOTS_H

#include <stdio.h>
#include "mrb/err.h"
#include "mrb/warnings.h"
#include "mrb/plot.h"

typedef struct sqlite3 sqlite3;

enum report_chart {
    CHART_DURATION_CDF,   /* warm duration per runtime, CDF on a log axis */
    CHART_INIT_BOX,       /* init duration per runtime, box plot with n */
    CHART_MEMORY_BOX,     /* max memory used per runtime against the configured size */
    CHART_COST_BARS,      /* cost per 1M requests per runtime */
    CHART_TIMELINE,       /* invocations per 5 minutes per runtime */
    CHART_COLD_TIMELINE,  /* cold starts per 5 minutes per runtime */
    CHART_COUNT
};

typedef struct report_plot_state {
    int render;           /* 0: write data and scripts only (--no-plots) */
    int missing_warned;   /* gnuplot absence was already reported */
    struct chart_cache *cache; /* NULL at first; freed by report_plots_release */
    warnings *warn;       /* a chart not drawn is said here (borrowed) */
} report_plot_state;

/* Writes spec's files into dir, runs gnuplot unless --no-plots, and appends
 * the image link (alt text: a constant) or the note that stands for it to
 * md. 0, or -1 with err when the files cannot be written. */
int report_plot_draw(const plot_spec *spec, const char *alt, const char *dir, FILE *md,
                     report_plot_state *st, mrb_err *err);

/* Frees what the charts kept between calls (values of one pass over sel). */
void report_plots_release(report_plot_state *st);

/* Draws chart into dir and appends its Markdown to md. Returns 0 (also when
 * gnuplot is missing or fails: a note stands in the report and a warning
 * goes to stderr), or -1 with err when the data cannot be read or written. */
int report_chart(sqlite3 *db, enum report_chart chart, const char *dir, FILE *md,
                 report_plot_state *st, mrb_err *err);

#endif
