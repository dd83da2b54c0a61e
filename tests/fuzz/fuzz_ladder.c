/* Fuzz target: the ladder preset parser (YAML through libyaml, then validation). A
 * failure must come with a message; a success must hold a usable ladder. */
#include "sobre/preset.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SobreLadder *ladder = NULL;
    SobreError err = {0};
    int rc = sobre_ladder_parse(&ladder, "fuzz.yaml", (const char *)data, size, &err);
    if (rc < 0) {
        FUZZ_CHECK(ladder == NULL);
        FUZZ_CHECK(err.detail[0] != '\0');
        FUZZ_CHECK(memchr(err.detail, '\0', sizeof(err.detail)) != NULL);
        return 0;
    }
    FUZZ_CHECK(ladder != NULL);
    FUZZ_CHECK(ladder->nb_rungs >= 0);
    /* Filters over the parsed ladder take user text too. */
    sobre_ladder_only(ladder, "vp9-360p,audio,,x", &err);
    sobre_ladder_free(&ladder);
    FUZZ_CHECK(ladder == NULL);
    return 0;
}
