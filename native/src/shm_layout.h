/*
 * Pulse shared-memory file layout, version 1. docs/shm.md describes every byte; the constants
 * here are the single source the addon uses. All integers little endian, all u64 8-aligned.
 */
#ifndef PULSE_SHM_LAYOUT_H
#define PULSE_SHM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define SHM_MAGIC "PULSESHM"
#define SHM_LAYOUT_VERSION 1u
#define SHM_PAGE 4096u
#define SHM_HEADER_BYTES 4096u

/* header: fixed offsets */
#define H_MAGIC 0              /* u8[8] "PULSESHM" */
#define H_LAYOUT_VERSION 8     /* u32 */
#define H_HEADER_BYTES 12      /* u32 */
#define H_FILE_BYTES 16        /* u64 */
#define H_STATE 24             /* u32: SHM_STATE_* */
#define H_WRITER_PID 28        /* u32 */
#define H_START_REALTIME_NS 32 /* u64, CLOCK_REALTIME */
#define H_START_MONO_NS 40     /* u64, the shared monotonic clock (shm_mono_ns) */
#define H_HEARTBEAT_MONO_NS 48 /* u64, same clock */
#define H_HEARTBEAT_MS 56      /* u32: how often the writer promises a heartbeat */
#define H_STALE_AFTER_MS 60    /* u32: a heartbeat older than this means the writer is stalled */
#define H_READER_SLOTS 64      /* u32 */
#define H_READER_SLOT_BYTES 68 /* u32 = 128 */
#define H_READER_TABLE 72      /* u64 offset */
#define H_DIR_CAPACITY 80      /* u32 entries */
#define H_DIR_ENTRY_BYTES 84   /* u32 = 128 */
#define H_DIR_OFFSET 88        /* u64 */
#define H_DIR_SEQ 96           /* u64 seqlock: odd while the writer rewrites the directory */
#define H_DIR_COUNT 104        /* u32 entries in use */
#define H_RING_BOOK 128        /* ring descriptor, 64 bytes */
#define H_RING_TRADE 192       /* ring descriptor, 64 bytes */
#define H_SNAPSHOT_ROUNDS 256  /* u64: snapshot rounds the writer has written */
#define H_SNAPSHOT_RECORDS 264 /* u64: book records written by those rounds */
#define H_WRITER_NAME 512      /* char[64], NUL padded */

/* ring descriptor, relative to H_RING_BOOK / H_RING_TRADE */
#define RD_RECORD_BYTES 0 /* u32 */
#define RD_CAPACITY 4     /* u32, power of two */
#define RD_CONTROL 8      /* u64 offset of the control block */
#define RD_STAMPS 16      /* u64 offset of capacity u64 slot stamps */
#define RD_DATA 24        /* u64 offset of capacity records */

/* ring control block: the write sequence alone in its 128 bytes */
#define RC_WRITE_SEQ 0
#define RC_BYTES 128u

/* reader slot, 128 bytes each */
#define RS_BYTES 128u
#define RS_STATE 0          /* u32: 0 free, 1 active, 2 detached */
#define RS_PID 4            /* u32 */
#define RS_BOOK_SEQ 8       /* u64: next book sequence the reader will read */
#define RS_TRADE_SEQ 16     /* u64 */
#define RS_HEARTBEAT 24     /* u64, shared monotonic clock */
#define RS_SNAP_REQUEST 32  /* u32: the reader increments it to ask for full books */
#define RS_SNAP_SERVED 36   /* u32: the writer copies the request it has served */
#define RS_OVERRUNS 40      /* u64: overruns the reader detected */
#define RS_ATTACHED_NS 48   /* u64, CLOCK_REALTIME */
#define RS_NAME 56          /* char[32] */

/* instrument directory entry, 128 bytes */
#define DE_BYTES 128u
#define DE_VENUE_ID 0       /* u8 */
#define DE_VENUE_STATE 1    /* u8: index into the engine's venue state names */
#define DE_SYMBOL_ID 2      /* u16 */
#define DE_PRICE_DECIMALS 4 /* u8 */
#define DE_SIZE_DECIMALS 5  /* u8 */
#define DE_TICK_SIZE 8      /* f64 */
#define DE_LOT_SIZE 16      /* f64 */
#define DE_VENUE 24         /* char[32] */
#define DE_SYMBOL 56        /* char[32] */
#define DE_TICK_TEXT 88     /* char[20], exact decimal */
#define DE_LOT_TEXT 108     /* char[20] */

#define SHM_STATE_INIT 0u
#define SHM_STATE_RUNNING 1u
#define SHM_STATE_CLOSED 2u

/* A slot's stamp while the writer overwrites it: larger than any sequence, so it reads as overrun. */
#define STAMP_WRITING UINT64_MAX

#define BOOK_RECORD_BYTES 256u
#define TRADE_RECORD_BYTES 128u

static inline uint64_t shm_align(uint64_t n, uint64_t to) { return (n + to - 1) / to * to; }

#endif
