/* Growable text buffer, escaping writers and the atomic file writer (see strbuf.h).
 * UTF-8 is validated here once so that every output format gets the same guarantees. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

void sobre_buf_init(SobreBuf *b)
{
    memset(b, 0, sizeof(*b));
}

void sobre_buf_free(SobreBuf *b)
{
    free(b->data);
    sobre_buf_init(b);
}

void sobre_buf_reset(SobreBuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *sobre_buf_str(const SobreBuf *b)
{
    return b->data ? b->data : "";
}

static int grow(SobreBuf *b, size_t extra)
{
    size_t need;
    char *n;
    if (b->oom)
        return -1;
    if (extra > ((size_t)-1) / 2 - b->len) {
        b->oom = 1;
        return -1;
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    n = realloc(b->data, cap);
    if (!n) {
        b->oom = 1;
        return -1;
    }
    b->data = n;
    b->cap = cap;
    return 0;
}

void sobre_buf_putn(SobreBuf *b, const char *s, size_t n)
{
    if (grow(b, n) < 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sobre_buf_puts(SobreBuf *b, const char *s)
{
    sobre_buf_putn(b, s, strlen(s));
}

void sobre_buf_printf(SobreBuf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    int n;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && grow(b, (size_t)n) == 0) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

/* Decodes one UTF-8 sequence at s; returns its length and the code point in *cp, or 0
 * when the bytes are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF). */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

int sobre_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t n;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        n = (s[i] & 0xE0) == 0xC0 ? 2 : (s[i] & 0xF0) == 0xE0 ? 3 : (s[i] & 0xF8) == 0xF0 ? 4 : 0;
        if (!n || i + n > len || utf8_next(s + i, &cp) != n)
            return 0;
        i += n;
    }
    return 1;
}

enum { ESC_HTML, ESC_XML, ESC_M3U, ESC_PLAIN };

static void put_escaped(SobreBuf *b, const char *str, int mode)
{
    const unsigned char *s = (const unsigned char *)str;
    while (s && *s) {
        unsigned cp;
        size_t n = utf8_next(s, &cp);
        if (n == 0) {
            sobre_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD */
            s++;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F) {
            int keep = (cp == '\t' || cp == '\n') && mode != ESC_M3U;
            if (keep)
                sobre_buf_putn(b, (const char *)s, 1);
            else if (mode == ESC_M3U)
                sobre_buf_puts(b, " ");
            s += n;
            continue;
        }
        /* Characters XML 1.0 does not allow at all. */
        if (mode == ESC_XML && (cp == 0xFFFE || cp == 0xFFFF || (cp >= 0x80 && cp <= 0x9F))) {
            s += n;
            continue;
        }
        if (mode == ESC_HTML || mode == ESC_XML) {
            const char *rep = NULL;
            switch (cp) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = "&quot;";
                break;
            case '\'':
                rep = "&#39;";
                break;
            default:
                break;
            }
            if (rep) {
                sobre_buf_puts(b, rep);
                s += n;
                continue;
            }
        }
        sobre_buf_putn(b, (const char *)s, n);
        s += n;
    }
}

void sobre_buf_put_html(SobreBuf *b, const char *s)
{
    put_escaped(b, s, ESC_HTML);
}

void sobre_buf_put_xml(SobreBuf *b, const char *s)
{
    put_escaped(b, s, ESC_XML);
}

void sobre_buf_put_m3u(SobreBuf *b, const char *s)
{
    put_escaped(b, s, ESC_M3U);
}

void sobre_buf_put_csv(SobreBuf *b, const char *s)
{
    SobreBuf clean;
    int quote;
    const char *c;
    sobre_buf_init(&clean);
    /* The formula guard looks at the cleaned text: a dropped control character in front
     * of '=' must not let the '=' through (found by tests/fuzz/fuzz_escape.c). */
    put_escaped(&clean, s, ESC_PLAIN);
    c = sobre_buf_str(&clean);
    quote = strpbrk(c, ",\"\n\r") != NULL;
    if (quote)
        sobre_buf_puts(b, "\"");
    if (*c == '=' || *c == '+' || *c == '-' || *c == '@')
        sobre_buf_puts(b, "'");
    for (const char *p = c; *p; p++) {
        if (*p == '"')
            sobre_buf_puts(b, "\"\"");
        else
            sobre_buf_putn(b, p, 1);
    }
    if (quote)
        sobre_buf_puts(b, "\"");
    b->oom |= clean.oom;
    sobre_buf_free(&clean);
}

