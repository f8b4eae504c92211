// Draws the app and tray icons (a chat bubble with three dots) into PNGs, so no image is copied from
// elsewhere. Run once after changing the design: `node main/assets/make-icons.mjs`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const BLUE = [34, 139, 230];

/** Coverage of one point in a 0..1 square: inside the bubble (1), a dot (2) or outside (0). */
function shapeAt(x, y) {
  const dot = [0.32, 0.5, 0.68].some((cx) => (x - cx) ** 2 + (y - 0.46) ** 2 < 0.055 ** 2);
  // Rounded rectangle body.
  const [l, t, r, b, rad] = [0.08, 0.14, 0.92, 0.78, 0.16];
  const qx = Math.max(l + rad - x, 0, x - (r - rad));
  const qy = Math.max(t + rad - y, 0, y - (b - rad));
  const inBody = x >= l && x <= r && y >= t && y <= b && qx * qx + qy * qy <= rad * rad;
  // Tail: a triangle under the bottom-left of the body.
  const inTail = y >= 0.7 && y <= 0.92 && x >= 0.22 && x <= 0.42 && x - 0.22 <= (0.92 - y) * (0.2 / 0.22);
  if (!(inBody || inTail)) return 0;
  return dot ? 2 : 1;
}

function render(size) {
  const samples = 4;
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      let body = 0;
      let dots = 0;
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++) {
          const s = shapeAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (s) body++;
          if (s === 2) dots++;
        }
      const n = samples * samples;
      const white = body ? dots / body : 0;
      const o = 1 + px * 4;
      for (let c = 0; c < 3; c++) row[o + c] = Math.round(BLUE[c] * (1 - white) + 255 * white);
      row[o + 3] = Math.round((255 * body) / n);
    }
    rows.push(row);
  }
  return png(size, Buffer.concat(rows));
}

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size, raw) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

fs.writeFileSync(path.join(here, 'icon.png'), render(512));
fs.writeFileSync(path.join(here, 'tray.png'), render(32));
