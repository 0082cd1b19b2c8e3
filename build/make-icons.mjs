// Draws the dumpscope icon and writes every format the installers need, with nothing but
// node:zlib (no downloads, no image tools):
//   build/icons/<N>x<N>.png   Linux (AppImage, deb) icon set, N = 16…1024
//   build/icon.png            1024 px master
//   build/icon.icns           macOS (PNG-compressed entries, ic07…ic14)
//   build/icon.ico            Windows (BMP entries up to 128 px, PNG at 256 px, as Windows and NSIS expect)
// The output is deterministic: `node build/make-icons.mjs` reproduces the committed files, and
// test/unit/app/packaging.test.ts checks that it does.
//   node build/make-icons.mjs [outDir]
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---- drawing: a rounded tile with thread bars (one stuck, red) under a magnifier ----------

const hex = (h, a = 1) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), a];

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function distToSegment(x, y, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

const BARS = [
  { y: 0.3, x1: 0.72, color: hex('#c9d6e8') },
  { y: 0.42, x1: 0.56, color: hex('#c9d6e8') },
  { y: 0.54, x1: 0.78, color: hex('#ff5d5d') },
  { y: 0.66, x1: 0.5, color: hex('#c9d6e8') },
];
const LENS = { x: 0.6, y: 0.55, r: 0.19, w: 0.05 };
const AMBER = hex('#ffc94a');

/** The colour at a point of the unit square, as [r, g, b, a] (a in 0..1), painted back to front. */
function paint(x, y) {
  if (!inRoundedRect(x, y, 0.08, 0.08, 0.92, 0.92, 0.19)) return [0, 0, 0, 0];
  const t = (y - 0.08) / 0.84;
  let c = [0x26 + (0x12 - 0x26) * t, 0x3b + (0x1b - 0x3b) * t, 0x5c + (0x2e - 0x5c) * t, 1];
  for (const bar of BARS) {
    if (distToSegment(x, y, 0.22, bar.y, bar.x1, bar.y) <= 0.035) c = bar.color;
  }
  const d = Math.hypot(x - LENS.x, y - LENS.y);
  if (d < LENS.r - LENS.w / 2) c = over([255, 255, 255, 0.14], c);
  if (Math.abs(d - LENS.r) <= LENS.w / 2) c = AMBER;
  const hx = LENS.x + (LENS.r + 0.01) * Math.SQRT1_2;
  const hy = LENS.y + (LENS.r + 0.01) * Math.SQRT1_2;
  if (distToSegment(x, y, hx, hy, 0.84, 0.79) <= 0.042) c = AMBER;
  return c;
}

function over(top, under) {
  const a = top[3] + under[3] * (1 - top[3]);
  if (a === 0) return [0, 0, 0, 0];
  const mix = (i) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
  return [mix(0), mix(1), mix(2), a];
}

/** RGBA pixels of the icon at `size`, anti-aliased by 4x4 supersampling. */
export function drawIcon(size) {
  const px = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sj = 0; sj < S; sj++) {
        for (let si = 0; si < S; si++) {
          const c = paint((i + (si + 0.5) / S) / size, (j + (sj + 0.5) / S) / size);
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const o = (j * size + i) * 4;
      px[o] = a ? Math.round(r / a) : 0;
      px[o + 1] = a ? Math.round(g / a) : 0;
      px[o + 2] = a ? Math.round(b / a) : 0;
      px[o + 3] = Math.round((a / (S * S)) * 255);
    }
  }
  return px;
}

// ---- encoders ------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ICNS with PNG payloads; each OSType names a pixel size (ic11 = 16@2x = 32 px, …). */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024],
];

export function encodeIcns(pngs) {
  const entries = ICNS_TYPES.map(([type, size]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(pngs.get(size).length + 8, 4);
    return Buffer.concat([head, pngs.get(size)]);
  });
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

/** A 32-bit BMP (DIB) entry for an ICO: bottom-up BGRA, double height, empty AND mask. */
function icoBitmap(size, rgba) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR bitmap + AND mask
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = (y * size + x) * 4;
      const d = ((size - 1 - y) * size + x) * 4;
      pixels[d] = rgba[s + 2];
      pixels[d + 1] = rgba[s + 1];
      pixels[d + 2] = rgba[s];
      pixels[d + 3] = rgba[s + 3];
    }
  }
  const maskRow = Math.ceil(size / 32) * 4;
  header.writeUInt32LE(pixels.length + maskRow * size, 20);
  return Buffer.concat([header, pixels, Buffer.alloc(maskRow * size)]);
}

export function encodeIco(images) {
  const dir = Buffer.alloc(6);
  dir.writeUInt16LE(1, 2); // type: icon
  dir.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = [];
  for (const { size, data } of images) {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size; // 0 means 256
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(e);
  }
  return Buffer.concat([dir, ...entries, ...images.map((i) => i.data)]);
}

// ---- output --------------------------------------------------------------------------------

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

export function makeIcons(outDir) {
  const sizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])].sort((a, b) => a - b);
  const rgba = new Map(sizes.map((s) => [s, drawIcon(s)]));
  const pngs = new Map(sizes.map((s) => [s, encodePng(s, rgba.get(s))]));
  mkdirSync(path.join(outDir, 'icons'), { recursive: true });
  for (const s of LINUX_SIZES) writeFileSync(path.join(outDir, 'icons', `${s}x${s}.png`), pngs.get(s));
  writeFileSync(path.join(outDir, 'icon.png'), pngs.get(1024));
  writeFileSync(path.join(outDir, 'icon.icns'), encodeIcns(pngs));
  writeFileSync(
    path.join(outDir, 'icon.ico'),
    encodeIco(ICO_SIZES.map((s) => ({ size: s, data: s >= 256 ? pngs.get(s) : icoBitmap(s, rgba.get(s)) }))),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? path.dirname(fileURLToPath(import.meta.url)));
  const started = Date.now();
  makeIcons(outDir);
  console.log(`icons written to ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
