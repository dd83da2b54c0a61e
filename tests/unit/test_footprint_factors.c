/* The factors file reader: the shipped files load, every kind of bad value is refused
 * with FILE:LINE and the factor named (and leaves the set unchanged), and an override
 * replaces only the factors it names. */
#include <stdlib.h>

#include "sobre/footprint.h"
#include "t.h"

static SobreFactors *load(const char *rel)
{
    char path[4096];
    const char *src = getenv("SOBRE_SRC");
    SobreFactors *f = NULL;
    SobreError err = {0};
    snprintf(path, sizeof(path), "%s/presets/factors/%s", src ? src : ".", rel);
    if (sobre_factors_load(&f, path, &err) < 0)
        fprintf(stderr, "%s\n", err.detail);
    return f;
}

static double central(const SobreFactors *f, const char *id)
{
    SobreFactorInfo fi;
    if (sobre_factors_info(f, sobre_factors_find(id), &fi) < 0)
        return -1;
    return fi.central;
}

typedef struct Bad {
    const char *yaml;
    const char *want[3]; /* substrings of the message */
} Bad;

static const Bad bad[] = {
    {"factors:\n  grid:\n    central: 50\n    source: x\n",
     {"bad.yaml:2:", "factor 'grid'", "missing field 'unit'"}},
    {"factors:\n  grid:\n    unit: kgCO2e/kWh\n    central: 50\n    source: x\n",
     {"bad.yaml:3:", "'gCO2e/kWh'", "kgCO2e/kWh"}},
    {"factors:\n  grid:\n    unit: gCO2e/kWh\n    central: -5\n    source: x\n",
     {"bad.yaml:4:", "factor 'grid'", "negative"}},
    {"factors:\n  grid:\n    unit: gCO2e/kWh\n    central: 51900\n    source: x\n",
     {"bad.yaml:4:", "absurd", "check the unit"}},
    {"factors:\n  dc_energy:\n    unit: Wh/GB\n    central: lots\n    source: x\n",
     {"bad.yaml:4:", "factor 'dc_energy'", "must be a number"}},
    {"factors:\n  grid:\n    unit: gCO2e/kWh\n    central: 50\n    low: 60\n    source: x\n",
     {"bad.yaml:2:", "factor 'grid'", "not in order"}},
    {"factors:\n  grid:\n    unit: gCO2e/kWh\n    central: 50\n",
     {"bad.yaml:2:", "'source'", "grid"}},
    {"factors:\n  grd:\n    unit: gCO2e/kWh\n    central: 50\n    source: x\n",
     {"bad.yaml:2:", "unknown factor 'grd'", "fr-2024"}},
    {"factors:\n  grid: {unit: gCO2e/kWh, central: 5, source: a}\n  grid: {unit: gCO2e/kWh, "
     "central: 6, source: b}\n",
     {"bad.yaml:3:", "given twice", "line 2"}},
    {"factors:\n  grid:\n    unit: gCO2e/kWh\n    central: 5\n    source: a\n    colour: red\n",
     {"bad.yaml:6:", "unknown field 'colour'", "allowed"}},
    {"typical:\n  audio: {device: watch, network: fixed-fr}\nfactors: {}\n",
     {"bad.yaml:2:", "typical 'audio'", "watch"}},
    {"typical:\n  podcast: {device: tv, network: fixed-fr}\nfactors: {}\n",
     {"bad.yaml:2:", "unknown role 'podcast'", "sobre"}},
    {"name: x\n", {"bad.yaml:1:", "missing field 'factors'", ""}},
    {"factors:\n  grid: [1, 2\n", {"bad.yaml:", "not valid YAML", ""}},
    {"factors:\n  grid: 51.9\n", {"bad.yaml:2:", "factor 'grid'", "mapping"}},
};

static void check_bad(SobreFactors *f)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SobreError err = {0};
        int ret = sobre_factors_overlay(f, "bad.yaml", bad[i].yaml, strlen(bad[i].yaml), &err);
        T_CHECK(ret < 0, "case %zu accepted", i);
        for (int k = 0; k < 3; k++)
            T_CONTAINS(err.detail, bad[i].want[k]);
    }
    /* a refused override changes nothing */
    T_NEAR(central(f, "grid"), 51.9, 1e-12);
    T_EQ_INT(sobre_factors_files(f), 1);
    T_EQ_STR(sobre_factors_label(f), "fr-2024");
}

