/**
 * Plays one recorded venue back through the same collector → ring → book path as a live feed:
 * instruments from the manifest, then every recorded book update (level() + endUpdate(), with
 * the recorded snapshot flag and exchange time) and trade, paced by the recorded receive time
 * times `speed`. Never drops: when the ring is full it waits (a replay can), so the same
 * recording always yields the same updates in the same order, at any speed.
 *
 * Seek rebuilds each book at the target time off-ring (from the current books going forward, from
 * the start going back) and sends one snapshot per book.
 */
import { L2Book } from '../../market/l2-book';
import { bookRecordsFor } from '../../rings/records';
import { readManifest } from '../../recording/manifest';
import { RowFlags, RowKind } from '../../recording/schema';
import { type PriceTicks, type Qty, type Side } from '../../../shared/units';
import type { ReplayCommand, ReplayStatus } from '../../../shared/protocol';
import type { VenueStateName } from '../../../shared/frames';
import type { FeedFactory, VenueFeed } from '../../collectors/feed';
import { RowCursor } from './cursor';
import { ReplaySettingsSchema } from './settings';

/** Rows handled per tick at most, so control messages are served between ticks. */
const ROWS_PER_TICK = 20_000;
const STATUS_EVERY_MS = 100;

export const createReplayFeed: FeedFactory = (collector, init): VenueFeed => {
  const settings = ReplaySettingsSchema.parse(init.settings);
  const manifest = readManifest(settings.dir);
  const venue = manifest.venues.find((v) => v.id === settings.source);
  if (!venue) throw new Error(`recording ${settings.dir} has no venue ${settings.source} (it has ${manifest.venues.map((v) => v.id).join(', ')})`);
  const wanted = init.symbols ? venue.instruments.filter((i) => init.symbols!.includes(i.symbol)) : venue.instruments;
  const ids = new Map(wanted.map((inst, i) => [inst.symbol, i]));
  const cursor = new RowCursor(settings.dir, manifest, settings.source, ids);

  let speed = settings.speed;
  let paused = settings.paused;
  let ended = false;
  let rows = 0;
  let startUs = manifest.timeRange?.startUs ?? 0;
  const endUs = manifest.timeRange?.endUs ?? startUs;
  let positionUs = startUs;
  /** playback clock: recorded time = baseUs + (wall ms since baseWall) × 1000 × speed */
  let baseUs = startUs;
  let baseWall = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastStatus = 0;

  // The update being read (rows up to END); `ready` once complete but waiting for ring room.
  let sides = new Uint8Array(256);
  let prices = new Float64Array(256);
  let qtys = new Float64Array(256);
  let count = 0;
  let symbolId = -1;
  let exchangeTs = NaN;
  let snapshot = false;
  let inUpdate = false;
  let ready = false;
  /** after a seek: the books to send as snapshots, rebuilt off-ring */
  let shadows: L2Book[] | null = null;
  let toSnapshot: number[] = [];

  const clockUs = (): number => (paused ? positionUs : baseUs + (performance.now() - baseWall) * 1000 * speed);
  const rebase = (at: number): void => {
    baseUs = at;
    baseWall = performance.now();
  };

  const status = (): ReplayStatus => ({ venue: init.venue, source: settings.source, paused, speed, positionUs, startUs, endUs, ended, rows });
  const postStatus = (): void => {
    lastStatus = performance.now();
    collector.post({ type: 'replay', status: status() });
  };

  const stage = (side: number, price: number, qty: number): void => {
    if (count === sides.length) {
      const n = count * 2;
      const s = new Uint8Array(n), p = new Float64Array(n), q = new Float64Array(n);
      s.set(sides); p.set(prices); q.set(qtys);
      sides = s; prices = p; qtys = q;
    }
    sides[count] = side;
    prices[count] = price;
    qtys[count] = qty;
    count++;
  };

  /** Sends the staged update if the ring has room for all of it. */
  const sendStaged = (): boolean => {
    if (symbolId < 0) {
      ready = false;
      count = 0;
      return true;
    }
    if (!collector.bookRing.hasRoom(bookRecordsFor(count))) return false;
    for (let i = 0; i < count; i++) collector.level(sides[i] as Side, prices[i] as PriceTicks, qtys[i] as Qty);
    collector.endUpdate(symbolId, exchangeTs, snapshot);
    ready = false;
    count = 0;
    return true;
  };

  const sendSnapshots = (): boolean => {
    while (toSnapshot.length > 0) {
      const id = toSnapshot[0]!;
      const book = shadows![id]!;
      if (!collector.bookRing.hasRoom(bookRecordsFor(book.depth(0) + book.depth(1)))) return false;
      book.forEach(0, (p, q) => collector.level(0, p, q));
      book.forEach(1, (p, q) => collector.level(1, p, q));
      collector.endUpdate(id, NaN, true);
      toSnapshot.shift();
    }
    shadows = null;
    return true;
  };

  /**
   * Handles the cursor's current row: book rows are staged (sent at END), trades and status
   * changes sent at once. Returns false when the ring has no room (the row is kept for later).
   */
  const play = (): boolean => {
    const b = cursor.batch!;
    const r = cursor.row;
    const kind = b.kind[r]!;
    if (kind === RowKind.Book) {
      const flags = b.flags[r]!;
      if (!inUpdate) {
        inUpdate = true;
        count = 0;
        symbolId = b.symbol[r]! >= 0 ? cursor.symbolId[b.symbol[r]!]! : -1;
        exchangeTs = b.exchangeTs[r]!;
        snapshot = (flags & RowFlags.Snapshot) !== 0;
      }
      if ((flags & RowFlags.Empty) === 0) stage(b.side[r]!, b.price[r]!, b.qty[r]!);
      if ((flags & RowFlags.End) !== 0) {
        inUpdate = false;
        ready = true;
        return sendStaged();
      }
      return true;
    }
    if (kind === RowKind.Trade) {
      const id = b.symbol[r]! >= 0 ? cursor.symbolId[b.symbol[r]!]! : -1;
      if (id < 0) return true;
      if (!collector.tradeRing.hasRoom(1)) return false;
      collector.trade(id, b.side[r] as 0 | 1, b.price[r]! as PriceTicks, b.qty[r]! as Qty, b.exchangeTs[r]!, b.tradeId[r]!);
      return true;
    }
    const state = b.state[r]!;
    if (state >= 0) collector.setState(b.states[state] as VenueStateName, b.reason(r) ?? undefined);
    return true;
  };

  /** the cursor's row was read but not played yet (not due, or no room in the ring) */
  let held = false;

  /** Plays rows up to the clock; a row that cannot be sent yet is held for the next tick. */
  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    if (shadows && !sendSnapshots()) return schedule();
    if (paused) return;
    if (ready && !sendStaged()) return schedule();
    const until = clockUs();
    let budget = ROWS_PER_TICK;
    while (budget-- > 0) {
      if (!held) {
        if (!cursor.next()) {
          ended = true;
          postStatus();
          return;
        }
        held = true;
      }
      const ts = cursor.batch!.recvTs[cursor.row]!;
      if (ts > until && !inUpdate) break;
      const sent = play();
      if (!sent && !ready) break; // a trade waiting for room: played again next tick
      held = false;
      positionUs = ts;
      rows++;
      if (!sent) break; // an update waiting for room: `ready`, sent first next tick
    }
    collector.counters.messages = collector.counters.updates + collector.counters.trades;
    if (performance.now() - lastStatus >= STATUS_EVERY_MS) postStatus();
    schedule();
  };
  const schedule = (): void => {
    if (!stopped && (!paused || shadows) && !timer) timer = setTimeout(tick, 1);
  };

  /** Rebuilds every book at `target` off-ring and queues one snapshot of each. */
  const seek = (target: number): void => {
    const t = Math.min(Math.max(target, startUs), endUs);
    const back = t < positionUs;
    const books = wanted.map((_, id) => {
      const copy = new L2Book(512);
      if (!back) {
        const src = shadows?.[id] ?? collector.book(id);
        src.forEach(0, (p, q) => copy.apply(0, p, q));
        src.forEach(1, (p, q) => copy.apply(1, p, q));
      }
      return copy;
    });
    let open = false;
    let first = held;
    if (back) {
      cursor.rewind();
      first = false;
    } else if ((ready || inUpdate) && symbolId >= 0) {
      // what was read but not yet sent goes into the rebuilt books, then reading goes on from there
      if (snapshot) books[symbolId]!.clear();
      for (let i = 0; i < count; i++) books[symbolId]!.apply(sides[i] as Side, prices[i] as PriceTicks, qtys[i] as Qty);
      open = inUpdate;
    }
    count = 0;
    ready = false;
    inUpdate = false;
    held = false;
    ended = false;
    for (;;) {
      if (!first && !cursor.next()) {
        ended = true;
        break;
      }
      first = false;
      const b = cursor.batch!;
      const r = cursor.row;
      if (!open && b.recvTs[r]! > t) {
        held = true;
        break;
      }
      if (b.kind[r] !== RowKind.Book) continue;
      const id = b.symbol[r]! >= 0 ? cursor.symbolId[b.symbol[r]!]! : -1;
      const flags = b.flags[r]!;
      if (!open) {
        open = true;
        if ((flags & RowFlags.Snapshot) !== 0 && id >= 0) books[id]!.clear();
      }
      if (id >= 0 && (flags & RowFlags.Empty) === 0) books[id]!.apply(b.side[r] as Side, b.price[r]! as PriceTicks, b.qty[r]! as Qty);
      if ((flags & RowFlags.End) !== 0) open = false;
    }
    shadows = books;
    toSnapshot = books.map((_, id) => id);
    positionUs = t;
    rows = 0;
    rebase(t);
    schedule();
  };

  return {
    start() {
      collector.setInstruments(wanted);
      collector.setState('live');
      if (cursor.next()) {
        startUs = cursor.batch!.recvTs[cursor.row]!;
        positionUs = startUs;
        held = true;
      } else {
        ended = true;
      }
      if (paused && !ended) seek(startUs); // paused at the start: the first books are shown
      rebase(startUs);
      postStatus();
      if (!paused && !ended) tick();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    setRate(updatesPerSecond) {
      void updatesPerSecond; // a replay's rate is the recording's times `speed`
    },
    control(command: ReplayCommand) {
      switch (command.action) {
        case 'pause':
          if (!paused) {
            paused = true;
            if (timer) clearTimeout(timer);
            timer = undefined;
          }
          break;
        case 'resume':
          if (paused) {
            paused = false;
            rebase(positionUs);
            schedule();
          }
          break;
        case 'speed':
          if (!paused) rebase(clockUs());
          speed = command.speed;
          break;
        case 'seek':
          seek(command.timeUs);
          break;
      }
      postStatus();
    },
  };
};

