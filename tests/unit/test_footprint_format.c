/* Footprint tables and their renderings: every rendition x 5 devices x 5 networks,
 * filters, sorting and ratio, CSV quoting (formula-safe), JSON validity and shape (the
 * report.json section publish reads), Markdown and SVG escaping of hostile labels, and
 * a report without sizes refused with the file and member named. */
#include <jansson.h>
#include <stdlib.h>

#include "sobre/footprint.h"
#include "sobre/report.h"
#include "t.h"

static const char report_json[] =
    "{\"schema\": \"sobre.report/1\", \"sobre_version\": \"0.1.0\",\n"
    " \"title\": \"Ep <b>1</b> | \\\"quoted\\\"\", \"description\": \"\",\n"
    " \"source\": {\"file\": \"m.mp4\", \"bytes\": 1000, \"duration_s\": 30},\n"
    " \"encode\": {\"wall_s\": 10, \"cpu_s\": 36, \"energy_uj\": null, \"cores\": 2},\n"
    " \"renditions\": [\n"
    "  {\"id\": \"audio\", \"label\": \"=HYPERLINK(\\\"x\\\"),1\", \"kind\": \"audio\", \"role\": "
    "\"audio\", \"file\": \"audio.webm\", \"mime\": \"audio/webm\", \"bytes\": 120000, "
    "\"duration_s\": 30, \"bitrate_bps\": 32000, \"cpu_s\": 1},\n"
    "  {\"id\": \"vp9-480p\", \"label\": \"<script>alert(1)</script> | *x*\", \"kind\": "
    "\"video\", \"role\": \"sobre\", \"file\": \"v.webm\", \"mime\": \"video/webm\", \"bytes\": "
    "1400000, \"duration_s\": 30, \"bitrate_bps\": 373333, \"cpu_s\": 36}\n"
    " ]}\n";

