/**
 * Just enough of source maps (v3) to say which source file a position of a
 * bundle comes from: the `mappings` VLQ decoded into, per generated line,
 * the columns where a new source segment starts.
 */

export interface SourceMap {
  sources: string[];
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((char, index) => [char, index]));

/** Decodes one segment's base64 VLQ numbers. */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`bad VLQ character ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export interface SourcePosition {
  source: string;
  /** 1-based, as editors count. */
  line: number;
}

/**
 * @returns (line, column), both 0-based as in V8 call frames → the original position, or null when unmapped
 * @example const at = sourceLookup(map); at(0, 1234) // { source: '../../src/http/app.ts', line: 27 }
 */
export function sourceLookup(map: SourceMap): (line: number, column: number) => SourcePosition | null {
  // Per generated line: ascending [generatedColumn, sourceIndex, sourceLine] triples, flattened.
  const lines: number[][] = [];
  let source = 0;
  let sourceLine = 0;
  for (const text of map.mappings.split(';')) {
    const segments: number[] = [];
    let column = 0;
    for (const segment of text.split(',')) {
      if (!segment) continue;
      const values = decodeSegment(segment);
      column += values[0] ?? 0;
      if (values.length >= 4) {
        source += values[1] ?? 0;
        sourceLine += values[2] ?? 0;
        segments.push(column, source, sourceLine);
      } else {
        segments.push(column, -1, -1);
      }
    }
    lines.push(segments);
  }
  return (line, column) => {
    const segments = lines[line];
    if (!segments || segments.length === 0) return null;
    let low = 0;
    let high = segments.length / 3 - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((segments[mid * 3] as number) <= column) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    const index = found < 0 ? -1 : (segments[found * 3 + 1] as number);
    const source = index < 0 ? undefined : map.sources[index];
    return source === undefined ? null : { source, line: (segments[found * 3 + 2] as number) + 1 };
  };
}
