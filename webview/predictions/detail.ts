import { capText } from '../../common/report/format';
import type { Prediction } from '../../common/run/records';
import { h, type Child } from '../common/dom';
import { predictionFor } from './columns';
import { missingPrediction, type ModelTask } from './compare-model';
import { promptImages } from './images';
import { detailEntries, promptText, verdictOf, type Row } from './rows';

function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'detail-section' }, h('h3', {}, title), ...children);
}

function block(text: string, cls = ''): HTMLElement {
  return h('pre', { class: `block ${cls}`.trim() }, capText(text));
}

function verdictLine(p: Prediction): HTMLElement {
  const v = verdictOf(p);
  return h(
    'div',
    { class: 'verdict-line' },
    h('span', { class: `chip v-${v}` }, v),
    p.reason ? h('span', { class: 'reason' }, ` ${p.reason}`) : null,
    p.error ? h('div', { class: 'v-error' }, `generation error: ${p.error}`) : null,
  );
}

function meta(p: Prediction): string {
  const parts = [
    `#${p.index}`,
    `id ${p.id}`,
    p.finishReason ? `finish ${p.finishReason}` : null,
    p.promptTokens !== null ? `${p.promptTokens} prompt tokens` : null,
    p.completionTokens !== null ? `${p.completionTokens} output tokens` : null,
    `${Math.round(p.latencyMs)} ms`,
    p.truncated ? 'prompt truncated' : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** What one model made of the sample: verdict and reason, extracted answer, raw output, scorer details. */
function outcome(p: Prediction, model?: string): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (model) out.push(h('h2', { class: 'model-heading' }, model));
  out.push(section('Verdict', verdictLine(p)));
  out.push(
    section(
      'Extracted answer',
      p.extracted !== undefined ? block(p.extracted, 'extracted') : h('div', { class: 'empty' }, 'nothing extracted'),
    ),
  );
  out.push(section('Raw output', block(p.output, 'output')));
  if (p.reasoning) out.push(section('Reasoning (kept apart, not scored)', block(p.reasoning, 'reasoning')));
  if (p.outputs && p.outputs.length > 1) {
    out.push(
      section(
        `All ${p.outputs.length} completions`,
        ...p.outputs.map((o, i) =>
          h(
            'div',
            {},
            h(
              'div',
              { class: 'muted' },
              `completion ${i + 1}${p.passes?.[i] === undefined ? '' : p.passes[i] ? ' — pass' : ' — fail'}`,
            ),
            block(o),
          ),
        ),
      ),
    );
  }
  const details = detailEntries(p.details);
  if (details.length) {
    out.push(
      section(
        'Scorer details',
        ...details.map((d) =>
          d.block
            ? h('div', {}, h('div', { class: 'detail-key' }, d.label), block(d.text))
            : h('div', {}, h('span', { class: 'detail-key' }, `${d.label}: `), h('span', { class: 'mono' }, d.text)),
        ),
      ),
    );
  }
  out.push(h('div', { class: 'muted meta' }, meta(p)));
  return out;
}

/** The prompt's images, each set through img.src (never markup); null when the prompt has none. */
function imagesSection(p: Prediction): HTMLElement | null {
  const { images, refused } = promptImages(p.prompt);
  if (!images.length && !refused) return null;
  const figures = images.map((image) => {
    const img = h('img', { class: 'prompt-image', attrs: { alt: image.label } });
    img.src = image.src;
    return h('figure', {}, img, h('figcaption', { class: 'muted' }, image.label));
  });
  const note = refused
    ? h(
        'div',
        { class: 'muted' },
        `${refused} image${refused === 1 ? '' : 's'} not shown (only inline PNG, JPEG, GIF or WebP)`,
      )
    : null;
  return section(images.length === 1 ? 'Image' : 'Images', ...figures, note);
}

/** A model without a prediction for the sample: whether its task failed (and why) or has not got there yet. */
function missing(model: string, task: ModelTask | undefined): HTMLElement[] {
  const why = missingPrediction(task);
  return [
    h('h2', { class: 'model-heading' }, model),
    h('div', { class: why.failed ? 'banner error missing' : 'empty missing' }, why.text),
  ];
}

/** The detail pane of a selected row; every value goes in as text. `anchor` is the model of `row.main`. */
export function renderDetail(
  row: Row | undefined,
  models: string[],
  anchor: string,
  tasks: readonly ModelTask[],
): Node {
  if (!row) return h('div', { class: 'empty' }, 'Select a prediction to see its prompt, output, answer and verdict.');
  const p = row.main;
  const parts: Child[] = [];
  const images = imagesSection(p);
  if (!row.others)
    parts.push(
      images
        ? h('div', { class: 'with-images' }, h('div', { class: 'outcome' }, ...outcome(p)), images)
        : h('div', {}, ...outcome(p)),
    );
  else if (images) parts.push(images);
  parts.push(
    section(
      'Reference',
      p.reference !== undefined ? block(p.reference, 'reference') : h('div', { class: 'empty' }, 'no reference'),
    ),
  );
  if (row.others) {
    for (const m of models) {
      const shown = predictionFor(row, m, anchor);
      parts.push(
        ...(shown
          ? outcome(shown, m)
          : missing(
              m,
              tasks.find((t) => t.model === m),
            )),
      );
    }
  }
  parts.push(section('Prompt', block(promptText(p.prompt), 'prompt')));
  return h('div', { class: 'detail' }, ...parts);
}
