/* The five footprint methods as formulas over the factors, for one viewing format, and
 * the energy of an encode. Every number comes from the factors (FactorCtx); this file
 * only knows how the factors combine. Units: bytes -> GB = 10^9 bytes, hours of viewing. */
#include <math.h>
#include <string.h>

#include "error.h"
#include "footprint_internal.h"

static const char *const device_names[] = {"smartphone", "tablet", "laptop", "desktop", "tv"};
static const char *const device_titles[] = {"smartphone", "tablet", "laptop", "desktop + monitor",
                                            "TV"};
static const char *const network_names[] = {"fixed-fr", "mobile-4g-fr", "5g-fr", "fixed-eu",
                                            "mobile-eu"};
static const char *const network_titles[] = {"fixed (France)", "mobile 4G (France)", "5G (France)",
                                             "fixed (EU)", "mobile (EU)"};
static const char *const method_names[] = {"ademe", "attributional", "power", "swd4", "onebyte"};
static const char *const method_titles[] = {
    "ADEME Impact CO2, streaming vidéo (publicodes-acv-numerique)",
    "attributional inventory (energy x grid)",
    "marginal power model (Malmodin 2020)",
    "Sustainable Web Design v4 (as CO2.js)",
    "The Shift Project 1byte (as CO2.js)",
};

const char *sobre_device_name(int d)
{
    return d >= 0 && d < SOBRE_DEVICE_COUNT ? device_names[d] : NULL;
}
const char *sobre_device_title(int d)
{
    return d >= 0 && d < SOBRE_DEVICE_COUNT ? device_titles[d] : NULL;
}
const char *sobre_network_name(int n)
{
    return n >= 0 && n < SOBRE_NETWORK_COUNT ? network_names[n] : NULL;
}
const char *sobre_network_title(int n)
{
    return n >= 0 && n < SOBRE_NETWORK_COUNT ? network_titles[n] : NULL;
}
const char *sobre_method_name(int m)
{
    return m >= 0 && m < SOBRE_METHOD_COUNT ? method_names[m] : NULL;
}
const char *sobre_method_title(int m)
{
    return m >= 0 && m < SOBRE_METHOD_COUNT ? method_titles[m] : NULL;
}

static int find_name(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}
int sobre_device_from_name(const char *name)
{
    return find_name(device_names, SOBRE_DEVICE_COUNT, name);
}
int sobre_network_from_name(const char *name)
{
    return find_name(network_names, SOBRE_NETWORK_COUNT, name);
}
int sobre_method_from_name(const char *name)
{
    return find_name(method_names, SOBRE_METHOD_COUNT, name);
}

static const char *const formulas[] = {
    /* ademe */
    "gCO2e = device W x D x grid + B x network gCO2e/GB (Negaoctet, life cycle, box included)"
    " + B x data centre Wh/GB x grid + data centre construction gCO2e/h x D;"
    " embodied = device construction gCO2e/h x D;"
    " Wh = device W x D + B x network kWh/GB + home router W x D (fixed) + B x data centre Wh/GB"
    " (ADEME's network factor is carbon only, so Wh uses the energy factors)",
    /* attributional */
    "Wh = device W x D + B x (network kWh/GB + data centre Wh/GB) + home router W per user x D"
    " (fixed networks only); gCO2e = each energy x its grid (EU networks: EU grid);"
    " embodied = device construction gCO2e/h x D",
    /* power */
    "network W = base W + W/Mbps x b, b = B x 8 / duration (Mbps); Wh = network W x D +"
    " device W x D + B x data centre Wh/GB; gCO2e = each energy x its grid;"
    " embodied = device construction gCO2e/h x D",
    /* swd4 */
    "Wh = B x (data centre + network + device operational kWh/GB); gCO2e = operational"
    " kWh x grid (EU networks: EU grid for the network part) + data centre and network"
    " embodied kWh x 494 g/kWh; embodied = device embodied kWh/GB x B x 494 g/kWh;"
    " total = CO2.js perByte with these grid intensities",
    /* onebyte */
    ("Wh = B x (data centre kWh/GB + mean of wired, Wi-Fi and 4G network kWh/GB);"
     " gCO2e = Wh x 519 g/kWh; no device, no embodied line (CO2.js perByte)"),
};

