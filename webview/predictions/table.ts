import { h, replaceChildren } from '../common/dom';
import { minGridWidthPx } from './grid-width';
import { visibleWindow, type PagedRows } from './paging';

export interface Column<Row> {
  title: string;
  /** A CSS grid track, e.g. "70px" or "2fr". */
  width: string;
  cell(row: Row, index: number): Node | string;
  /** The cell's whole text, shown on hover where the cell has to cut it. */
  cellTitle?(row: Row): string | undefined;
}

const ROW_PX = 26;

/**
 * A table that renders only the rows in view (plus a margin) over a PagedRows source: the DOM stays a few dozen
 * rows whatever the count, and scrolling asks the source for the pages that come into view. The header row sits
 * in the same scrolling container as the rows (sticky at its top), so it scrolls sideways with them.
 */
export class VirtualTable<Row> {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly content: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private readonly note: HTMLElement;
  private columns: Column<Row>[] = [];
  private frame = 0;
  private shown: Row | undefined;
  selected = -1;

  constructor(
    private readonly rows: PagedRows<Row>,
    private readonly onSelect: (index: number, row: Row | undefined) => void,
    private readonly onRetry: () => void,
  ) {
    this.header = h('div', { class: 'vt-header vt-grid', attrs: { role: 'row' } });
    this.body = h('div', { class: 'vt-rows', attrs: { role: 'rowgroup' } });
    this.spacer = h('div', { class: 'vt-spacer' }, this.body);
    this.content = h('div', { class: 'vt-content' }, this.header, this.spacer);
    this.scroller = h(
      'div',
      { class: 'vt-scroller', attrs: { tabindex: 0, role: 'grid', 'aria-label': 'predictions' } },
      this.content,
    );
    this.note = h('div', { class: 'vt-note', attrs: { role: 'status' } });
    this.element = h('div', { class: 'vt' }, this.scroller, this.note);
    this.scroller.addEventListener('scroll', () => this.schedule());
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    rows.onChange(() => this.schedule());
  }

  setColumns(columns: Column<Row>[]): void {
    this.columns = columns;
    const template = columns.map((c) => c.width).join(' ');
    this.header.style.gridTemplateColumns = template;
    this.content.style.minWidth = `${minGridWidthPx(columns.map((c) => c.width))}px`;
    replaceChildren(
      this.header,
      ...columns.map((c) => h('div', { class: 'vt-cell', title: c.title, attrs: { role: 'columnheader' } }, c.title)),
    );
    this.schedule();
  }

  get scrollTop(): number {
    return this.scroller.scrollTop;
  }

  set scrollTop(px: number) {
    this.scroller.scrollTop = px;
  }

  /** Back to the top with nothing selected (a new filter). */
  restart(): void {
    this.selected = -1;
    this.show(undefined, true);
    this.scroller.scrollTop = 0;
    this.schedule();
  }

  focus(): void {
    this.scroller.focus();
  }

  select(index: number): void {
    const count = this.rows.matched ?? 0;
    if (count === 0) return;
    this.selected = Math.max(0, Math.min(count - 1, index));
    // Row tops are measured from the top of the rows, which start below the sticky header.
    const top = this.selected * ROW_PX;
    const viewport = this.rowsViewportPx();
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_PX > this.scroller.scrollTop + viewport) this.scroller.scrollTop = top + ROW_PX - viewport;
    this.show(this.rows.row(this.selected), true);
    this.schedule();
  }

  /** Tells the owner which row is selected, once per row object (pages re-fetched bring new objects). */
  private show(row: Row | undefined, force = false): void {
    if (!force && row === this.shown) return;
    this.shown = row;
    this.onSelect(this.selected, row);
  }

  /** The height the rows can use: the scroller less the header stuck to its top. */
  private rowsViewportPx(): number {
    return Math.max(ROW_PX, (this.scroller.clientHeight || 400) - this.header.offsetHeight);
  }

  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const count = this.rows.matched ?? 0;
    const w = visibleWindow(this.scroller.scrollTop, this.rowsViewportPx(), ROW_PX, count);
    this.spacer.style.height = `${w.heightPx}px`;
    this.body.style.transform = `translateY(${w.offsetPx}px)`;
    const template = this.columns.map((c) => c.width).join(' ');
    const out: HTMLElement[] = [];
    for (let i = w.first; i <= w.last; i++) {
      const row = this.rows.row(i);
      const el = h('div', {
        class: `vt-row vt-grid${i === this.selected ? ' selected' : ''}${row ? '' : ' loading'}`,
        attrs: { role: 'row', 'aria-rowindex': i + 1, 'aria-selected': i === this.selected },
      });
      el.style.gridTemplateColumns = template;
      if (row)
        for (const c of this.columns)
          el.append(
            h('div', { class: 'vt-cell', title: c.cellTitle?.(row), attrs: { role: 'gridcell' } }, c.cell(row, i)),
          );
      else el.append(h('div', { class: 'vt-cell muted' }, '…'));
      el.addEventListener('click', () => this.select(i));
      out.push(el);
    }
    replaceChildren(this.body, ...out);
    if (this.rows.error) {
      const retry = h('vscode-button', { attrs: { secondary: true } }, 'Retry');
      retry.addEventListener('click', () => this.onRetry());
      replaceChildren(this.note, h('span', { class: 'v-fail' }, this.rows.error), ' ', retry);
      return;
    }
    replaceChildren(this.note, this.rows.matched === null ? 'Loading…' : count === 0 ? 'No prediction matches.' : '');
    if (this.rows.matched === null) void this.rows.ensure(0, 50);
    // Half a page beyond either end: the next page is usually in before the user scrolls to it.
    else if (w.last >= w.first)
      void this.rows.ensure(Math.max(0, w.first - this.rows.pageSize / 2), w.last + this.rows.pageSize / 2);
    if (this.selected >= 0 && this.rows.isLoaded(this.selected)) this.show(this.rows.row(this.selected));
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.rowsViewportPx() / ROW_PX) - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity,
    };
    const delta = moves[e.key];
    if (delta === undefined) return;
    e.preventDefault();
    const count = this.rows.matched ?? 0;
    const from = this.selected < 0 ? (delta > 0 ? -1 : count) : this.selected;
    this.select(Number.isFinite(delta) ? from + delta : delta > 0 ? count - 1 : 0);
  }
}
