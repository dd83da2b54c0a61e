/* The batch episode runner: spawns one `sobre encode --progress json` per episode, at
 * most `jobs` at once, reads their stderr through non-blocking pipes with poll(), and
 * records each outcome. Children share the terminal's process group, so Ctrl-C reaches
 * them too; a SIGTERM to the batch is forwarded. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"

extern char **environ;

static int spawn_episode(BatchEpisode *ep)
{
    posix_spawn_file_actions_t fa;
    int fds[2], ret;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        snprintf(ep->message, sizeof(ep->message), "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
    ret = posix_spawn(&ep->pid, ep->argv[0], &fa, NULL, ep->argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (ret != 0) {
        close(fds[0]);
        snprintf(ep->message, sizeof(ep->message), "cannot start %s: %s", ep->argv[0],
                 strerror(ret));
        return -1;
    }
    ep->fd = fds[0];
    fcntl(ep->fd, F_SETFL, fcntl(ep->fd, F_GETFL) | O_NONBLOCK);
    return 0;
}

static void handle_line(BatchRunner *r, BatchEpisode *ep, const char *line)
{
    static const char prefix[] = "sobre encode: ";
    if (line[0] == '{') {
        json_t *o = json_loads(line, 0, NULL);
        json_t *p = json_object_get(o, "progress");
        if (json_is_number(p)) {
            ep->percent = json_number_value(p);
            if (r->on_event)
                r->on_event(r->opaque, ep, "progress");
        }
        json_decref(o);
        return;
    }
    if (r->verbose)
        fprintf(stderr, "[%s] %s\n", ep->id, line);
    if (strstr(line, "(already up to date)"))
        ep->up_to_date = 1;
    if (!strncmp(line, prefix, sizeof(prefix) - 1))
        snprintf(ep->message, sizeof(ep->message), "%s", line + sizeof(prefix) - 1);
}

/* Reads what is available; returns 1 at end of file. */
static int drain(BatchRunner *r, BatchEpisode *ep)
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(ep->fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN ? 0 : 1;
        if (n == 0)
            return 1;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n' || ep->line_len == sizeof(ep->line) - 1) {
                ep->line[ep->line_len] = '\0';
                handle_line(r, ep, ep->line);
                ep->line_len = 0;
                if (buf[i] == '\n')
                    continue;
            }
            ep->line[ep->line_len++] = buf[i];
        }
    }
}

static void finish(BatchRunner *r, BatchEpisode *ep)
{
    int status = 0;
    while (waitpid(ep->pid, &status, 0) < 0 && errno == EINTR)
        ;
    close(ep->fd);
    ep->fd = -1;
    ep->end = cli_now();
    if (WIFEXITED(status)) {
        ep->exit_code = WEXITSTATUS(status);
        ep->state = ep->exit_code == 0                 ? EP_OK
                    : ep->exit_code == CLI_INTERRUPTED ? EP_INTERRUPTED
                                                       : EP_FAILED;
        if (ep->state == EP_FAILED && !ep->message[0])
            snprintf(ep->message, sizeof(ep->message), "encode exited with code %d", ep->exit_code);
    } else {
        ep->exit_code = 128 + WTERMSIG(status);
        ep->state = *r->interrupt ? EP_INTERRUPTED : EP_FAILED;
        snprintf(ep->message, sizeof(ep->message), "encode was killed by signal %d (%s)",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    }
    if (ep->state == EP_OK)
        ep->percent = 100;
    if (r->on_event)
        r->on_event(r->opaque, ep, "done");
}

static int start_next(BatchRunner *r, int *next)
{
    while (*next < r->nb && r->episodes[*next].state != EP_PENDING)
        (*next)++;
    if (*next >= r->nb)
        return 0;
    BatchEpisode *ep = &r->episodes[(*next)++];
    ep->start = cli_now();
    if (spawn_episode(ep) < 0) {
        ep->state = EP_FAILED;
        ep->exit_code = -1;
        ep->end = ep->start;
        if (r->on_event)
            r->on_event(r->opaque, ep, "done");
        return 1;
    }
    ep->state = EP_RUNNING;
    if (r->on_event)
        r->on_event(r->opaque, ep, "start");
    return 1;
}

static int count_running(const BatchRunner *r)
{
    int n = 0;
    for (int i = 0; i < r->nb; i++)
        n += r->episodes[i].state == EP_RUNNING;
    return n;
}

int batch_run(BatchRunner *r)
{
    struct pollfd *fds = calloc((size_t)r->nb + 1, sizeof(*fds));
    BatchEpisode **polled = calloc((size_t)r->nb + 1, sizeof(*polled));
    int next = 0, forwarded = 0;

    if (!fds || !polled) {
        free(fds);
        free(polled);
        return CLI_FAIL;
    }
    for (;;) {
        int n = 0;
        while (!*r->interrupt && count_running(r) < r->jobs && start_next(r, &next))
            ;
        for (int i = 0; i < r->nb; i++)
            if (r->episodes[i].state == EP_RUNNING) {
                fds[n].fd = r->episodes[i].fd;
                fds[n].events = POLLIN;
                polled[n++] = &r->episodes[i];
            }
        if (*r->interrupt && !forwarded) {
            for (int i = 0; i < n; i++)
                kill(polled[i]->pid, SIGTERM);
            forwarded = 1;
        }
        if (n == 0 && (*r->interrupt || next >= r->nb))
            break;
        if (n == 0)
            continue;
        if (poll(fds, (nfds_t)n, 250) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < n; i++)
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) && drain(r, polled[i]))
                finish(r, polled[i]);
    }
    free(fds);
    free(polled);
    return *r->interrupt ? CLI_INTERRUPTED : 0;
}

double batch_overall(const BatchRunner *r)
{
    double done = 0, total = 0;
    for (int i = 0; i < r->nb; i++) {
        const BatchEpisode *ep = &r->episodes[i];
        double w = ep->weight > 0 ? ep->weight : 1;
        if (ep->state == EP_SKIPPED)
            continue;
        total += w;
        if (ep->state == EP_OK || ep->state == EP_FAILED)
            done += w;
        else if (ep->state == EP_RUNNING)
            done += w * ep->percent / 100.0;
    }
    return total > 0 ? 100.0 * done / total : 100.0;
}
