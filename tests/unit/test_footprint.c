/* Each footprint method against values computed by hand from the FOOTPRINT.md factors
 * (presets/factors/fr-2024.yaml), for a 1.4 MB view of 30 s (B = 0.0014 GB,
 * D = 1/120 h), plus the brackets, the derived flag and the encode energy. */
#include <stdlib.h>

#include "sobre/footprint.h"
#include "t.h"

typedef struct Case {
    int method, device, network;
    double wh, gco2e, embodied;
    int derived;
} Case;

/* Hand computations (grid 51.9 g/kWh, EU 410.4; D = 0.00833333 h; B = 0.0014 GB):
 * ademe smartphone fixed-fr: embodied 29.0469 D = 0.2420575; use 4.5 D x 0.0519 =
 *   0.00194625; network 9.26935 B = 0.01297709; DC 1.94708 B x 0.0519 + 0.236636 D =
 *   0.00211344; Wh = 4.5 D + 0.0065 x 1.4 + 3.83333 D + 1.94708 B = 0.0812703.
 * attributional laptop 4G: Wh = 26.5 D + 0.1 x 1.4 + 0.00272591 = 0.3635592, x 0.0519.
 * attributional tv fixed-eu: 65 D x .0519 + 0.0091 x .4104 + 3.83333 D x .0519 +
 *   0.00272591 x .0519 = 0.03364654.
 * power desktop 4G: b = 0.373333 Mbps; (1.2 + 1.53 b) D = 0.01476; + 120 D + 0.00272591.
 * power smartphone fixed-fr: (6 + 0.05 b) D = 0.05015556; + 0.0375 + 0.00272591.
 * swd4 fixed-fr: op 0.194 x B kWh x 51.9 + 0.025 B x 494; device embodied 0.081 B x 494.
 * swd4 mobile-eu: network op 0.059 B x 410.4 instead.
 * onebyte: (0.072 + (0.429 + 0.152 + 0.884) / 3) B x 519. */
static const Case cases[] = {
    {SOBRE_METHOD_ADEME, SOBRE_DEVICE_SMARTPHONE, SOBRE_NETWORK_FIXED_FR, 0.0812703, 0.01703678,
     0.2420575, 0},
    {SOBRE_METHOD_ADEME, SOBRE_DEVICE_SMARTPHONE, SOBRE_NETWORK_5G_FR, 0.0375 + 0.0434 + 0.00272591,
     0.00194625 + 0.03455718 + 0.00211344, 0.2420575, 1},
    {SOBRE_METHOD_ATTRIBUTIONAL, SOBRE_DEVICE_LAPTOP, SOBRE_NETWORK_MOBILE_4G_FR, 0.3635592,
     0.3635592 * 0.0519, 33.8064 / 120, 0},
    {SOBRE_METHOD_ATTRIBUTIONAL, SOBRE_DEVICE_TV, SOBRE_NETWORK_FIXED_EU,
     0.5416667 + 0.0410444 + 0.00272591, 0.03364654, 38.8311 / 120, 0},
    {SOBRE_METHOD_POWER, SOBRE_DEVICE_DESKTOP, SOBRE_NETWORK_MOBILE_4G_FR, 1.01748591,
     1.01748591 * 0.0519, 38.629 / 120, 0},
    {SOBRE_METHOD_POWER, SOBRE_DEVICE_SMARTPHONE, SOBRE_NETWORK_FIXED_FR, 0.09038147,
     0.09038147 * 0.0519, 29.0469 / 120, 0},
    {SOBRE_METHOD_SWD4, SOBRE_DEVICE_TV, SOBRE_NETWORK_FIXED_FR, 0.2716, 0.03138604, 0.0560196, 0},
    {SOBRE_METHOD_SWD4, SOBRE_DEVICE_SMARTPHONE, SOBRE_NETWORK_MOBILE_EU, 0.2716, 0.06099814,
     0.0560196, 0},
    {SOBRE_METHOD_ONEBYTE, SOBRE_DEVICE_LAPTOP, SOBRE_NETWORK_5G_FR, 0.7844667, 0.4071382, 0, 0},
};

static SobreFactors *load_default(void)
{
    char path[4096];
    const char *src = getenv("SOBRE_SRC");
    SobreFactors *f = NULL;
    SobreError err = {0};
    snprintf(path, sizeof(path), "%s/presets/factors/fr-2024.yaml", src ? src : ".");
    if (sobre_factors_load(&f, path, &err) < 0)
        fprintf(stderr, "%s\n", err.detail);
    return f;
}