static void check_override(SobreFactors *f)
{
    static const char yaml[] = "factors:\n"
                               "  grid:\n"
                               "    unit: gCO2e/kWh\n"
                               "    central: 100\n"
                               "    source: my supplier's contract\n"
                               "typical:\n"
                               "  sobre: {device: tablet, network: 5g-fr}\n";
    SobreError err = {0};
    SobreFactorInfo fi;
    int d, n;
    T_EQ_INT(sobre_factors_overlay(f, "/tmp/mine.yaml", yaml, strlen(yaml), &err), 0);
    T_EQ_INT(sobre_factors_info(f, sobre_factors_find("grid"), &fi), 0);
    T_NEAR(fi.central, 100, 1e-12);
    T_NEAR(fi.low, 100, 1e-12); /* a whole factor: the old bracket does not linger */
    T_NEAR(fi.high, 100, 1e-12);
    T_EQ_STR(fi.source, "my supplier's contract");
    T_EQ_STR(fi.low_source, "");
    T_EQ_STR(fi.file, "/tmp/mine.yaml");
    T_EQ_INT(fi.line, 2);
    T_NEAR(central(f, "grid_eu"), 410.4, 1e-12); /* untouched */
    T_NEAR(central(f, "device_power.tv"), 65, 1e-12);
    sobre_factors_typical(f, "sobre", &d, &n);
    T_EQ_INT(d, SOBRE_DEVICE_TABLET);
    T_EQ_INT(n, SOBRE_NETWORK_5G_FR);
    sobre_factors_typical(f, "audio", &d, &n); /* untouched */
    T_EQ_INT(d, SOBRE_DEVICE_SMARTPHONE);
    T_EQ_INT(n, SOBRE_NETWORK_MOBILE_4G_FR);
    sobre_factors_typical(f, "weird", &d, &n); /* unknown roles: as "extra" */
    T_EQ_INT(d, SOBRE_DEVICE_LAPTOP);
    T_EQ_STR(sobre_factors_label(f), "fr-2024 + mine");
    T_EQ_STR(sobre_factors_version(f), "2024.1 + unversioned");
    T_EQ_INT(sobre_factors_files(f), 2);
}

static void check_default(const SobreFactors *f)
{
    SobreFactorInfo fi;
    int derived = 0;
    T_EQ_INT(sobre_factors_count(), 44);
    for (int i = 0; i < sobre_factors_count(); i++) {
        T_EQ_INT(sobre_factors_info(f, i, &fi), 0);
        T_CHECK(*fi.source, "factor %s has a source", fi.id);
        T_CHECK(fi.line > 0, "factor %s has a line", fi.id);
        T_CHECK(fi.low <= fi.central && fi.central <= fi.high, "%s bracket", fi.id);
        derived += fi.derived;
    }
    T_EQ_INT(derived, 4); /* the 5G factors */
    T_EQ_INT(sobre_factors_info(f, sobre_factors_find("grid"), &fi), 0);
    T_EQ_STR(fi.unit, "gCO2e/kWh");
    T_NEAR(fi.low, 21.7, 1e-12);
    T_NEAR(fi.high, 91, 1e-12);
    T_CONTAINS(fi.high_source, "Electricity Maps");
    T_EQ_INT(sobre_factors_info(f, -1, &fi), SOBRE_E_INVALID);
    T_EQ_INT(sobre_factors_find("nope"), -1);
}

static void check_incomplete(void)
{
    static const char yaml[] = "name: partial\nfactors:\n  grid: {unit: gCO2e/kWh, central: 5, "
                               "source: a}\n";
    SobreFactors *f = NULL;
    SobreError err = {0};
    T_CHECK(sobre_factors_parse(&f, "partial.yaml", yaml, strlen(yaml), &err) < 0,
            "an incomplete default file is refused");
    T_CHECK(f == NULL, "no half-loaded set");
    T_CONTAINS(err.detail, "partial.yaml: factor 'grid_eu'");
    T_CONTAINS(err.detail, "missing");
}

int main(void)
{
    SobreFactors *f = load("fr-2024.yaml");
    SobreError err = {0};
    char path[4096];
    T_CHECK(f != NULL, "fr-2024.yaml loads");
    if (f) {
        check_default(f);
        check_bad(f);
        check_override(f);
        sobre_factors_free(&f);
    }
    check_incomplete();
    /* the EU file is an override of the French default */
    f = load("fr-2024.yaml");
    snprintf(path, sizeof(path), "%s/presets/factors/eu-2024.yaml",
             getenv("SOBRE_SRC") ? getenv("SOBRE_SRC") : ".");
    T_EQ_INT(f ? sobre_factors_overlay_file(f, path, &err) : -1, 0);
    if (f) {
        T_NEAR(central(f, "grid"), 410.4, 1e-12);
        T_EQ_STR(sobre_factors_label(f), "fr-2024 + eu-2024");
    }
    sobre_factors_free(&f);
    sobre_factors_free(&f); /* idempotent */
    return t_done();
}
