/* WebVTT checker, transcript and writer: accepted files, refused files with the line,
 * the transcript publish shows (cue text only, entities decoded), and cue escaping (a
 * subtitle cannot inject markup or end its cue early). */
#include <stdlib.h>

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

static void test_transcript(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n", "Hello"},
        {"WEBVTT - title\r\n\r\nNOTE hidden\r\nnote\r\n\r\nid-1\r\n00:00.000 --> 00:01.000 "
         "line:0\r\n<v Ann>Hi &amp; <i>bye</i></v>\r\ntwo\r\n\r\n00:01.000 --> 00:02.000\r\nnext",
         "Hi & bye two\nnext"},
        {"WEBVTT\n\nSTYLE\n::cue { color: red }\n\n00:00.000 --> 00:01.000\n&lt;script&gt;\n\n"
         "00:01.000 --> 00:02.000\n&lt;script&gt;\n",
         "<script>"},
        {"\xEF\xBB\xBFWEBVTT\n", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *t = sobre_vtt_transcript(cases[i].in, strlen(cases[i].in));
        T_CHECK(t && !strcmp(t, cases[i].want), "case %zu: got '%s'", i, t ? t : "(null)");
        /* every case is a WebVTT file publish accepts (the one checker, full cue check) */
        T_CHECK(sobre_vtt_check("t.vtt", cases[i].in, strlen(cases[i].in), NULL) >= 0,
                "case %zu refused", i);
        free(t);
    }
    T_CHECK(sobre_vtt_check("t.vtt", "WEBVTTX\n", 8, NULL) < 0, "bad signature accepted");
    T_CHECK(sobre_vtt_check("t.vtt", "1\n00:00:00,000 --> 00:00:01,000\n", 32, NULL) < 0,
            "SRT accepted");
}

int main(void)
{
    test_check();
    test_write();
    test_transcript();
    return t_done();
}
