/* LD_PRELOAD shim for the fault tests: flips one byte of what the process writes to a file
 * whose path ends with $SOBRE_CORRUPT_SUFFIX, at file offset $SOBRE_CORRUPT_AT (default
 * 8192), as a failing disk or a muxer bug would. Without $SOBRE_CORRUPT_SUFFIX it does
 * nothing. Proves that a damaged output fails the encode's check (tests/hardening). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

ssize_t write(int fd, const void *buf, size_t n);

static int targeted(int fd, const char *suffix)
{
    char link[64], path[4096];
    ssize_t len;
    size_t ls = strlen(suffix);
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    len = readlink(link, path, sizeof(path) - 1);
    if (len <= 0 || (size_t)len < ls)
        return 0;
    path[len] = '\0';
    return !strcmp(path + len - ls, suffix);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    ssize_t (*real)(int, const void *, size_t) =
        (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    const char *suffix = getenv("SOBRE_CORRUPT_SUFFIX"), *at_s = getenv("SOBRE_CORRUPT_AT");
    off_t at = at_s ? (off_t)atoll(at_s) : 8192, pos;
    if (suffix && *suffix && n > 0 && targeted(fd, suffix) && (pos = lseek(fd, 0, SEEK_CUR)) >= 0 &&
        at >= pos && at < pos + (off_t)n) {
        unsigned char *copy = malloc(n);
        ssize_t r;
        if (!copy)
            return real(fd, buf, n);
        memcpy(copy, buf, n);
        copy[at - pos] ^= 0x5a;
        r = real(fd, copy, n);
        free(copy);
        return r;
    }
    return real(fd, buf, n);
}
