"""Pulse shared-memory market data for Python (docs/shm.md): the file, its rings, L2 books.

Standard library only; Linux and macOS, little-endian 64-bit hosts. pulse_shm_reader.py is the
command-line reader built on it; a strategy can use Shm, Ring and Books directly:

    shm = Shm(shm_path("pulse-shm")); shm.attach("my-strategy"); books = Books(); books.reset()
    shm.request_snapshot()
    while True:
        try:
            data, n = shm.book.read(4096)
        except Overrun:
            shm.book.skip_to_head(); books.reset(); shm.request_snapshot(); continue
        books.feed(data, n); shm.publish()
"""
import fcntl
import mmap
import os
import struct
import sys
import tempfile
import time

MAGIC, LAYOUT = b"PULSESHM", 1
# header (docs/shm.md, "Header")
H_LAYOUT, H_STATE, H_PID, H_START_NS, H_HEARTBEAT, H_HEARTBEAT_MS, H_STALE_MS = 8, 24, 28, 32, 48, 56, 60
H_READERS, H_READER_TABLE, H_DIR_OFFSET, H_DIR_SEQ, H_DIR_COUNT = 64, 72, 88, 96, 104
H_RING_BOOK, H_RING_TRADE, H_SNAP_ROUNDS, H_WRITER_NAME = 128, 192, 256, 512
# reader slot
RS_BYTES, RS_STATE, RS_PID, RS_BOOK_SEQ, RS_TRADE_SEQ, RS_HEARTBEAT = 128, 0, 4, 8, 16, 24
RS_SNAP_REQUEST, RS_SNAP_SERVED, RS_OVERRUNS, RS_ATTACHED_NS, RS_NAME = 32, 36, 40, 48, 56
STATES = {0: "initialising", 1: "running", 2: "closed"}
VENUE_STATES = ["connecting", "live", "stale", "resyncing", "breaker-open", "stopped"]
SNAPSHOT, CONTINUED = 1, 2

# Shared words use native ("@") formats: CPython copies them with one memcpy, i.e. one load or
# store on x86-64 and arm64, where the "<" formats go byte by byte.
U32, U64 = struct.Struct("@I"), struct.Struct("@Q")
BOOK_HEAD = struct.Struct("<BBBBHHdddd")  # kind flags count venue symbol askMask exTs recvTs version prev
LEVELS = struct.Struct("<26d")
DIR_ENTRY = struct.Struct("<BBHBBxxdd32s32s20s20s")


def shm_path(name):
    """The same rule as the engine: a value with a slash is a path, a bare name lives in /dev/shm (Linux) or the temp folder (macOS)."""
    if "/" in name or os.sep in name:
        return os.path.abspath(name)
    if sys.platform.startswith("linux"):
        return os.path.join("/dev/shm", name)
    if sys.platform == "darwin":
        return os.path.join(tempfile.gettempdir(), name)
    sys.exit("pulse_shm_reader: shared memory is supported on Linux and macOS only")


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def decimal_text(units, decimals):
    digits = str(abs(int(units)))
    if decimals:
        digits = digits.rjust(decimals + 1, "0")
        digits = f"{digits[:-decimals]}.{digits[-decimals:]}"
    return f"-{digits}" if units < 0 else digits


class Overrun(Exception):
    pass


class Ring:
    def __init__(self, mm, desc):
        self.mm = mm
        self.size, self.capacity, self.control, self.stamps, self.data = struct.unpack_from("<IIQQQ", mm, desc)
        self.mask = self.capacity - 1
        self.next = 0

    def write_seq(self):
        return U64.unpack_from(self.mm, self.control)[0]

    def read(self, limit):
        """Up to `limit` records from self.next on, as (bytes, count); raises Overrun when the writer has lapped them."""
        avail = self.write_seq() - self.next
        if avail <= 0:
            return b"", 0
        if avail > self.capacity:
            raise Overrun(avail)
        i = self.next & self.mask
        n = min(avail, limit, self.capacity - i)
        fmt = f"@{n}Q"
        before = struct.unpack_from(fmt, self.mm, self.stamps + 8 * i)
        data = self.mm[self.data + i * self.size:self.data + (i + n) * self.size]
        after = struct.unpack_from(fmt, self.mm, self.stamps + 8 * i)
        want = tuple(range(self.next + 1, self.next + n + 1))
        if before != want or after != want:
            good = 0
            while good < n and before[good] == want[good] and after[good] == want[good]:
                good += 1
            if good == 0:
                if max(before[0], after[0]) > want[0]:  # overwritten, or being overwritten (all ones)
                    raise Overrun(avail)
                return b"", 0
            n, data = good, data[:good * self.size]
        self.next += n
        return data, n

    def skip_to_head(self):
        head = self.write_seq()
        missed, self.next = head - self.next, head
        return missed


