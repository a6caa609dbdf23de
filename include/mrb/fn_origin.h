/* fn_origin.h — how an input's function was named, as a rank.
 *
 * Every stored invocation and environment remembers where its function name
 * came from. The ranks are ordered: when the same invocation (or log stream)
 * is seen again from a higher rank, its function, log group and runtime are
 * corrected; a lower or equal rank never overwrites (re-reading changes
 * nothing). Facts in the data outrank what a path or the user says of many
 * files at once: the document's own log group, then the S3 export key (a
 * CreateExportTask prefix names one log group), then --log-group, a map rule,
 * a log group guessed from a folder name, and last the file stem.
 *
 * Pure values; names are static strings. */
#ifndef MRB_FN_ORIGIN_H
#define MRB_FN_ORIGIN_H

enum fn_origin {
    FN_ORIGIN_UNKNOWN = 0,  /* "unknown": nothing named it */
    FN_ORIGIN_FILE_STEM,    /* "file-stem": the file name without extensions */
    FN_ORIGIN_PATH,         /* "path": a folder (or file) name that spells a log group */
    FN_ORIGIN_MAP,          /* "map": a --map function= rule */
    FN_ORIGIN_OPTION,       /* "option": ingest --log-group NAME */
    FN_ORIGIN_EXPORT_PATH,  /* "export-path": the prefix before an S3 export task id */
    FN_ORIGIN_LOG_GROUP,    /* "log-group": the document names its log group */
    FN_ORIGIN_COUNT
};

/* The stored name of o ("file-stem", ...); "unknown" for a value out of range. */
const char *fn_origin_name(enum fn_origin o);

#endif