int sobre_buf_write_file(const SobreBuf *b, const char *path, SobreError *err)
{
    char tmp[4096];
    int fd, ret = 0;
    size_t off = 0;

    if (b->oom)
        return sobre_fail(err, -ENOMEM, "%s: out of memory while building the file", path);
    if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
        return sobre_fail(err, -ENAMETOOLONG, "%s: path too long", path);
    fd = mkstemp(tmp);
    if (fd < 0)
        return sobre_fail(err, -errno, "%s: cannot create: %s", path, strerror(errno));
    while (off < b->len) {
        ssize_t w = write(fd, b->data + off, b->len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            ret = sobre_fail(err, -errno, "%s: cannot write: %s", path, strerror(errno));
            break;
        }
        off += (size_t)w;
    }
    if (!ret && fsync(fd) < 0)
        ret = sobre_fail(err, -errno, "%s: cannot write: %s", path, strerror(errno));
    /* mkstemp makes 0600; published files must be readable by the web server. */
    if (!ret && fchmod(fd, 0644) < 0)
        ret = sobre_fail(err, -errno, "%s: cannot set permissions: %s", path, strerror(errno));
    if (close(fd) < 0 && !ret)
        ret = sobre_fail(err, -errno, "%s: cannot write: %s", path, strerror(errno));
    if (!ret && rename(tmp, path) < 0)
        ret = sobre_fail(err, -errno, "%s: cannot replace: %s", path, strerror(errno));
    if (ret)
        unlink(tmp);
    return ret;
}

/* Folds the Latin-1 supplement and Latin Extended-A letters French needs to ASCII. */
static const char *fold_latin(unsigned cp)
{
    static const struct {
        unsigned lo, hi;
        const char *c;
    } map[] = {
        {0xC0, 0xC5, "a"},    {0xC7, 0xC7, "c"},   {0xC8, 0xCB, "e"},  {0xCC, 0xCF, "i"},
        {0xD1, 0xD1, "n"},    {0xD2, 0xD6, "o"},   {0xD9, 0xDC, "u"},  {0xDD, 0xDD, "y"},
        {0xE0, 0xE5, "a"},    {0xE7, 0xE7, "c"},   {0xE8, 0xEB, "e"},  {0xEC, 0xEF, "i"},
        {0xF1, 0xF1, "n"},    {0xF2, 0xF6, "o"},   {0xF9, 0xFC, "u"},  {0xFD, 0xFF, "y"},
        {0x152, 0x153, "oe"}, {0x178, 0x178, "y"}, {0xC6, 0xC6, "ae"}, {0xE6, 0xE6, "ae"},
        {0xDF, 0xDF, "ss"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (cp >= map[i].lo && cp <= map[i].hi)
            return map[i].c;
    return NULL;
}

void sobre_slugify(const char *str, char *out, size_t size)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t len = 0;
    int dash = 0;
    if (size == 0)
        return;
    while (*s && len + 1 < size) {
        unsigned cp;
        size_t n = utf8_next(s, &cp);
        char one[2] = {0, 0};
        const char *c = NULL;
        if (n == 0)
            n = 1, cp = 0;
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
            one[0] = (char)cp, c = one;
        else if (cp >= 'A' && cp <= 'Z')
            one[0] = (char)(cp - 'A' + 'a'), c = one;
        else
            c = fold_latin(cp);
        if (c) {
            if (dash && len > 0 && len + 2 < size)
                out[len++] = '-';
            for (; *c && len + 1 < size; c++)
                out[len++] = *c;
            dash = 0;
        } else {
            dash = 1;
        }
        s += n;
    }
    out[len] = '\0';
    if (len == 0)
        snprintf(out, size, "%s", "episode");
}

int sobre_file_read(const char *path, size_t max, const char *what, char **out, size_t *len,
                    SobreError *err)
{
    FILE *f;
    char *buf = NULL;
    size_t n = 0, cap = 0;

    *out = NULL;
    *len = 0;
    f = fopen(path, "rb");
    if (!f)
        return sobre_fail(err, -errno, "%s: cannot open: %s", path, strerror(errno));
    for (;;) {
        size_t got;
        if (n + 4096 > cap) {
            char *grown;
            cap = cap ? cap * 2 : 8192;
            if (cap > max + 8192) {
                free(buf);
                fclose(f);
                return sobre_fail(err, SOBRE_E_INVALID, "%s: larger than %zu KiB, not a %s", path,
                                  max >> 10, what);
            }
            if (!(grown = realloc(buf, cap))) {
                free(buf);
                fclose(f);
                return sobre_fail(err, -ENOMEM, "%s: out of memory", path);
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f) || n > max) {
        free(buf);
        fclose(f);
        return n > max ? sobre_fail(err, SOBRE_E_INVALID, "%s: larger than %zu KiB, not a %s", path,
                                    max >> 10, what)
                       : sobre_fail(err, -EIO, "%s: read error", path);
    }
    fclose(f);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}
