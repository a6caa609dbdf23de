/* shape_problem.c — how every decoder reports a record it skips (see
 * shape.h). Apart from the registry (shape.c), which names every decoder,
 * so that the decoders depend on it and it on none of them. */
#include "mrb/shape.h"

void shape_problem(const event_sink *sink, long long line, long long off, const char *text)
{
    if (sink->problem)
        sink->problem(sink->arg, line, off, text);
}
