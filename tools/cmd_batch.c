/* sobre batch: a series (CSV or folder) -> one `sobre encode` per episode into
 * OUT_DIR/<id>, a few at once, then `sobre publish`. Episodes are independent and
 * idempotent (encode resumes), so a rerun redoes only what failed or changed. */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "args_cmd.h"
#include "batch.h"
#include "cli.h"
#include "cmd.h"
#include "sobre/report.h"
#include "sobre/series.h"

extern char **environ;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: sobre batch SERIES.csv|SOURCE_DIR -o OUT_DIR [options]\n\n"
               "Encodes every episode of a series, each into OUT_DIR/<id> with 'sobre encode'\n"
               "(a few at once), then publishes the site if asked. A failed episode is reported\n"
               "and does not stop the others; a rerun encodes only what is missing or changed.\n\n"
               "SERIES.csv: a header row, then one row per episode in publishing order. Columns:\n"
               "file (required, relative to the CSV), title, description, captions (.vtt), lang,\n"
               "id (folder name, a-z 0-9 -; default from the file name). ',' or ';' separated,\n"
               "UTF-8. SOURCE_DIR: every media file in name order (ep2 before ep10), with\n"
               "sidecars NAME.vtt (captions) and NAME.txt (title line, then description).\n\n"
               "Options:\n"
               "  -o, --output DIR       folder of the episode folders (required)\n"
               "  -j, --jobs N           episodes encoded at once (default: cores / 2, at\n"
               "                         least 1: one encode already keeps ~2 cores busy)\n"
               "      --publish SITE     publish the site when done (every episode of the\n"
               "                         series whose folder is complete, in series order)\n"
               "      --site-title T     site title for --publish\n"
               "      --site-description D  text under the site title\n"
               "      --base-url URL     absolute address of the site (podcast.xml)\n"
               "      --episode ID       only this episode (repeat for several)\n"
               "      --list             print ID<TAB>FILE<TAB>CAPTIONS per episode and stop\n"
               "                         (with --json: the whole series as JSON)\n"
               "      --progress MODE    auto (a line on a terminal, one line per event\n"
               "                         otherwise), json (one JSON object per event on\n"
               "                         stderr) or none (default: auto)\n"
               "      --json             print the outcome of every episode as JSON on stdout\n"
               "  -q, --quiet            no progress, no summary (errors are still printed)\n"
               "  -v, --verbose          show each encode's own messages\n"
               "  -h, --help             this help\n\n"
               "Options of 'sobre encode' (see its --help), checked before anything runs, then\n"
               "passed to every episode (--lang: the default of the CSV's lang column):\n");
    args_print_options(f, encode_options, ENCODE_FOR_BATCH);
    fprintf(f, "\n"
               "Exit status: 0 every episode encoded (and published), 1 an episode or the\n"
               "publish failed, 2 usage error, 130 interrupted.\n\n"
               "Examples:\n"
               "  sobre batch serie.csv -o episodes --publish site --site-title \"Numérique "
               "responsable\"\n"
               "  sobre batch masters/ -o episodes --jobs 2 --json > batch.json\n");
}

/* What the progress display needs between events. */
typedef struct View {
    BatchRunner *runner;
    int tty, json, enabled;
    double last_draw;
    int drawn;
} View;

static int default_jobs(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores >= 4 ? (int)(cores / 2) : 1;
}

static char *episode_dir(const BatchOpts *o, const char *id)
{
    size_t n = strlen(o->out) + strlen(id) + 4;
    char *p = malloc(n);
    if (p) /* "./" keeps an OUT_DIR named "-x" from reading as an option */
        snprintf(p, n, "%s%s/%s", o->out[0] == '-' ? "./" : "", o->out, id);
    return p;
}

/* The encode command line of one episode: batch's encode options as given, then the
 * episode's own values from the series; options go before "--" so a master named
 * "-x.mp4" stays a file name. The episode's --lang comes after batch's --lang, so it
 * wins (encode keeps the last value of an option). */
