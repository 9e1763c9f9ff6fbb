/** Entry of the recorder worker: encodes the engine's column batches to Arrow and writes them, off the engine thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordingWriter } from './arrow-writer';
import { transferList } from './columns';
import type { FromRecorderWorker, RecorderInit, ToRecorderWorker } from './messages';

const port = parentPort;
if (!port) throw new Error('recorder-worker must run in a worker thread');
const init = workerData as RecorderInit;
const post = (m: FromRecorderWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

let writer: RecordingWriter | null = null;
let failed = false;
let rows = 0;

function fail(err: unknown): void {
  failed = true;
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? 'record-failed';
  const why = code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT' ? 'the disk is full (or the file size limit was reached)' : e.message;
  const message = `recording to ${init.dir} stopped: ${why} (${code}); files completed before this are intact`;
  writer?.abandon(code, message);
  post({ type: 'failed', code, message });
}

try {
  writer = new RecordingWriter(init);
} catch (err) {
  fail(err);
}

port.on('message', (m: ToRecorderWorker) => {
  if (failed || !writer) {
    if (m.type === 'close') {
      post({ type: 'closed', files: writer?.files ?? 0, bytes: writer?.totalBytes ?? 0 });
      port.close();
    }
    return;
  }
  try {
    switch (m.type) {
      case 'instruments':
        writer.setInstruments(m.venueIndex, m.instruments, m.symbols);
        break;
      case 'batch':
        writer.write(m.cols, m.rows, m.reasons);
        rows += m.rows;
        // The bytes are on disk (the sink writes synchronously): the buffers can go back for reuse.
        post({ type: 'written', rows, bytes: writer.totalBytes, files: writer.files, cols: m.cols }, transferList(m.cols));
        break;
      case 'close':
        writer.close();
        post({ type: 'closed', files: writer.files, bytes: writer.totalBytes });
        port.close();
        break;
    }
  } catch (err) {
    fail(err);
    if (m.type === 'close') {
      post({ type: 'closed', files: writer.files, bytes: writer.totalBytes });
      port.close();
    }
  }
});
