import { errorMessage } from '../../common/error-message';
/**
 * Rows of a filtered query, fetched from the agent page by page as they scroll into view and kept in a bounded
 * cache, so a task of 100,000 samples costs only the pages looked at. Changing the query starts a new
 * generation: replies that belong to an older one are dropped.
 */
export interface PageReply<Row> {
  /** Rows that match the query, over the whole task. */
  matched: number;
  total: number;
  reasons: Record<string, number>;
  rows: Row[];
}

export type FetchPage<Row> = (offset: number, limit: number) => Promise<PageReply<Row>>;

export interface PagedRowsOptions {
  pageSize?: number;
  /** Pages kept; the least recently used goes first. */
  maxPages?: number;
}

export class PagedRows<Row> {
  readonly pageSize: number;
  private readonly maxPages: number;
  private pages = new Map<number, Row[]>();
  private loading = new Map<number, Promise<void>>();
  private generation = 0;
  private listeners = new Set<() => void>();
  matched: number | null = null;
  total: number | null = null;
  reasons: Record<string, number> = {};
  error: string | null = null;

  constructor(
    private fetchPage: FetchPage<Row>,
    options: PagedRowsOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 200;
    this.maxPages = Math.max(2, options.maxPages ?? 40);
  }

  /** A new query (or new data): forget every page; rows are fetched again as they are asked for. */
  reset(fetchPage: FetchPage<Row> = this.fetchPage, keepCounts = false): void {
    this.fetchPage = fetchPage;
    this.generation++;
    this.pages = new Map();
    this.loading = new Map();
    this.error = null;
    if (!keepCounts) this.matched = null;
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  row(index: number): Row | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    if (!page) return undefined;
    this.touch(Math.floor(index / this.pageSize), page);
    return page[index % this.pageSize];
  }

  isLoaded(index: number): boolean {
    return this.pages.has(Math.floor(index / this.pageSize));
  }

  get cachedPages(): number {
    return this.pages.size;
  }

  /** Makes sure rows first..last (inclusive) are fetched or being fetched; resolves when they are in. */
  async ensure(first: number, last: number): Promise<void> {
    const countKnown = this.matched !== null;
    const end = this.matched === null ? Math.max(first, last) : Math.min(last, this.matched - 1);
    const wanted: Promise<void>[] = [];
    const from = Math.floor(Math.max(0, first) / this.pageSize);
    const to = Math.floor(Math.max(0, end) / this.pageSize);
    for (let p = from; p <= to; p++) {
      if (this.pages.has(p)) continue;
      wanted.push(this.loading.get(p) ?? this.load(p));
      if (!countKnown) break; // the first reply says how many rows there are
    }
    await Promise.all(wanted);
    // The count is known now: fetch the rest of the range, once.
    if (!countKnown && this.matched !== null && this.error === null && to > from) await this.ensure(first, last);
  }

  private load(page: number): Promise<void> {
    const generation = this.generation;
    const promise = this.fetchPage(page * this.pageSize, this.pageSize).then(
      (reply) => {
        if (generation !== this.generation) return;
        this.loading.delete(page);
        this.matched = reply.matched;
        this.total = reply.total;
        this.reasons = reply.reasons;
        this.error = null;
        this.pages.set(page, reply.rows);
        this.evict(page);
        this.changed();
      },
      (e: unknown) => {
        if (generation !== this.generation) return;
        this.loading.delete(page);
        this.error = errorMessage(e);
        this.changed();
      },
    );
    this.loading.set(page, promise);
    return promise;
  }

  private touch(page: number, rows: Row[]): void {
    this.pages.delete(page);
    this.pages.set(page, rows);
  }

  private evict(keep: number): void {
    for (const page of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (page !== keep) this.pages.delete(page);
    }
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

export interface RowWindow {
  first: number;
  /** Inclusive; -1 when there is nothing to show. */
  last: number;
  /** Offset of the first rendered row from the top of the scrolled content, in px. */
  offsetPx: number;
  /** Height of the whole scrolled content, in px. */
  heightPx: number;
}

/** Which rows a viewport shows, plus `overscan` rows either side so scrolling does not flash empty rows. */
export function visibleWindow(
  scrollTop: number,
  viewportPx: number,
  rowPx: number,
  count: number,
  overscan = 10,
): RowWindow {
  const heightPx = count * rowPx;
  if (count <= 0 || viewportPx <= 0) return { first: 0, last: -1, offsetPx: 0, heightPx };
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, heightPx - viewportPx));
  const first = Math.max(0, Math.floor(top / rowPx) - overscan);
  const last = Math.min(count - 1, Math.ceil((top + viewportPx) / rowPx) + overscan - 1);
  return { first, last, offsetPx: first * rowPx, heightPx };
}
