/*
 * Creating, locking and closing the shared-memory file (POSIX: Linux, macOS). Windows builds
 * get stubs that report the platform unsupported.
 */
#define _GNU_SOURCE
#include "shm_writer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef _WIN32

int shm_writer_open(shm_writer *w, const char *path, const shm_options *o, char *err, size_t errlen) {
  (void)w; (void)path; (void)o;
  snprintf(err, errlen, "shared memory is not supported on Windows");
  return -1;
}
void shm_writer_close(shm_writer *w, int unlink_file) { (void)w; (void)unlink_file; }
void shm_heartbeat(shm_writer *w) { (void)w; }
uint64_t shm_mono_ns(void) { return 0; }
uint64_t shm_realtime_ns(void) { return 0; }
uint32_t shm_set_instruments(shm_writer *w, const shm_instrument *l, uint32_t n) { (void)w; (void)l; (void)n; return 0; }
uint32_t shm_pending_snapshots(shm_writer *w) { (void)w; return 0; }
void shm_snapshots_served(shm_writer *w, uint64_t r) { (void)w; (void)r; }
uint32_t shm_readers(shm_writer *w, shm_reader_info *o, uint32_t m) { (void)w; (void)o; (void)m; return 0; }
uint64_t shm_book_backlog(shm_writer *w) { (void)w; return 0; }
uint64_t shm_trade_backlog(shm_writer *w) { (void)w; return 0; }

#else

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define U32(b, off) (*(uint32_t *)((b) + (off)))
#define U64(b, off) (*(uint64_t *)((b) + (off)))

