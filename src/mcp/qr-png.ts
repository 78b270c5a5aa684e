/**
 * A QR code as a PNG, for MCP image content (clients show PNG, not SVG).
 * The module matrix comes from `uqr`, already in the bundle for the SVG
 * route; the PNG around it is written here because a PNG library would cost
 * more than the whole MCP endpoint: a 1-bit grayscale image, one IDAT
 * compressed by the runtime's own `CompressionStream('deflate')` (a zlib
 * stream, as PNG wants), CRC-32 computed by hand.
 */
import { encode } from 'uqr';

/** Pixels per QR module: a 41-module code (a typical link URL) is 246 px wide. */
const SCALE = 6;
/** The quiet zone QR readers need around the code, in modules. */
const QUIET_ZONE = 4;

/** CRC-32 (ISO-HDLC, the one PNG uses), bit by bit: a table would be faster and is not needed here. */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** One PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 12);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(data.length + 8, crc32(out.subarray(4, data.length + 8)));
  return out;
}

/**
 * The QR code of `text` as PNG bytes: black modules on white, with its quiet zone.
 *
 * @example const png = await qrPng('https://pay.djomy.africa/l/AB12') // Uint8Array starting 89 50 4E 47
 */
export async function qrPng(text: string): Promise<Uint8Array> {
  const { data } = encode(text, { border: QUIET_ZONE });
  const size = data.length * SCALE;
  // Each row: filter type 0, then 1 bit per pixel, 1 = white.
  const stride = 1 + Math.ceil(size / 8);
  const raw = new Uint8Array(stride * size);
  for (let y = 0; y < size; y++) {
    const row = data[Math.floor(y / SCALE)] as boolean[];
    for (let x = 0; x < size; x++) {
      const at = y * stride + 1 + (x >> 3);
      if (!row[Math.floor(x / SCALE)]) raw[at] = (raw[at] as number) | (0x80 >> (x & 7));
    }
  }
  const idat = new Uint8Array(
    await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer(),
  );
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  header[8] = 1; // bit depth
  // color type 0 (grayscale), compression 0, filter 0, interlace 0: already zero.
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array()),
  ];
  const png = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}
