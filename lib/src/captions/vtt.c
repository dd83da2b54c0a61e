/* WebVTT checker and writer. The checker follows the parsing rules that matter for a
 * browser to accept the file (signature, cue timings); cue payloads are not rendered
 * here, only required to be valid UTF-8. */
#include <stdio.h>
#include <string.h>

#include "strbuf.h"
#include "vtt.h"

/* Parses "hh:mm:ss.ttt" or "mm:ss.ttt" at *p; returns seconds or -1. */
static double parse_ts(const char **p)
{
    const char *s = *p;
    long parts[3];
    int n = 0;
    while (n < 3) {
        long v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s++ - '0');
            if (++digits > 9)
                return -1;
        }
        if (!digits)
            return -1;
        parts[n++] = v;
        if (*s != ':')
            break;
        s++;
    }
    if (*s != '.' || n < 2)
        return -1;
    s++;
    if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'))
        return -1;
    double ms = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    s += 3;
    long h = n == 3 ? parts[0] : 0, m = parts[n - 2], sec = parts[n - 1];
    if (m > 59 || sec > 59)
        return -1;
    *p = s;
    return h * 3600.0 + m * 60.0 + sec + ms / 1000.0;
}

static const char *find_arrow(const char *p, const char *end)
{
    for (; p + 3 <= end; p++)
        if (p[0] == '-' && p[1] == '-' && p[2] == '>')
            return p;
    return NULL;
}

int sobre_vtt_check(const char *name, const char *text, size_t len, SobreError *err)
{
    const char *p = text, *end = text + len;
    int line = 1, cues = 0;

    if (memchr(text, '\0', len) || !sobre_utf8_valid(text, len))
        return sobre_fail(err, SOBRE_E_PARSE, "%s: not a UTF-8 text file", name);
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    if ((size_t)(end - p) < 6 || memcmp(p, "WEBVTT", 6) ||
        (end - p > 6 && p[6] != ' ' && p[6] != '\t' && p[6] != '\n' && p[6] != '\r'))
        return sobre_fail(err, SOBRE_E_PARSE,
                          "%s:1: not a WebVTT file (it must start with the line \"WEBVTT\")", name);
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        const char *arrow = find_arrow(p, eol ? eol : end);
        if (arrow) {
            const char *q = p;
            double a, b;
            while (*q == ' ' || *q == '\t')
                q++;
            a = parse_ts(&q);
            while (*q == ' ' || *q == '\t')
                q++;
            if (a < 0 || strncmp(q, "-->", 3))
                return sobre_fail(err, SOBRE_E_PARSE,
                                  "%s:%d: bad cue timing (expected \"00:00:01.000 --> "
                                  "00:00:02.500\")",
                                  name, line);
            q += 3;
            while (*q == ' ' || *q == '\t')
                q++;
            b = parse_ts(&q);
            if (b < 0)
                return sobre_fail(err, SOBRE_E_PARSE, "%s:%d: bad cue end time", name, line);
            if (b < a)
                return sobre_fail(err, SOBRE_E_PARSE, "%s:%d: cue ends before it starts", name,
                                  line);
            cues++;
        }
        p = next;
        line++;
    }
    return cues;
}

void sobre_vtt_begin(SobreBuf *b)
{
    sobre_buf_puts(b, "WEBVTT\n\n");
}

static void put_ts(SobreBuf *b, double t)
{
    long ms = t < 0 ? 0 : (long)(t * 1000.0 + 0.5);
    sobre_buf_printf(b, "%02ld:%02ld:%02ld.%03ld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
                     ms % 1000);
}

void sobre_vtt_cue(SobreBuf *b, int index, double start_s, double end_s, const char *text)
{
    SobreBuf esc;
    const char *s;
    int nl = 0;
    sobre_buf_init(&esc);
    sobre_buf_put_html(&esc, text); /* &, <, > (quotes are harmless but escaped too) */
    sobre_buf_printf(b, "%d\n", index);
    put_ts(b, start_s);
    sobre_buf_puts(b, " --> ");
    put_ts(b, end_s < start_s ? start_s : end_s);
    sobre_buf_puts(b, "\n");
    /* A blank line would end the cue: collapse runs of newlines, trim the ends. */
    s = sobre_buf_str(&esc);
    while (*s == '\n')
        s++;
    for (; *s; s++) {
        if (*s == '\n') {
            nl = 1;
            continue;
        }
        if (nl)
            sobre_buf_puts(b, "\n");
        nl = 0;
        sobre_buf_putn(b, s, 1);
    }
    sobre_buf_puts(b, "\n\n");
    b->oom |= esc.oom;
    sobre_buf_free(&esc);
}