uint64_t shm_mono_ns(void) {
#ifdef __APPLE__
  /* mach_absolute_time in ns: what Python's time.monotonic_ns and libuv's hrtime read on macOS */
  return clock_gettime_nsec_np(CLOCK_UPTIME_RAW);
#else
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

uint64_t shm_realtime_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * The writer holds a write lock on the header's bytes for as long as it lives; the kernel drops
 * it when the process dies, however it dies. Linux: an open-file-description lock, which another
 * open/close of the file in this process cannot drop (a classic POSIX lock would be).
 */
static int lock_range(int fd, short type, off_t start, off_t len, int query) {
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = start;
  fl.l_len = len;
  int cmd;
#ifdef F_OFD_SETLK
  cmd = query ? F_OFD_GETLK : F_OFD_SETLK;
#else
  cmd = query ? F_GETLK : F_SETLK;
#endif
  if (fcntl(fd, cmd, &fl) != 0) return -1;
  if (query) return fl.l_type == F_UNLCK ? 0 : 1;
  return 0;
}

/* 1 if some process holds a lock conflicting with a write lock on the range, 0 if none, -1 on error. */
static int range_locked(int fd, off_t start, off_t len) { return lock_range(fd, F_WRLCK, start, len, 1); }

static int is_pow2(uint32_t n) { return n && !(n & (n - 1)); }

/* Reserves the file's blocks now, so a full /dev/shm fails here rather than as SIGBUS on a later store. */
static int reserve(int fd, uint64_t size) {
#ifdef __linux__
  int rc = posix_fallocate(fd, 0, (off_t)size);
  if (rc != 0) errno = rc;
  return rc == 0 ? 0 : -1;
#else
  if (ftruncate(fd, (off_t)size) != 0) return -1;
  static const uint8_t zeros[65536];
  for (uint64_t off = 0; off < size; off += sizeof zeros) {
    size_t n = size - off < sizeof zeros ? (size_t)(size - off) : sizeof zeros;
    if (pwrite(fd, zeros, n, (off_t)off) != (ssize_t)n) return -1;
  }
  return 0;
#endif
}

/* Refuses a path whose current file belongs to a live writer. */
static int check_existing(const char *path, char *err, size_t errlen) {
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? 0 : (snprintf(err, errlen, "cannot open existing %s: %s", path, strerror(errno)), -1);
  uint8_t h[64];
  int busy = pread(fd, h, sizeof h, 0) == (ssize_t)sizeof h && memcmp(h, SHM_MAGIC, 8) == 0 && U32(h, H_STATE) == SHM_STATE_RUNNING &&
             range_locked(fd, 0, SHM_HEADER_BYTES) == 1;
  uint32_t pid = busy ? U32(h, H_WRITER_PID) : 0;
  close(fd);
  if (busy) {
    snprintf(err, errlen, "%s is in use by a running writer (pid %u)", path, pid);
    return -1;
  }
  return 0;
}

static void ring_layout(uint8_t *base, uint32_t desc, uint32_t record_bytes, uint32_t capacity, uint64_t *cursor) {
  uint64_t control = *cursor;
  uint64_t stamps = shm_align(control + RC_BYTES, SHM_PAGE);
  uint64_t data = shm_align(stamps + (uint64_t)capacity * 8, SHM_PAGE);
  *cursor = shm_align(data + (uint64_t)capacity * record_bytes, SHM_PAGE);
  if (!base) return;
  U32(base, desc + RD_RECORD_BYTES) = record_bytes;
  U32(base, desc + RD_CAPACITY) = capacity;
  U64(base, desc + RD_CONTROL) = control;
  U64(base, desc + RD_STAMPS) = stamps;
  U64(base, desc + RD_DATA) = data;
}

static void ring_bind(shm_ring *r, uint8_t *base, uint32_t desc) {
  r->record_bytes = U32(base, desc + RD_RECORD_BYTES);
  r->capacity = U32(base, desc + RD_CAPACITY);
  r->mask = r->capacity - 1;
  r->write_seq = (uint64_t *)(base + U64(base, desc + RD_CONTROL) + RC_WRITE_SEQ);
  r->stamps = (uint64_t *)(base + U64(base, desc + RD_STAMPS));
  r->data = base + U64(base, desc + RD_DATA);
  r->next = 0;
}

int shm_writer_open(shm_writer *w, const char *path, const shm_options *o, char *err, size_t errlen) {
  memset(w, 0, sizeof *w);
  w->fd = -1;
  if (strlen(path) + 32 >= SHM_PATH_MAX) return snprintf(err, errlen, "path is too long"), -1;
  if (!is_pow2(o->book_slots) || !is_pow2(o->trade_slots) || o->book_slots < 16 || o->trade_slots < 16 || o->book_slots > (1u << 24) ||
      o->trade_slots > (1u << 24))
    return snprintf(err, errlen, "ring capacities must be powers of two from 16 to 2^24 (got %u and %u)", o->book_slots, o->trade_slots), -1;
  if (o->reader_slots < 1 || o->reader_slots > SHM_MAX_READER_SLOTS)
    return snprintf(err, errlen, "reader slots must be 1 to %u (got %u)", SHM_MAX_READER_SLOTS, o->reader_slots), -1;
  if (o->dir_capacity < 1 || o->dir_capacity > 65536) return snprintf(err, errlen, "instrument slots must be 1 to 65536"), -1;
  if (check_existing(path, err, errlen) != 0) return -1;

  uint64_t cursor = SHM_HEADER_BYTES;
  uint64_t readers = cursor;
  cursor = shm_align(cursor + (uint64_t)o->reader_slots * RS_BYTES, SHM_PAGE);
  uint64_t dir = cursor;
  cursor = shm_align(cursor + (uint64_t)o->dir_capacity * DE_BYTES, SHM_PAGE);
  uint64_t book_at = cursor;
  ring_layout(NULL, H_RING_BOOK, BOOK_RECORD_BYTES, o->book_slots, &cursor);
  uint64_t trade_at = cursor;
  ring_layout(NULL, H_RING_TRADE, TRADE_RECORD_BYTES, o->trade_slots, &cursor);
  uint64_t size = cursor;

  /* Built under a temporary name and renamed into place: a reader never sees a half-made header,
     and a reader of a previous file keeps its own (closed or stale) copy. */
  char tmp[SHM_PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno)), -1;
  uint8_t *base = MAP_FAILED;
  const char *step = "reserve";
  if (reserve(fd, size) != 0) goto fail;
  step = "mmap";
  base = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) goto fail;
  step = "lock";
  if (lock_range(fd, F_WRLCK, 0, SHM_HEADER_BYTES, 0) != 0) goto fail;

  memcpy(base + H_MAGIC, SHM_MAGIC, 8);
  U32(base, H_LAYOUT_VERSION) = SHM_LAYOUT_VERSION;
  U32(base, H_HEADER_BYTES) = SHM_HEADER_BYTES;
  U64(base, H_FILE_BYTES) = size;
  U32(base, H_WRITER_PID) = (uint32_t)getpid();
  U64(base, H_START_REALTIME_NS) = shm_realtime_ns();
  U64(base, H_START_MONO_NS) = shm_mono_ns();
  U64(base, H_HEARTBEAT_MONO_NS) = shm_mono_ns();
  U32(base, H_HEARTBEAT_MS) = o->heartbeat_ms;
  U32(base, H_STALE_AFTER_MS) = o->stale_after_ms;
  U32(base, H_READER_SLOTS) = o->reader_slots;
  U32(base, H_READER_SLOT_BYTES) = RS_BYTES;
  U64(base, H_READER_TABLE) = readers;
  U32(base, H_DIR_CAPACITY) = o->dir_capacity;
  U32(base, H_DIR_ENTRY_BYTES) = DE_BYTES;
  U64(base, H_DIR_OFFSET) = dir;
  cursor = book_at;
  ring_layout(base, H_RING_BOOK, BOOK_RECORD_BYTES, o->book_slots, &cursor);
  cursor = trade_at;
  ring_layout(base, H_RING_TRADE, TRADE_RECORD_BYTES, o->trade_slots, &cursor);
  if (o->writer_name) strncpy((char *)base + H_WRITER_NAME, o->writer_name, 63);
  __atomic_store_n((uint32_t *)(base + H_STATE), SHM_STATE_RUNNING, __ATOMIC_RELEASE);

  step = "rename";
  if (rename(tmp, path) != 0) goto fail;
  w->fd = fd;
  w->base = base;
  w->size = size;
  strcpy(w->path, path);
  ring_bind(&w->book, base, H_RING_BOOK);
  ring_bind(&w->trade, base, H_RING_TRADE);
  w->reader_slots = o->reader_slots;
  w->readers = base + readers;
  w->dir_capacity = o->dir_capacity;
  w->dir = base + dir;
  w->open = 1;
  return 0;

