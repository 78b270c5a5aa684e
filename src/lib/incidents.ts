/**
 * Failures of a binding this isolate met (D1 or a queue refusing, e.g. when
 * a daily quota of the Free plan is spent), kept a few minutes so that
 * `/healthz` can report them. Best effort: each isolate knows only its own.
 */

export type Binding = 'd1' | 'queue';

export interface Incident {
  binding: Binding;
  at: number;
  error: string;
}

const lastByBinding = new Map<Binding, Incident>();

/** D1's errors carry a `D1_…` code in their message (a spent daily quota among them). */
export function isD1Error(error: unknown): boolean {
  return error instanceof Error && /\bD1_[A-Z_]+/.test(error.message);
}

/** @example recordIncident('queue', error) */
export function recordIncident(binding: Binding, error: unknown, at = Date.now()): void {
  const text = error instanceof Error ? error.message : String(error);
  lastByBinding.set(binding, { binding, at, error: text.slice(0, 200) });
}

/** The last failure of each binding since `since`. */
export function incidentsSince(since: number): Incident[] {
  return [...lastByBinding.values()].filter((incident) => incident.at >= since);
}

/** Forgets every incident (tests). */
export function clearIncidents(): void {
  lastByBinding.clear();
}