static void check_cases(const SobreFactors *f)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const Case *c = &cases[i];
        SobreFootprintView v;
        SobreError err = {0};
        int ret = sobre_footprint_view(f, c->method, 1400000, 30, c->device, c->network, &v, &err);
        T_EQ_INT(ret, 0);
        fprintf(stderr, "case %zu: %s %s %s\n", i, sobre_method_name(c->method),
                sobre_device_name(c->device), sobre_network_name(c->network));
        T_NEAR(v.wh, c->wh, c->wh * 1e-5);
        T_NEAR(v.gco2e, c->gco2e, c->gco2e * 1e-5);
        T_NEAR(v.embodied, c->embodied, c->embodied * 1e-5 + 1e-12);
        T_NEAR(v.mb, 1.4, 1e-12);
        T_EQ_INT(v.derived, c->derived);
        T_NEAR(v.wh, v.wh_device + v.wh_network + v.wh_dc, 1e-12);
        T_CHECK(v.gco2e_low <= v.gco2e && v.gco2e <= v.gco2e_high, "bracket order");
        T_CHECK(v.wh_low <= v.wh && v.wh <= v.wh_high, "Wh bracket order");
    }
}

static void check_brackets(const SobreFactors *f)
{
    SobreFootprintView v;
    SobreError err = {0};
    /* low: 0.77 W, grid 21.7, 2.59 g/GB, 0.43 Wh/GB; high: grid 91, 30.8082 g/GB, 55 Wh/GB */
    T_EQ_INT(sobre_footprint_view(f, SOBRE_METHOD_ADEME, 1400000, 30, SOBRE_DEVICE_SMARTPHONE,
                                  SOBRE_NETWORK_FIXED_FR, &v, &err),
             0);
    T_NEAR(v.gco2e_low, 0.00575028, 1e-7);
    T_NEAR(v.gco2e_high, 0.05552295, 1e-7);
    T_NEAR(v.embodied_low, v.embodied, 1e-12); /* no published bracket */
}

static void check_bad_input(const SobreFactors *f)
{
    SobreFootprintView v;
    SobreError err = {0};
    T_EQ_INT(sobre_footprint_view(f, 9, 1000, 30, 0, 0, &v, &err), SOBRE_E_INVALID);
    T_EQ_INT(sobre_footprint_view(f, 0, 1000, 30, 7, 0, &v, &err), SOBRE_E_INVALID);
    T_EQ_INT(sobre_footprint_view(f, 0, 1000, 30, 0, -1, &v, &err), SOBRE_E_INVALID);
    T_EQ_INT(sobre_footprint_view(f, 0, 0, 30, 0, 0, &v, &err), SOBRE_E_INVALID);
    T_CONTAINS(err.detail, "size");
    T_EQ_INT(sobre_footprint_view(f, 0, 1000, 0, 0, 0, &v, &err), SOBRE_E_INVALID);
}

static void check_encode(const SobreFactors *f)
{
    SobreEncodeEnergy e;
    SobreError err = {0};
    T_EQ_INT(sobre_footprint_encode(f, 80.1, -1, 30, &e, &err), 0);
    T_NEAR(e.wh, 80.1 * 3.5 / 3600, 1e-12);
    T_NEAR(e.wh_low, 80.1 * 1.69 / 3600, 1e-12);
    T_NEAR(e.wh_high, 80.1 * 8.58 / 3600, 1e-12);
    T_NEAR(e.gco2e, 0.077875 * 51.9 / 1000, 1e-9);
    T_NEAR(e.wh_per_minute, 0.15575, 1e-9);
    T_EQ_INT(e.measured, 0);
    T_EQ_INT(sobre_footprint_encode(f, 80.1, 360000000, 30, &e, &err), 0); /* 360 J */
    T_NEAR(e.wh, 0.1, 1e-12);
    T_EQ_INT(e.measured, 1);
    T_EQ_INT(sobre_footprint_encode(f, -1, -1, 30, &e, &err), SOBRE_E_INVALID);
}

static void check_names(void)
{
    T_EQ_INT(sobre_device_from_name("desktop"), SOBRE_DEVICE_DESKTOP);
    T_EQ_INT(sobre_network_from_name("5g-fr"), SOBRE_NETWORK_5G_FR);
    T_EQ_INT(sobre_method_from_name("swd4"), SOBRE_METHOD_SWD4);
    T_EQ_INT(sobre_method_from_name("co2js"), -1);
    T_EQ_INT(sobre_device_from_name(NULL), -1);
    T_CHECK(sobre_device_name(SOBRE_DEVICE_COUNT) == NULL, "out of range name");
    T_EQ_STR(sobre_device_title(SOBRE_DEVICE_DESKTOP), "desktop + monitor");
}

int main(void)
{
    SobreFactors *f = load_default();
    T_CHECK(f != NULL, "fr-2024.yaml loads");
    if (f) {
        check_cases(f);
        check_brackets(f);
        check_bad_input(f);
        check_encode(f);
    }
    check_names();
    sobre_factors_free(&f);
    return t_done();
}
