/* sobre publish's option parser: defaults, every option in its forms, --per-page values,
 * languages, unknown options and the episode operands, one table row per command line. */
#include "args_cmd.h"
#include "t_args.h"

static int parse(void *o, int argc, char **argv, CliArgError *err)
{
    return args_parse_publish(o, argc, argv, err);
}

static void dump(const void *opts, TDump *d)
{
    const PublishOpts *o = opts;
    char eps[512] = "";
    for (int i = 0; i < o->nb_episodes; i++)
        snprintf(eps + strlen(eps), sizeof(eps) - strlen(eps), "%s%s", i ? "," : "",
                 o->episodes[i]);
    t_field(d, "help", "%d", o->help);
    t_field(d, "out", "%s", t_str(o->out));
    t_field(d, "episodes", "%s", eps);
    t_field(d, "title", "%s", t_str(o->set.title));
    t_field(d, "description", "%s", t_str(o->set.description));
    t_field(d, "lang", "%s", t_str(o->set.lang));
    t_field(d, "base_url", "%s", t_str(o->set.base_url));
    t_field(d, "per_page", "%d", o->set.per_page);
    t_field(d, "factors", "%d:%s", o->nb_factors,
            o->nb_factors ? o->factors[o->nb_factors - 1] : "");
    t_field(d, "method", "%d", o->set.method);
    t_field(d, "views", "%ld", (long)o->set.views);
    t_field(d, "json", "%d", o->json);
    t_field(d, "quiet", "%d", o->quiet);
    t_field(d, "verbose", "%d", o->verbose);
}

static const TArgsRow rows[] = {
    /* every option, short and long, --opt=value, anywhere */
    {{"ep1", "-o", "site"}, 0, ""},
    {{"ep1", "--output", "other"}, 0, "out=other"},
    {{"--output=other", "ep1"}, 0, "out=other"},
    {{"-oother", "ep1"}, 0, "out=other"},
    {{"-o", "site", "ep1", "--title", "Vidéos du ministère"}, 0, "title=Vidéos du ministère"},
    {{"-o", "site", "ep1", "--title="}, 0, "title="},
    {{"-o", "site", "ep1", "--description", "D"}, 0, "description=D"},
    {{"-o", "site", "ep1", "--lang", "en"}, 0, "lang=en"},
    {{"-o", "site", "ep1", "--lang=fr"}, 0, ""},
    {{"-o", "site", "ep1", "--base-url", "https://x.fr/v/"}, 0, "base_url=https://x.fr/v/"},
    {{"-o", "site", "ep1", "--per-page", "1"}, 0, "per_page=1"},
    {{"-o", "site", "ep1", "--per-page=100"}, 0, "per_page=100"},
    {{"-o", "site", "ep1", "--factors", "eu-2024"}, 0, "factors=1:eu-2024"},
    {{"-o", "site", "ep1", "--factors", "a.yaml", "--factors=b.yaml"}, 0, "factors=2:b.yaml"},
    {{"-o", "site", "ep1", "--method", "swd4"}, 0, "method=3"},
    {{"-o", "site", "ep1", "--views", "5000"}, 0, "views=5000"},
    {{"-o", "site", "ep1", "--json"}, 0, "json=1"},
    {{"-o", "site", "ep1", "-q"}, 0, "quiet=1"},
    {{"-o", "site", "ep1", "--quiet"}, 0, "quiet=1"},
    {{"-o", "site", "ep1", "-v"}, 0, "verbose=1"},
    {{"-o", "site", "ep1", "--verbose"}, 0, "verbose=1"},
    {{"-h"}, 0, "help=1 out=NULL episodes="},
    {{"--help", "--lang", "de"}, 0, "help=1 out=NULL episodes="},
    /* operands */
    {{"a", "-o", "site", "b", "c"}, 0, "episodes=a,b,c"},
    {{"-o", "site", "--", "-ep"}, 0, "episodes=-ep"},
    {{"ep1"}, CLI_USAGE, "no site folder: give -o SITE"},
    {{NULL}, CLI_USAGE, "no site folder: give -o SITE"},
    {{"-o", "site"}, CLI_USAGE, "no episode folder given"},
    /* bad values */
    {{"-o", "site", "ep1", "--lang", "de"}, CLI_USAGE, "--lang: 'de' is not available (fr, en)"},
    {{"-o", "site", "ep1", "--per-page", "0"},
     CLI_USAGE,
     "--per-page: '0' is not a number from 1 to 100"},
    {{"-o", "site", "ep1", "--per-page", "101"},
     CLI_USAGE,
     "--per-page: '101' is not a number from 1 to 100"},
    {{"-o", "site", "ep1", "--per-page", "-3"},
     CLI_USAGE,
     "--per-page: '-3' is not a number from 1 to 100"},
    {{"-o", "site", "ep1", "--per-page", "ten"},
     CLI_USAGE,
     "--per-page: 'ten' is not a number from 1 to 100"},
    {{"-o", "site", "ep1", "--method", "magic"},
     CLI_USAGE,
     "unknown method 'magic'; known: ademe, attributional, power, swd4, onebyte"},
    {{"-o", "site", "ep1", "--views", "0"},
     CLI_USAGE,
     "--views '0': expected a whole number of views from 1"},
    {{"-o", "site", "ep1", "--factors", ""}, CLI_USAGE, "--factors needs a file"},
    /* missing values, unknown options */
    {{"ep1", "-o"}, CLI_USAGE, "-o needs a value (SITE)"},
    {{"ep1", "--output"}, CLI_USAGE, "--output needs a value (SITE)"},
    {{"-o", "site", "ep1", "--title"}, CLI_USAGE, "--title needs a value (T)"},
    {{"-o", "site", "ep1", "--json=1"}, CLI_USAGE, "--json takes no value"},
    {{"-o", "site", "ep1", "--bogus"}, CLI_USAGE, "unknown option '--bogus'"},
    {{"-o", "site", "ep1", "-x"}, CLI_USAGE, "unknown option '-x'"},
};

int main(void)
{
    PublishOpts o;
    TDump d = {0};
    CliArgError err;
    char text[1024];
    long printed;
    static const char *const base[] = {"ep1", "-o", "site", NULL};

    T_EQ_INT(t_parse_quiet(parse, &o, "publish", base, &err, &printed), 0);
    dump(&o, &d);
    t_dump_diff(&d, NULL, text, sizeof(text));
    T_EQ_STR(text, "help=0 out=site episodes=ep1 title=NULL description=NULL lang=fr "
                   "base_url=NULL per_page=10 factors=0: method=0 views=1000 json=0 quiet=0 "
                   "verbose=0");
    t_args_table("publish", rows, sizeof(rows) / sizeof(rows[0]), &o, base, parse, dump, NULL);
    return t_done();
}
