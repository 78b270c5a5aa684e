/**
 * Spring-style pages for the list endpoints (docs/djomy.md#lists). The page
 * query is accepted flat (`page`, `size`) or nested the way one PHP SDK sends it
 * (`paginationRequest[page]`, `paginationRequest[size]`).
 */
export interface PageRequest {
  page: number;
  size: number;
}

export interface Page<T> {
  content: T[];
  last: boolean;
  totalPages: number;
  totalElements: number;
  number: number;
  size: number;
}

const MAX_SIZE = 100;

/** The requested page; a parameter out of range is reported through `invalid`. */
export function readPageRequest(
  query: URLSearchParams,
  invalid: (field: string, message: string) => void,
): PageRequest {
  const read = (name: string, fallback: number, min: number, max: number) => {
    const text = query.get(name) ?? query.get(`paginationRequest[${name}]`);
    if (text === null) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    return value >= min && value <= max ? value : null;
  };
  const page = read('page', 0, 0, Number.MAX_SAFE_INTEGER);
  const size = read('size', 20, 1, MAX_SIZE);
  if (page === null) invalid('page', 'page est un entier ≥ 0.');
  if (size === null) invalid('size', `size est un entier entre 1 et ${MAX_SIZE}.`);
  return { page: page ?? 0, size: size ?? 20 };
}

export function pageOf<T>(items: T[], { page, size }: PageRequest): Page<T> {
  const totalPages = Math.ceil(items.length / size);
  return {
    content: items.slice(page * size, (page + 1) * size),
    last: page >= totalPages - 1,
    totalPages,
    totalElements: items.length,
    number: page,
    size,
  };
}
