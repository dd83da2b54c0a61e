/* Minimal table-friendly test macros for the C tests: count checks, print each failure
 * with file:line, and end with the "N passed, N failed" line that CI reads. */
#ifndef SOBRE_TEST_T_H
#define SOBRE_TEST_T_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define T_CHECK(cond, ...)                                                                         \
    do {                                                                                           \
        if (cond) {                                                                                \
            t_pass++;                                                                              \
        } else {                                                                                   \
            t_fail++;                                                                              \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

#define T_EQ_INT(a, b)                                                                             \
    T_CHECK((long long)(a) == (long long)(b), "%lld != %lld", (long long)(a), (long long)(b))
#define T_EQ_STR(a, b) T_CHECK(!strcmp((a), (b)), "'%s' != '%s'", (a), (b))
#define T_NEAR(a, b, tol)                                                                          \
    T_CHECK(fabs((double)(a) - (double)(b)) <= (tol), "%.6g != %.6g (tol %g)", (double)(a),        \
            (double)(b), (double)(tol))
#define T_CONTAINS(hay, needle)                                                                    \
    T_CHECK(strstr((hay), (needle)) != NULL, "'%s' lacks '%s'", (hay), (needle))

static inline int t_done(void)
{
    printf("%d passed, %d failed\n", t_pass, t_fail);
    return t_fail ? 1 : (t_pass ? 0 : 1); /* a test that checks nothing fails */
}

#endif
