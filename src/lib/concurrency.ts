/**
 * Runs `task` over `items` with at most `limit` in flight, in order of start.
 *
 * @example await forEachConcurrently(batch.messages, 20, (message) => handle(message))
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
