/* ingest_ddb.c — DynamoDB stream records on their way to the store (see
 * ingest_ddb.h). */
#include "mrb/ingest_ddb.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/ddb_conform.h"
#include "mrb/ddb_file.h"
#include "mrb/ddb_value.h"
#include "mrb/rows.h"
#include "mrb/sb.h"
#include "mrb/timeparse.h"
#include "mrb/xalloc.h"

#define PROGRESS_EVERY 4096 /* records between progress calls */
#define VIOLATIONS_KEPT 64  /* per image: more are counted, not stored */

struct ingest_ddb {
    const attrib_map *map;
    const ingest_ddb_file *f; /* the file being read */
    const char *table_hint;   /* the map's table= for the file, or NULL */
    long long records;        /* read in the file */
    int cached;               /* cfg holds the rules of table */
    char table[256];          /* "" also for a record without a table */
    attrib_ddb cfg;
};

ingest_ddb *ingest_ddb_new(const attrib_map *map)
{
    ingest_ddb *d = xcalloc(1, sizeof *d);
    d->map = map;
    return d;
}

void ingest_ddb_free(ingest_ddb *d) { free(d); }

/* 1 (and a skipped record) when a record's time is not one the file can
 * hold: before 2014 or over a day after the file was written. */
static int implausible(ingest_ddb *d, int64_t ms, const ddb_pos *pos)
{
    char text[160];

    if (time_plausible(ms, d->f->written_ms))
        return 0;
    time_range_problem(ms, "record", text, sizeof text);
    d->f->skipped(d->f->arg, pos->line, pos->line > 0 ? -1 : pos->offset, text);
    return 1;
}

/* The ddb: rules of a table (cached: a file's records are mostly of one). */
static const attrib_ddb *ddb_rules(ingest_ddb *d, const char *table)
{
    const char *t = table ? table : "";

    if (!d->cached || strcmp(d->table, t) != 0) {
        snprintf(d->table, sizeof d->table, "%s", t);
        attrib_map_ddb(d->map, table, &d->cfg);
        d->cached = strlen(t) < sizeof d->table;
    }
    return &d->cfg;
}

/* The item's own time: NewImage's updated_at, else created_at, when it is
 * epoch milliseconds (a value in seconds is a violation, not a time). */
static int item_time(const json_t *image, int64_t *ms, const char **attr)
{
    static const char *const names[] = {"updated_at", "created_at"};

    for (int i = 0; image && i < 2; i++) {
        const json_t *payload;
        double v;
        const json_t *av = json_object_get(image, names[i]);
        if (!av || ddb_value_type(av, &payload) != DDB_N || !json_is_string(payload) ||
            ddb_number_real(json_string_value(payload), json_string_length(payload), &v) < 0)
            continue;
        if (v >= 1e11 && v < 1e14) {
            *ms = (int64_t)v;
            *attr = names[i];
            return 1;
        }
    }
    return 0;
}

typedef struct violation_out {
    ingest_ddb *d;
    const char *image; /* "new" or "old" */
    int seq;
    mrb_err *err;
} violation_out;

static int send_violation(void *arg, const ddb_violation *v)
{
    violation_out *o = arg;

    if (o->seq >= VIOLATIONS_KEPT)
        return 1;
    return writer_ddb_violation(o->d->f->wr, o->image, o->seq++, ddb_violation_name(v->kind),
                                   v->attribute, v->detail, o->err) < 0
               ? -1
               : 0;
}

/* The top-level N attributes of an image: exact text and REAL. A number out
 * of the double range (1e999) gets a NULL REAL and a warning. */
static int send_numbers(ingest_ddb *d, const char *image_name, const json_t *image,
                        const ddb_pos *pos, mrb_err *err)
{
    const char *name;
    json_t *av;

    json_object_foreach((json_t *)image, name, av) {
        const json_t *payload;
        double v = 0;
        if (ddb_value_type(av, &payload) != DDB_N || !json_is_string(payload))
            continue;
        int rc = ddb_number_real(json_string_value(payload), json_string_length(payload), &v);
        if (rc < 0) {
            char text[200];
            snprintf(text, sizeof text,
                     "record %lld: %s.%.40s: N value '%.40s' is outside the double range, "
                     "its REAL value is NULL", pos->index + 1, image_name, name,
                     json_string_value(payload));
            d->f->warning(d->f->arg, pos->line, pos->offset, text);
        }
        if (writer_ddb_number(d->f->wr, image_name, name, json_string_value(payload), rc >= 0, v,
                                 rc == 1, err) < 0)
            return -1;
    }
    return 0;
}

/* One record: attributed, sized, checked, stored with its violations and
 * numbers. */
