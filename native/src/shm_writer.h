/*
 * The writer side of a Pulse shared-memory file: create, map, publish, close. Plain C, no
 * N-API, so a C program can use it as it is. One writer per file; any number of readers.
 */
#ifndef PULSE_SHM_WRITER_H
#define PULSE_SHM_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "shm_layout.h"

#define SHM_MAX_READER_SLOTS 64u
#define SHM_PATH_MAX 1024

typedef struct {
  uint32_t capacity;
  uint32_t record_bytes;
  uint64_t mask;
  uint64_t next;       /* the writer's copy of write_seq */
  uint64_t *write_seq; /* in the mapping */
  uint64_t *stamps;
  uint8_t *data;
} shm_ring;

typedef struct {
  uint32_t book_slots, trade_slots, reader_slots, dir_capacity;
  uint32_t heartbeat_ms, stale_after_ms;
  const char *writer_name;
} shm_options;

typedef struct {
  int fd;
  uint8_t *base;
  uint64_t size;
  char path[SHM_PATH_MAX];
  shm_ring book, trade;
  uint32_t reader_slots;
  uint8_t *readers;
  uint32_t dir_capacity;
  uint8_t *dir;
  /* per reader slot: the snapshot request value seen by the last shm_pending_snapshots */
  uint32_t seen_request[SHM_MAX_READER_SLOTS];
  int open;
} shm_writer;

typedef struct {
  uint32_t slot, state, pid;
  int alive; /* 1 lock held, 0 not held, -1 unknown */
  uint64_t book_seq, trade_seq, heartbeat_ns, overruns;
  uint32_t snap_request, snap_served;
  char name[33];
} shm_reader_info;

typedef struct {
  uint8_t venue_id, venue_state, price_decimals, size_decimals;
  uint16_t symbol_id;
  double tick_size, lot_size;
  const char *venue, *symbol, *tick_text, *lot_text;
} shm_instrument;

/* Returns 0, or -1 with a sentence in err. */
int shm_writer_open(shm_writer *w, const char *path, const shm_options *o, char *err, size_t errlen);
/* Marks the file closed (state CLOSED), unmaps it and, if asked, unlinks it. */
void shm_writer_close(shm_writer *w, int unlink_file);
void shm_heartbeat(shm_writer *w);
uint64_t shm_mono_ns(void);
uint64_t shm_realtime_ns(void);
/* Rewrites the whole directory under its seqlock; entries past the capacity are dropped (returns how many were written). */
uint32_t shm_set_instruments(shm_writer *w, const shm_instrument *list, uint32_t n);
/* Active slots whose snapshot request is not yet served; remembers the requests it saw. */
uint32_t shm_pending_snapshots(shm_writer *w);
/* The requests seen by the last shm_pending_snapshots are served; adds to the header's counters. */
void shm_snapshots_served(shm_writer *w, uint64_t records);
uint32_t shm_readers(shm_writer *w, shm_reader_info *out, uint32_t max);
/* Largest book backlog (write_seq - reader's book_seq) among active readers; 0 without any. */
uint64_t shm_book_backlog(shm_writer *w);
uint64_t shm_trade_backlog(shm_writer *w);

/*
 * Seqlock publish: the stamp says "being written" before any data byte changes and the record's
 * sequence + 1 after the last; then the write sequence moves. Readers check the stamp before and
 * after copying (docs/shm.md, "Ordering").
 */
#ifdef _WIN32
static inline void shm_ring_put(shm_ring *r, const void *src) { (void)r; (void)src; } /* never opened on Windows */
#else
static inline void shm_ring_put(shm_ring *r, const void *src) {
  uint64_t seq = r->next;
  uint64_t i = seq & r->mask;
  __atomic_store_n(&r->stamps[i], STAMP_WRITING, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);
  memcpy(r->data + i * r->record_bytes, src, r->record_bytes);
  __atomic_store_n(&r->stamps[i], seq + 1, __ATOMIC_RELEASE);
  __atomic_store_n(r->write_seq, seq + 1, __ATOMIC_RELEASE);
  r->next = seq + 1;
}
#endif

#endif
