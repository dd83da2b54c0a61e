/* Fuzz target: the report.json reader (what footprint and publish trust). A report that
 * parses must serialise, and its serialisation must parse again to the same text. Also
 * the section reader publish uses on the footprint section. */
#include "sobre/report.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SobreReport *r = NULL, *again = NULL;
    SobreError err = {0};
    char *text = NULL, *text2 = NULL, *sec;
    int rc = sobre_report_parse(&r, "report.json", (const char *)data, size, &err);
    if (rc < 0) {
        FUZZ_CHECK(r == NULL);
        FUZZ_CHECK(err.detail[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(r != NULL);
    sec = sobre_report_get_section(r, NULL, "footprint");
    free(sec);
    for (int i = 0; i < r->nb_renditions; i++)
        FUZZ_CHECK(sobre_report_safe_name(r->renditions[i].file));
    FUZZ_CHECK(sobre_report_to_string(r, &text, &err) == 0);
    FUZZ_CHECK(sobre_report_parse(&again, "again.json", text, strlen(text), &err) == 0);
    FUZZ_CHECK(sobre_report_to_string(again, &text2, &err) == 0);
    FUZZ_CHECK(strcmp(text, text2) == 0);
    free(text);
    free(text2);
    sobre_report_free(&again);
    sobre_report_free(&r);
    return 0;
}
