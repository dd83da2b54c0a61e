/* The plain text of a WebVTT file, for the transcript the site shows under each video:
 * cue text only (timings, identifiers, NOTE/STYLE/REGION blocks and markup removed,
 * the entities WebVTT defines decoded). Checking the file is vtt.c's job. */
#include <stdlib.h>
#include <string.h>

#include "vtt.h"

/* Appends one cue line: markup dropped, the entities WebVTT defines decoded. The result
 * is plain text that the HTML writer escapes later. */
static void put_cue_line(SobreBuf *b, const char *s, size_t n)
{
    static const struct {
        const char *name, *text;
    } ents[] = {{"&amp;", "&"},
                {"&lt;", "<"},
                {"&gt;", ">"},
                {"&nbsp;", "\xC2\xA0"},
                {"&lrm;", "\xE2\x80\x8E"},
                {"&rlm;", "\xE2\x80\x8F"},
                {"&quot;", "\""},
                {"&apos;", "'"}};
    size_t i = 0;
    while (i < n) {
        if (s[i] == '<') {
            const char *end = memchr(s + i, '>', n - i);
            i = end ? (size_t)(end - s) + 1 : n;
            continue;
        }
        if (s[i] == '&') {
            size_t k;
            for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
                size_t l = strlen(ents[k].name);
                if (l <= n - i && !memcmp(s + i, ents[k].name, l)) {
                    sobre_buf_puts(b, ents[k].text);
                    i += l;
                    break;
                }
            }
            if (k < sizeof(ents) / sizeof(ents[0]))
                continue;
        }
        sobre_buf_putn(b, s + i, 1);
        i++;
    }
}

static int has_arrow(const char *line, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (!memcmp(line + i, "-->", 3))
            return 1;
    return 0;
}

static int starts_block(const char *line, size_t n, const char *word)
{
    size_t l = strlen(word);
    return n >= l && !memcmp(line, word, l) && (n == l || line[l] == ' ' || line[l] == '\t');
}

/* Walks the file line by line; state 0: between blocks, 1: skipping a block, 2: before
 * the timing line of a cue, 3: in cue text. */
char *sobre_vtt_transcript(const char *text, size_t len)
{
    SobreBuf out, cue, last;
    size_t pos = 0;
    int state = 1; /* the header block is skipped */
    sobre_buf_init(&out);
    sobre_buf_init(&cue);
    sobre_buf_init(&last);
    while (pos <= len) {
        size_t end = pos;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        const char *line = text + pos;
        size_t n = end - pos;
        int blank = n == 0 || strspn(line, " \t") >= n;
        if (blank) {
            if (state == 3 && cue.len && strcmp(sobre_buf_str(&cue), sobre_buf_str(&last))) {
                sobre_buf_printf(&out, "%s\n", sobre_buf_str(&cue));
                sobre_buf_reset(&last);
                sobre_buf_puts(&last, sobre_buf_str(&cue));
            }
            sobre_buf_reset(&cue);
            state = 0;
        } else if (state == 0) {
            if (starts_block(line, n, "NOTE") || starts_block(line, n, "STYLE") ||
                starts_block(line, n, "REGION"))
                state = 1;
            else
                state = 2;
        }
        if (!blank && state == 2 && has_arrow(line, n)) {
            state = 3;
        } else if (!blank && state == 3) {
            if (cue.len)
                sobre_buf_puts(&cue, " ");
            put_cue_line(&cue, line, n);
        }
        if (end < len && text[end] == '\r' && end + 1 < len && text[end + 1] == '\n')
            end++;
        pos = end + 1;
    }
    if (state == 3 && cue.len && strcmp(sobre_buf_str(&cue), sobre_buf_str(&last)))
        sobre_buf_printf(&out, "%s\n", sobre_buf_str(&cue));
    sobre_buf_free(&cue);
    sobre_buf_free(&last);
    if (out.oom) {
        sobre_buf_free(&out);
        return NULL;
    }
    if (!out.data)
        return strdup("");
    while (out.len > 0 && out.data[out.len - 1] == '\n')
        out.data[--out.len] = '\0';
    return out.data;
}
