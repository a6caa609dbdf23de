/* pathinfo.h — what an input file's path says that its content does not.
 *
 * CreateExportTask writes <prefix>/<task-id>/<log-stream>/000000.gz: the log
 * stream is only in the key, and the function only in the prefix the user
 * chose. CLI output files are usually named after the function. Pure string
 * functions; results go into caller buffers. */
#ifndef MRB_PATHINFO_H
#define MRB_PATHINFO_H

#include <stddef.h>
#include "mrb/fn_origin.h"

/* The log stream an S3-export path names, written into buf: the segments
 * between the export task id and the part file (".../<task>/2024/01/02/
 * [$LATEST]abc/000000.gz" -> "2024/01/02/[$LATEST]abc"); "2024-01-02-[$LATEST]abc"
 * forms are normalised to slashes. Returns 0, or -1 when the path does not
 * name a stream. */
int pathinfo_stream(const char *path, char *buf, size_t size);

/* The function an input path names, written into buf, and how (*origin):
 *  - an S3 export: the folder before the task id (or before the stream)
 *    ("exports/dev-python/<task>/..." -> "dev-python", FN_ORIGIN_EXPORT_PATH);
 *  - else the nearest part (the file's stem first, then its folders upwards)
 *    that spells "/aws/lambda/NAME" -- "aws_lambda_NAME", "_aws_lambda_NAME",
 *    "%2Faws%2Flambda%2FNAME", or the folders ".../aws/lambda/NAME/" -- gives
 *    NAME (FN_ORIGIN_PATH, *spelled = 1);
 *  - else the nearest part that is not generic: generic parts are made only
 *    of numbers, dates, hex runs (export task ids, stream hashes) and words
 *    such as page, part, chunk, logs, export(s), cli, json ("page-0003",
 *    "2026-11-25", "000000"). The file's stem is FN_ORIGIN_FILE_STEM
 *    ("dev-go.json.gz" -> "dev-go"), a folder FN_ORIGIN_PATH
 *    ("my-fn/page-0001.json" -> "my-fn");
 *  - else the file's stem (FN_ORIGIN_FILE_STEM).
 * *spelled is 1 when the path spelled the log group "/aws/lambda/<buf>".
 * Returns 0, or -1 when nothing usable is left ("-", a bare stream). */
int pathinfo_function(const char *path, char *buf, size_t size, enum fn_origin *origin,
                      int *spelled);

#endif
