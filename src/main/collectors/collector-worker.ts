/** Entry of a collector worker thread: one per venue connection. */
import { parentPort, workerData } from 'node:worker_threads';
import { Collector } from './collector';
import { createFeed } from './feeds';
import type { CollectorInit, ToCollector } from './messages';

const port = parentPort;
if (!port) throw new Error('collector-worker must run in a worker thread');
const init = workerData as CollectorInit;
const collector = new Collector(init, port);
const feed = createFeed(collector, init);

const counters = setInterval(() => collector.post({ type: 'counters', counters: { ...collector.counters } }), 1000);

async function stop(): Promise<void> {
  clearInterval(counters);
  try {
    await feed.stop();
  } finally {
    collector.post({ type: 'counters', counters: { ...collector.counters } });
    collector.post({ type: 'stopped' });
    port!.close();
  }
}

port.on('message', (message: ToCollector) => {
  switch (message.type) {
    case 'resync':
      collector.requestResync(message.symbolId);
      break;
    case 'set-rate':
      feed.setRate?.(message.updatesPerSecond);
      break;
    case 'replay':
      feed.control?.(message.command);
      break;
    case 'stop':
      void stop();
      break;
  }
});

Promise.resolve(feed.start()).catch((err: unknown) => {
  collector.post({ type: 'error', code: 'feed-start', message: err instanceof Error ? err.message : String(err), retryable: false });
});
