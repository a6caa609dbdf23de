/* attrib.c — runtime labels for functions (see attrib.h). */
#include "mrb/attrib.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"

typedef struct rule {
    char *glob;
    char *runtime;  /* NULL when the rule does not set it */
    char *function; /* likewise */
    char *arch;     /* x86_64 or arm64, likewise */
    char *region;   /* likewise */
} rule;

struct attrib_map {
    rule *rules;
    size_t n, cap;
};

/* Whole-word tokens that name a runtime. */
static const struct {
    const char *token;
    const char *runtime;
} name_tokens[] = {
    {"python", "python"}, {"py", "python"},
    {"typescript", "typescript"}, {"ts", "typescript"}, {"node", "typescript"},
    {"nodejs", "typescript"},
    {"go", "go"}, {"golang", "go"},
    {"kotlin", "kotlin"}, {"kt", "kotlin"},
    {"java", "java"}, {"rust", "rust"}, {"ruby", "ruby"}, {"dotnet", "dotnet"},
};

/* The family of an INIT_START runtime version ("python:3.11.v29", or the
 * telemetry form "nodejs-14.v3") and its label; NULL label: undecided. */
static const struct {
    const char *family;
    const char *runtime;
} version_families[] = {
    {"python", "python"}, {"nodejs", "typescript"}, {"java", "java"},
    {"ruby", "ruby"},     {"dotnet", "dotnet"},     {"provided", NULL},
};

static const char *const source_names[] = {"unknown", "name", "runtime-version", "map"};

const char *attrib_source_name(enum attrib_source s)
{
    return (unsigned)s < 4 ? source_names[s] : "unknown";
}

static int valid_label(const char *s)
{
    if (!*s || strlen(s) > 31)
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' ||
              *s == '_' || *s == '.'))
            return 0;
    return 1;
}

int attrib_valid_region(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 31 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static char **rule_slot(rule *r, const char *key)
{
    return !strcmp(key, "runtime")    ? &r->runtime
           : !strcmp(key, "function") ? &r->function
           : !strcmp(key, "arch")     ? &r->arch
           : !strcmp(key, "region")   ? &r->region
                                      : NULL;
}

/* Parses "key=value" words after the glob into r. */
static int parse_rule_words(rule *r, char *rest, const char *path, long long line, mrb_err *err)
{
    char *save = NULL;

    for (char *w = strtok_r(rest, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        char *eq = strchr(w, '=');
        if (!eq || eq == w || !eq[1]) {
            mrb_err_source(err, path);
            return mrb_err_set(err, line, -1, "expected key=value, found '%s'", w);
        }
        *eq = '\0';
        char **slot = rule_slot(r, w);
        if (!slot) {
            mrb_err_source(err, path);
            return mrb_err_set(err, line, -1,
                               "unknown key '%s' (known: runtime, function, arch, region)", w);
        }
        if (slot == &r->arch && strcmp(eq + 1, "x86_64") != 0 && strcmp(eq + 1, "arm64") != 0) {
            mrb_err_source(err, path);
            return mrb_err_set(err, line, -1, "arch is x86_64 or arm64, not '%s'", eq + 1);
        }
        if (slot == &r->region && !attrib_valid_region(eq + 1)) {
            mrb_err_source(err, path);
            return mrb_err_set(err, line, -1, "region looks like us-east-1, not '%s'", eq + 1);
        }
        if (slot == &r->runtime && !valid_label(eq + 1)) {
            mrb_err_source(err, path);
            return mrb_err_set(err, line, -1,
                               "runtime label '%s' must be lowercase letters, digits, '-', '_' or '.'",
                               eq + 1);
        }
        free(*slot);
        *slot = xstrdup(eq + 1);
    }
    if (!r->runtime && !r->function && !r->arch && !r->region) {
        mrb_err_source(err, path);
        return mrb_err_set(err, line, -1,
                           "rule sets nothing (give runtime=, function=, arch= or region=)");
    }
    return 0;
}

static void rule_free(rule *r)
{
    free(r->glob);
    free(r->runtime);
    free(r->function);
    free(r->arch);
    free(r->region);
}

attrib_map *attrib_map_load(const char *path, mrb_err *err)
{
    FILE *f = fopen(path, "r");
    attrib_map *m;
    char line[4096];
    long long ln = 0;

    if (!f) {
        mrb_err_source(err, path);
        mrb_err_set(err, 0, -1, "cannot open map file: %s", strerror(errno));
        return NULL;
    }
    m = xcalloc(1, sizeof *m);
    while (fgets(line, sizeof line, f)) {
        ln++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = line + strspn(line, " \t\r\n");
        s[strcspn(s, "\r\n")] = '\0';
        if (!*s)
            continue;
        size_t g = strcspn(s, " \t");
        rule r = {.glob = xstrndup(s, g)};
        if (parse_rule_words(&r, s + g, path, ln, err) < 0) {
            rule_free(&r);
            attrib_map_free(m);
            fclose(f);
            return NULL;
        }
        if (m->n == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 8;
            m->rules = xrealloc(m->rules, m->cap * sizeof *m->rules);
        }
        m->rules[m->n++] = r;
    }
    if (ferror(f)) {
        mrb_err_source(err, path);
        mrb_err_set(err, ln, -1, "cannot read map file");
        attrib_map_free(m);
        m = NULL;
    }
    fclose(f);
    return m;
}

void attrib_map_free(attrib_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        rule_free(&m->rules[i]);
    free(m->rules);
    free(m);
}

static int rule_matches(const rule *r, const char *log_group, const char *path)
{
    return (log_group && fnmatch(r->glob, log_group, 0) == 0) ||
           (path && fnmatch(r->glob, path, 0) == 0);
}

/* The first rule matching log_group or path that sets the field at `off`. */
static const char *map_lookup(const attrib_map *m, size_t off, const char *log_group,
                              const char *path)
{
    for (size_t i = 0; m && i < m->n; i++) {
        const char *v = *(char *const *)((const char *)&m->rules[i] + off);
        if (v && rule_matches(&m->rules[i], log_group, path))
            return v;
    }
    return NULL;
}

const char *attrib_map_runtime(const attrib_map *m, const char *log_group, const char *path)
{
    return map_lookup(m, offsetof(rule, runtime), log_group, path);
}

const char *attrib_map_function(const attrib_map *m, const char *log_group, const char *path)
{
    return map_lookup(m, offsetof(rule, function), log_group, path);
}

const char *attrib_map_arch(const attrib_map *m, const char *log_group, const char *path)
{
    return map_lookup(m, offsetof(rule, arch), log_group, path);
}

const char *attrib_map_region(const attrib_map *m, const char *log_group, const char *path)
{
    return map_lookup(m, offsetof(rule, region), log_group, path);
}

const char *attrib_from_version(const char *v)
{
    size_t n = 0;

    if (!v)
        return NULL;
    while (isalpha((unsigned char)v[n]))
        n++;
    for (size_t i = 0; i < sizeof version_families / sizeof version_families[0]; i++)
        if (strlen(version_families[i].family) == n && !strncmp(v, version_families[i].family, n))
            return version_families[i].runtime;
    return NULL;
}

static const char *token_runtime(const char *t, size_t n)
{
    char low[16];

    if (n >= sizeof low)
        return NULL;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)t[i]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof name_tokens / sizeof name_tokens[0]; i++)
        if (!strcmp(low, name_tokens[i].token))
            return name_tokens[i].runtime;
    return NULL;
}