const char *sobre_footprint_formula(int method)
{
    return method >= 0 && method < SOBRE_METHOD_COUNT ? formulas[method] : "";
}

static int is_fixed(int network)
{
    return network == SOBRE_NETWORK_FIXED_FR || network == SOBRE_NETWORK_FIXED_EU;
}

static int is_eu(int network)
{
    return network == SOBRE_NETWORK_FIXED_EU || network == SOBRE_NETWORK_MOBILE_EU;
}

/* Grid of the network's own energy: the viewer's grid in France, the EU grid for EU
 * networks. */
static double network_grid(FactorCtx *c, int network)
{
    return is_eu(network) ? fval(c, F_GRID_EU) : fval(c, F_GRID);
}

static void time_based(FactorCtx *c, int device, double gb, double h, SobreFootprintView *o)
{
    double grid = fval(c, F_GRID);
    o->wh_device = fval(c, F_DEVICE_POWER + device) * h;
    o->wh_dc = fval(c, F_DC_ENERGY) * gb;
    o->g_device = o->wh_device * grid / 1000;
    o->g_dc = o->wh_dc * grid / 1000;
    o->embodied = fval(c, F_DEVICE_EMBODIED + device) * h;
}

/* Network energy of the inventory (per GB + the home router on fixed lines), shared by
 * ademe (for Wh) and attributional. Returns the router part, which is on the home grid. */
static double inventory_network(FactorCtx *c, int network, double gb, double h,
                                SobreFootprintView *o)
{
    double router = is_fixed(network) ? fval(c, F_HOME_ROUTER) * h : 0;
    o->wh_network = fval(c, F_NETWORK_ENERGY + network) * gb * 1000 + router;
    return router;
}

static void eval_ademe(FactorCtx *c, int device, int network, double gb, double h,
                       SobreFootprintView *o)
{
    time_based(c, device, gb, h, o);
    inventory_network(c, network, gb, h, o);
    o->g_network = fval(c, F_NETWORK_LCA + network) * gb;
    o->g_dc += fval(c, F_DC_EMBODIED) * h;
}

static void eval_attributional(FactorCtx *c, int device, int network, double gb, double h,
                               SobreFootprintView *o)
{
    double router;
    time_based(c, device, gb, h, o);
    router = inventory_network(c, network, gb, h, o);
    o->g_network = (o->wh_network - router) * network_grid(c, network) / 1000 +
                   router * fval(c, F_GRID) / 1000;
}

static void eval_power(FactorCtx *c, int device, int network, double bytes, double seconds,
                       SobreFootprintView *o)
{
    double gb = bytes / 1e9, h = seconds / 3600, mbps = bytes * 8 / seconds / 1e6;
    int base = F_POWER_BASE_4G, per = F_POWER_MBPS_4G;
    if (is_fixed(network)) {
        base = F_POWER_BASE_FIXED;
        per = F_POWER_MBPS_FIXED;
    } else if (network == SOBRE_NETWORK_5G_FR) {
        base = F_POWER_BASE_5G;
        per = F_POWER_MBPS_5G;
    }
    time_based(c, device, gb, h, o);
    o->wh_network = (fval(c, base) + fval(c, per) * mbps) * h;
    o->g_network = o->wh_network * network_grid(c, network) / 1000;
}

static void eval_swd4(FactorCtx *c, int network, double gb, SobreFootprintView *o)
{
    double grid = fval(c, F_GRID), emb_grid = fval(c, F_SWD_EMB_GRID);
    double op_dc = fval(c, F_SWD_OP_DC) * gb, op_net = fval(c, F_SWD_OP_NETWORK) * gb;
    double op_dev = fval(c, F_SWD_OP_DEVICE) * gb;
    o->wh_dc = op_dc * 1000;
    o->wh_network = op_net * 1000;
    o->wh_device = op_dev * 1000;
    o->g_dc = op_dc * grid + fval(c, F_SWD_EMB_DC) * gb * emb_grid;
    o->g_network = op_net * network_grid(c, network) + fval(c, F_SWD_EMB_NETWORK) * gb * emb_grid;
    o->g_device = op_dev * grid;
    o->embodied = fval(c, F_SWD_EMB_DEVICE) * gb * emb_grid;
}

