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
    char *table;    /* likewise */
    /* ddb: rules (glob matched against a table name) */
    int ddb;
    char *runtime_attribute;
    char *id_attribute;
    char **prefixes; /* PREFIX, LABEL, ..., NULL; NULL when not set */
    size_t n_prefixes;
    int log_ids;     /* -1 when not set */
    ddb_schema *schema;
} rule;

struct attrib_map {
    rule *rules;
    size_t n, cap;
    ddb_schema *schema; /* from `schema` lines, or NULL */
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
    if (r->ddb)
        return !strcmp(key, "runtime")             ? &r->runtime
               : !strcmp(key, "runtime-attribute") ? &r->runtime_attribute
               : !strcmp(key, "id-attribute")      ? &r->id_attribute
                                                   : NULL;
    return !strcmp(key, "runtime")    ? &r->runtime
           : !strcmp(key, "function") ? &r->function
           : !strcmp(key, "arch")     ? &r->arch
           : !strcmp(key, "region")   ? &r->region
           : !strcmp(key, "table")    ? &r->table
                                      : NULL;
}

/* Reads a schema file (the text or the JSON form of ddb_conform.h) into a
 * new schema; NULL with err. */
static ddb_schema *load_schema(const char *file, mrb_err *err)
{
    FILE *f = fopen(file, "r");
    sb text = SB_INIT;
    char buf[4096];
    size_t n;

    if (!f) {
        mrb_err_set(err, 0, -1, "cannot open schema file %s: %s", file, strerror(errno));
        return NULL;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(&text, buf, n);
    int bad = ferror(f);
    fclose(f);
    ddb_schema *sc = xcalloc(1, sizeof *sc);
    const char *t = sb_str(&text);
    mrb_err inner;
    mrb_err_clear(&inner);
    if (bad) {
        mrb_err_set(&inner, 0, -1, "cannot read it");
    } else if (t[strspn(t, " \t\r\n")] == '{') {
        json_error_t je;
        json_t *j = json_loads(t, 0, &je);
        if (!j)
            mrb_err_set(&inner, je.line, -1, "invalid JSON: %s", je.text);
        else if (ddb_schema_parse_json(j, sc, &inner) == 0)
            bad = -1;
        json_decref(j);
    } else if (ddb_schema_parse(t, sc, &inner) == 0) {
        bad = -1;
    }
    sb_release(&text);
    if (bad == -1)
        return sc;
    free(sc);
    char where[sizeof inner.source + sizeof inner.text + 32];
    mrb_err_format_at(where, sizeof where, file, inner.line, -1, inner.text);
    mrb_err_set(err, 0, -1, "schema file %s", where);
    return NULL;
}

/* A schema= path relative to the map file's folder. */
static void schema_path(const char *map_path, const char *file, sb *out)
{
    const char *slash = strrchr(map_path, '/');

    if (file[0] != '/' && slash)
        sb_add(out, map_path, (size_t)(slash - map_path + 1));
    sb_adds(out, file);
}

/* A ddb: rule's words that are not plain slots: key-prefix=, log-ids=,
 * schema=. 1 when key was one of them (0 or -1 with err), 0 otherwise. */
static int ddb_word(rule *r, const char *key, const char *value, const char *path, int *rc,
                    mrb_err *err)
{
    *rc = 0;
    if (!strcmp(key, "key-prefix")) {
        const char *colon = strrchr(value, ':');
        if (!colon || colon == value || !valid_label(colon + 1)) {
            *rc = mrb_err_set(err, 0, -1, "key-prefix is PREFIX:LABEL (a runtime label after "
                                          "the last ':'), not '%s'", value);
            return 1;
        }
        r->prefixes = xrealloc(r->prefixes, (r->n_prefixes + 3) * sizeof *r->prefixes);
        r->prefixes[r->n_prefixes++] = xstrndup(value, (size_t)(colon - value));
        r->prefixes[r->n_prefixes++] = xstrdup(colon + 1);
        r->prefixes[r->n_prefixes] = NULL;
        return 1;
    }
    if (!strcmp(key, "log-ids")) {
        if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
            *rc = mrb_err_set(err, 0, -1, "log-ids is yes or no, not '%s'", value);
        r->log_ids = !strcmp(value, "yes");
        return 1;
    }
    if (!strcmp(key, "schema")) {
        sb file = SB_INIT;
        schema_path(path, value, &file);
        free(r->schema);
        r->schema = load_schema(file.buf, err);
        *rc = r->schema ? 0 : -1;
        sb_release(&file);
        return 1;
    }
    return 0;
}

/* Parses "key=value" words after the glob into r. */
static int parse_rule_words(rule *r, char *rest, const char *path, long long line, mrb_err *err)
{
    char *save = NULL;
    int rc;

    for (char *w = strtok_r(rest, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        char *eq = strchr(w, '=');
        if (!eq || eq == w || !eq[1]) {
            mrb_err_source(err, path);
            return mrb_err_set(err, line, -1, "expected key=value, found '%s'", w);
        }
        *eq = '\0';
        if (r->ddb && ddb_word(r, w, eq + 1, path, &rc, err)) {
            if (rc < 0) {
                mrb_err_source(err, path);
                err->line = line;
                return -1;
            }
            continue;
        }
        char **slot = rule_slot(r, w);
        if (!slot) {
            mrb_err_source(err, path);
            return mrb_err_set(err, line, -1,
                               r->ddb ? "unknown key '%s' in a ddb: rule (known: runtime, "
                                        "runtime-attribute, key-prefix, id-attribute, log-ids, "
                                        "schema)"
                                      : "unknown key '%s' (known: runtime, function, arch, "
                                        "region, table)",
                               w);
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
    if (r->ddb && !r->runtime && !r->runtime_attribute && !r->prefixes && !r->id_attribute &&
        r->log_ids < 0 && !r->schema) {
        mrb_err_source(err, path);
        return mrb_err_set(err, line, -1,
                           "ddb: rule sets nothing (give runtime=, runtime-attribute=, "
                           "key-prefix=, id-attribute=, log-ids= or schema=)");
    }
    if (!r->ddb && !r->runtime && !r->function && !r->arch && !r->region && !r->table) {
        mrb_err_source(err, path);
        return mrb_err_set(err, line, -1,
                           "rule sets nothing (give runtime=, function=, arch=, region= or "
                           "table=)");
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
    free(r->table);
    free(r->runtime_attribute);
    free(r->id_attribute);
    for (size_t i = 0; i < r->n_prefixes; i++)
        free(r->prefixes[i]);
    free(r->prefixes);
    free(r->schema);
}

/* `schema ...` lines of the map, with their line numbers, parsed at the end
 * as one text. */
typedef struct schema_lines {
    sb text;
    long long *line; /* map line of each text line */
    size_t n;
} schema_lines;

static void schema_line(schema_lines *sl, const char *s, long long ln)
{
    sb_adds(&sl->text, s);
    sb_addc(&sl->text, '\n');
    sl->line = xrealloc(sl->line, (sl->n + 1) * sizeof *sl->line);
    sl->line[sl->n++] = ln;
}

static int schema_finish(attrib_map *m, schema_lines *sl, const char *path, mrb_err *err)
{
    int rc = 0;

    if (sl->n) {
        m->schema = xcalloc(1, sizeof *m->schema);
        if (ddb_schema_parse(sl->text.buf, m->schema, err) < 0) {
            long long k = err->line;
            mrb_err_source(err, path);
            err->line = k >= 1 && (size_t)k <= sl->n ? sl->line[k - 1] : 0;
            rc = -1;
        }
    }
    sb_release(&sl->text);
    free(sl->line);
    return rc;
}

/* 1 when the line (after leading white space) is a `schema` statement. */
static int is_schema_line(const char *s)
{
    return !strncmp(s, "schema", 6) && (s[6] == '\0' || s[6] == ' ' || s[6] == '\t');
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
    schema_lines sl = {SB_INIT, NULL, 0};
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
        if (is_schema_line(s)) {
            schema_line(&sl, s, ln);
            continue;
        }
        int ddb = !strncmp(s, "ddb:", 4);
        size_t g = strcspn(s, " \t");
        rule r = {.glob = ddb ? xstrndup(s + 4, g - 4) : xstrndup(s, g), .ddb = ddb,
                  .log_ids = -1};
        if ((ddb && !r.glob[0] &&
             (mrb_err_source(err, path),
              mrb_err_set(err, ln, -1, "ddb: wants a table glob (ddb:* for every table)"))) ||
            parse_rule_words(&r, s + g, path, ln, err) < 0) {
            rule_free(&r);
            attrib_map_free(m);
            sb_release(&sl.text);
            free(sl.line);
            fclose(f);
            return NULL;
        }
        XGROW(m->rules, m->n, m->cap, 8);
        m->rules[m->n++] = r;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        mrb_err_source(err, path);
        mrb_err_set(err, ln, -1, "cannot read map file");
        sb_release(&sl.text);
        free(sl.line);
        attrib_map_free(m);
        return NULL;
    }
    if (schema_finish(m, &sl, path, err) < 0) {
        attrib_map_free(m);
        return NULL;
    }
    return m;
}

void attrib_map_free(attrib_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        rule_free(&m->rules[i]);
    free(m->rules);
    free(m->schema);
    free(m);
}

static int rule_matches(const rule *r, const char *log_group, const char *path)
{
    return (log_group && fnmatch(r->glob, log_group, 0) == 0) ||
           (path && fnmatch(r->glob, path, 0) == 0);
}

/* The first function rule matching log_group or path that sets the field
 * at `off`. */
static const char *map_lookup(const attrib_map *m, size_t off, const char *log_group,
                              const char *path)
{
    for (size_t i = 0; m && i < m->n; i++) {
        const char *v = *(char *const *)((const char *)&m->rules[i] + off);
        if (v && !m->rules[i].ddb && rule_matches(&m->rules[i], log_group, path))
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

const char *attrib_map_table(const attrib_map *m, const char *log_group, const char *path)
{
    return map_lookup(m, offsetof(rule, table), log_group, path);
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

/* ---- DynamoDB stream records ---- */

static const char *const ddb_source_names[] = {"unattributed", "map", "attribute", "key-prefix"};

const char *attrib_ddb_source_name(enum attrib_ddb_source s)
{
    return (unsigned)s < 4 ? ddb_source_names[s] : "unattributed";
}

const ddb_schema *attrib_default_schema(void)
{
    static ddb_schema def;
    static int ready;

    if (!ready) {
        ddb_schema_default(&def);
        ready = 1;
    }
    return &def;
}

void attrib_map_ddb(const attrib_map *m, const char *table, attrib_ddb *out)
{
    memset(out, 0, sizeof *out);
    out->log_ids = -1;
    for (size_t i = 0; m && i < m->n; i++) {
        const rule *r = &m->rules[i];
        if (!r->ddb || fnmatch(r->glob, table ? table : "", 0) != 0)
            continue;
        if (!out->runtime)
            out->runtime = r->runtime;
        if (!out->runtime_attribute)
            out->runtime_attribute = r->runtime_attribute;
        if (!out->prefixes && r->prefixes)
            out->prefixes = (const char *const *)r->prefixes;
        if (!out->id_attribute)
            out->id_attribute = r->id_attribute;
        if (out->log_ids < 0)
            out->log_ids = r->log_ids;
        if (!out->schema)
            out->schema = r->schema;
    }
    if (!out->id_attribute)
        out->id_attribute = "id";
    if (out->log_ids < 0)
        out->log_ids = 1;
    if (!out->schema)
        out->schema = m && m->schema ? m->schema : attrib_default_schema();
}

/* The text of an S or N AttributeValue, or NULL. */
static const char *scalar_text(const json_t *av, size_t *len)
{
    const json_t *payload;
    enum ddb_type t = ddb_value_type(av, &payload);

    if ((t != DDB_S && t != DDB_N) || !json_is_string(payload))
        return NULL;
    *len = json_string_length(payload);
    return json_string_value(payload);
}

int attrib_ddb_item_id(const attrib_ddb *c, const json_t *keys, sb *out)
{
    const json_t *av = json_object_get(keys, c->id_attribute);
    const char *t;
    size_t n;

    if (!av && json_object_size(keys) == 1) {
        void *it = json_object_iter((json_t *)keys);
        av = json_object_iter_value(it);
    }
    if (!av || !(t = scalar_text(av, &n)) || n == 0)
        return -1;
    sb_add(out, t, n);
    return 0;
}

/* The runtime-attribute's value as a label (lower case) in buf, or NULL. */
static const char *attribute_label(const json_t *image, const char *name, char *buf, size_t size)
{
    size_t n;
    const json_t *av = image ? json_object_get(image, name) : NULL;
    const json_t *payload;

    if (!av || ddb_value_type(av, &payload) != DDB_S || !json_is_string(payload))
        return NULL;
    const char *t = json_string_value(payload);
    n = json_string_length(payload);
    if (n == 0 || n >= size)
        return NULL;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)tolower((unsigned char)t[i]);
    buf[n] = '\0';
    return valid_label(buf) ? buf : NULL;
}

const char *attrib_ddb_decide(const attrib_ddb *c, const json_t *keys, const json_t *new_image,
                              const json_t *old_image, const char *item_id, char *buf,
                              size_t size, enum attrib_ddb_source *source)
{
    const char *rt;

    if (c->runtime) {
        *source = ATTRIB_DDB_MAP;
        return c->runtime;
    }
    if (c->runtime_attribute &&
        ((rt = attribute_label(new_image, c->runtime_attribute, buf, size)) ||
         (rt = attribute_label(old_image, c->runtime_attribute, buf, size)) ||
         (rt = attribute_label(keys, c->runtime_attribute, buf, size)))) {
        *source = ATTRIB_DDB_ATTRIBUTE;
        return rt;
    }
    for (size_t i = 0; item_id && c->prefixes && c->prefixes[i]; i += 2)
        if (!strncmp(item_id, c->prefixes[i], strlen(c->prefixes[i]))) {
            *source = ATTRIB_DDB_PREFIX;
            return c->prefixes[i + 1];
        }
    *source = ATTRIB_DDB_UNATTRIBUTED;
    return "unattributed";
}