/* Is there a word boundary between s[i-1] and s[i]? Non-alphanumerics are
 * boundaries themselves; letters and digits part; lower->Upper parts
 * ("GoStack"); and the last of a capital run parts from it when a lower
 * case letter follows ("APIGo" -> "API" "Go"). */
static int boundary(const char *s, size_t i)
{
    unsigned char a = (unsigned char)s[i - 1], b = (unsigned char)s[i];

    if (isdigit(a) != isdigit(b) && isalnum(a) && isalnum(b))
        return 1;
    if (islower(a) && isupper(b))
        return 1;
    return isupper(a) && isupper(b) && islower((unsigned char)s[i + 1]);
}

const char *attrib_from_name(const char *name)
{
    const char *found = NULL;
    size_t i = 0;

    if (!name)
        return NULL;
    while (name[i]) {
        if (!isalnum((unsigned char)name[i])) {
            i++;
            continue;
        }
        size_t start = i++;
        while (name[i] && isalnum((unsigned char)name[i]) && !boundary(name, i))
            i++;
        const char *rt = token_runtime(name + start, i - start);
        if (rt && found && strcmp(rt, found) != 0)
            return NULL; /* names two runtimes: do not guess */
        if (rt)
            found = rt;
    }
    return found;
}

/* Path tokens, nearest component first: the file name, then its folders. */
static const char *from_path(const char *path)
{
    char buf[1024];
    size_t n = strlen(path);

    if (n >= sizeof buf)
        return NULL;
    memcpy(buf, path, n + 1);
    while (n > 0) {
        char *slash = strrchr(buf, '/');
        const char *comp = slash ? slash + 1 : buf;
        const char *rt = attrib_from_name(comp);
        if (rt)
            return rt;
        if (!slash)
            break;
        *slash = '\0';
        n = (size_t)(slash - buf);
    }
    return NULL;
}

const char *attrib_decide(const attrib_map *m, const attrib_input *in,
                          enum attrib_source *source)
{
    const char *rt;

    if ((rt = attrib_map_runtime(m, in->log_group, in->path)) != NULL) {
        *source = ATTRIB_MAP;
        return rt;
    }
    if ((rt = attrib_from_version(in->runtime_version)) != NULL) {
        *source = ATTRIB_VERSION;
        return rt;
    }
    if ((rt = attrib_from_name(in->function)) || (rt = attrib_from_name(in->log_group)) ||
        (in->name_path && (rt = from_path(in->name_path)))) {
        *source = ATTRIB_NAME;
        return rt;
    }
    *source = ATTRIB_UNKNOWN;
    return "unknown";
}
