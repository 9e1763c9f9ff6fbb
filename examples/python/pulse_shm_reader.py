#!/usr/bin/env python3
"""Follows Pulse's shared-memory market data (docs/shm.md) with the standard library only.

It takes a reader slot, rebuilds L2 books from the book-delta ring, reads the trade ring,
notices when it fell a ring behind (overrun) and resyncs, and tells a crashed or stalled
writer from a live one. Linux and macOS, little-endian 64-bit hosts.

  pulse_shm_reader.py [NAME|PATH]          top of book per instrument, twice a second
  pulse_shm_reader.py --json --depth 10    books and events as JSON lines
  pulse_shm_reader.py --status             header, writer liveness and reader slots, once
  pulse_shm_reader.py --verify N           read N book records checking their payload sequence
  pulse_shm_reader.py --latency N          one-way latency of N trades stamped with CLOCK_MONOTONIC
"""
import argparse
import json
import signal
import sys
import time

from pulse_shm import H_PID, H_SNAP_ROUNDS, H_STATE, LAYOUT, STATES, Books, Overrun, Shm, shm_path

REATTACH = -1


def emit(args, obj, line):
    print(json.dumps(obj) if args.json else line, flush=True)


def follow(shm, args):
    books, trades, read = Books(), 0, 0
    books.reset()
    shm.request_snapshot()
    state, _ = shm.writer()
    last_check = last_print = time.monotonic()
    stalled_once = False
    while True:
        got = 0
        try:
            data, n = shm.book.read(4096)
            books.feed(data, n)
            got += n
        except Overrun:
            missed = shm.book.skip_to_head()
            shm.count_overrun()
            books.reset()
            shm.request_snapshot()
            emit(args, {"type": "event", "event": "overrun", "ring": "book", "missed": missed}, f"overrun: fell {missed} book records behind; resyncing with a snapshot")
        try:
            _, n = shm.trade.read(4096)
            trades += n
            got += n
        except Overrun:
            missed = shm.trade.skip_to_head()
            shm.count_overrun()
            emit(args, {"type": "event", "event": "overrun", "ring": "trade", "missed": missed}, f"overrun: skipped {missed} trades")
        read += got
        if got:
            shm.publish()
        if args.stall_after and not stalled_once and read >= args.stall_after:
            stalled_once = True
            time.sleep(args.stall_ms / 1000)  # a slow reader, on purpose (tests)
        now = time.monotonic()
        if now - last_check >= 0.2:
            last_check = now
            shm.publish()
            new_state, detail = shm.writer()
            if new_state != state:
                state = new_state
                emit(args, {"type": "event", "event": "writer", "state": state, "detail": detail}, f"writer {state}: {detail}")
            if state in ("stale", "closed") and args.once:
                return 3
            if state in ("stale", "closed") and shm.replaced():
                emit(args, {"type": "event", "event": "replaced"}, f"a new writer replaced {shm.path}; attaching to it")
                return REATTACH
        if now - last_print >= args.interval:
            last_print = now
            print_books(shm, books, trades, args)
        if not got:
            time.sleep(args.poll_us / 1e6)


def print_books(shm, books, trades, args):
    inst = shm.directory()
    keys = sorted(set(books.books) | set(inst))
    views = [books.view(k, inst.get(k), args.depth) if k in books.books else {**inst[k], "valid": False, "version": 0, "bids": [], "asks": []} for k in keys]
    if args.json:
        stats = {"snapshots": books.snapshots, "gaps": books.gaps, "updates": books.updates, "trades": trades, "snapshotServed": shm.snapshot_served()}
        emit(args, {"type": "books", "books": [{k: v for k, v in b.items() if k not in ("tick", "lot")} for b in views], **stats}, "")
        return
    for v in views:
        top = lambda side: f"{side[0][0]} x {side[0][1]}" if side else "-"
        body = f"bid {top(v['bids'])}  ask {top(v['asks'])}" if v["valid"] else "(waiting for a snapshot)"
        print(f"{v['venue']:>12} {v['symbol']:<12} v{v['version']:<10} {body}", flush=True)