static SobreFactors *load_default(void)
{
    char path[4096];
    const char *src = getenv("SOBRE_SRC");
    SobreFactors *f = NULL;
    SobreError err = {0};
    snprintf(path, sizeof(path), "%s/presets/factors/fr-2024.yaml", src ? src : ".");
    if (sobre_factors_load(&f, path, &err) < 0)
        fprintf(stderr, "%s\n", err.detail);
    return f;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void check_json(const SobreFootprintTable *t, int want_rows)
{
    char *s = NULL;
    SobreError err = {0};
    json_error_t jerr;
    json_t *root, *table, *r;
    T_EQ_INT(sobre_footprint_render(t, SOBRE_FOOTPRINT_JSON, 0, &s, &err), 0);
    root = s ? json_loads(s, 0, &jerr) : NULL;
    T_CHECK(root != NULL, "JSON parses: %s", s ? jerr.text : "null");
    free(s);
    if (!root)
        return;
    T_EQ_STR(json_string_value(json_object_get(root, "method")), "ademe");
    T_EQ_STR(json_string_value(json_object_get(root, "factors")), "fr-2024");
    table = json_object_get(root, "table");
    T_EQ_INT(json_array_size(table), want_rows);
    T_NEAR(json_real_value(json_object_get(json_array_get(table, 0), "ratio")), 1, 1e-9);
    for (size_t i = 1; i < json_array_size(table); i++) {
        double a =
            json_real_value(json_object_get(json_array_get(table, i - 1), "total_gco2e_per_view"));
        double b =
            json_real_value(json_object_get(json_array_get(table, i), "total_gco2e_per_view"));
        T_CHECK(a >= b, "sorted heaviest first at %zu", i);
    }
    r = json_object_get(json_object_get(root, "renditions"), "vp9-480p");
    T_EQ_STR(json_string_value(json_object_get(r, "device")), "smartphone");
    T_EQ_STR(json_string_value(json_object_get(r, "network")), "mobile-4g-fr");
    T_NEAR(json_real_value(json_object_get(r, "mb_per_view")), 1.4, 1e-9);
    T_CHECK(json_real_value(json_object_get(r, "wh_per_view")) > 0, "wh_per_view");
    T_CHECK(json_real_value(json_object_get(r, "gco2e_per_view")) > 0, "gco2e_per_view");
    T_CHECK(json_is_real(json_object_get(r, "embodied_gco2e_per_view")), "embodied");
    T_CHECK(json_real_value(json_object_get(r, "low")) <=
                json_real_value(json_object_get(r, "high")),
            "low <= high");
    T_CHECK(json_array_size(json_object_get(root, "factors_used")) > 10, "factors_used listed");
    T_NEAR(json_real_value(json_object_get(json_object_get(root, "encoding"), "wh")), 0.035, 1e-9);
    json_decref(root);
}

static void check_csv(const SobreFootprintTable *t)
{
    char *s = NULL;
    SobreError err = {0};
    T_EQ_INT(sobre_footprint_render(t, SOBRE_FOOTPRINT_CSV, 0, &s, &err), 0);
    if (!s)
        return;
    T_CHECK(!strncmp(s, "episode,rendition,label,role,device,network", 43), "header: %.60s", s);
    T_EQ_INT(count_lines(s), 1 + 50);
    T_CONTAINS(s, "\"'=HYPERLINK(\"\"x\"\"),1\""); /* quoted, formula-neutralised */
    T_CONTAINS(s, "\"Ep <b>1</b> | \"\"quoted\"\"\"");
    T_CONTAINS(s, "\r\n");
    free(s);
    T_EQ_INT(sobre_footprint_render(t, SOBRE_FOOTPRINT_CSV, SOBRE_FOOTPRINT_NO_HEADER, &s, &err),
             0);
    T_EQ_INT(s ? count_lines(s) : 0, 50);
    free(s);
}

static void check_escaping(const SobreFootprintTable *t)
{
    char *s = NULL;
    SobreError err = {0};
    T_EQ_INT(sobre_footprint_svg(t, &s, &err), 0);
    if (s) {
        T_CHECK(!strstr(s, "<script"), "no raw <script> in the SVG");
        T_CHECK(!strstr(s, "<b>"), "no raw <b> in the SVG");
        T_CONTAINS(s, "&lt;script&gt;alert(1)&lt;/script&gt;");
        T_CONTAINS(s, "Ep &lt;b&gt;1&lt;/b&gt;");
        T_CHECK(!strncmp(s, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39), "SVG root");
    }
    free(s);
    T_EQ_INT(sobre_footprint_render(t, SOBRE_FOOTPRINT_MD, SOBRE_FOOTPRINT_EXPLAIN, &s, &err), 0);
    if (s) {
        T_CHECK(!strstr(s, "<script"), "no raw <script> in Markdown");
        T_CONTAINS(s, "&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*x\\*");
        T_CONTAINS(s, "### Method ademe");
    }
    free(s);
    T_EQ_INT(sobre_footprint_render(t, SOBRE_FOOTPRINT_TEXT, SOBRE_FOOTPRINT_EXPLAIN, &s, &err), 0);
    if (s) {
        T_CONTAINS(s, "rendition    device");
        T_CONTAINS(s, "ADEME Base Empreinte"); /* a source, from --explain */
        T_CONTAINS(s, "[DERIVED]");
        T_CONTAINS(s, "Encoding: 36.0 CPU-s");
    }
    free(s);
}

static void check_filters_and_section(SobreReport *r, const SobreFactors *f)
{
    SobreFootprintOptions o = {SOBRE_METHOD_ADEME, 1000, 1u << SOBRE_DEVICE_TV, 0};
    SobreFootprintTable *t = NULL;
    SobreError err = {0};
    char *s = NULL, *back;
    T_EQ_INT(sobre_footprint_table_new(&t, r, "r.json", f, &o, &err), 0);
    T_EQ_INT(sobre_footprint_table_size(t), 2 * SOBRE_NETWORK_COUNT);
    /* the section keeps every row whatever the filters */
    T_EQ_INT(sobre_footprint_section(t, &s, &err), 0);
    T_EQ_INT(sobre_report_set_section(r, "footprint", s, &err), 0);
    free(s);
    back = sobre_report_get_section(r, NULL, "footprint");
    if (back) {
        json_t *j = json_loads(back, 0, NULL);
        T_EQ_INT(json_array_size(json_object_get(j, "table")), 50);
        T_EQ_INT(json_integer_value(json_object_get(j, "views")), 1000);
        T_CHECK(json_is_real(json_object_get(json_object_get(j, "encoding"), "wh_per_view")),
                "encoding share per view");
        json_decref(j);
    }
    T_CHECK(back != NULL, "section stored");
    free(back);
    sobre_footprint_table_free(&t);
}

static void check_no_sizes(const SobreFactors *f)
{
    static const char j[] =
        "{\"schema\": \"sobre.report/1\", \"sobre_version\": \"0.1.0\", \"title\": \"t\",\n"
        " \"source\": {\"file\": \"m.mp4\", \"bytes\": 1, \"duration_s\": 30},\n"
        " \"renditions\": [{\"id\": \"a\", \"kind\": \"audio\", \"role\": \"audio\", \"file\": "
        "\"a.webm\", \"mime\": \"audio/webm\", \"bytes\": 0, \"duration_s\": 30, \"bitrate_bps\": "
        "0}]}";
    SobreReport *r = NULL;
    SobreFootprintTable *t = NULL;
    SobreFootprintOptions o = {0};
    SobreError err = {0};
    T_EQ_INT(sobre_report_parse(&r, "nosize.json", j, strlen(j), &err), 0);
    if (!r)
        return;
    T_CHECK(sobre_footprint_table_new(&t, r, "nosize.json", f, &o, &err) < 0, "no size refused");
    T_CHECK(t == NULL, "no table");
    T_CONTAINS(err.detail, "nosize.json: renditions[0] ('a'): field 'bytes' is 0");
    sobre_report_free(&r);
}

int main(void)
{
    SobreFactors *f = load_default();
    SobreReport *r = NULL;
    SobreFootprintTable *t = NULL;
    SobreFootprintOptions o = {SOBRE_METHOD_ADEME, 0, 0, 0};
    SobreError err = {0};
    T_CHECK(f != NULL, "factors load");
    T_EQ_INT(sobre_report_parse(&r, "r.json", report_json, strlen(report_json), &err), 0);
    if (!f || !r)
        return t_done();
    T_EQ_INT(sobre_footprint_table_new(&t, r, "r.json", f, &o, &err), 0);
    T_EQ_INT(sobre_footprint_table_size(t), 2 * SOBRE_DEVICE_COUNT * SOBRE_NETWORK_COUNT);
    if (t) {
        check_json(t, 50);
        check_csv(t);
        check_escaping(t);
    }
    sobre_footprint_table_free(&t);
    check_filters_and_section(r, f);
    check_no_sizes(f);
    sobre_report_free(&r);
    sobre_factors_free(&f);
    return t_done();
}
