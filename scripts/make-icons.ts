/**
 * Draws the toolbar icons (public/icon/{16,32,48,128}.png): a dark rounded square with an orange "sync" ring.
 * Run `npx tsx scripts/make-icons.ts` after changing the design; the PNGs are committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const NAVY = [0x23, 0x2f, 0x3e];
const ORANGE = [0xff, 0x99, 0x00];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coverage of a point in unit coordinates (0..1), supersampled by the caller. */
function shapeAt(u: number, v: number): 'bg' | 'ring' | 'none' {
  const r = 0.2; // corner radius of the square
  const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
  if (dx * dx + dy * dy > r * r) return 'none';
  const cx = u - 0.5;
  const cy = v - 0.5;
  const d = Math.hypot(cx, cy);
  const angle = Math.atan2(-cy, cx); // 0 = right, counter-clockwise
  const onRing = d > 0.22 && d < 0.32 && !(angle > 0.2 && angle < 1.1);
  // Arrowhead at the end of the ring's gap.
  const ax = 0.5 + 0.27 * Math.cos(0.2);
  const ay = 0.5 - 0.27 * Math.sin(0.2);
  const inArrow = v > ay - 0.02 && v < ay + 0.16 && Math.abs(u - ax) < (v - (ay - 0.02)) * 0.9;
  return onRing || inArrow ? 'ring' : 'bg';
}

function icon(size: number): Buffer {
  const ss = 4;
  return png(size, (x, y) => {
    let bg = 0;
    let ring = 0;
    for (let i = 0; i < ss; i++) {
      for (let j = 0; j < ss; j++) {
        const s = shapeAt((x + (i + 0.5) / ss) / size, (y + (j + 0.5) / ss) / size);
        if (s === 'bg') bg++;
        else if (s === 'ring') ring++;
      }
    }
    const total = ss * ss;
    const covered = bg + ring;
    if (covered === 0) return [0, 0, 0, 0];
    const t = ring / covered;
    const mix = (k: number) => Math.round(NAVY[k]! * (1 - t) + ORANGE[k]! * t);
    return [mix(0), mix(1), mix(2), Math.round((255 * covered) / total)];
  });
}

const dir = join(import.meta.dirname, '..', 'public', 'icon');
mkdirSync(dir, { recursive: true });
for (const size of [16, 32, 48, 128]) writeFileSync(join(dir, `${size}.png`), icon(size));
console.log(`wrote ${dir}/{16,32,48,128}.png`);
