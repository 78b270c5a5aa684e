/**
 * Structured logs: one JSON object per line, with the request id (or job id)
 * on every line. Secrets are never passed in; phone numbers go through
 * `maskPhone` before they reach a log field.
 */

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  with(fields: LogFields): Logger;
}

/**
 * @example const log = createLogger({ requestId }); log.warn('djomy refused', { kind })
 */
export function createLogger(context: LogFields = {}): Logger {
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: LogFields) => {
    const line = JSON.stringify({ level, message, ...context, ...fields });
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    with: (fields) => createLogger({ ...context, ...fields }),
  };
}

/** A short description of any thrown value, without stack traces in responses. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
