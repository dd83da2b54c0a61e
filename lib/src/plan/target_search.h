/* The pure half of quality-targeted encoding (lib/src/media/target.c does the media
 * half): where to take the samples, and the search for the highest CRF whose measured
 * SSIM meets the target, as a small state machine fed with measurements. */
#ifndef SOBRE_CORE_TARGET_SEARCH_H
#define SOBRE_CORE_TARGET_SEARCH_H

#define SOBRE_TARGET_MAX_SAMPLES 8

/* Sample windows over a duration: n windows of len seconds centred at (2k+1)/(2n) of
 * the duration; a video shorter than n*len+2 s is one window over all of it (at most
 * 8 s). Returns the number of windows written to start[] and dur[]. */
int sobre_target_samples(double duration_s, int n, double len_s, double *start, double *dur);

/* CRF range searched for a codec (index as SobreCodec): VP9 24..56, AV1 20..60,
 * H.264 18..40. Returns 0, or -1 for a codec without CRF. */
int sobre_target_crf_range(int codec, int *lo, int *hi);

typedef struct SobreTargetSearch {
    double target;
    int lo, hi;      /* the bracket still open */
    int min, max;    /* the codec range */
    double ssim[64]; /* measured SSIM by CRF (index crf - min), < -1 = not measured */
    int best;        /* highest CRF measured meeting the target, -1 if none yet */
    int evaluations;
} SobreTargetSearch;

void sobre_target_search_init(SobreTargetSearch *s, double target, int min, int max);
/* Next CRF to measure, or -1 when the search is over. */
int sobre_target_search_next(const SobreTargetSearch *s);
/* Records the SSIM measured at crf (assumed non-increasing in crf). */
void sobre_target_search_feed(SobreTargetSearch *s, int crf, double ssim);
/* The choice: the highest CRF meeting the target, else the lowest CRF of the range (the
 * best allowed quality). *met = 1 when a CRF met the target. */
int sobre_target_search_result(const SobreTargetSearch *s, int *met);

#endif
