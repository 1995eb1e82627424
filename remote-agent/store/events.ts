import { RunEventSchema, type RunEvent } from '../../common/run/events';
import { appendJsonLine, readCompleteLines } from './jsonl';
import type { RunPaths } from './layout';

type EventInput = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'time'> & { time?: string } : never) : never;

/** Appends one event to events.jsonl (validated, time-stamped). */
export function appendEvent(paths: RunPaths, event: EventInput): RunEvent {
  const full = RunEventSchema.parse({ time: new Date().toISOString(), ...event });
  appendJsonLine(paths.events, full);
  return full;
}

export interface EventsPage {
  events: Array<{ offset: number; event: RunEvent }>;
  /** Where the next read starts: after the last complete line. */
  next: number;
  /** Lines that are not valid events (skipped, never fatal). */
  invalid: number;
}

/** Events after a byte offset. Reading again from `next` returns exactly the events appended since. */
export function readEvents(paths: RunPaths, offset = 0): EventsPage {
  const { lines, next } = readCompleteLines(paths.events, offset);
  const events: EventsPage['events'] = [];
  let invalid = 0;
  for (const line of lines) {
    let parsed;
    try {
      parsed = RunEventSchema.safeParse(JSON.parse(line.text));
    } catch {
      invalid++;
      continue;
    }
    if (parsed.success) events.push({ offset: line.offset, event: parsed.data });
    else invalid++;
  }
  return { events, next, invalid };
}
