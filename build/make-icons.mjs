// Draws the Pulse icon (a heartbeat trace on a dark rounded square) and writes build/icon.png
// (1024 px), build/icon.icns and build/icon.ico with PNG payloads. Only node:zlib, no image
// library: run `node build/make-icons.mjs` after changing the drawing; the outputs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// Geometry on a 1024 grid (Apple's icon grid: an 824 px body with ~100 px margin).
const BODY = { x0: 100, y0: 100, x1: 924, y1: 924, r: 185 };
const TRACE = [[190, 560], [390, 560], [450, 410], [530, 700], [610, 300], [670, 560], [834, 560]];
const HALF_WIDTH = 30;

function distToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function roundedRectDist(px, py) {
  const cx = (BODY.x0 + BODY.x1) / 2, cy = (BODY.y0 + BODY.y1) / 2;
  const qx = Math.abs(px - cx) - ((BODY.x1 - BODY.x0) / 2 - BODY.r);
  const qy = Math.abs(py - cy) - ((BODY.y1 - BODY.y0) / 2 - BODY.r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - BODY.r;
}

const mix = (a, b, t) => a + (b - a) * t;
const clamp01 = (v) => Math.max(0, Math.min(1, v));

/** Renders at `size` px; distances are measured on the 1024 grid and antialiased over one output pixel. */
function render(size) {
  const scale = 1024 / size;
  const out = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = (x + 0.5) * scale, py = (y + 0.5) * scale;
      const body = clamp01(0.5 - roundedRectDist(px, py) / scale);
      if (body === 0) continue;
      const g = (py - BODY.y0) / (BODY.y1 - BODY.y0);
      let r = mix(22, 8, g), gr = mix(34, 14, g), b = mix(52, 24, g);
      let d = Infinity;
      for (let i = 1; i < TRACE.length; i++) d = Math.min(d, distToSegment(px, py, TRACE[i - 1], TRACE[i]));
      const glow = clamp01(1 - (d - HALF_WIDTH) / 90) ** 2 * 0.35;
      const line = clamp01(0.5 - (d - HALF_WIDTH) / scale);
      const t = Math.max(line, glow);
      r = mix(r, 34, t); gr = mix(gr, 211, t); b = mix(b, 160, t);
      const o = (y * size + x) * 4;
      out[o] = Math.round(r); out[o + 1] = Math.round(gr); out[o + 2] = Math.round(b); out[o + 3] = Math.round(255 * body);
    }
  }
  return png(size, out);
}

function icns(entries) {
  const parts = entries.map(([type, data]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(([size, data], i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map(([, data]) => data)]);
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const img = Object.fromEntries(sizes.map((s) => [s, render(s)]));
const dir = new URL('./', import.meta.url);
writeFileSync(new URL('icon.png', dir), img[1024]);
writeFileSync(new URL('icon.icns', dir), icns([['icp4', img[16]], ['icp5', img[32]], ['icp6', img[64]], ['ic07', img[128]], ['ic08', img[256]], ['ic09', img[512]], ['ic10', img[1024]]]));
writeFileSync(new URL('icon.ico', dir), ico([16, 24, 32, 48, 64, 128, 256].map((s) => [s, img[s]])));
