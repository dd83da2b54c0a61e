/* sobre footprint EPISODE...: energy and carbon of one view for every viewing format of
 * each episode (rendition x device x network), as a table, CSV, JSON or Markdown, an SVG
 * chart, and with --write EPISODE/footprint.json (a file of its own: report.json has one
 * writer, encode). Everything is computed and rendered before anything is written, so a
 * bad input leaves no file behind. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args_cmd.h"
#include "cli.h"
#include "cmd.h"
#include "sobre/footprint.h"
#include "sobre/report.h"

static const char *const CMD = "footprint";
static const char *const RAPL = "/sys/class/powercap/intel-rapl:0/energy_uj";

/* The body below names the parsed options (args_footprint.c) Options. */
typedef FootprintOpts Options;

typedef struct Episode {
    SobreReport *report;
    SobreFootprintTable *table;
    char path[4096]; /* the report.json file */
} Episode;

static void usage(FILE *out)
{
    fprintf(
        out,
        "Usage: sobre footprint EPISODE_DIR|report.json... [options]\n"
        "       sobre footprint --explain [--method M] [--factors FILE]\n\n"
        "Energy (Wh) and carbon (gCO2e) of one view for every viewing format: each\n"
        "rendition (its real bytes and duration) x device x network, sorted heaviest first\n"
        "with the ratio to the heaviest. gCO2e is operational (device use, network, data\n"
        "centre); the viewing device's manufacturing share is its own column (embodied).\n"
        "Low-high brackets use every factor at its low / high value.\n\n"
        "Options:\n"
        "  --device D      smartphone, tablet, laptop, desktop, tv (repeat or a,b; default all)\n"
        "  --network N     fixed-fr, mobile-4g-fr, 5g-fr, fixed-eu, mobile-eu (default all)\n"
        "  --method M      ademe (default), attributional, power, swd4, onebyte\n"
        "  --views N       expected views: totals for N views, encoding share per view\n"
        "  --factors FILE  override factors on top of the default (presets/factors/fr-2024.yaml);\n"
        "                  a name such as eu-2024 means presets/factors/eu-2024.yaml; repeatable\n"
        "  --format F      text (default), csv, json, md;  --json = --format json\n"
        "  --svg FILE      also write an SVG bar chart of the rows shown (one episode)\n"
        "  --explain       print the method, its formula and every factor with its source\n"
        "                  (after the table; on stderr with csv; json always has them)\n"
        "  --write         store the results in EPISODE_DIR/footprint.json (every device\n"
        "                  and network whatever the filters; report.json is not changed);\n"
        "                  without it nothing is written but --svg\n"
        "  --help          show this help\n\n"
        "Model and sources: docs/footprint.md.\n"
        "Exit status: 0 success, 1 failure (bad report or factors file), 2 usage error.\n");
}

static int load_factors(const Options *o, SobreFactors **f)
{
    return cli_load_factors(CMD, o->factors, o->nb_factors, f);
}

