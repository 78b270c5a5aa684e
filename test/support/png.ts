/**
 * Reads the PNGs this Worker writes (8-bit or less grayscale, one or more
 * IDAT chunks, filter type 0 on every row), to check them and decode their QR
 * code with jsQR. Runs in workerd and in Node alike (`DecompressionStream`).
 */

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** RGBA, 4 bytes a pixel, as jsQR wants. */
  rgba: Uint8ClampedArray;
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** CRC-32 as PNG computes it, to check each chunk independently of the writer's. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Decodes `bytes`, checking the signature and every chunk's CRC.
 *
 * @example const { width, rgba } = await decodePng(bytes); jsQR(rgba, width, width)
 */
export async function decodePng(bytes: Uint8Array): Promise<DecodedPng> {
  if (!PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) throw new Error('not a PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number } | undefined;
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length))
      throw new Error(`bad CRC in ${type}`);
    types.push(type);
    if (type === 'IHDR') {
      const d = new DataView(data.buffer, data.byteOffset, data.byteLength);
      header = {
        width: d.getUint32(0),
        height: d.getUint32(4),
        bitDepth: data[8] ?? 0,
        colorType: data[9] ?? 0,
      };
    }
    if (type === 'IDAT') idat.push(data);
    offset += length + 12;
  }
  if (types[0] !== 'IHDR' || types.at(-1) !== 'IEND' || !header)
    throw new Error(`chunks: ${types.join(' ')}`);
  if (header.colorType !== 0) throw new Error(`color type ${header.colorType}: only grayscale is read here`);
  const inflated = new Uint8Array(
    await new Response(
      new Blob(idat.map((part) => new Uint8Array(part)))
        .stream()
        .pipeThrough(new DecompressionStream('deflate')),
    ).arrayBuffer(),
  );
  const { width, height, bitDepth } = header;
  const stride = 1 + Math.ceil((width * bitDepth) / 8);
  if (inflated.length !== stride * height)
    throw new Error(`IDAT holds ${inflated.length} bytes, not ${stride * height}`);
  const rgba = new Uint8ClampedArray(width * height * 4);
  const max = 2 ** bitDepth - 1;
  for (let y = 0; y < height; y++) {
    if (inflated[y * stride] !== 0)
      throw new Error(`row ${y}: filter ${inflated[y * stride]}, only 0 is read here`);
    for (let x = 0; x < width; x++) {
      const bit = x * bitDepth;
      const byte = inflated[y * stride + 1 + (bit >> 3)] as number;
      const sample = (byte >> (8 - bitDepth - (bit & 7))) & max;
      const gray = Math.round((sample / max) * 255);
      rgba.set([gray, gray, gray, 255], (y * width + x) * 4);
    }
  }
  return { ...header, rgba };
}
