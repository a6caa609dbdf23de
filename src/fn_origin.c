/* fn_origin.c — names of the function-name ranks (see fn_origin.h). */
#include "mrb/fn_origin.h"

static const char *const names[FN_ORIGIN_COUNT] = {
    [FN_ORIGIN_UNKNOWN] = "unknown",         [FN_ORIGIN_FILE_STEM] = "file-stem",
    [FN_ORIGIN_PATH] = "path",               [FN_ORIGIN_MAP] = "map",
    [FN_ORIGIN_OPTION] = "option",           [FN_ORIGIN_EXPORT_PATH] = "export-path",
    [FN_ORIGIN_LOG_GROUP] = "log-group",
};

const char *fn_origin_name(enum fn_origin o)
{
    return (unsigned)o < FN_ORIGIN_COUNT ? names[o] : names[FN_ORIGIN_UNKNOWN];
}
