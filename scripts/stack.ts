/**
 * Starts the whole local stack, as `npm run dev`, the browser tests and the
 * benchmarks need it: local D1 migrated, the Djomy simulator and the Worker
 * under `wrangler dev` (two processes, each on its own port, so the browser
 * can reach the simulator's portal), webhooks pointed at the Worker, and the
 * demo catalog seeded through the admin API.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface StackOptions {
  workerPort?: number;
  simPort?: number;
  /** Where local D1/KV/queue state lives (default `.wrangler/state`, what plain `wrangler dev` uses). */
  persistTo?: string;
  /** Extra `--var`s for the Worker (e.g. a smaller timeout for tests). */
  workerVars?: Record<string, string>;
  /** Another wrangler config for the Worker than `wrangler.toml` (e.g. other queue settings). */
  config?: string;
  /** Print the processes' output (default: only errors). */
  verbose?: boolean;
  /**
   * Settings from `.dev.vars.example` only, never the developer's own
   * `.dev.vars` (tests and benchmarks must not depend on a machine's settings).
   */
  exampleSettings?: boolean;
}

export interface Stack {
  workerUrl: string;
  simUrl: string;
  adminToken: string;
  /** The cashier's token (VIEWER_TOKEN); empty when not set. */
  viewerToken: string;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..');
const wrangler = path.join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

/** Reads a `KEY=value` settings file. */
export function readVars(file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) vars[match[1] as string] = (match[2] as string).replace(/^"(.*)"$/, '$1');
  }
  return vars;
}

/** The local settings: `.dev.vars`, created from `.dev.vars.example` on first use. */
export function devVars(): Record<string, string> {
  const file = path.join(root, '.dev.vars');
  if (!existsSync(file)) copyFileSync(path.join(root, '.dev.vars.example'), file);
  return readVars(file);
}

/** The documented defaults of `.dev.vars.example`, whatever `.dev.vars` says. */
export function exampleVars(): Record<string, string> {
  return readVars(path.join(root, '.dev.vars.example'));
}

export const DEMO_CATALOG = [
  { sku: 'tshirt-djomy', name: 'T-shirt Djomy', amount: 75_000 },
  { sku: 'casquette', name: 'Casquette brodée', amount: 45_000 },
  { sku: 'tasse', name: 'Tasse Conakry', amount: 25_000 },
  { sku: 'sac-wax', name: 'Sac en wax', amount: 120_000 },
  { sku: 'cafe-ziama', name: 'Café du Ziama (250 g)', amount: 35_000 },
  { sku: 'savon-karite', name: 'Savon au karité', amount: 12_000 },
];

function run(args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, [wrangler, ...args], { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`wrangler ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

function launch(name: string, args: string[], env: NodeJS.ProcessEnv, verbose: boolean): ChildProcess {
  const child = spawn(process.execPath, [wrangler, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const relay = (stream: NodeJS.ReadableStream | null, sink: NodeJS.WriteStream) =>
    stream?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      // wrangler prints a harmless `Request.cf` lookup failure when offline.
      if (verbose || /✘|ERROR/.test(text)) {
        if (!text.includes('Request.cf')) sink.write(text.replace(/^/gm, `[${name}] `));
      }
    });
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  return child;
}

async function waitUntilUp(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.status < 500 || response.status === 503) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
}

/**
 * @example const stack = await startStack({ workerPort: 8787, simPort: 8788 }); … await stack.stop()
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const workerPort = options.workerPort ?? 8787;
  const simPort = options.simPort ?? 8788;
  const persistTo = path.resolve(root, options.persistTo ?? '.wrangler/state');
  mkdirSync(persistTo, { recursive: true });
  const verbose = options.verbose ?? false;
  const local = options.exampleSettings ? exampleVars() : devVars();
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const simUrl = `http://127.0.0.1:${simPort}`;
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' };

  // The Worker's settings follow the ports actually used, whatever .dev.vars says.
  const workerVars: Record<string, string> = {
    DJOMY_BASE_URL: simUrl,
    PUBLIC_URL: workerUrl,
    ALLOWED_ORIGINS: [workerUrl, `http://localhost:${workerPort}`, local.ALLOWED_ORIGINS]
      .filter(Boolean)
      .join(','),
    MERCHANT_WEBHOOK_URL: `${simUrl}/__sim/merchant/webhook`,
    // Alerts go to the simulator's fake Bot API when the settings point at a local one.
    ...(/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(local.TELEGRAM_API_BASE ?? '')
      ? { TELEGRAM_API_BASE: simUrl }
      : {}),
    ...options.workerVars,
  };
  const simVars: Record<string, string> = {
    SIM_CLIENT_ID: local.DJOMY_CLIENT_ID ?? '',
    SIM_CLIENT_SECRET: local.DJOMY_CLIENT_SECRET ?? '',
    SIM_WEBHOOK_URL: `${workerUrl}/webhooks/djomy`,
    SIM_MERCHANT_WEBHOOK_SECRET: local.MERCHANT_WEBHOOK_SECRET ?? '',
    SIM_TELEGRAM_BOT_TOKEN: local.TELEGRAM_BOT_TOKEN ?? '',
  };
  const varFlags = (vars: Record<string, string>) =>
    Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  // Each process keeps its own state directory: two workerd processes on one SQLite file can meet SQLITE_BUSY.
  const common = (dir: string) => [
    '--ip',
    '127.0.0.1',
    '--show-interactive-dev-session=false',
    '--persist-to',
    dir,
  ];
  // With --env-file, wrangler reads that file instead of .dev.vars.
  const settingsFile = path.join(persistTo, 'worker.env');
  if (options.exampleSettings) {
    writeFileSync(
      settingsFile,
      Object.entries(local)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
  }
  const settingsFlags = options.exampleSettings ? ['--env-file', settingsFile] : [];

  run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], env);
  const sim = launch(
    'sim',
    [
      'dev',
      '-c',
      'sim/wrangler.toml',
      '--port',
      String(simPort),
      '--inspector-port',
      String(simPort + 10_000),
      ...common(path.join(persistTo, 'sim')),
      ...varFlags(simVars),
    ],
    env,
    verbose,
  );
  const worker = launch(
    'worker',
    [
      'dev',
      ...(options.config ? ['--config', options.config] : []),
      '--port',
      String(workerPort),
      '--inspector-port',
      String(workerPort + 10_000),
      ...common(persistTo),
      ...settingsFlags,
      ...varFlags(workerVars),
    ],
    env,
    verbose,
  );
  const stop = async () => {
    for (const child of [worker, sim]) child.kill('SIGTERM');
    await Promise.all(
      [worker, sim].map(
        (child) =>
          new Promise<void>((resolve) =>
            child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
          ),
      ),
    );
  };
  try {
    await Promise.all([
      waitUntilUp(`${simUrl}/__sim/config`, sim),
      waitUntilUp(`${workerUrl}/healthz`, worker),
    ]);
    const adminToken = local.ADMIN_TOKEN ?? '';
    for (const product of DEMO_CATALOG) {
      const response = await fetch(`${workerUrl}/api/admin/products/${product.sku}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: product.name, amount: product.amount }),
      });
      if (!response.ok)
        throw new Error(`seeding ${product.sku}: ${response.status} ${await response.text()}`);
    }
    return { workerUrl, simUrl, adminToken, viewerToken: local.VIEWER_TOKEN ?? '', stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
