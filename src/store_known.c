/* store_known.c — stored file contents, looked up before parsing (see
 * store_known.h). Reads only; the files_size index answers both questions. */
#include "mrb/store_known.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "mrb/dbwait.h"
#include "mrb/source.h"
#include "mrb/xalloc.h"

struct store_known {
    sqlite3 *db;
    sqlite3_stmt *size, *find;
};

static const char size_sql[] =
    "SELECT 1 FROM files WHERE size_bytes = ?1 AND status = 'ok' LIMIT 1";
static const char find_sql[] =
    "SELECT file_id, path IS NOT ?4, invocations_new + invocations_known, "
    "metric_values_new + metric_values_known, stream_records, emf_documents FROM files "
    "WHERE size_bytes = ?1 AND crc32 = ?2 AND status = 'ok' AND rejected_records = 0 "
    "AND emf_rejected = 0 "
    "AND (content_hash = ?3 OR (content_hash IS NULL AND path = ?4)) "
    "ORDER BY path IS NOT ?4 LIMIT 1";

static int fail(store_known *k, mrb_err *err, const char *what)
{
    return mrb_err_set(err, 0, -1, "database: %s: %s", what, sqlite3_errmsg(k->db));
}

store_known *store_known_open(const char *path, mrb_err *err)
{
    store_known *k = xcalloc(1, sizeof *k);

    mrb_err_source(err, path);
    if (sqlite3_open_v2(path, &k->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot open database: %s",
                    k->db ? sqlite3_errmsg(k->db) : "out of memory");
        store_known_close(k);
        return NULL;
    }
    dbwait_install(k->db, dbwait_timeout_ms());
    if (sqlite3_prepare_v2(k->db, size_sql, -1, &k->size, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(k->db, find_sql, -1, &k->find, NULL) != SQLITE_OK) {
        fail(k, err, "preparing a statement");
        store_known_close(k);
        return NULL;
    }
    mrb_err_source(err, "");
    return k;
}

void store_known_close(store_known *k)
{
    if (!k)
        return;
    sqlite3_finalize(k->size);
    sqlite3_finalize(k->find);
    sqlite3_close(k->db);
    free(k);
}

int store_known_size(store_known *k, long long size, mrb_err *err)
{
    sqlite3_bind_int64(k->size, 1, size);
    int rc = sqlite3_step(k->size);
    sqlite3_reset(k->size);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(k, err, "reading files");
    return rc == SQLITE_ROW;
}

int store_known_find(store_known *k, const char *path, long long size, uint32_t crc32,
                     uint64_t hash, store_known_file *out, mrb_err *err)
{
    sqlite3_stmt *q = k->find;

    sqlite3_bind_int64(q, 1, size);
    sqlite3_bind_int64(q, 2, (long long)crc32);
    sqlite3_bind_int64(q, 3, (long long)hash);
    sqlite3_bind_text(q, 4, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->file_id = sqlite3_column_int64(q, 0);
        out->moved = sqlite3_column_int(q, 1);
        out->invocations = sqlite3_column_int64(q, 2);
        out->metric_values = sqlite3_column_int64(q, 3);
        out->stream_records = sqlite3_column_int64(q, 4);
        out->emf_documents = sqlite3_column_int64(q, 5);
        out->content_hash = hash;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(k, err, "reading files");
    return rc == SQLITE_ROW;
}

int store_known_path(store_known *k, const char *path, long long size, store_known_file *out,
                     mrb_err *err)
{
    mrb_err ignored;

    int rc = store_known_size(k, size, err);
    if (rc <= 0)
        return rc;
    source *s = source_open(path, &ignored);
    if (!s)
        return 0;
    source_finish(s); /* raw bytes only: nothing is inflated */
    long long raw = source_raw_bytes(s);
    uint32_t crc = source_raw_crc32(s);
    uint64_t hash = source_raw_hash(s);
    source_close(s);
    return raw == size ? store_known_find(k, path, size, crc, hash, out, err) : 0;
}
