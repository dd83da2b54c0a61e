/* Regression runner for a fuzz target when it is not built with libFuzzer: feeds every
 * file of the given folders (or the given files) to LLVMFuzzerTestOneInput once, so the
 * committed corpus and every crash ever found are replayed by CTest with gcc. */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0, cap = 0, n;
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    do {
        if (size == cap) {
            uint8_t *p = realloc(data, cap = cap ? cap * 2 : 4096);
            if (!p) {
                free(data);
                fclose(f);
                return -1;
            }
            data = p;
        }
        n = fread(data + size, 1, cap - size, f);
        size += n;
    } while (n > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

static int run_path(const char *path, int *count)
{
    struct stat st;
    DIR *dir;
    struct dirent *de;
    int rc = 0;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        *count += 1;
        return run_file(path);
    }
    if (!(dir = opendir(path)))
        return -1;
    while (rc == 0 && (de = readdir(dir))) {
        char sub[4096];
        if (de->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
        rc = run_path(sub, count);
    }
    closedir(dir);
    return rc;
}

int main(int argc, char **argv)
{
    int count = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR|FILE...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &count) < 0)
            return 1;
    /* The empty input is always worth a run and costs nothing. */
    LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
    printf("%d inputs replayed, no crash\n", count);
    return count > 0 ? 0 : 1;
}