class Shm:
    def __init__(self, path):
        self.path = path
        try:
            self.fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            sys.exit(f"pulse_shm_reader: no Pulse shared-memory file at {path} (start the engine with --shm)")
        self.mm = mmap.mmap(self.fd, os.fstat(self.fd).st_size)
        if self.mm[:8] != MAGIC:
            sys.exit(f"pulse_shm_reader: {path} is not a Pulse shared-memory file")
        if self.u32(H_LAYOUT) != LAYOUT:
            sys.exit(f"pulse_shm_reader: {path} has layout {self.u32(H_LAYOUT)}; this reader knows {LAYOUT}")
        self.book, self.trade = Ring(self.mm, H_RING_BOOK), Ring(self.mm, H_RING_TRADE)
        self.slot = None
        self.dir_seq, self.instruments = -1, {}

    def u32(self, off):
        return U32.unpack_from(self.mm, off)[0]

    def u64(self, off):
        return U64.unpack_from(self.mm, off)[0]

    def text(self, off, n):
        return bytes(self.mm[off:off + n]).split(b"\0", 1)[0].decode(errors="replace")

    def writer(self):
        """(state, sentence): running, stalled, stale (crashed) or closed. docs/shm.md, "Stale writer"."""
        state, pid = self.u32(H_STATE), self.u32(H_PID)
        if state == 2:
            return "closed", f"writer pid {pid} closed the file cleanly"
        try:  # the writer holds a write lock on the header while it lives; the kernel drops it when it dies
            fcntl.lockf(self.fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, 0)
            fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, 0)
            return "stale", f'writer pid {pid} is gone: the state is still "running" but nobody holds the writer lock'
        except OSError:
            pass
        if not pid_alive(pid):
            return "stale", f"writer pid {pid} is gone"
        age = (time.monotonic_ns() - self.u64(H_HEARTBEAT)) / 1e6
        if age > self.u32(H_STALE_MS):
            return "stalled", f"writer pid {pid} is alive but its heartbeat is {age:.0f} ms old (limit {self.u32(H_STALE_MS)} ms)"
        return "running", f"writer pid {pid} ({self.text(H_WRITER_NAME, 64)}), heartbeat {age:.0f} ms ago"

    def replaced(self):
        try:
            a, b = os.stat(self.path), os.fstat(self.fd)
        except FileNotFoundError:
            return False
        return (a.st_ino, a.st_dev) != (b.st_ino, b.st_dev)

    def attach(self, name):
        """Takes the first reader slot whose lock is free (a dead reader's lock is free too)."""
        table = self.u64(H_READER_TABLE)
        for i in range(self.u32(H_READERS)):
            off = table + i * RS_BYTES
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB, RS_BYTES, off)
            except OSError:
                continue
            self.slot = off
            self.book.next, self.trade.next = self.book.write_seq(), self.trade.write_seq()
            U32.pack_into(self.mm, off + RS_PID, os.getpid())
            U64.pack_into(self.mm, off + RS_OVERRUNS, 0)
            U64.pack_into(self.mm, off + RS_ATTACHED_NS, time.time_ns())
            self.mm[off + RS_NAME:off + RS_NAME + 32] = name.encode()[:31].ljust(32, b"\0")
            self.publish()
            U32.pack_into(self.mm, off + RS_STATE, 1)
            return i
        sys.exit(f"pulse_shm_reader: all {self.u32(H_READERS)} reader slots of {self.path} are taken")

    def publish(self):
        """Our sequences and heartbeat, for the writer's lag figures (it never waits on them)."""
        U64.pack_into(self.mm, self.slot + RS_BOOK_SEQ, self.book.next)
        U64.pack_into(self.mm, self.slot + RS_TRADE_SEQ, self.trade.next)
        U64.pack_into(self.mm, self.slot + RS_HEARTBEAT, time.monotonic_ns())

    def request_snapshot(self):
        U32.pack_into(self.mm, self.slot + RS_SNAP_REQUEST, (self.u32(self.slot + RS_SNAP_REQUEST) + 1) & 0xFFFFFFFF)

    def snapshot_served(self):
        return self.u32(self.slot + RS_SNAP_SERVED) == self.u32(self.slot + RS_SNAP_REQUEST)

    def count_overrun(self):
        U64.pack_into(self.mm, self.slot + RS_OVERRUNS, self.u64(self.slot + RS_OVERRUNS) + 1)

    def detach(self):
        if self.slot is not None:
            U32.pack_into(self.mm, self.slot + RS_STATE, 2)
            fcntl.lockf(self.fd, fcntl.LOCK_UN, RS_BYTES, self.slot)
            self.slot = None

    def reader_slots(self):
        """The reader slots in use, as the writer would report them."""
        table, found = self.u64(H_READER_TABLE), []
        for i in range(self.u32(H_READERS)):
            off = table + i * RS_BYTES
            if self.u32(off + RS_STATE):
                found.append({"slot": i, "state": self.u32(off + RS_STATE), "pid": self.u32(off + RS_PID), "name": self.text(off + RS_NAME, 32),
                              "bookLag": self.book.write_seq() - self.u64(off + RS_BOOK_SEQ), "overruns": self.u64(off + RS_OVERRUNS)})
        return found

    def directory(self):
        """(venueId, symbolId) → entry, re-read under the directory's seqlock when it changed."""
        for _ in range(1000):
            seq = self.u64(H_DIR_SEQ)
            if seq == self.dir_seq:
                return self.instruments
            if seq & 1:
                time.sleep(0.0001)
                continue
            base, count = self.u64(H_DIR_OFFSET), self.u32(H_DIR_COUNT)
            raw = bytes(self.mm[base:base + count * DIR_ENTRY.size])
            if self.u64(H_DIR_SEQ) != seq:
                continue
            found = {}
            for k in range(count):
                v, vstate, s, pdec, sdec, tick, lot, venue, symbol, ttext, ltext = DIR_ENTRY.unpack_from(raw, k * DIR_ENTRY.size)
                ttext, ltext = (t.split(b"\0", 1)[0].decode() for t in (ttext, ltext))
                found[(v, s)] = {
                    "venue": venue.split(b"\0", 1)[0].decode(), "symbol": symbol.split(b"\0", 1)[0].decode(),
                    "venueState": VENUE_STATES[vstate] if vstate < len(VENUE_STATES) else str(vstate),
                    "tick": (int(ttext.replace(".", "")), pdec), "lot": (int(ltext.replace(".", "")), sdec),
                }
            self.dir_seq, self.instruments = seq, found
            return found
        return self.instruments


