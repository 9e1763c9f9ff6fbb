/** `npm run bench`: every benchmark in turn, figures printed (never asserted). */
import * as ring from './ring.bench';
import * as book from './book.bench';
import * as latency from './latency.bench';
import * as renderer from './renderer.bench';
import * as orderPath from './order-path.bench';
import * as inference from './inference.bench';
import * as recording from './recording.bench';
import * as shm from './shm.bench';
import * as coinbase from './venue-coinbase.bench';
import * as kraken from './venue-kraken.bench';
import * as binanceus from './venue-binanceus.bench';
import * as oanda from './venue-oanda.bench';

const suites: Array<[string, { main(): Promise<void> }]> = [
  ['SAB ring', ring],
  ['L2 book', book],
  ['engine → client over WebSocket', latency],
  ['renderer in Chromium', renderer],
  ['venue ingest: coinbase', coinbase],
  ['venue ingest: kraken', kraken],
  ['venue ingest: binanceus', binanceus],
  ['venue ingest: oanda', oanda],
  ['order path', orderPath],
  ['inference', inference],
  ['recording overhead', recording],
  ['shared-memory tap (shm)', shm],
];

const only = process.argv[2];
for (const [name, suite] of suites) {
  if (only && !name.toLowerCase().includes(only.toLowerCase())) continue;
  console.log(`\n== ${name} ==`);
  await suite.main();
}
