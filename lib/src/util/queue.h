/* Bounded blocking queue of pointers between the decode thread and the rendition
 * threads. Bounded so memory stays flat whatever the input length: the producer waits
 * when a consumer is behind. abort() wakes everyone (cancel or a failed consumer). */
#ifndef SOBRE_QUEUE_H
#define SOBRE_QUEUE_H

#include <stddef.h>

typedef struct SobreQueue SobreQueue;

/** capacity 0 = unbounded (for small items whose number is bounded elsewhere). */
int sobre_queue_new(SobreQueue **q, size_t capacity);
/** Frees the queue; items still inside are passed to free_item (may be NULL). */
void sobre_queue_free(SobreQueue **q, void (*free_item)(void *));

/** Blocks while full. Returns 0, or -1 when the queue was aborted (item not taken). */
int sobre_queue_push(SobreQueue *q, void *item);
/** Blocks while empty. Returns 0 with an item, 1 when finished and drained, -1 aborted. */
int sobre_queue_pop(SobreQueue *q, void **item);
/** Never blocks. Returns 0 with an item, 1 when empty (or finished), -1 aborted. */
int sobre_queue_try_pop(SobreQueue *q, void **item);
/** The producer will push no more. */
void sobre_queue_finish(SobreQueue *q);
/** Wakes every waiter; later pushes and pops fail. */
void sobre_queue_abort(SobreQueue *q);

#endif