class Book:
    __slots__ = ("bids", "asks", "version", "valid")

    def __init__(self):
        self.bids, self.asks, self.version, self.valid = {}, {}, 0, False


class Books:
    """L2 books from the delta ring: docs/rings.md's SNAPSHOT/CONTINUED rules plus docs/shm.md's alignment after a jump."""

    def __init__(self):
        self.books, self.pending, self.aligned = {}, {}, set()
        self.gaps = self.snapshots = self.updates = 0

    def reset(self):
        """After attaching or an overrun: every book waits for a snapshot; every venue for an update boundary."""
        for b in self.books.values():
            b.valid = False
        self.pending.clear()
        self.aligned.clear()

    def feed(self, data, n):
        for off in range(0, n * 256, 256):
            kind, flags, count, venue, symbol, mask, _ex, _recv, version, prev = BOOK_HEAD.unpack_from(data, off)
            if kind != 1:
                continue
            last = not flags & CONTINUED
            if venue not in self.aligned:  # we may have joined inside this venue's update: skip to its end
                if last:
                    self.aligned.add(venue)
                continue
            key = (venue, symbol)
            upd = self.pending.get(key)
            if upd is None:
                upd = self.pending[key] = (flags & SNAPSHOT, int(prev), [])
            if count:
                upd[2].append((mask, count, LEVELS.unpack_from(data, off + 40)))
            if last:
                del self.pending[key]
                self.apply(key, upd, int(version))

    def apply(self, key, upd, version):
        snapshot, prev, chunks = upd
        b = self.books.get(key)
        if b is None:
            b = self.books[key] = Book()
        if snapshot:
            b.bids.clear()
            b.asks.clear()
            b.valid = True
            self.snapshots += 1
        elif not b.valid:
            return
        elif prev != b.version:  # the engine saw the same gap; the venue's resync snapshot follows
            b.valid = False
            self.gaps += 1
            return
        for mask, count, lv in chunks:
            for i in range(count):
                side = b.asks if (mask >> i) & 1 else b.bids
                price, qty = int(lv[2 * i]), int(lv[2 * i + 1])
                if qty == 0:
                    side.pop(price, None)
                else:
                    side[price] = qty
        b.version = version
        self.updates += 1

    def view(self, key, inst, depth):
        b = self.books[key]
        tick, lot = inst["tick"] if inst else (1, 0), inst["lot"] if inst else (1, 0)
        level = lambda p, q: [decimal_text(p * tick[0], tick[1]), decimal_text(q * lot[0], lot[1])]
        return {
            "venue": inst["venue"] if inst else key[0], "symbol": inst["symbol"] if inst else key[1], "version": b.version, "valid": b.valid,
            "bids": [level(p, b.bids[p]) for p in sorted(b.bids, reverse=True)[:depth]],
            "asks": [level(p, b.asks[p]) for p in sorted(b.asks)[:depth]],
        }