static void eval_onebyte(FactorCtx *c, double gb, SobreFootprintView *o)
{
    double grid = fval(c, F_1B_GRID);
    double net = (fval(c, F_1B_WIRED) + fval(c, F_1B_WIFI) + fval(c, F_1B_4G)) / 3;
    o->wh_dc = fval(c, F_1B_DC) * gb * 1000;
    o->wh_network = net * gb * 1000;
    o->g_dc = o->wh_dc * grid / 1000;
    o->g_network = o->wh_network * grid / 1000;
}

void sobre_footprint_eval(FactorCtx *c, int method, double bytes, double duration_s, int device,
                          int network, SobreFootprintView *o)
{
    double gb = bytes / 1e9, h = duration_s / 3600;
    memset(o, 0, sizeof(*o));
    switch (method) {
    case SOBRE_METHOD_ADEME:
        eval_ademe(c, device, network, gb, h, o);
        break;
    case SOBRE_METHOD_ATTRIBUTIONAL:
        eval_attributional(c, device, network, gb, h, o);
        break;
    case SOBRE_METHOD_POWER:
        eval_power(c, device, network, bytes, duration_s, o);
        break;
    case SOBRE_METHOD_SWD4:
        eval_swd4(c, network, gb, o);
        break;
    default:
        eval_onebyte(c, gb, o);
        break;
    }
    o->mb = bytes / 1e6;
    o->wh = o->wh_device + o->wh_network + o->wh_dc;
    o->gco2e = o->g_device + o->g_network + o->g_dc;
}

int sobre_footprint_view(const SobreFactors *f, int method, int64_t bytes, double duration_s,
                         int device, int network, SobreFootprintView *out, SobreError *err)
{
    SobreFootprintView lv;
    FactorCtx c;
    if (!sobre_method_name(method) || !sobre_device_name(device) || !sobre_network_name(network))
        return sobre_fail(err, SOBRE_E_INVALID, "unknown method, device or network (%d, %d, %d)",
                          method, device, network);
    if (bytes <= 0 || !(duration_s > 0) || !isfinite(duration_s))
        return sobre_fail(err, SOBRE_E_INVALID,
                          "a view needs a size and a duration above zero (got %lld bytes, %g s)",
                          (long long)bytes, duration_s);
    memset(&c, 0, sizeof(c));
    c.f = f;
    c.level = LEVEL_CENTRAL;
    sobre_footprint_eval(&c, method, (double)bytes, duration_s, device, network, out);
    out->derived = c.derived;
    c.level = LEVEL_LOW;
    sobre_footprint_eval(&c, method, (double)bytes, duration_s, device, network, &lv);
    out->wh_low = lv.wh;
    out->gco2e_low = lv.gco2e;
    out->embodied_low = lv.embodied;
    c.level = LEVEL_HIGH;
    sobre_footprint_eval(&c, method, (double)bytes, duration_s, device, network, &lv);
    out->wh_high = lv.wh;
    out->gco2e_high = lv.gco2e;
    out->embodied_high = lv.embodied;
    return 0;
}

int sobre_footprint_encode(const SobreFactors *f, double cpu_s, int64_t energy_uj, double media_s,
                           SobreEncodeEnergy *out, SobreError *err)
{
    const Factor *p = &f->f[F_ENCODE_CPU_POWER];
    memset(out, 0, sizeof(*out));
    if (!(cpu_s >= 0) || !isfinite(cpu_s) || !(media_s >= 0) || !isfinite(media_s))
        return sobre_fail(err, SOBRE_E_INVALID, "encode CPU time and duration must be >= 0");
    out->cpu_s = cpu_s;
    if (energy_uj >= 0) {
        out->measured = 1;
        out->wh = out->wh_low = out->wh_high = (double)energy_uj / 3.6e9;
    } else {
        out->wh_low = cpu_s * p->v[0] / 3600;
        out->wh = cpu_s * p->v[1] / 3600;
        out->wh_high = cpu_s * p->v[2] / 3600;
    }
    out->gco2e = out->wh * f->f[F_GRID].v[1] / 1000;
    out->wh_per_minute = media_s > 0 ? out->wh / (media_s / 60) : 0;
    return 0;
}
