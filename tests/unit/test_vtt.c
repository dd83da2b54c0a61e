/* WebVTT checker and writer: accepted files, refused files with the line, and cue
 * escaping (a subtitle cannot inject markup or end its cue early). */
#include "t.h"
#include "vtt.h"

static void test_check(void)
{
    static const struct {
        const char *text;
        int want; /* cues, or -1 for an error containing msg */
        const char *msg;
    } cases[] = {
        {"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", 1, NULL},
        {"\xEF\xBB\xBFWEBVTT - title\n\n1\n00:00:01.000 --> 00:00:02.500 align:start\nA\n\n"
         "00:00:03.000 --> 00:00:04.000\nB\n",
         2, NULL},
        {"WEBVTT\n", 0, NULL},
        {"WEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\nHi\r\n", 1, NULL},
        {"1\n00:00:01,000 --> 00:00:02,000\nSRT\n", -1, ":1: not a WebVTT file"},
        {"WEBVTTX\n", -1, "not a WebVTT file"},
        {"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nSRT comma\n", -1, ":3: bad cue timing"},
        {"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nback\n", -1, ":3: cue ends before"},
        {"WEBVTT\n\n00:00:01.000 --> 00:99:02.000\nx\n", -1, "bad cue end time"},
        {"WEBVTT\n\n\xff\xfe bad\n", -1, "not a UTF-8 text file"},
        {"", -1, "not a WebVTT file"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SobreError err;
        int r;
        sobre_error_clear(&err);
        r = sobre_vtt_check("c.vtt", cases[i].text, strlen(cases[i].text), &err);
        if (cases[i].want >= 0) {
            T_CHECK(r == cases[i].want, "case %zu: %d cues (%s)", i, r, err.detail);
        } else {
            T_CHECK(r < 0, "case %zu must fail", i);
            T_CONTAINS(err.detail, cases[i].msg);
        }
    }
}

static void test_write(void)
{
    SobreBuf b;
    SobreError err;
    sobre_buf_init(&b);
    sobre_vtt_begin(&b);
    sobre_vtt_cue(&b, 1, 0.2, 1.0, "Bonjour <b>tout</b> & le monde");
    sobre_vtt_cue(&b, 2, 3661.5, 3662.25, "\n\nline one\n\n\nline two -->\n");
    T_EQ_STR(sobre_buf_str(&b), "WEBVTT\n\n"
                                "1\n00:00:00.200 --> 00:00:01.000\n"
                                "Bonjour &lt;b&gt;tout&lt;/b&gt; &amp; le monde\n\n"
                                "2\n01:01:01.500 --> 01:01:02.250\n"
                                "line one\nline two --&gt;\n\n");
    T_EQ_INT(sobre_vtt_check("w.vtt", b.data, b.len, &err), 2);
    sobre_buf_free(&b);
}

int main(void)
{
    test_check();
    test_write();
    return t_done();
}
