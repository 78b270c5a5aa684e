/** Calls per API endpoint (`/__sim/counters`), faulted or not, so tests can assert "exactly one create". */
import { ENDPOINTS, type Endpoint } from './faults.ts';

const counts = new Map<Endpoint, number>();

export function countCall(endpoint: Endpoint): void {
  counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
}

export function resetCounters(): void {
  counts.clear();
}

export function counters(): Record<Endpoint | 'total', number> {
  const result = Object.fromEntries(ENDPOINTS.map((e) => [e, counts.get(e) ?? 0])) as Record<
    Endpoint,
    number
  >;
  return { ...result, total: ENDPOINTS.reduce((sum, e) => sum + result[e], 0) };
}
