/* bench/floor.c — the SQLite floor of an ingest: the rows an ingest stored,
 * inserted again by SQLite alone into a new database with the same tables
 * and indexes, one prepared INSERT per row, in one transaction, with the
 * settings ingest uses (WAL, synchronous = NORMAL, a 16 MB page cache),
 * then the connection closed (the final checkpoint). No parsing and no
 * threads: what storing these rows costs at the least, whatever reads them.
 *
 *   build/mrb-floor [--without INDEX]... [--without-unique] SRC_DB DST_DB TABLE...
 *
 * --without leaves an index out, --without-unique the tables' UNIQUE (...)
 * constraints: what each costs. The rows are read into memory first
 * (untimed). Prints one line:
 * "floor: N rows in S s (insert I s, commit C s, close K s)". */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/clock.h"
#include "mrb/sb.h"
#include "mrb/xalloc.h"

typedef struct table_rows {
    const char *name;
    int columns;
    size_t n;
    sqlite3_value **v; /* n * columns values */
} table_rows;

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "mrb-floor: error: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

/* Every row of t->name in src, in rowid order. */
static void load(sqlite3 *src, table_rows *t)
{
    sqlite3_stmt *q;
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", t->name);
    size_t cap = 0;

    if (sqlite3_prepare_v2(src, sql, -1, &q, NULL) != SQLITE_OK)
        die(src, t->name);
    sqlite3_free(sql);
    t->columns = sqlite3_column_count(q);
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (t->n == cap) {
            cap = cap ? 2 * cap : 1024;
            t->v = xreallocarray(t->v, cap * (size_t)t->columns, sizeof *t->v);
        }
        for (int i = 0; i < t->columns; i++)
            t->v[t->n * (size_t)t->columns + (size_t)i] = sqlite3_value_dup(sqlite3_column_value(q, i));
        t->n++;
    }
    sqlite3_finalize(q);
}

/* What to leave out of the schema. */
typedef struct leave_out {
    char **index; /* names of indexes */
    int n_index;
    int unique;   /* the tables' UNIQUE (...) constraints */
} leave_out;

static int left_out(const leave_out *l, const char *index)
{
    for (int i = 0; i < l->n_index; i++)
        if (!strcmp(l->index[i], index))
            return 1;
    return 0;
}

/* Removes each ", UNIQUE (...)" table constraint from sql. */
static void drop_unique(char *sql)
{
    char *u = sql;

    while ((u = strstr(u, "UNIQUE (")) != NULL) {
        char *from = u, *to = strchr(u, ')');
        while (from > sql && from[-1] == ' ')
            from--;
        if (from == sql || from[-1] != ',' || !to) {
            u++;
            continue;
        }
        from--;
        memmove(from, to + 1, strlen(to + 1) + 1);
        u = from;
    }
}

/* The tables' and their indexes' CREATE statements from src, run on dst. */
static void schema(sqlite3 *src, sqlite3 *dst, const table_rows *t, const leave_out *l)
{
    sqlite3_stmt *q;

    if (sqlite3_prepare_v2(src, "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = ?1 "
                                "AND sql IS NOT NULL ORDER BY type = 'index'",
                           -1, &q, NULL) != SQLITE_OK)
        die(src, "reading the schema");
    sqlite3_bind_text(q, 1, t->name, -1, SQLITE_STATIC);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        char *sql = xstrdup((const char *)sqlite3_column_text(q, 2));
        if (!strcmp(type, "table") && l->unique)
            drop_unique(sql);
        if (!(!strcmp(type, "index") && left_out(l, name)) &&
            sqlite3_exec(dst, sql, NULL, NULL, NULL) != SQLITE_OK)
            die(dst, "creating the schema");
        free(sql);
    }
    sqlite3_finalize(q);
}

static void insert(sqlite3 *dst, const table_rows *t)
{
    sb sql = SB_INIT;
    sqlite3_stmt *q;

    sb_addf(&sql, "INSERT INTO \"%s\" VALUES (", t->name);
    for (int i = 0; i < t->columns; i++)
        sb_adds(&sql, i ? ", ?" : "?");
    sb_adds(&sql, ") ON CONFLICT DO NOTHING");
    if (sqlite3_prepare_v3(dst, sb_str(&sql), -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK)
        die(dst, "preparing the insert");
    for (size_t r = 0; r < t->n; r++) {
        for (int i = 0; i < t->columns; i++)
            sqlite3_bind_value(q, i + 1, t->v[r * (size_t)t->columns + (size_t)i]);
        if (sqlite3_step(q) != SQLITE_DONE)
            die(dst, "inserting");
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    sb_release(&sql);
}

int main(int argc, char **argv)
{
    sqlite3 *src, *dst;
    leave_out l = {.index = xcalloc((size_t)argc, sizeof(char *))};
    size_t rows = 0;

    while (argc > 1 && !strncmp(argv[1], "--without", 9)) {
        if (!strcmp(argv[1], "--without-unique")) {
            l.unique = 1;
        } else if (!strcmp(argv[1], "--without") && argc > 2) {
            l.index[l.n_index++] = argv[2];
            argv++, argc--;
        } else {
            break;
        }
        argv++, argc--;
    }
    int nt = argc - 3;
    if (argc < 4) {
        fprintf(stderr, "usage: mrb-floor [--without INDEX]... [--without-unique] SRC_DB DST_DB "
                        "TABLE...\n");
        return 2;
    }
    table_rows *t = xcalloc((size_t)nt, sizeof *t);
    if (sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(src, argv[1]);
    if (sqlite3_open(argv[2], &dst) != SQLITE_OK ||
        sqlite3_exec(dst, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                          "PRAGMA cache_size = -16384",
                     NULL, NULL, NULL) != SQLITE_OK)
        die(dst, argv[2]);
    for (int i = 0; i < nt; i++) {
        t[i].name = argv[3 + i];
        load(src, &t[i]);
        schema(src, dst, &t[i], &l);
        rows += t[i].n;
    }
    double t0 = clock_now_s();
    if (sqlite3_exec(dst, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        die(dst, "BEGIN");
    for (int i = 0; i < nt; i++)
        insert(dst, &t[i]);
    double t1 = clock_now_s();
    if (sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die(dst, "COMMIT");
    double t2 = clock_now_s();
    sqlite3_close(dst);
    double t3 = clock_now_s();
    printf("floor: %zu rows in %.3f s (insert %.3f s, commit %.3f s, close %.3f s)\n", rows,
           t3 - t0, t1 - t0, t2 - t1, t3 - t2);
    for (int i = 0; i < nt; i++) {
        for (size_t k = 0; k < t[i].n * (size_t)t[i].columns; k++)
            sqlite3_value_free(t[i].v[k]);
        free(t[i].v);
    }
    free(t);
    free(l.index);
    sqlite3_close(src);
    return 0;
}
