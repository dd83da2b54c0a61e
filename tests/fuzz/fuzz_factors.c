/* Fuzz target: the footprint factors reader. The input is parsed as a full factors file
 * and applied as an override over the shipped fr-2024 factors; a failed override must
 * leave a message and every factor unchanged. */
#include "sobre/footprint.h"

#include "fuzz.h"

#ifndef FUZZ_FACTORS_FILE
#error "FUZZ_FACTORS_FILE must name presets/factors/fr-2024.yaml"
#endif

static double central(const SobreFactors *f, int i)
{
    SobreFactorInfo info;
    FUZZ_CHECK(sobre_factors_info(f, i, &info) == 0);
    return info.central;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SobreFactors *f = NULL, *base = NULL;
    SobreError err = {0};
    int rc = sobre_factors_parse(&f, "fuzz.yaml", (const char *)data, size, &err);
    if (rc < 0) {
        FUZZ_CHECK(f == NULL);
        FUZZ_CHECK(err.detail[0] != '\0');
    }
    sobre_factors_free(&f);

    FUZZ_CHECK(sobre_factors_load(&base, FUZZ_FACTORS_FILE, &err) == 0);
    int n = sobre_factors_count();
    double *before = calloc((size_t)n, sizeof(double));
    FUZZ_CHECK(before != NULL);
    for (int i = 0; i < n; i++)
        before[i] = central(base, i);
    rc = sobre_factors_overlay(base, "over.yaml", (const char *)data, size, &err);
    if (rc < 0) {
        FUZZ_CHECK(err.detail[0] != '\0');
        for (int i = 0; i < n; i++)
            FUZZ_CHECK(central(base, i) == before[i]);
    } else {
        for (int i = 0; i < n; i++)
            FUZZ_CHECK(central(base, i) >= 0);
    }
    free(before);
    sobre_factors_free(&base);
    return 0;
}