static int load_episode(const char *input, const SobreFactors *f, const Options *o, Episode *e)
{
    SobreError err = {0};
    struct stat st;
    int ret;
    if (stat(input, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(e->path, sizeof(e->path), "%s/report.json", input);
    else
        snprintf(e->path, sizeof(e->path), "%s", input);
    if ((ret = sobre_report_load(&e->report, input, &err)) < 0)
        return cli_report(CMD, &err, ret);
    if ((ret = sobre_footprint_table_new(&e->table, e->report, e->path, f, &o->fp, &err)) < 0)
        return cli_report(CMD, &err, ret);
    return -1;
}

/* Writes data to path through a temporary file in the same folder, then rename. */
static int write_atomic(const char *path, const char *data)
{
    char tmp[4200];
    size_t len = strlen(data);
    int fd;
    FILE *fp;
    snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error(CMD, "%s: cannot create: %s", path, strerror(errno));
        return CLI_FAIL;
    }
    fchmod(fd, 0644);
    fp = fdopen(fd, "wb");
    if (!fp || fwrite(data, 1, len, fp) != len || fflush(fp) || fsync(fd) || fclose(fp) != 0 ||
        rename(tmp, path) != 0) {
        int e = errno;
        if (!fp)
            close(fd);
        unlink(tmp);
        cli_error(CMD, "%s: cannot write: %s", path, strerror(e));
        return CLI_FAIL;
    }
    return -1;
}

static int render_all(const Options *o, Episode *eps, int n, char **out)
{
    SobreError err = {0};
    json_t *arr = NULL;
    size_t len = 0;
    int ret;
    *out = NULL;
    if (o->format == SOBRE_FOOTPRINT_JSON && n > 1)
        arr = json_array();
    for (int i = 0; i < n; i++) {
        char *s = NULL, *grown;
        int flags = (o->explain && i == n - 1 ? SOBRE_FOOTPRINT_EXPLAIN : 0) |
                    (i > 0 ? SOBRE_FOOTPRINT_NO_HEADER : 0);
        if ((ret = sobre_footprint_render(eps[i].table, o->format, flags, &s, &err)) < 0) {
            json_decref(arr);
            free(*out);
            return cli_report(CMD, &err, ret);
        }
        if (arr) {
            json_array_append_new(arr, json_pack("{s:s,s:o}", "report", eps[i].path, "footprint",
                                                 json_loads(s, 0, NULL)));
            free(s);
            continue;
        }
        grown = realloc(*out, len + strlen(s) + 2);
        if (!grown) {
            free(s);
            free(*out);
            cli_error(CMD, "out of memory");
            return CLI_FAIL;
        }
        *out = grown;
        len += (size_t)sprintf(*out + len, "%s%s",
                               i && o->format != SOBRE_FOOTPRINT_CSV ? "\n" : "", s);
        free(s);
    }
    if (arr) {
        json_t *root = json_pack("{s:o}", "episodes", arr);
        *out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
        json_decref(root);
    }
    if (!*out) {
        cli_error(CMD, "out of memory");
        return CLI_FAIL;
    }
    return -1;
}

/* EPISODE_DIR/footprint.json (docs/footprint.schema.json): the footprint section, and
 * which report it was computed from, so a reader can tell it is stale after a re-encode
 * (the sizes no longer match). */
static int footprint_file(const Episode *e, const char *section, char **text, char *path,
                          size_t size)
{
    json_t *root = json_loads(section, 0, NULL), *bytes = json_object();
    const char *slash = strrchr(e->path, '/');
    for (int i = 0; i < e->report->nb_renditions; i++)
        json_object_set_new(bytes, e->report->renditions[i].id,
                            json_integer(e->report->renditions[i].bytes));
    if (root)
        json_object_set_new(root, "report",
                            json_pack("{s:s,s:s,s:o}", "file", "report.json", "created",
                                      e->report->created, "bytes", bytes));
    else
        json_decref(bytes);
    *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
                 : NULL;
    json_decref(root);
    if (!*text) {
        cli_error(CMD, "out of memory");
        return CLI_FAIL;
    }
    if (slash)
        snprintf(path, size, "%.*s/footprint.json", (int)(slash - e->path), e->path);
    else
        snprintf(path, size, "footprint.json");
    return -1;
}

static int write_outputs(const Options *o, Episode *eps, int n)
{
    SobreError err = {0};
    int ret;
    if (o->svg) {
        char *svg = NULL;
        if ((ret = sobre_footprint_svg(eps[0].table, &svg, &err)) < 0)
            return cli_report(CMD, &err, ret);
        ret = write_atomic(o->svg, svg);
        free(svg);
        if (ret >= 0)
            return ret;
    }
    for (int i = 0; o->write && i < n; i++) {
        char *section = NULL, *text = NULL, path[4200];
        if ((ret = sobre_footprint_section(eps[i].table, &section, &err)) < 0)
            return cli_report(CMD, &err, ret);
        ret = footprint_file(&eps[i], section, &text, path, sizeof(path));
        free(section);
        if (ret >= 0)
            return ret;
        ret = write_atomic(path, text);
        free(text);
        if (ret >= 0)
            return ret;
        fprintf(stderr, "sobre footprint: wrote %s\n", path);
    }
    return -1;
}

static int explain_only(const Options *o, const SobreFactors *f)
{
    SobreError err = {0};
    char *s = NULL;
    int ret = sobre_footprint_explain(f, o->fp.method, &s, &err);
    if (ret < 0)
        return cli_report(CMD, &err, ret);
    fputs(s, stdout);
    printf("RAPL energy counter (%s): %s on this machine\n", RAPL,
           access(RAPL, R_OK) == 0 ? "readable" : "not readable");
    free(s);
    return cli_finish_stdout(CMD, CLI_OK);
}

static void explain_stderr(const Options *o, const SobreFactors *f)
{
    SobreError err = {0};
    char *s = NULL;
    if (sobre_footprint_explain(f, o->fp.method, &s, &err) == 0)
        fputs(s, stderr);
    free(s);
}

int cmd_footprint(int argc, char **argv)
{
    Options o;
    SobreFactors *f = NULL;
    Episode *eps = NULL;
    char *text = NULL;
    CliArgError usage_err;
    int ret, n = 0;
    if (args_parse_footprint(&o, argc, argv, &usage_err))
        return cli_usage_error(CMD, "%s", usage_err.msg);
    if (o.help) {
        usage(stdout);
        return cli_finish_stdout(CMD, CLI_OK);
    }
    if ((ret = load_factors(&o, &f)) >= 0)
        return ret;
    if (!o.nb_inputs) {
        ret = explain_only(&o, f);
        goto done;
    }
    eps = calloc((size_t)o.nb_inputs, sizeof(*eps));
    if (!eps) {
        cli_error(CMD, "out of memory");
        ret = CLI_FAIL;
        goto done;
    }
    for (n = 0; n < o.nb_inputs; n++)
        if ((ret = load_episode(o.inputs[n], f, &o, &eps[n])) >= 0) {
            n++;
            goto done;
        }
    if ((ret = render_all(&o, eps, n, &text)) >= 0 || (ret = write_outputs(&o, eps, n)) >= 0)
        goto done;
    fputs(text, stdout);
    if (o.explain && o.format == SOBRE_FOOTPRINT_CSV) /* keep the CSV clean: explain on stderr */
        explain_stderr(&o, f);
    ret = cli_finish_stdout(CMD, CLI_OK);
done:
    free(text);
    for (int i = 0; eps && i < n; i++) {
        sobre_footprint_table_free(&eps[i].table);
        sobre_report_free(&eps[i].report);
    }
    free(eps);
    sobre_factors_free(&f);
    return ret;
}
