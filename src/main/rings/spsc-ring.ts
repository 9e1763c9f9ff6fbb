/**
 * Lock-free single-producer single-consumer ring of fixed-size slots on a SharedArrayBuffer.
 * One thread may produce and one thread may consume; each side keeps its own handle
 * (`create` on one side, `attach` on the other). Layout: docs/rings.md.
 *
 * Head and tail are free-running Int32 counters (wrapping with `| 0`); slot = counter & mask.
 * Slot writes happen before the Atomics.store of the head that publishes them, and the consumer
 * reads slots only after an Atomics.load of that head, so the JS memory model orders them
 * (the same holds for the tail in the other direction).
 */

/** Int32 indices of the control header. Each moving word sits 128 bytes from the next. */
export const RingControl = {
  Magic: 0,
  LayoutVersion: 1,
  SlotSize: 2,
  Capacity: 3,
  /** Written by the producer only. */
  Head: 32,
  /** Written by the consumer only. */
  Tail: 64,
  /** 1 while the consumer is (about to be) blocked on Head; cleared by the producer that wakes it. */
  Waiting: 96,
  /** Updates refused for lack of room; the producer adds, anyone reads. */
  Overflows: 128,
} as const;

/**
 * Bytes before the data region. 128-byte spacing rather than 64 keeps each word clear of
 * the adjacent-line prefetcher that pulls cache lines in pairs on x86.
 */
export const RING_CONTROL_BYTES = 640;
export const RING_MAGIC = 0x53505343; // 'SPSC'
export const RING_LAYOUT_VERSION = 1;
const MAX_CAPACITY = 1 << 30;
const MAX_DATA_BYTES = 1 << 30;

const noop = (): void => {};

// Atomics.waitAsync is in Node 20 but only in TypeScript's ES2024 lib.
type WaitAsyncResult =
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'> };
const atomics = Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): WaitAsyncResult;
};

export class SpscRing {
  readonly sab: SharedArrayBuffer;
  readonly slotSize: number;
  readonly capacity: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly f64: Float64Array;

  private readonly ctl: Int32Array;
  private readonly mask: number;
  // Producer state: `head` counts claimed slots, `published` the last head stored.
  private head: number;
  private published: number;
  private cachedTail: number;
  // Consumer state.
  private tail: number;
  private cachedHead: number;