static char **encode_argv(const BatchOpts *o, const char *exe, const SobreEpisodeEntry *e,
                          const char *dir)
{
    char **v = calloc((size_t)(2 * o->nb_forward + 20), sizeof(*v));
    int n = 0;
    if (!v)
        return NULL;
#define ARG(x) (v[n++] = (char *)(x))
    ARG(exe), ARG("encode"), ARG("-o"), ARG(dir);
    ARG("--progress"), ARG("json");
    for (int i = 0; i < o->nb_forward; i++) {
        ARG(o->forward[i].opt->name);
        if (o->forward[i].value)
            ARG(o->forward[i].value);
    }
    if (e->language)
        ARG("--lang"), ARG(e->language);
    if (e->title)
        ARG("--title"), ARG(e->title);
    if (e->description)
        ARG("--description"), ARG(e->description);
    if (e->captions_path)
        ARG("--captions"), ARG(e->captions_path);
    ARG("--"), ARG(e->path);
#undef ARG
    return v;
}

static int list_series(const SobreSeries *s, int json)
{
    if (json) {
        json_t *a = json_array();
        for (int i = 0; i < s->nb_episodes; i++) {
            const SobreEpisodeEntry *e = &s->episodes[i];
            json_array_append_new(a, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?}", "id",
                                               e->id, "file", e->file, "path", e->path, "title",
                                               e->title, "description", e->description, "captions",
                                               e->captions, "lang", e->language));
        }
        json_dumpf(a, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(a);
    } else {
        for (int i = 0; i < s->nb_episodes; i++)
            printf("%s\t%s\t%s\n", s->episodes[i].id, s->episodes[i].file,
                   s->episodes[i].captions ? s->episodes[i].captions : "");
    }
    return cli_finish_stdout("batch", CLI_OK);
}

static const char *status_name(const BatchEpisode *ep)
{
    switch (ep->state) {
    case EP_OK:
        return ep->up_to_date ? "up_to_date" : "encoded";
    case EP_FAILED:
        return "failed";
    case EP_INTERRUPTED:
        return "interrupted";
    case EP_RUNNING:
        return "running";
    case EP_SKIPPED:
        return "skipped";
    default:
        return "not_started";
    }
}

static void on_event(void *opaque, BatchEpisode *ep, const char *event)
{
    View *v = opaque;
    BatchRunner *r = v->runner;
    double now = cli_now(), overall = batch_overall(r);
    int ok = 0, failed = 0, running = 0;

    for (int i = 0; i < r->nb; i++) {
        ok += r->episodes[i].state == EP_OK;
        failed += r->episodes[i].state == EP_FAILED;
        running += r->episodes[i].state == EP_RUNNING;
    }
    if (!strcmp(event, "done") && ep->state == EP_FAILED && !v->json) {
        if (v->drawn)
            fputs("\r\033[K", stderr);
        v->drawn = 0;
        fprintf(stderr, "sobre batch: %s: failed: %s\n", ep->id, ep->message);
    }
    if (!v->enabled)
        return;
    if (v->json) {
        if (!strcmp(event, "progress") && now - v->last_draw < 0.5)
            return;
        json_t *o = json_pack("{s:s, s:s, s:f, s:f}", "event", event, "episode", ep->id, "progress",
                              ep->percent, "overall", overall);
        if (!strcmp(event, "done")) {
            json_object_set_new(o, "status", json_string(status_name(ep)));
            json_object_set_new(o, "wall_s", json_real(ep->end - ep->start));
            if (ep->state == EP_FAILED)
                json_object_set_new(o, "message", json_string(ep->message));
        }
        json_dumpf(o, stderr, JSON_COMPACT | JSON_REAL_PRECISION(6));
        fputc('\n', stderr);
        json_decref(o);
    } else if (v->tty) {
        char line[512];
        int len;
        if (!strcmp(event, "progress") && now - v->last_draw < 0.2)
            return;
        len = snprintf(line, sizeof(line), "batch %5.1f%%  %d/%d done%s%.0d%s", overall,
                       ok + failed, r->nb, failed ? ", failed " : "", failed, running ? " |" : "");
        for (int i = 0; i < r->nb && len < 200; i++)
            if (r->episodes[i].state == EP_RUNNING)
                len += snprintf(line + len, sizeof(line) - (size_t)len, " %s %.0f%%",
                                r->episodes[i].id, r->episodes[i].percent);
        fprintf(stderr, "\r\033[K%s", line);
        v->drawn = 1;
    } else if (strcmp(event, "progress")) {
        if (!strcmp(event, "start"))
            fprintf(stderr, "batch: %s: started (%d/%d)\n", ep->id, ok + failed + running, r->nb);
        else if (ep->state == EP_OK)
            fprintf(stderr, "batch: %s: %s in %.1f s (%.0f%% of the batch done)\n", ep->id,
                    ep->up_to_date ? "up to date" : "encoded", ep->end - ep->start, overall);
    }
    v->last_draw = now;
    fflush(stderr);
}