fail:
  snprintf(err, errlen, "%s %s (%llu bytes): %s", step, tmp, (unsigned long long)size, strerror(errno));
  if (base != MAP_FAILED) munmap(base, (size_t)size);
  close(fd);
  unlink(tmp);
  return -1;
}

void shm_writer_close(shm_writer *w, int unlink_file) {
  if (!w->open) return;
  w->open = 0;
  __atomic_store_n((uint32_t *)(w->base + H_STATE), SHM_STATE_CLOSED, __ATOMIC_RELEASE);
  if (unlink_file) {
    /* only if the path still names our file (a newer writer may have replaced it) */
    struct stat a, b;
    if (stat(w->path, &a) == 0 && fstat(w->fd, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) unlink(w->path);
  }
  munmap(w->base, (size_t)w->size);
  close(w->fd);
  w->base = NULL;
  w->fd = -1;
}

void shm_heartbeat(shm_writer *w) {
  if (w->open) __atomic_store_n((uint64_t *)(w->base + H_HEARTBEAT_MONO_NS), shm_mono_ns(), __ATOMIC_RELEASE);
}

static void put_text(uint8_t *dst, size_t cap, const char *s) {
  memset(dst, 0, cap);
  if (s) strncpy((char *)dst, s, cap - 1);
}

uint32_t shm_set_instruments(shm_writer *w, const shm_instrument *list, uint32_t n) {
  if (!w->open) return 0;
  uint64_t *seq = (uint64_t *)(w->base + H_DIR_SEQ);
  uint64_t s = __atomic_load_n(seq, __ATOMIC_RELAXED);
  __atomic_store_n(seq, s + 1, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);
  uint32_t count = n < w->dir_capacity ? n : w->dir_capacity;
  for (uint32_t i = 0; i < count; i++) {
    uint8_t *e = w->dir + (uint64_t)i * DE_BYTES;
    const shm_instrument *in = &list[i];
    memset(e, 0, DE_BYTES);
    e[DE_VENUE_ID] = in->venue_id;
    e[DE_VENUE_STATE] = in->venue_state;
    *(uint16_t *)(e + DE_SYMBOL_ID) = in->symbol_id;
    e[DE_PRICE_DECIMALS] = in->price_decimals;
    e[DE_SIZE_DECIMALS] = in->size_decimals;
    memcpy(e + DE_TICK_SIZE, &in->tick_size, 8);
    memcpy(e + DE_LOT_SIZE, &in->lot_size, 8);
    put_text(e + DE_VENUE, 32, in->venue);
    put_text(e + DE_SYMBOL, 32, in->symbol);
    put_text(e + DE_TICK_TEXT, 20, in->tick_text);
    put_text(e + DE_LOT_TEXT, 20, in->lot_text);
  }
  U32(w->base, H_DIR_COUNT) = count;
  __atomic_store_n(seq, s + 2, __ATOMIC_RELEASE);
  return count;
}

#define SLOT(w, i) ((w)->readers + (uint64_t)(i) * RS_BYTES)
#define SLOT_ACTIVE(p) (__atomic_load_n((uint32_t *)((p) + RS_STATE), __ATOMIC_ACQUIRE) == 1)

uint32_t shm_pending_snapshots(shm_writer *w) {
  uint32_t pending = 0;
  if (!w->open) return 0;
  for (uint32_t i = 0; i < w->reader_slots; i++) {
    uint8_t *p = SLOT(w, i);
    uint32_t req = __atomic_load_n((uint32_t *)(p + RS_SNAP_REQUEST), __ATOMIC_ACQUIRE);
    w->seen_request[i] = req;
    if (SLOT_ACTIVE(p) && req != U32(p, RS_SNAP_SERVED)) pending++;
  }
  return pending;
}

void shm_snapshots_served(shm_writer *w, uint64_t records) {
  if (!w->open) return;
  for (uint32_t i = 0; i < w->reader_slots; i++)
    __atomic_store_n((uint32_t *)(SLOT(w, i) + RS_SNAP_SERVED), w->seen_request[i], __ATOMIC_RELEASE);
  __atomic_fetch_add((uint64_t *)(w->base + H_SNAPSHOT_ROUNDS), 1, __ATOMIC_RELAXED);
  __atomic_fetch_add((uint64_t *)(w->base + H_SNAPSHOT_RECORDS), records, __ATOMIC_RELAXED);
}

uint32_t shm_readers(shm_writer *w, shm_reader_info *out, uint32_t max) {
  uint32_t n = 0;
  if (!w->open) return 0;
  for (uint32_t i = 0; i < w->reader_slots && n < max; i++) {
    uint8_t *p = SLOT(w, i);
    uint32_t state = __atomic_load_n((uint32_t *)(p + RS_STATE), __ATOMIC_ACQUIRE);
    if (state == 0) continue;
    shm_reader_info *r = &out[n++];
    r->slot = i;
    r->state = state;
    r->pid = U32(p, RS_PID);
    r->book_seq = __atomic_load_n((uint64_t *)(p + RS_BOOK_SEQ), __ATOMIC_ACQUIRE);
    r->trade_seq = __atomic_load_n((uint64_t *)(p + RS_TRADE_SEQ), __ATOMIC_ACQUIRE);
    r->heartbeat_ns = __atomic_load_n((uint64_t *)(p + RS_HEARTBEAT), __ATOMIC_RELAXED);
    r->overruns = __atomic_load_n((uint64_t *)(p + RS_OVERRUNS), __ATOMIC_RELAXED);
    r->snap_request = U32(p, RS_SNAP_REQUEST);
    r->snap_served = U32(p, RS_SNAP_SERVED);
    memcpy(r->name, p + RS_NAME, 32);
    r->name[32] = 0;
    r->alive = range_locked(w->fd, (off_t)(p - w->base), RS_BYTES);
  }
  return n;
}

static uint64_t backlog(shm_writer *w, shm_ring *r, uint32_t seq_field) {
  uint64_t worst = 0;
  if (!w->open) return 0;
  for (uint32_t i = 0; i < w->reader_slots; i++) {
    uint8_t *p = SLOT(w, i);
    if (!SLOT_ACTIVE(p)) continue;
    uint64_t seq = __atomic_load_n((uint64_t *)(p + seq_field), __ATOMIC_ACQUIRE);
    uint64_t lag = r->next > seq ? r->next - seq : 0;
    if (lag > worst) worst = lag;
  }
  return worst;
}

uint64_t shm_book_backlog(shm_writer *w) { return backlog(w, &w->book, RS_BOOK_SEQ); }
uint64_t shm_trade_backlog(shm_writer *w) { return backlog(w, &w->trade, RS_TRADE_SEQ); }

#endif