  static create(opts: { slotSize: number; capacity: number }): SpscRing {
    const { slotSize, capacity } = opts;
    if (!Number.isInteger(slotSize) || slotSize < 8 || slotSize % 8 !== 0) {
      throw new RangeError(`SpscRing: slotSize must be a positive multiple of 8 bytes, got ${slotSize}`);
    }
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`SpscRing: capacity must be a power of two between 1 and 2^30, got ${capacity}`);
    }
    if (slotSize * capacity > MAX_DATA_BYTES) {
      throw new RangeError(`SpscRing: ${capacity} slots of ${slotSize} bytes exceed the 1 GiB limit`);
    }
    const sab = new SharedArrayBuffer(RING_CONTROL_BYTES + slotSize * capacity);
    const ctl = new Int32Array(sab, 0, RING_CONTROL_BYTES / 4);
    ctl[RingControl.SlotSize] = slotSize;
    ctl[RingControl.Capacity] = capacity;
    ctl[RingControl.LayoutVersion] = RING_LAYOUT_VERSION;
    // Stored last: the handle is posted to the other thread afterwards, which orders all of it.
    Atomics.store(ctl, RingControl.Magic, RING_MAGIC);
    return new SpscRing(sab);
  }

  static attach(sab: SharedArrayBuffer): SpscRing {
    if (!(sab instanceof SharedArrayBuffer) || sab.byteLength < RING_CONTROL_BYTES) {
      throw new TypeError('SpscRing.attach: expected the SharedArrayBuffer of an SpscRing');
    }
    return new SpscRing(sab);
  }

  private constructor(sab: SharedArrayBuffer) {
    const ctl = new Int32Array(sab, 0, RING_CONTROL_BYTES / 4);
    if (Atomics.load(ctl, RingControl.Magic) !== RING_MAGIC) throw new TypeError('SpscRing: bad magic in control header');
    const version = ctl[RingControl.LayoutVersion];
    if (version !== RING_LAYOUT_VERSION) throw new TypeError(`SpscRing: layout version ${version}, expected ${RING_LAYOUT_VERSION}`);
    const slotSize = ctl[RingControl.SlotSize];
    const capacity = ctl[RingControl.Capacity];
    if (sab.byteLength !== RING_CONTROL_BYTES + slotSize * capacity) throw new TypeError('SpscRing: buffer size does not match its header');

    this.sab = sab;
    this.slotSize = slotSize;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.ctl = ctl;
    const dataBytes = slotSize * capacity;
    this.bytes = new Uint8Array(sab, RING_CONTROL_BYTES, dataBytes);
    this.view = new DataView(sab, RING_CONTROL_BYTES, dataBytes);
    this.f64 = new Float64Array(sab, RING_CONTROL_BYTES, dataBytes / 8);
    this.head = this.published = this.cachedHead = Atomics.load(ctl, RingControl.Head);
    this.tail = this.cachedTail = Atomics.load(ctl, RingControl.Tail);
  }

  // ---- producer ----

  /** Slots the producer can claim now (counts its own unpublished claims as taken). */
  free(): number {
    this.cachedTail = Atomics.load(this.ctl, RingControl.Tail);
    return this.capacity - ((this.head - this.cachedTail) | 0);
  }

  /** True if `n` more slots can be claimed; reads the shared tail only when the cached one says no. */
  hasRoom(n: number): boolean {
    return this.capacity - ((this.head - this.cachedTail) | 0) >= n || this.free() >= n;
  }

  claim(): number {
    const head = this.head;
    if (((head - this.cachedTail) | 0) >= this.capacity) {
      this.cachedTail = Atomics.load(this.ctl, RingControl.Tail);
      if (((head - this.cachedTail) | 0) >= this.capacity) return -1;
    }
    this.head = (head + 1) | 0;
    return (head & this.mask) * this.slotSize;
  }

  publish(): void {
    const head = this.head;
    if (head === this.published) return;
    this.published = head;
    const ctl = this.ctl;
    Atomics.store(ctl, RingControl.Head, head);
    // Seq-cst store then load: either we see the consumer's flag, or its re-check sees our head.
    if (Atomics.load(ctl, RingControl.Waiting) !== 0 && Atomics.exchange(ctl, RingControl.Waiting, 0) !== 0) {
      Atomics.notify(ctl, RingControl.Head);
    }
  }

  countOverflow(): void {
    Atomics.add(this.ctl, RingControl.Overflows, 1);
  }

  overflows(): number {
    return Atomics.load(this.ctl, RingControl.Overflows) >>> 0;
  }

  // ---- consumer ----

  /** Published, unconsumed records. Reads the shared tail, so any handle may ask (e.g. for metrics). */
  available(): number {
    this.cachedHead = Atomics.load(this.ctl, RingControl.Head);
    return (this.cachedHead - Atomics.load(this.ctl, RingControl.Tail)) | 0;
  }

  poll(handler: (offset: number) => void, max: number = this.capacity): number {
    let n = (this.cachedHead - this.tail) | 0;
    if (n < max) {
      this.cachedHead = Atomics.load(this.ctl, RingControl.Head);
      n = (this.cachedHead - this.tail) | 0;
    }
    if (n > max) n = max;
    if (n <= 0) return 0;
    const mask = this.mask;
    const slotSize = this.slotSize;
    let t = this.tail;
    let done = 0;
    try {
      while (done < n) {
        handler((t & mask) * slotSize);
        t = (t + 1) | 0;
        done++;
      }
    } finally {
      // A throwing handler leaves its record (and those after it) unconsumed.
      if (done > 0) {
        this.tail = t;
        Atomics.store(this.ctl, RingControl.Tail, t);
      }
    }
    return n;
  }

  /** Blocks the calling thread until data is published or `timeoutMs` passes. Worker threads only. */
  waitSync(timeoutMs: number): boolean {
    const seen = this.armWait();
    if (seen !== this.tail) return true;
    Atomics.wait(this.ctl, RingControl.Head, seen, timeoutMs);
    return this.disarmWait();
  }

  /** Resolves true once data is published, false after `timeoutMs`; never blocks the event loop. */
  async waitAsync(timeoutMs: number): Promise<boolean> {
    const seen = this.armWait();
    if (seen !== this.tail) return true;
    const res = atomics.waitAsync(this.ctl, RingControl.Head, seen, timeoutMs);
    if (res.async) {
      // A pending waitAsync does not keep Node's event loop alive on its own.
      const keepAlive = setInterval(noop, 1 << 30);
      try {
        await res.value;
      } finally {
        clearInterval(keepAlive);
      }
    }
    return this.disarmWait();
  }

  /** Raises the waiting flag, then re-reads the head; returns it (== tail means still empty). */
  private armWait(): number {
    const ctl = this.ctl;
    let head = Atomics.load(ctl, RingControl.Head);
    if (head !== this.tail) {
      this.cachedHead = head;
      return head;
    }
    Atomics.store(ctl, RingControl.Waiting, 1);
    head = Atomics.load(ctl, RingControl.Head);
    if (head !== this.tail) {
      Atomics.store(ctl, RingControl.Waiting, 0);
      this.cachedHead = head;
    }
    return head;
  }

  private disarmWait(): boolean {
    Atomics.store(this.ctl, RingControl.Waiting, 0);
    this.cachedHead = Atomics.load(this.ctl, RingControl.Head);
    return this.cachedHead !== this.tail;
  }
}
