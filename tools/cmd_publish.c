/* sobre publish: builds the static playlist site from encoded episode folders. Parses
 * the options, finds the site assets (presets/site), lets Ctrl-C cancel cleanly (the
 * previous site stays) and prints what was done, as text or --json. */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args_cmd.h"
#include "cli.h"
#include "cmd.h"
#include "sobre/publish.h"

static volatile sig_atomic_t interrupted;
static volatile int cancel_flag;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
    cancel_flag = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: sobre publish EPISODE_DIR... -o SITE [options]\n\n"
            "Builds a static site (index.html, playlists, podcast, manifest.json,\n"
            "ecoconception.html, server samples) from folders made by 'sobre encode'.\n"
            "Publishing again updates SITE in one step; unchanged media are not copied.\n\n"
            "Options:\n"
            "  -o, --output SITE      the site folder (new, empty, or an earlier site)\n"
            "  --title T              site title (default: \"Vidéos\" / \"Videos\")\n"
            "  --description D        text under the title\n"
            "  --lang fr|en           interface language (default fr)\n"
            "  --base-url URL         absolute address of the site, for podcast.xml\n"
            "  --per-page N           episodes per page (default %d)\n"
            "  --factors FILE|NAME    footprint factors on top of presets/factors/fr-2024.yaml\n"
            "                         (a name such as eu-2024 is a shipped preset); repeatable\n"
            "  --method M             footprint method: ademe (default), attributional, power,\n"
            "                         swd4, onebyte\n"
            "  --views N              views the footprint page totals (default %d)\n"
            "  --json                 print what was done as JSON on stdout\n"
            "  -q, --quiet            print nothing on success\n"
            "  -v, --verbose          tell each episode read\n"
            "  -h, --help             this help\n\n"
            "The per-view footprint is computed here from the files as published, as\n"
            "'sobre footprint' does; the server samples go to SITE-admin, outside the site.\n",
            SOBRE_PUBLISH_PER_PAGE, SOBRE_PUBLISH_VIEWS);
}

static void print_result(const PublishOpts *o, const SobrePublishStats *st)
{
    if (o->json) {
        json_t *j = json_pack(
            "{s:s,s:i,s:i,s:i,s:i,s:i,s:I,s:I,s:I,s:i}", "site", o->out, "episodes", st->episodes,
            "pages", st->pages, "files_reused", st->files_reused, "files_linked", st->files_linked,
            "files_copied", st->files_copied, "bytes_copied", (json_int_t)st->bytes_copied,
            "media_bytes", (json_int_t)st->media_bytes, "first_page_bytes",
            (json_int_t)st->first_page_bytes, "first_page_requests", st->first_page_requests);
        if (j) {
            json_dumpf(j, stdout, JSON_INDENT(2));
            fputc('\n', stdout);
            json_decref(j);
        }
        return;
    }
    if (o->quiet)
        return;
    printf("%s: %d episode(s), %d page(s); media: %d reused, %d linked, %d copied (%.1f MB); "
           "first page: %d requests, %.1f kB with posters\n",
           o->out, st->episodes, st->pages, st->files_reused, st->files_linked, st->files_copied,
           (double)st->bytes_copied / 1e6, st->first_page_requests,
           (double)st->first_page_bytes / 1e3);
}

int cmd_publish(int argc, char **argv)
{
    PublishOpts o;
    SobrePublishStats st;
    SobreError err;
    CliArgError usage_err;
    SobreFactors *factors = NULL;
    char assets[4096];
    int ret;

    if (args_parse_publish(&o, argc, argv, &usage_err))
        return cli_usage_error("publish", "%s", usage_err.msg);
    if (o.help) {
        usage(stdout);
        return cli_finish_stdout("publish", CLI_OK);
    }
    if (cli_data_path("site/style.css", assets, sizeof(assets)) < 0) {
        cli_error("publish", "site assets not found (presets/site/style.css); set SOBRE_DATADIR");
        return CLI_FAIL;
    }
    *strrchr(assets, '/') = '\0';
    if ((ret = cli_load_factors("publish", o.factors, o.nb_factors, &factors)) >= 0)
        return ret;
    o.set.factors = factors;
    o.set.assets_dir = assets;
    o.set.cancel = &cancel_flag;
    o.set.logger.callback = cli_log_callback;
    o.set.logger.opaque = (void *)"publish";
    o.set.logger.level =
        o.verbose ? SOBRE_LOG_INFO : (o.quiet ? SOBRE_LOG_ERROR : SOBRE_LOG_WARNING);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    sobre_error_clear(&err);
    ret = sobre_publish_site(&o.set, o.episodes, o.nb_episodes, o.out, &st, &err);
    sobre_factors_free(&factors);
    if (ret < 0)
        return interrupted ? CLI_INTERRUPTED : cli_report("publish", &err, ret);
    print_result(&o, &st);
    return cli_finish_stdout("publish", CLI_OK);
}