def verify(shm, args):
    """Reads --verify N book records; each carries its payload sequence in `version` (+1 per record)."""
    expect, lost, dup, overruns, count = None, 0, 0, 0, 0
    deadline = time.monotonic() + args.timeout
    started = None
    while count < args.verify and time.monotonic() < deadline:
        try:
            data, n = shm.book.read(8192)
        except Overrun:
            overruns += 1
            shm.book.skip_to_head()
            continue
        if not n:
            time.sleep(0.00005)
            continue
        started = started or time.monotonic()
        shm.publish()
        vals = memoryview(data).cast("d")[3::32].tolist()
        if expect is None:
            expect = int(vals[0])
        if vals[0] == expect and vals[-1] == expect + n - 1 and all(b - a == 1 for a, b in zip(vals, vals[1:])):
            expect += n
        else:
            for v in map(int, vals):
                if v == expect:
                    expect += 1
                elif v > expect:
                    lost, expect = lost + v - expect, v + 1
                else:
                    dup += 1
        count += n
    secs = time.monotonic() - (started or time.monotonic())
    ok = count >= args.verify and lost == 0 and dup == 0 and overruns == 0
    print(json.dumps({"ok": ok, "records": count, "lost": lost, "duplicatedOrReordered": dup, "overruns": overruns, "seconds": round(secs, 3)}), flush=True)
    return 0 if ok else 1


def latency(shm, args):
    """Busy-polls the trade ring; each trade's exchangeTs holds the writer's CLOCK_MONOTONIC ns."""
    samples, warmup = [], 200
    deadline = time.monotonic() + args.timeout
    while len(samples) < args.latency + warmup and time.monotonic() < deadline:
        data, n = shm.trade.read(256)
        if not n:
            continue
        now = time.monotonic_ns()
        samples.extend(now - int(ts) for ts in memoryview(data).cast("d")[1::16])
        shm.publish()
    samples = sorted(samples[warmup:])
    pct = lambda p: samples[min(len(samples) - 1, int(p / 100 * len(samples)))] / 1000 if samples else None
    print(json.dumps({"count": len(samples), "p50Us": pct(50), "p99Us": pct(99), "p999Us": pct(99.9), "maxUs": samples[-1] / 1000 if samples else None}), flush=True)
    return 0 if samples else 1


def status(shm):
    state, detail = shm.writer()
    print(json.dumps({"path": shm.path, "layout": LAYOUT, "state": STATES.get(shm.u32(H_STATE), "?"), "writer": {"state": state, "detail": detail, "pid": shm.u32(H_PID)},
                      "replaced": shm.replaced(), "bookSeq": shm.book.write_seq(), "tradeSeq": shm.trade.write_seq(),
                      "instruments": len(shm.directory()), "snapshotRounds": shm.u64(H_SNAP_ROUNDS), "readers": shm.reader_slots()}), flush=True)
    return 0 if state == "running" else 3


def main():
    ap = argparse.ArgumentParser(description="Follow Pulse's shared-memory rings (docs/shm.md).")
    ap.add_argument("path", nargs="?", default="pulse-shm", help="a name in /dev/shm (macOS: the temp folder) or a path; default pulse-shm")
    ap.add_argument("--json", action="store_true", help="JSON lines: books and events")
    ap.add_argument("--depth", type=int, default=1, help="levels per side to print (default 1: top of book)")
    ap.add_argument("--interval", type=float, default=0.5, help="seconds between prints")
    ap.add_argument("--poll-us", type=float, default=200, help="sleep when both rings are empty, µs")
    ap.add_argument("--name", default="pulse_shm_reader.py", help="shown in the engine's reader list")
    ap.add_argument("--once", action="store_true", help="exit (code 3) when the writer is stale or closed")
    ap.add_argument("--status", action="store_true", help="print the header, the writer's liveness and the readers, then exit")
    ap.add_argument("--verify", type=int, metavar="N", help="read N book records and check their payload sequence (exit 1 on loss)")
    ap.add_argument("--latency", type=int, metavar="N", help="busy-poll N trades and report one-way latency")
    ap.add_argument("--timeout", type=float, default=60, help="seconds --verify/--latency may take")
    ap.add_argument("--stall-after", type=int, default=0, metavar="N", help="after N records, stall once for --stall-ms (tests)")
    ap.add_argument("--stall-ms", type=float, default=0)
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # leave the reader slot "detached", not "active"
    path = shm_path(args.path)
    while True:
        shm = Shm(path)
        if args.status:
            return status(shm)
        state, detail = shm.writer()
        if state in ("stale", "closed"):
            emit(args, {"type": "event", "event": "writer", "state": state, "detail": detail}, f"writer {state}: {detail}")
            return 3
        shm.attach(args.name)
        try:
            if args.verify:
                return verify(shm, args)
            if args.latency:
                return latency(shm, args)
            rc = follow(shm, args)
            if rc != REATTACH:
                return rc
        except KeyboardInterrupt:
            return 0
        finally:
            shm.detach()


if __name__ == "__main__":
    sys.exit(main())
