/* Ladder presets on the command line, for encode and batch: a shipped name
 * (presets/ladders/NAME.yaml) or a YAML file, then --enable and --only, so both commands
 * refuse the same mistakes with the same message (batch before any episode starts). */
#include <string.h>

#include "cli.h"

static int load_preset(const char *name, SobreLadder **ladder, SobreError *err)
{
    char rel[512], path[4096];
    if (strchr(name, '/') || strstr(name, ".yaml") || strstr(name, ".yml"))
        return sobre_ladder_load(ladder, name, err);
    snprintf(rel, sizeof(rel), "ladders/%s.yaml", name);
    if (cli_data_path(rel, path, sizeof(path)) < 0) {
        snprintf(err->detail, sizeof(err->detail),
                 "no preset named '%s' (shipped: default, minimal; or give a .yaml file)", name);
        return err->code = SOBRE_E_INVALID;
    }
    return sobre_ladder_load(ladder, path, err);
}

int cli_ladder_load(const char *preset, const char *enable, const char *only, SobreLadder **ladder,
                    SobreError *err)
{
    int ret;
    *ladder = NULL;
    if ((ret = load_preset(preset, ladder, err)) < 0 ||
        (enable && (ret = sobre_ladder_enable(*ladder, enable, err)) < 0) ||
        (only && (ret = sobre_ladder_only(*ladder, only, err)) < 0)) {
        sobre_ladder_free(ladder);
        return ret;
    }
    return 0;
}
