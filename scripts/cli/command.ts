/**
 * What every `djomy` subcommand is: a name, its help text, its options in
 * `node:util` parseArgs form, and a `run` that returns the exit code.
 * Exit codes: 0 done, 1 the check or the delivery failed, 2 bad usage.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { devVars } from '../stack.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** The whole `--help` text. */
  help: string;
  options: Options;
  run(values: Values): Promise<number>;
}

/** A mistake in the command line: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies Options;

/** Parses `argv` for `command`; unknown options and stray arguments are usage errors. */
export function parseFor(command: Command, argv: string[]): Values {
  try {
    return parseArgs({ args: argv, options: { ...command.options, ...HELP_OPTION }, strict: true })
      .values as Values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** `--secret`, else the named setting of `.dev.vars` (what `npm run dev` uses). */
export function secretFrom(values: Values, setting: string): string {
  const secret = typeof values.secret === 'string' ? values.secret : devVars()[setting];
  if (!secret) throw new UsageError(`--secret is required (no ${setting} in .dev.vars)`);
  return secret;
}