static int on_record(void *arg, const ddb_record *rec, const ddb_pos *pos, mrb_err *err)
{
    ingest_ddb *d = arg;
    ddb_record r = *rec; /* shallow: only table_name and dedupe_key may point elsewhere */
    sb key = SB_INIT, id = SB_INIT;
    char label[64];
    enum attrib_ddb_source src;
    const char *table_from = "record";
    int rc = -1;

    if (++d->records % PROGRESS_EVERY == 0 && d->f->progress)
        d->f->progress(d->f->arg);
    if (!r.table_name && d->table_hint) {
        /* get-records output names no table: the map's, and the key with it */
        r.table_name = (char *)d->table_hint;
        table_from = "map";
        ddb_record_dedupe_key(&r, &key);
        r.dedupe_key = key.buf;
    }
    if (r.has_ts && implausible(d, r.approx_ts_ms, pos)) {
        rc = 0;
        goto done;
    }
    const attrib_ddb *cfg = ddb_rules(d, r.table_name);
    int has_id = attrib_ddb_item_id(cfg, r.keys, &id) == 0;
    const char *runtime = attrib_ddb_decide(cfg, r.keys, r.new_image, r.old_image,
                                            has_id ? id.buf : NULL, label, sizeof label, &src);
    int n_new = r.new_image ? ddb_conform_check(cfg->schema, r.new_image, NULL, NULL) : 0;
    int n_old = r.old_image ? ddb_conform_check(cfg->schema, r.old_image, NULL, NULL) : 0;
    ddb_row row = {
        .dedupe_key = r.dedupe_key,
        .origin = ddb_origin_name(r.origin),
        .event_id = r.event_id,
        .event_name = ddb_event_name(r.event),
        .table_name = r.table_name,
        .table_from = table_from,
        .region = r.region,
        .stream_arn = r.stream_arn,
        .stream_view_type = r.stream_view_type,
        .sequence_number = r.sequence_number,
        .kinesis_seq = pos->kinesis_seq,
        .has_ts = r.has_ts,
        .approx_ts_ms = r.approx_ts_ms,
        .approx_ts_us = r.approx_ts_us,
        .ts_precision = ddb_precision_name(r.ts_precision),
        .ttl_delete = r.ttl_delete,
        .keys = r.keys_json,
        .new_image = r.new_image_json,
        .old_image = r.old_image_json,
        .item_id = has_id && cfg->log_ids && src == ATTRIB_DDB_UNATTRIBUTED ? id.buf : NULL,
        .size_bytes = r.size_bytes,
        .keys_size = r.keys_size,
        .new_size = r.new_size,
        .old_size = r.old_size,
        .item_size = r.item_size,
        .wru = r.ttl_delete ? 0 : r.item_size >= 0 ? r.wru : ddb_wru(r.keys_size),
        .wru_basis = r.ttl_delete ? "ttl" : r.item_size >= 0 ? "image" : "keys",
        .runtime = runtime,
        .runtime_source = attrib_ddb_source_name(src),
        .images_checked = (r.new_image != NULL) + (r.old_image != NULL),
        .violations = n_new + n_old,
        .line = pos->line,
        .record_index = pos->index,
    };
    row.has_item_ts = item_time(r.new_image, &row.item_ts_ms, &row.item_ts_attribute);
    if (writer_ddb_record(d->f->wr, &row, err) < 0)
        goto done;
    violation_out vo = {d, "new", 0, err};
    if (n_new > 0 && ddb_conform_check(cfg->schema, r.new_image, send_violation, &vo) < 0)
        goto done;
    vo.image = "old";
    vo.seq = 0;
    if (n_old > 0 && ddb_conform_check(cfg->schema, r.old_image, send_violation, &vo) < 0)
        goto done;
    if (send_numbers(d, "keys", r.keys, pos, err) < 0 ||
        (r.new_image && send_numbers(d, "new", r.new_image, pos, err) < 0) ||
        (r.old_image && send_numbers(d, "old", r.old_image, pos, err) < 0))
        goto done;
    rc = 0;
done:
    sb_release(&key);
    sb_release(&id);
    return rc;
}

int ingest_ddb_read(ingest_ddb *d, const ingest_ddb_file *f, const row_shape *rs, reader *r,
                    long long *records, mrb_err *err)
{
    row_sink sink = {.ddb_record = on_record, .arg = d};

    d->f = f;
    d->records = 0;
    d->table_hint = attrib_map_table(d->map, NULL, f->path);
    int rc = rs->decode(r, &(shape_hints){.path = f->path}, &sink, err);
    *records = d->records;
    d->f = NULL;
    return rc;
}
