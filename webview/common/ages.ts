import { formatAge } from '../../common/report/format';
import { h } from './dom';

/** How often shown ages ("just now", "5 min ago") are recomputed while the panel is open. */
export const AGE_TICK_MS = 15_000;

/** An element whose text is the age of `iso`, kept current by refreshAges. */
export function ageSpan(iso: string, now: number, cls = 'muted'): HTMLElement {
  return h('span', { class: cls, dataset: { since: iso }, title: iso }, formatAge(iso, now));
}

/** What refreshAges needs of an element: its `data-since` and its text. */
export interface AgeElement {
  dataset: { since?: string };
  textContent: string | null;
}

/** Recomputes each age from its timestamp; returns how many changed. Pure apart from the elements' text. */
export function refreshAges(elements: Iterable<AgeElement>, now: number): number {
  let changed = 0;
  for (const el of elements) {
    if (!el.dataset.since) continue;
    const text = formatAge(el.dataset.since, now);
    if (el.textContent !== text) {
      el.textContent = text;
      changed++;
    }
  }
  return changed;
}

/** Ages under `root` move on even when no snapshot arrives (a finished run sends none). */
export function keepAgesCurrent(root: HTMLElement): void {
  setInterval(() => refreshAges(root.querySelectorAll<HTMLElement>('[data-since]'), Date.now()), AGE_TICK_MS);
}
