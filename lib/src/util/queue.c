/* Bounded blocking pointer queue (see queue.h): a ring buffer under one mutex with two
 * condition variables; unbounded queues grow the ring instead of waiting. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "queue.h"

struct SobreQueue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    void **items;
    size_t cap, head, count, limit; /* limit 0 = unbounded */
    int finished, aborted;
};

int sobre_queue_new(SobreQueue **out, size_t capacity)
{
    SobreQueue *q = calloc(1, sizeof(*q));
    *out = NULL;
    if (!q)
        return -ENOMEM;
    q->limit = capacity;
    q->cap = capacity ? capacity : 16;
    q->items = calloc(q->cap, sizeof(*q->items));
    if (!q->items) {
        free(q);
        return -ENOMEM;
    }
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    *out = q;
    return 0;
}

void sobre_queue_free(SobreQueue **qp, void (*free_item)(void *))
{
    SobreQueue *q = qp ? *qp : NULL;
    if (!q)
        return;
    for (size_t i = 0; i < q->count; i++)
        if (free_item)
            free_item(q->items[(q->head + i) % q->cap]);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
    free(q->items);
    free(q);
    *qp = NULL;
}

static int grow(SobreQueue *q)
{
    size_t cap = q->cap * 2;
    void **n = calloc(cap, sizeof(*n));
    if (!n)
        return -ENOMEM;
    for (size_t i = 0; i < q->count; i++)
        n[i] = q->items[(q->head + i) % q->cap];
    free(q->items);
    q->items = n;
    q->cap = cap;
    q->head = 0;
    return 0;
}

int sobre_queue_push(SobreQueue *q, void *item)
{
    int ret = 0;
    pthread_mutex_lock(&q->lock);
    while (q->limit && q->count >= q->limit && !q->aborted)
        pthread_cond_wait(&q->not_full, &q->lock);
    if (q->aborted || q->finished)
        ret = -1;
    else if (q->count == q->cap && grow(q) < 0)
        ret = -1;
    if (ret == 0) {
        q->items[(q->head + q->count) % q->cap] = item;
        q->count++;
        pthread_cond_signal(&q->not_empty);
    }
    pthread_mutex_unlock(&q->lock);
    return ret;
}

static int take(SobreQueue *q, void **item, int block)
{
    int ret;
    pthread_mutex_lock(&q->lock);
    while (block && !q->count && !q->finished && !q->aborted)
        pthread_cond_wait(&q->not_empty, &q->lock);
    if (q->aborted) {
        ret = -1;
    } else if (q->count) {
        *item = q->items[q->head];
        q->head = (q->head + 1) % q->cap;
        q->count--;
        pthread_cond_signal(&q->not_full);
        ret = 0;
    } else {
        ret = 1;
    }
    pthread_mutex_unlock(&q->lock);
    return ret;
}

int sobre_queue_pop(SobreQueue *q, void **item)
{
    return take(q, item, 1);
}

int sobre_queue_try_pop(SobreQueue *q, void **item)
{
    return take(q, item, 0);
}

void sobre_queue_finish(SobreQueue *q)
{
    pthread_mutex_lock(&q->lock);
    q->finished = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
}

void sobre_queue_abort(SobreQueue *q)
{
    pthread_mutex_lock(&q->lock);
    q->aborted = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_mutex_unlock(&q->lock);
}
