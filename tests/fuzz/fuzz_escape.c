/* Fuzz target: the escaping writers every title and description goes through (HTML,
 * XML, M3U, CSV) and the slug used for file names. Invariants: no raw < > " ' from the
 * input in HTML/XML, valid UTF-8 out, no C0 controls, M3U stays on one line, a CSV field
 * is one well-quoted cell, a slug is [a-z0-9-]+ and never "." or "..". */
#include "strbuf.h"

#include "fuzz.h"

static void no_controls(const char *s, size_t n, int allow_newline)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t')
            FUZZ_CHECK(allow_newline && c == '\n');
    }
}

static void check_markup(void (*put)(SobreBuf *, const char *), const char *in)
{
    SobreBuf b;
    sobre_buf_init(&b);
    sobre_buf_puts(&b, "<p title=\"");
    size_t start = b.len;
    put(&b, in);
    FUZZ_CHECK(!b.oom);
    const char *out = sobre_buf_str(&b) + start;
    size_t n = b.len - start;
    FUZZ_CHECK(strlen(out) == n);
    FUZZ_CHECK(!strpbrk(out, "<>\"'"));
    FUZZ_CHECK(fuzz_utf8_valid(out, n));
    no_controls(out, n, 1);
    /* Every & starts an entity: a later decode cannot be fooled into markup. */
    for (const char *a = strchr(out, '&'); a; a = strchr(a + 1, '&')) {
        const char *semi = strchr(a, ';');
        FUZZ_CHECK(semi && semi - a <= 8);
    }
    sobre_buf_free(&b);
}

static void check_m3u(const char *in)
{
    SobreBuf b;
    sobre_buf_init(&b);
    sobre_buf_put_m3u(&b, in);
    FUZZ_CHECK(!strchr(sobre_buf_str(&b), '\n'));
    FUZZ_CHECK(!strchr(sobre_buf_str(&b), '\r'));
    FUZZ_CHECK(fuzz_utf8_valid(sobre_buf_str(&b), b.len));
    no_controls(sobre_buf_str(&b), b.len, 0);
    sobre_buf_free(&b);
}

static void check_csv(const char *in)
{
    SobreBuf b;
    sobre_buf_init(&b);
    sobre_buf_put_csv(&b, in);
    const char *s = sobre_buf_str(&b);
    FUZZ_CHECK(fuzz_utf8_valid(s, b.len));
    if (b.len && s[0] == '"') {
        /* Quoted: every inner quote doubled, closing quote last. */
        FUZZ_CHECK(b.len >= 2 && s[b.len - 1] == '"');
        for (size_t i = 1; i + 1 < b.len; i++)
            if (s[i] == '"')
                FUZZ_CHECK(s[++i] == '"' && i + 1 < b.len);
    } else {
        FUZZ_CHECK(!strpbrk(s, ",\"\n\r"));
    }
    const char *cell = b.len && s[0] == '"' ? s + 1 : s;
    FUZZ_CHECK(!strchr("=+-@", cell[0]) || cell[0] == '\0');
    sobre_buf_free(&b);
}

static void check_slug(const char *in)
{
    char slug[48];
    sobre_slugify(in, slug, sizeof(slug));
    size_t n = strlen(slug);
    FUZZ_CHECK(n > 0 && n < sizeof(slug));
    FUZZ_CHECK(strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") == n);
    FUZZ_CHECK(strcmp(slug, ".") && strcmp(slug, ".."));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    if (!in)
        return 0;
    check_markup(sobre_buf_put_html, in);
    check_markup(sobre_buf_put_xml, in);
    check_m3u(in);
    check_csv(in);
    check_slug(in);
    free(in);
    return 0;
}
