/* Fuzz target: WebVTT, the captions module. The checker encode and publish both run on
 * user files, the transcript publish shows under each video, and the cue writer encode
 * uses for converted subtitles: whatever the cue text, the written file must pass the
 * checker with exactly one cue, and the transcript, once HTML-escaped, must carry no
 * markup. */
#include "strbuf.h"
#include "vtt.h"

#include "fuzz.h"

static void check_writer(const char *text)
{
    SobreBuf b;
    SobreError err = {0};
    sobre_buf_init(&b);
    sobre_vtt_begin(&b);
    sobre_vtt_cue(&b, 1, 1.5, 2.25, text);
    FUZZ_CHECK(!b.oom);
    int n = sobre_vtt_check("written.vtt", sobre_buf_str(&b), b.len, &err);
    if (n != 1)
        fprintf(stderr, "written cue rejected (%d): %s\n", n, err.detail);
    FUZZ_CHECK(n == 1);
    sobre_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size), *tr;
    SobreError err = {0};
    SobreBuf html;
    if (!text)
        return 0;
    int n = sobre_vtt_check("fuzz.vtt", text, size, &err);
    if (n < 0)
        FUZZ_CHECK(err.detail[0] != '\0');
    tr = sobre_vtt_transcript(text, size);
    if (tr) {
        sobre_buf_init(&html);
        sobre_buf_put_html(&html, tr);
        FUZZ_CHECK(!strchr(sobre_buf_str(&html), '<'));
        FUZZ_CHECK(!strchr(sobre_buf_str(&html), '"'));
        FUZZ_CHECK(fuzz_utf8_valid(sobre_buf_str(&html), html.len));
        sobre_buf_free(&html);
        free(tr);
    }
    if (size < 4096)
        check_writer(text);
    free(text);
    return 0;
}
