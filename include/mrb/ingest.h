/* ingest.h — files to rows: the pipeline of one `mrb-analyze ingest` run.
 *
 * For each file: open the source, sniff its shape, decode events, parse the
 * platform lines, assemble invocations, attribute runtimes, store — all of a
 * file in one transaction. A file of DynamoDB stream records (ddb_file.h) is
 * walked record by record instead: each record is attributed to a runtime
 * (attrib.h), checked against the item schema (ddb_conform.h) and stored;
 * records the map does not attribute are matched with the ids the logs name
 * when the ingest finishes. A file that cannot be read on is rolled back and
 * recorded with its error; the next file is read as if nothing happened.
 *
 * The database is written by a thread of its own (writer.h): a database
 * failure is reported by a later call, at the latest by ingest_finish.
 *
 * Ownership: ingest_new borrows the store and map (they must outlive the
 * ingest); ingest_free releases the rest. */
#ifndef MRB_INGEST_H
#define MRB_INGEST_H

#include <stdint.h>
#include "mrb/attrib.h"
#include "mrb/emf.h"
#include "mrb/err.h"
#include "mrb/source.h"
#include "mrb/store.h"
#include "mrb/store_known.h"

#define INGEST_MAX_RUNTIMES 16
#define INGEST_MAX_LINE (1u << 20) /* longest event kept; longer ones are skipped */
#define INGEST_MAX_RECORD (4u << 20) /* longest DynamoDB stream record (DynamoDB items
                                      * are at most 400 KB; two images, base64) */

typedef struct ingest_runtime_count {
    char runtime[32];
    long long invocations_new;
    long long invocations_known;
    long long cold_new;
} ingest_runtime_count;

typedef struct ingest_totals {
    long long files_read;     /* ingested without error */
    long long files_rejected; /* rolled back with an error */
    long long files_skipped;  /* passed over by the walk */
    long long files_known;    /* not read: their content is stored (ingest_set_known) */
    long long bytes;          /* raw bytes read */
    long long events;
    long long rejected_records;
    long long invocations_new;
    long long invocations_known;
    long long annotations_orphan; /* timeout / exit lines whose REPORT never came */
    long long version_conflicts;  /* INIT_START of another runtime than the function's
                                   * (a function named by its log group, the export
                                   * path, --log-group or a map rule) */
    long long functions_split;    /* functions named by a guess split per log stream */
    long long streams_split;      /* the log streams they were split into */
    long long relabelled;         /* known invocations given a better-named function */
    long long emf_documents;      /* EMF documents found (committed files) */
    long long emf_rejected;       /* of which gave no metric (invalid) */
    long long emf_rejects[EMF_REASON_COUNT]; /* per enum emf_reason */
    long long metric_values_new;  /* after ingest_finish */
    long long metric_values_known;
    long long stream_records;     /* DynamoDB stream records read (committed files) */
    long long stream_records_new; /* after ingest_finish */
    long long stream_records_known;
    long long stream_violations;  /* conformance violations of the new records */
    long long stream_attributed;  /* records attributed from the logs at the end */
    long long stream_unattributed; /* records left unattributed in the database */
    ingest_runtime_count runtimes[INGEST_MAX_RUNTIMES];
    int n_runtimes;
} ingest_totals;

/* How a file went, for the caller to print. */
typedef struct ingest_file_result {
    const char *path;
    const char *shape;      /* NULL when not recognised */
    int ok;                 /* 1 committed (or known), 0 rejected */
    int known;              /* 1 its content is stored: not read; 2 under another path */
    mrb_err error;          /* when !ok */
    long long events, rejected;
    long long records;      /* DynamoDB stream records (files of stream records) */
    long long emf_rejected; /* EMF documents that gave no metric */
    /* the first few record problems and rejected EMF documents: "path:line: text" */
    int n_problems;
    int n_emf_problems;     /* how many of them are EMF documents */
    char problems[5][600];
} ingest_file_result;

typedef struct ingest ingest;

/* NULL with err when the writer thread cannot start. */
ingest *ingest_new(store *st, const attrib_map *map, const char *run, mrb_err *err);
void ingest_free(ingest *g); /* without ingest_finish, what was not committed is dropped */

/* Ingests one file: from src when not NULL (borrowed, e.g. from prefetch.h),
 * else opened from path here. name_path is the part of path whose words may
 * name a runtime (see attrib_input), or NULL for the whole path. Returns 0
 * when the run may go on (the file may still have been rejected: see
 * res->ok), -1 when the database failed (err). */
int ingest_file(ingest *g, const char *path, const char *name_path, source *src,
                ingest_file_result *res, mrb_err *err);

/* From now on, a file whose content known says is stored (store_known.h;
 * borrowed) is not read: its files row counts the repeat, and what it held
 * counts as known in the totals (not per runtime: ingest_runtime_count
 * covers the files read). Without it every file is read. */
void ingest_set_known(ingest *g, store_known *known);

/* Callback for progress: called every few MB with the raw bytes read so far
 * in the current file. */
void ingest_set_progress(ingest *g, void (*fn)(void *arg, long long bytes), void *arg);

/* Waits for every write, commits, and completes the totals (invocations
 * new / known per runtime). 0, or -1 when the database failed (err). */
int ingest_finish(ingest *g, mrb_err *err);

/* Totals so far; the invocation counts only after ingest_finish. */
const ingest_totals *ingest_get_totals(const ingest *g);

/* Functions whose runtime stayed unknown, NUL-separated, ending with an empty
 * string; borrowed. */
const char *ingest_unknown_functions(const ingest *g);

/* Functions named by a guess (path or file stem) whose log streams showed
 * several runtimes, and were split into one function per stream (named
 * like the stream); as ingest_unknown_functions. */
const char *ingest_split_functions(const ingest *g);

/* The log group of every event that names none (ingest --log-group): its
 * last part names the function, before any map rule or path (borrowed;
 * NULL: none). */
void ingest_set_log_group(ingest *g, const char *log_group);

#endif
