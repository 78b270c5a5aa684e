/**
 * A CPU profile of the Worker's isolate during a run, through the inspector
 * that `wrangler dev` exposes (`ws://127.0.0.1:<workerPort+10000>/ws`, the
 * Chrome DevTools protocol), with self time attributed to source files
 * through the bundle's source map. workerd runs the Worker on one thread, so
 * "busy" near 100 % means the isolate itself is the bottleneck.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SourceMap, type SourcePosition, sourceLookup } from './sourcemap.ts';
import { type BenchStack, ROOT } from './stack.ts';

interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  ms: number;
  /** % of the profiled wall time. */
  percent: number;
}

export interface ProfileSummary {
  seconds: number;
  samples: number;
  /** % of the wall time the isolate was not idle. */
  busyPercent: number;
  /** Self time by area (package, src directory, runtime part). */
  areas: ProfileShare[];
  /** The functions with the most self time. */
  functions: (ProfileShare & { source: string })[];
}

/** A minimal DevTools protocol client. */
class Inspector {
  private readonly socket: WebSocket;
  private readonly pending = new Map<number, (message: Record<string, unknown>) => void>();
  private nextId = 1;
  readonly scripts = new Map<string, { url: string; sourceMapURL: string }>();

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as Record<string, unknown>;
      if (message.method === 'Debugger.scriptParsed') {
        const params = message.params as { scriptId: string; url: string; sourceMapURL: string };
        this.scripts.set(params.scriptId, { url: params.url, sourceMapURL: params.sourceMapURL });
      }
      // workerd answers some commands (Profiler.enable, .start…) by echoing them without a `result`.
      const id = message.id as number | undefined;
      const resolve = id === undefined ? undefined : this.pending.get(id);
      if (resolve) {
        this.pending.delete(id as number);
        resolve(message);
      }
    });
  }

  static async connect(port: number): Promise<Inspector> {
    // wrangler's inspector proxy wants a local Origin (undici's WebSocket takes extra headers).
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
      headers: { origin: 'http://localhost' },
    } as unknown as string[]);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('inspector: no connection within 30 s')), 30_000);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        reject(new Error(`inspector: cannot connect to port ${port}`));
      });
    });
    return new Inspector(socket);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`inspector: ${method} unanswered`));
      }, 30_000);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        if (message.error) reject(new Error(`inspector: ${method}: ${JSON.stringify(message.error)}`));
        else resolve(message.result as T);
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

function areaOfSource(source: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (pkg) return `${pkg[1]} (npm)`;
  if (source.startsWith('src/')) return path.dirname(source);
  return source;
}

function classify(
  frame: CallFrame,
  positionOf: (frame: CallFrame) => SourcePosition | null,
): { area: string; source: string } {
  const name = frame.functionName;
  if (name === '(idle)') return { area: '(idle)', source: '' };
  if (name === '(program)') return { area: 'runtime: (program), native work outside JS', source: '' };
  if (name === '(garbage collector)') return { area: 'garbage collector', source: '' };
  if (!frame.url) return { area: 'runtime built-ins (fetch, streams, crypto, Response…)', source: 'native' };
  if (frame.url.startsWith('cloudflare-internal:d1'))
    return { area: 'D1 binding (client side)', source: frame.url };
  if (frame.url.includes('tracing')) return { area: 'tracing helpers (workerd)', source: frame.url };
  if (/^(cloudflare-internal|node-internal|workerd):/.test(frame.url))
    return { area: 'workerd JS built-ins', source: frame.url };
  if (frame.url.includes('miniflare'))
    return { area: 'miniflare binding shims (rate limiter…)', source: frame.url };
  const position = positionOf(frame);
  return position
    ? { area: areaOfSource(position.source), source: `${position.source}:${position.line}` }
    : { area: 'Worker bundle (unmapped)', source: frame.url };
}

function summarize(
  profile: CpuProfile,
  positionOf: (frame: CallFrame) => SourcePosition | null,
): ProfileSummary {
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const selfUs = new Map<number, number>();
  profile.samples.forEach((node, i) => {
    selfUs.set(node, (selfUs.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const areas = new Map<string, number>();
  const functions = new Map<string, { source: string; ms: number }>();
  let idle = 0;
  for (const [node, us] of selfUs) {
    const frame = frames.get(node);
    if (!frame) continue;
    const ms = us / 1000;
    const { area, source } = classify(frame, positionOf);
    if (area === '(idle)') {
      idle += ms;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const key = `${frame.functionName || '(anonymous)'}\u0000${source}`;
    const entry = functions.get(key) ?? { source, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  const percent = (ms: number) => (100 * ms) / (wallMs || 1);
  return {
    seconds: wallMs / 1000,
    samples: profile.samples.length,
    busyPercent: percent(wallMs - idle),
    areas: [...areas].map(([name, ms]) => ({ name, ms, percent: percent(ms) })).sort((a, b) => b.ms - a.ms),
    functions: [...functions]
      .map(([key, { source, ms }]) => ({
        name: key.split('\u0000')[0] as string,
        source,
        ms,
        percent: percent(ms),
      }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15),
  };
}

/** Maps call frames of bundled scripts to source positions (paths relative to the repository). */
function sourceResolver(scripts: Inspector['scripts']): (frame: CallFrame) => SourcePosition | null {
  type Lookup = (line: number, column: number) => SourcePosition | null;
  const lookups = new Map<string, Lookup | null>();
  const lookupFor = (scriptId: string) => {
    if (lookups.has(scriptId)) return lookups.get(scriptId) ?? null;
    let lookup: Lookup | null = null;
    const script = scripts.get(scriptId);
    if (script?.url.startsWith('file:') && script.sourceMapURL) {
      try {
        const mapPath = fileURLToPath(new URL(script.sourceMapURL, script.url).href);
        const map = JSON.parse(readFileSync(mapPath, 'utf8')) as SourceMap;
        const raw = sourceLookup(map);
        lookup = (line, column) => {
          const position = raw(line, column);
          return position
            ? {
                ...position,
                source: path.relative(ROOT, path.resolve(path.dirname(mapPath), position.source)),
              }
            : null;
        };
      } catch {}
    }
    lookups.set(scriptId, lookup);
    return lookup;
  };
  return (frame) => lookupFor(frame.scriptId)?.(frame.lineNumber, frame.columnNumber) ?? null;
}

/**
 * Profiles the Worker while `during` runs. A profiler that cannot attach
 * never fails the benchmark: the run happens anyway and `profile` is null.
 *
 * @example const { profile } = await profileWorker(stack, () => load('profile', options))
 */
export async function profileWorker<T>(
  stack: BenchStack,
  during: () => Promise<T>,
): Promise<{ result: T; profile: ProfileSummary | null; error?: string }> {
  let inspector: Inspector;
  try {
    inspector = await Inspector.connect(stack.inspectorPort);
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 250 });
    await inspector.send('Profiler.start');
  } catch (error) {
    return { result: await during(), profile: null, error: String(error) };
  }
  let result: T;
  try {
    result = await during();
  } catch (error) {
    inspector.close();
    throw error;
  }
  try {
    const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
    // Script URLs and source maps arrive as Debugger.scriptParsed events once the debugger is on.
    await inspector.send('Debugger.enable');
    await inspector.send('Debugger.disable');
    await inspector.send('Profiler.disable');
    return { result, profile: summarize(profile, sourceResolver(inspector.scripts)) };
  } catch (error) {
    return { result, profile: null, error: String(error) };
  } finally {
    inspector.close();
  }
}
