/** Whether D1 answers at all: the cheapest read there is, for `/healthz`. */
export async function d1Reachable(db: D1Database): Promise<boolean> {
  return db
    .prepare('SELECT 1 FROM products LIMIT 1')
    .first()
    .then(() => true)
    .catch(() => false);
}
