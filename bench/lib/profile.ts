/**
 * A CPU profile of the Worker's isolate during a run, through the inspector
 * `wrangler dev` exposes (Chrome DevTools protocol), with self time attributed
 * to source files through the bundle's source map. workerd runs the Worker on
 * one thread, so "busy" near 100 % means the isolate itself is the bottleneck.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchStack, ROOT } from './stack.ts';

type CallFrame = Record<'functionName' | 'scriptId' | 'url', string> &
  Record<'lineNumber' | 'columnNumber', number>;
export type CpuProfile = {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};
type Scripts = Map<string, { url: string; sourceMapURL: string }>;
export type ProfileSummary = ReturnType<typeof summarize>;

/** A minimal DevTools protocol client on wrangler's inspector port. */
export async function inspector(port: number) {
  // wrangler's inspector proxy wants a local Origin (undici's WebSocket takes extra headers).
  const options = { headers: { origin: 'http://localhost' } } as unknown as string[];
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, options);
  const pending = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  const scripts: Scripts = new Map();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data));
    if (message.method === 'Debugger.scriptParsed') scripts.set(message.params.scriptId, message.params);
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  let nextId = 1;
  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`inspector: ${method} unanswered`)), 30_000);
      // workerd answers some commands (Profiler.enable, .start…) without a `result`.
      pending.set(id, ({ result, error }) => {
        clearTimeout(timer);
        if (error) reject(new Error(`inspector: ${method}: ${JSON.stringify(error)}`));
        else resolve(result as T);
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', () => reject(new Error(`inspector: cannot connect to port ${port}`)));
  });
  return { send, scripts, close: () => socket.close() };
}

/** File (relative to the repository) and line of a frame of a bundled script, through its source map. */
function sourceResolver(scripts: Scripts) {
  const maps = new Map<string, { map: SourceMap; dir: string } | null>();
  return (frame: CallFrame): [string, number] | null => {
    if (!maps.has(frame.scriptId)) {
      const script = scripts.get(frame.scriptId);
      maps.set(frame.scriptId, null);
      try {
        const file = fileURLToPath(new URL(script?.sourceMapURL ?? '', script?.url).href);
        const map = new SourceMap(JSON.parse(readFileSync(file, 'utf8')));
        maps.set(frame.scriptId, { map, dir: path.dirname(file) });
      } catch {}
    }
    const found = maps.get(frame.scriptId);
    const at = found?.map.findEntry(frame.lineNumber, frame.columnNumber);
    if (!found || !at || !('originalSource' in at) || !at.originalSource) return null;
    // From the repository, or from node_modules wherever that lives.
    const file = path
      .relative(ROOT, path.resolve(found.dir, at.originalSource))
      .replace(/^.*?(?=node_modules\/)/, '');
    return [file, at.originalLine + 1];
  };
}

/** Which area a frame's self time goes to, and the source shown for its function. */
function classify(frame: CallFrame, sourceOf: ReturnType<typeof sourceResolver>): [string, string] {
  const { functionName: name, url } = frame;
  if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') return [name, ''];
  if (!url) return ['runtime built-ins (fetch, streams, crypto, Response…)', 'native'];
  if (url.startsWith('cloudflare-internal:d1')) return ['D1 binding (client side)', url];
  if (url.includes('tracing')) return ['tracing helpers (workerd)', url];
  if (/^(cloudflare-internal|node-internal|workerd):/.test(url)) return ['workerd JS built-ins', url];
  if (url.includes('miniflare')) return ['miniflare binding shims (rate limiter…)', url];
  const [file, line] = sourceOf(frame) ?? [];
  if (!file) return ['Worker bundle (unmapped)', url];
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return [pkg ? `${pkg[1]} (npm)` : file.startsWith('src/') ? path.dirname(file) : file, `${file}:${line}`];
}

/** Self time by area (npm package, src directory, part of the runtime) and by function, the top ten of each. */
function summarize(profile: CpuProfile, scripts: Scripts) {
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const sourceOf = sourceResolver(scripts);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  profile.samples.forEach((node, i) => {
    const frame = frames.get(node);
    if (!frame) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const [area, source] = classify(frame, sourceOf);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const fn = `${frame.functionName || '(anonymous)'}\n${source || '–'}`;
    if (area !== '(idle)') functions.set(fn, (functions.get(fn) ?? 0) + ms);
  });
  const idle = areas.get('(idle)') ?? 0;
  areas.delete('(idle)');
  const top = (shares: Map<string, number>) =>
    [...shares]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([name, ms]) => ({ name, ms, percent: (100 * ms) / (wallMs || 1) }));
  return {
    seconds: wallMs / 1000,
    samples: profile.samples.length,
    /** % of the wall time the isolate was not idle. */
    busyPercent: (100 * (wallMs - idle)) / (wallMs || 1),
    areas: top(areas),
    /** `name` is the function's name and its source (file:line, `native`, a runtime module), on two lines. */
    functions: top(functions),
  };
}

/**
 * The time the Worker's isolate was busy in a profile, ms: its samples that are
 * not `(idle)`, each counted for at most two sampling intervals. V8 samples an
 * isolate only while it is entered on its thread; the gap while the thread
 * runs something else (local D1, queues, another isolate) lands in the next
 * sample's time delta, and the cap keeps that gap out of the figure.
 */
export function isolateBusyMs(profile: CpuProfile, intervalUs: number) {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  return profile.samples.reduce(
    (ms, node, i) => (idle.has(node) ? ms : ms + Math.min(profile.timeDeltas[i] ?? 0, 2 * intervalUs) / 1000),
    0,
  );
}

/**
 * Profiles the Worker while `during` runs. A profiler that cannot attach
 * never fails the benchmark: the run happens anyway and `profile` is null.
 *
 * @example const { profile } = await profileWorker(stack, () => load('profile', options))
 */
export async function profileWorker<T>(stack: BenchStack, during: () => Promise<T>) {
  let client: Awaited<ReturnType<typeof inspector>>;
  try {
    client = await inspector(stack.inspectorPort);
    await client.send('Profiler.enable');
    await client.send('Profiler.setSamplingInterval', { interval: 250 });
    await client.send('Profiler.start');
  } catch (error) {
    return { result: await during(), profile: null, profileError: String(error) };
  }
  try {
    const result = await during();
    try {
      const { profile } = await client.send<{ profile: CpuProfile }>('Profiler.stop');
      // Script URLs and source maps arrive as Debugger.scriptParsed events once the debugger is on.
      await client.send('Debugger.enable');
      await client.send('Debugger.disable');
      await client.send('Profiler.disable');
      return { result, profile: summarize(profile, client.scripts) };
    } catch (error) {
      return { result, profile: null, profileError: String(error) };
    }
  } finally {
    client.close();
  }
}
