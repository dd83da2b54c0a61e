/* Media placement for the publisher. A new site is built from scratch each time, but
 * media are never copied twice: an unchanged file (same size and mtime) is hard-linked
 * from the previous site, a new one from the episode folder, and only when the file
 * system refuses links is it copied (keeping its mtime so the next run can skip it). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "site_files.h"

static int same_file_state(const struct stat *a, const struct stat *b)
{
    return a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static int copy_file(const char *src, const char *dst, const struct stat *st, SobreError *err)
{
    char buf[1 << 16];
    int in, out, ret = 0;
    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return sobre_fail(err, -errno, "%s: cannot open: %s", src, strerror(errno));
    out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        ret = sobre_fail(err, -errno, "%s: cannot create: %s", dst, strerror(errno));
        close(in);
        return ret;
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf)), off = 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ret = sobre_fail(err, -errno, "%s: cannot read: %s", src, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        while (off < n) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                ret = sobre_fail(err, -errno, "%s: cannot write: %s", dst, strerror(errno));
                break;
            }
            off += w;
        }
        if (ret)
            break;
    }
    if (!ret) {
        struct timespec times[2] = {st->st_atim, st->st_mtim};
        if (futimens(out, times) < 0)
            ret = sobre_fail(err, -errno, "%s: cannot set its time: %s", dst, strerror(errno));
    }
    if (close(out) < 0 && !ret)
        ret = sobre_fail(err, -errno, "%s: cannot write: %s", dst, strerror(errno));
    close(in);
    if (ret)
        unlink(dst);
    return ret;
}

int site_fs_place(const char *src, const char *old, const char *dst, SobrePublishStats *st,
                  SobreError *err)
{
    struct stat s, o;
    int ret;
    if (stat(src, &s) < 0)
        return sobre_fail(err, -errno, "%s: %s", src, strerror(errno));
    if (old && stat(old, &o) == 0 && S_ISREG(o.st_mode) && same_file_state(&s, &o) &&
        link(old, dst) == 0) {
        st->files_reused++;
        return 0;
    }
    if (link(src, dst) == 0) {
        st->files_linked++;
        return 0;
    }
    /* EXDEV (other file system), EPERM (links refused), EMLINK: copy instead. */
    ret = copy_file(src, dst, &s, err);
    if (ret == 0) {
        st->files_copied++;
        st->bytes_copied += (int64_t)s.st_size;
    }
    return ret;
}

int site_fs_read(const char *path, SobreBuf *b, size_t max, SobreError *err)
{
    char buf[1 << 14];
    FILE *f = fopen(path, "rb");
    size_t n, total = 0;
    if (!f)
        return sobre_fail(err, -errno, "%s: cannot open: %s", path, strerror(errno));
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        total += n;
        if (total > max) {
            fclose(f);
            return sobre_fail(err, SOBRE_E_INVALID, "%s: larger than %zu bytes", path, max);
        }
        sobre_buf_putn(b, buf, n);
    }
    if (ferror(f)) {
        fclose(f);
        return sobre_fail(err, -EIO, "%s: cannot read", path);
    }
    fclose(f);
    return 0;
}

static int rmtree_at(int parent, const char *name, int depth)
{
    struct stat st;
    int fd, ret = 0;
    DIR *dir;
    struct dirent *de;
    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : -errno;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(parent, name, 0) < 0 ? -errno : 0;
    if (depth > 16)
        return -ELOOP;
    fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return -errno;
    }
    while ((de = readdir(dir))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        int r = rmtree_at(dirfd(dir), de->d_name, depth + 1);
        if (r < 0 && !ret)
            ret = r;
    }
    closedir(dir);
    if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && !ret)
        ret = -errno;
    return ret;
}

int site_fs_rmtree(const char *path)
{
    return rmtree_at(AT_FDCWD, path, 0);
}