/* Runs `sobre publish` on every complete episode folder, in series order. */
static int publish(const BatchOpts *o, const char *exe, const BatchRunner *r, int *nb_published)
{
    char **v = calloc((size_t)r->nb + 16, sizeof(*v));
    posix_spawn_file_actions_t fa;
    int n = 0, status = 0, ret;
    pid_t pid;

    *nb_published = 0;
    if (!v)
        return CLI_FAIL;
    v[n++] = (char *)exe, v[n++] = "publish", v[n++] = "-o", v[n++] = (char *)o->site;
    if (o->site_title)
        v[n++] = "--title", v[n++] = (char *)o->site_title;
    if (o->site_description)
        v[n++] = "--description", v[n++] = (char *)o->site_description;
    if (o->base_url)
        v[n++] = "--base-url", v[n++] = (char *)o->base_url;
    if (o->encode.lang && (!strcmp(o->encode.lang, "fr") || !strcmp(o->encode.lang, "en")))
        v[n++] = "--lang", v[n++] = (char *)o->encode.lang;
    if (o->quiet)
        v[n++] = "-q";
    for (int i = 0; i < r->nb; i++) {
        const BatchEpisode *ep = &r->episodes[i];
        char report[4352];
        struct stat st;
        snprintf(report, sizeof(report), "%s/report.json", ep->dir);
        if (stat(report, &st) == 0) {
            if (ep->state == EP_FAILED)
                cli_error("batch", "%s: publishing its earlier encode (this run failed)", ep->id);
            v[n++] = ep->dir;
            (*nb_published)++;
        } else {
            cli_error("batch", "%s: not published (no complete encode in %s)", ep->id, ep->dir);
        }
    }
    if (*nb_published == 0) {
        cli_error("batch", "%s: nothing to publish (no episode was encoded)", o->site);
        ret = CLI_FAIL;
        goto done;
    }
    /* publish's text summary goes to stderr: stdout is for --json */
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
    ret = posix_spawn(&pid, exe, &fa, NULL, v, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (ret != 0) {
        cli_error("batch", "cannot start %s publish: %s", exe, strerror(ret));
        ret = CLI_FAIL;
        goto done;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    ret = WIFEXITED(status) ? WEXITSTATUS(status) : CLI_FAIL;
done:
    free(v);
    return ret;
}

/* Reads OUT/<id>/report.json for the summary (renditions and bytes). */
static void episode_result(const BatchEpisode *ep, int *nb, long long *bytes)
{
    SobreReport *rep = NULL;
    SobreError err = {0, ""};
    *nb = 0;
    *bytes = 0;
    if (ep->state == EP_OK && sobre_report_load(&rep, ep->dir, &err) == 0) {
        *nb = rep->nb_renditions;
        for (int i = 0; i < rep->nb_renditions; i++)
            *bytes += rep->renditions[i].bytes;
    }
    sobre_report_free(&rep);
}

static void summary(const BatchOpts *o, const BatchRunner *r, double wall, int published,
                    int publish_ret)
{
    json_t *root = NULL, *list = NULL;
    int counts[EP_SKIPPED + 1] = {0};

    if (o->json) {
        root = json_pack("{s:s, s:s, s:s, s:i, s:f}", "schema", "sobre.batch/1", "source",
                         o->source, "output", o->out, "jobs", r->jobs, "wall_s", wall);
        list = json_array();
        json_object_set_new(root, "episodes", list);
    }
    if (!o->quiet)
        fprintf(stderr, "  %-20s %-11s %8s %10s %9s\n", "episode", "status", "time", "renditions",
                "size");
    for (int i = 0; i < r->nb; i++) {
        const BatchEpisode *ep = &r->episodes[i];
        long long bytes;
        int nb;
        char size[32] = "", time_s[32] = "", nbs[16] = "";
        if (ep->state == EP_SKIPPED)
            continue; /* not selected with --episode */
        counts[ep->state]++;
        episode_result(ep, &nb, &bytes);
        if (nb) {
            cli_human_bytes(bytes, size, sizeof(size));
            snprintf(nbs, sizeof(nbs), "%d", nb);
        }
        if (ep->end > 0)
            snprintf(time_s, sizeof(time_s), "%.1f s", ep->end - ep->start);
        if (!o->quiet)
            fprintf(stderr, "  %-20s %-11s %8s %10s %9s%s%s\n", ep->id, status_name(ep), time_s,
                    nbs, size, ep->state == EP_FAILED ? "  " : "",
                    ep->state == EP_FAILED ? ep->message : "");
        if (list) {
            json_t *e = json_pack("{s:s, s:s, s:s, s:i, s:f, s:i, s:I}", "id", ep->id, "title",
                                  ep->title, "status", status_name(ep), "exit_code", ep->exit_code,
                                  "wall_s", ep->end > 0 ? ep->end - ep->start : 0.0, "renditions",
                                  nb, "bytes", (json_int_t)bytes);
            if (ep->state == EP_FAILED)
                json_object_set_new(e, "message", json_string(ep->message));
            json_array_append_new(list, e);
        }
    }
    if (!o->quiet)
        fprintf(stderr, "batch: %d episode(s) ok, %d failed%s in %.1f s -> %s\n", counts[EP_OK],
                counts[EP_FAILED], counts[EP_INTERRUPTED] ? ", interrupted" : "", wall, o->out);
    if (root) {
        json_object_set_new(root, "ok", json_integer(counts[EP_OK]));
        json_object_set_new(root, "failed", json_integer(counts[EP_FAILED]));
        json_object_set_new(root, "published",
                            o->site ? json_pack("{s:s, s:i, s:i}", "site", o->site, "episodes",
                                                published, "exit_code", publish_ret)
                                    : json_null());
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
        fputc('\n', stdout);
        json_decref(root);
    }
}

static int make_runner(const BatchOpts *o, const SobreSeries *s, const char *exe, BatchRunner *r)
{
    r->nb = s->nb_episodes;
    if (!(r->episodes = calloc((size_t)r->nb, sizeof(*r->episodes))))
        return cli_error("batch", "out of memory"), CLI_FAIL;
    for (int i = 0; i < o->nb_episodes; i++)
        if (!sobre_series_find(s, o->episodes[i]))
            return cli_usage_error("batch", "%s: no episode with id '%s' (see --list)", o->source,
                                   o->episodes[i]);
    for (int i = 0; i < r->nb; i++) {
        const SobreEpisodeEntry *e = &s->episodes[i];
        BatchEpisode *ep = &r->episodes[i];
        struct stat st;
        int selected = o->nb_episodes == 0;
        for (int k = 0; k < o->nb_episodes; k++)
            selected |= !strcmp(o->episodes[k], e->id);
        ep->id = e->id;
        ep->title = e->title ? e->title : e->id;
        ep->fd = -1;
        ep->state = selected ? EP_PENDING : EP_SKIPPED;
        ep->weight = stat(e->path, &st) == 0 && st.st_size > 0 ? (double)st.st_size : 1;
        if (!(ep->dir = episode_dir(o, e->id)) ||
            (selected && !(ep->argv = encode_argv(o, exe, e, ep->dir))))
            return cli_error("batch", "out of memory"), CLI_FAIL;
    }
    return 0;
}

static void free_runner(BatchRunner *r)
{
    for (int i = 0; r->episodes && i < r->nb; i++) {
        free(r->episodes[i].argv);
        free(r->episodes[i].dir);
    }
    free(r->episodes);
}

int cmd_batch(int argc, char **argv)
{
    BatchOpts o;
    SobreSeries *s = NULL;
    SobreLadder *ladder = NULL;
    SobreError err = {0, ""};
    CliArgError usage_err;
    BatchRunner r;
    View view;
    char exe[4096];
    struct sigaction sa;
    double t0;
    int ret, failed = 0, published = 0, publish_ret = 0;

    if (args_parse_batch(&o, argc, argv, &usage_err)) {
        args_batch_free(&o);
        return cli_usage_error("batch", "%s", usage_err.msg);
    }
    if (o.help) {
        args_batch_free(&o);
        usage(stdout);
        return cli_finish_stdout("batch", CLI_OK);
    }
    if (!o.jobs)
        o.jobs = default_jobs();
    /* the preset, --enable and --only as every encode would load them: a mistake there
     * is one message now rather than one failure per episode */
    if (!o.list) {
        if (cli_ladder_load(o.encode.preset, o.encode.enable, o.encode.only, &ladder, &err) < 0) {
            args_batch_free(&o);
            return cli_report("batch", &err, err.code);
        }
        sobre_ladder_free(&ladder);
    }
    if (sobre_series_read(&s, o.source, &err) < 0) {
        args_batch_free(&o);
        return cli_report("batch", &err, err.code);
    }
    if (o.list) {
        ret = list_series(s, o.json);
        goto end;
    }
    if (cli_self_exe(exe, sizeof(exe)) < 0) {
        cli_error("batch", "cannot find the sobre executable (/proc/self/exe)");
        ret = CLI_FAIL;
        goto end;
    }
    if (mkdir(o.out, 0777) < 0 && errno != EEXIST) {
        cli_error("batch", "%s: cannot create the output folder: %s", o.out, strerror(errno));
        ret = CLI_FAIL;
        goto end;
    }
    memset(&r, 0, sizeof(r));
    if ((ret = make_runner(&o, s, exe, &r)) != 0) {
        free_runner(&r);
        goto end;
    }
    memset(&view, 0, sizeof(view));
    view.runner = &r;
    view.json = o.progress == PROGRESS_JSON;
    view.enabled = !o.quiet && o.progress != PROGRESS_NONE;
    view.tty = isatty(STDERR_FILENO);
    r.jobs = o.jobs;
    r.verbose = o.verbose;
    r.interrupt = &interrupted;
    r.on_event = on_event;
    r.opaque = &view;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    t0 = cli_now();
    ret = batch_run(&r);
    if (view.drawn)
        fputc('\n', stderr);
    for (int i = 0; i < r.nb; i++)
        failed += r.episodes[i].state == EP_FAILED;
    if (ret == 0 && o.site)
        publish_ret = publish(&o, exe, &r, &published);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    summary(&o, &r, cli_now() - t0, published, publish_ret);
    if (ret == 0)
        ret = failed || publish_ret ? CLI_FAIL : CLI_OK;
    free_runner(&r);
    if (ret != CLI_INTERRUPTED)
        ret = cli_finish_stdout("batch", ret);
end:
    sobre_series_free(&s);
    args_batch_free(&o);
    return ret;
}
