/* pathinfo.h — what an input file's path says that its content does not.
 *
 * CreateExportTask writes <prefix>/<task-id>/<log-stream>/000000.gz: the log
 * stream is only in the key, and the function only in the prefix the user
 * chose. CLI output files are usually named after the function. Pure string
 * functions; results go into caller buffers. */
#ifndef MRB_PATHINFO_H
#define MRB_PATHINFO_H

#include <stddef.h>

/* The log stream an S3-export path names, written into buf: the segments
 * between the export task id and the part file (".../<task>/2024/01/02/
 * [$LATEST]abc/000000.gz" -> "2024/01/02/[$LATEST]abc"); "2024-01-02-[$LATEST]abc"
 * forms are normalised to slashes. Returns 0, or -1 when the path does not
 * name a stream. */
int pathinfo_stream(const char *path, char *buf, size_t size);

/* The function an input path names, written into buf: for an S3 export the
 * segment before the task id ("exports/dev-python/<task>/..." -> "dev-python"),
 * otherwise the file name without its extensions ("dev-go.json.gz" ->
 * "dev-go"). Returns 0, or -1 when nothing usable is left. */
int pathinfo_function(const char *path, char *buf, size_t size);

#endif
