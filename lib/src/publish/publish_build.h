/* The second half of a publish: writing the site into a temporary folder next to the
 * target and swapping it in (publish_build.c). */
#ifndef SOBRE_PUBLISH_BUILD_H
#define SOBRE_PUBLISH_BUILD_H

#include "site.h"

/** Builds d (loaded and laid out) next to site_dir, then replaces site_dir with it.
 * Adds file counts to st. On failure nothing is left behind and site_dir is intact. */
int publish_build_and_swap(SiteDoc *d, const char *site_dir, SobrePublishStats *st,
                           SobreError *err);

#endif
