/* Escaping writers and slugs: hostile titles must come out inert in every format. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "t.h"

typedef void (*Writer)(SobreBuf *, const char *);

static void check(Writer w, const char *in, const char *want)
{
    SobreBuf b;
    sobre_buf_init(&b);
    w(&b, in);
    T_CHECK(!strcmp(sobre_buf_str(&b), want), "in '%s': got '%s', want '%s'", in, sobre_buf_str(&b),
            want);
    sobre_buf_free(&b);
}

static void test_escapes(void)
{
    static const struct {
        Writer w;
        const char *in, *want;
    } cases[] = {
        {sobre_buf_put_html, "<script>alert('x')</script>",
         "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
        {sobre_buf_put_html, "a & \"b\"", "a &amp; &quot;b&quot;"},
        {sobre_buf_put_html, "été 🎬", "été 🎬"},
        {sobre_buf_put_html, "bad \xff byte", "bad \xEF\xBF\xBD byte"},
        {sobre_buf_put_html, "overlong \xC0\xAF", "overlong \xEF\xBF\xBD\xEF\xBF\xBD"},
        {sobre_buf_put_html,
         "nul\x01"
         "bell\x07",
         "nulbell"},
        {sobre_buf_put_html,
         "\xE2\x80\xAE"
         "rtl",
         "\xE2\x80\xAE"
         "rtl"},
        {sobre_buf_put_xml,
         "<a>\xC2\x85"
         "b",
         "&lt;a&gt;b"},
        {sobre_buf_put_xml, "]]>", "]]&gt;"},
        {sobre_buf_put_m3u, "title\n#EXTINF:1,evil\r\nx", "title #EXTINF:1,evil  x"},
        {sobre_buf_put_csv, "plain", "plain"},
        {sobre_buf_put_csv, "a,b", "\"a,b\""},
        {sobre_buf_put_csv, "say \"hi\"", "\"say \"\"hi\"\"\""},
        {sobre_buf_put_csv, "=cmd()", "'=cmd()"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check(cases[i].w, cases[i].in, cases[i].want);
}

static void test_slug(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"Épisode 1 — Le numérique", "episode-1-le-numerique"},
        {"../../etc/passwd", "etc-passwd"},
        {"", "episode"},
        {"..", "episode"},
        {"🎬🎬", "episode"},
        {"Œuvre ÇA", "oeuvre-ca"},
    };
    char out[64];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sobre_slugify(cases[i].in, out, sizeof(out));
        T_EQ_STR(out, cases[i].want);
    }
    sobre_slugify("abcdefghijklmnopqrstuvwxyz", out, 5);
    T_EQ_STR(out, "abcd");
}

static void test_write_file(void)
{
    char dir[] = "/tmp/sobre-strbuf-XXXXXX";
    char path[256], bad[300];
    SobreBuf b;
    SobreError err;
    FILE *f;
    char got[32] = "";
    T_CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    sobre_buf_init(&b);
    sobre_buf_printf(&b, "%s %d", "hello", 42);
    T_EQ_INT(sobre_buf_write_file(&b, path, &err), 0);
    f = fopen(path, "r");
    T_CHECK(f && fgets(got, sizeof(got), f), "read back");
    if (f)
        fclose(f);
    T_EQ_STR(got, "hello 42");
    snprintf(bad, sizeof(bad), "%s/missing/out.txt", dir);
    T_CHECK(sobre_buf_write_file(&b, bad, &err) < 0, "unwritable path must fail");
    T_CONTAINS(err.detail, "missing/out.txt: cannot create");
    sobre_buf_free(&b);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    test_escapes();
    test_slug();
    test_write_file();
    return t_done();
}
