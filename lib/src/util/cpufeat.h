/* What the CPU's instruction set offers (cpufeat.c), for the choices an encoder's own CPU
 * detection would make differently. No FFmpeg, no global state of sobre's. */
#ifndef SOBRE_CPUFEAT_H
#define SOBRE_CPUFEAT_H

/* 1 when the CPU and the OS run AVX-512 as libx264 uses it (F, CD, BW, DQ and VL, with
 * AVX2, FMA3 and BMI2 beside), 0 otherwise and on other architectures. */
int sobre_cpu_avx512(void);

#endif
