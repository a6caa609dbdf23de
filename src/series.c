/* series.c — values per runtime for a chart (see series.h). */
#include "mrb/series.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"

int series_index(series_set *s, const char *label)
{
    int k = 0;

    while (k < s->count && strcmp(s->label[k], label) != 0)
        k++;
    if (k == s->count) {
        if (s->count == SERIES_MAX)
            return -1;
        snprintf(s->label[s->count++], sizeof s->label[0], "%s", label);
    }
    return k;
}

void series_push(series_set *s, int k, double x, double y)
{
    if (!s->no_y)
        XGROW(s->y[k], s->n[k], s->cap_y[k], 256);
    XGROW(s->x[k], s->n[k], s->cap[k], 256);
    if (!s->no_y)
        s->y[k][s->n[k]] = y;
    s->x[k][s->n[k]++] = x;
}

void series_sort(series_set *s)
{
    for (int i = 1; i < s->count; i++)
        for (int j = i; j > 0 && strcmp(s->label[j - 1], s->label[j]) > 0; j--) {
            char label[sizeof s->label[0]];
            double *x = s->x[j], *y = s->y[j];
            size_t n = s->n[j], cap = s->cap[j], cap_y = s->cap_y[j];
            memcpy(label, s->label[j], sizeof label);
            memcpy(s->label[j], s->label[j - 1], sizeof label);
            memcpy(s->label[j - 1], label, sizeof label);
            s->x[j] = s->x[j - 1], s->y[j] = s->y[j - 1], s->n[j] = s->n[j - 1];
            s->cap[j] = s->cap[j - 1], s->cap_y[j] = s->cap_y[j - 1];
            s->x[j - 1] = x, s->y[j - 1] = y, s->n[j - 1] = n, s->cap[j - 1] = cap;
            s->cap_y[j - 1] = cap_y;
        }
}

int series_load(sqlite3 *db, const char *sql, series_set *s, mrb_err *err)
{
    sqlite3_stmt *st;
    int rc;

    memset(s, 0, sizeof *s);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return mrb_err_set(err, 0, -1, "chart data: %s", sqlite3_errmsg(db));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *label = (const char *)sqlite3_column_text(st, 0);
        int k = series_index(s, label ? label : "?");
        if (k < 0)
            continue;
        double y = sqlite3_column_count(st) > 2 ? sqlite3_column_double(st, 2) : 0;
        series_push(s, k, sqlite3_column_double(st, 1), y);
    }
    sqlite3_finalize(st);
    series_sort(s);
    return rc == SQLITE_DONE ? 0 : mrb_err_set(err, 0, -1, "chart data: %s", sqlite3_errmsg(db));
}

void series_release(series_set *s)
{
    for (int k = 0; k < s->count; k++) {
        free(s->x[k]);
        free(s->y[k]);
    }
}
