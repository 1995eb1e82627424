import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import type { Prediction } from '../../../../common/run/records';
import { codeBlock, escapeMarkdown, hoverMarkdown, lineSummary, toLite } from '../../../../src/datasets/verdict-text';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '</code></pre><script>alert(2)</script>',
  '```\n[click](command:workbench.action.terminal.new)\n```',
  '[evil](command:evalbench.runs.cancel?%5B%5D) ![x](https://evil.example/pixel.png) https://evil.example www.evil.example',
  '<https://evil.example> &lt;b&gt; **bold** _it_ # heading',
  '````` five backticks `` and `one`',
];

function prediction(output: string, extracted = output, reason = output): Prediction {
  return {
    id: 'x',
    index: 0,
    prompt: 'p',
    output,
    finishReason: 'stop',
    promptTokens: 1,
    completionTokens: 1,
    latencyMs: 1,
    verdict: 'fail',
    reason,
    extracted,
    reference: '18',
    time: '2026-12-05T00:00:00Z',
  };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&', '#39': "'" };
/** The text a browser shows for HTML without elements. */
const decode = (html: string) => html.replace(/&(lt|gt|quot|amp|#39);/g, (_, e: string) => ENTITIES[e]!);

/** Rendered as permissively as a renderer could: HTML allowed, bare URLs linked. */
const md = new MarkdownIt({ html: true, linkify: true });

describe('hover markdown with hostile model output', () => {
  for (const hostile of HOSTILE) {
    it(`shows ${JSON.stringify(hostile.slice(0, 40))} as text`, () => {
      const text = hoverMarkdown(
        { runKey: 'local/r1', runLabel: '2026-12-05 07:30', dataset: 'gsm8k', sampleId: hostile },
        [
          { model: 'qwen3-8b', lite: toLite(prediction(hostile)) },
          { model: 'mistral', lite: null },
        ],
      );
      const html = md.render(text);
      assert.doesNotMatch(html, /<(img|script)\b/i, 'no element from the output');
      const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]!);
      assert.ok(links.length >= 2, 'our own links are there');
      for (const href of links)
        assert.match(
          href,
          /^command:evalbench\.runs\.(openPredictions|comparePredictions)\?/,
          `only our commands are linked: ${href}`,
        );
      // The output is shown in full, as text, inside one code block.
      const blocks = [...html.matchAll(/<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/g)].map((m) => m[1]!);
      assert.equal(blocks.length, 1);
      assert.equal(decode(blocks[0]!).trimEnd(), hostile);
    });
  }

  it('escaped text reads back as the same text', () => {
    for (const hostile of HOSTILE) {
      const flat = hostile.replace(/\n/g, ' ');
      const rendered = md.renderInline(escapeMarkdown(flat));
      assert.equal(decode(rendered), flat);
    }
  });

  it('the link arguments are JSON: the sample id and task travel intact', () => {
    const text = hoverMarkdown({ runKey: 'local/r1', runLabel: 'r', dataset: 'gsm8k', sampleId: 'a")(b' }, [
      { model: 'm', lite: toLite(prediction('ok')) },
    ]);
    const uri = /\]\((command:evalbench\.runs\.openPredictions\?[^)]*)\)/.exec(text)![1]!;
    assert.deepEqual(JSON.parse(decodeURIComponent(uri.split('?')[1]!)), [
      { type: 'task', key: 'local/r1', model: 'm', dataset: 'gsm8k' },
      { search: 'a")(b' },
    ]);
  });

  it('a code fence is longer than any backtick run in the text', () => {
    assert.match(codeBlock('a ```` b'), /^`{5}text\n/);
    assert.match(codeBlock('plain'), /^```text\n/);
  });

  it('the line summary: colour by verdicts, a gutter mark only when every model failed', () => {
    const fail = toLite(prediction('17', '17', 'wrong answer'));
    const pass = { ...fail, verdict: 'pass' as const };
    assert.deepEqual(
      lineSummary([
        { model: 'qwen3-8b', lite: fail },
        { model: 'mistral', lite: pass },
      ]),
      { text: 'qwen3-8b ✗ wrong answer 17 ≠ 18 · mistral ✓', tone: 'mixed', allFailed: false },
    );
    assert.equal(
      lineSummary([
        { model: 'a', lite: fail },
        { model: 'b', lite: fail },
      ]).allFailed,
      true,
    );
    assert.equal(
      lineSummary([
        { model: 'a', lite: fail },
        { model: 'b', lite: null },
      ]).allFailed,
      false,
    );
    assert.equal(lineSummary([{ model: 'a', lite: null }]).tone, 'pending');
    const withValues = toLite(prediction('9', '9', 'wrong answer 9 != 18'));
    assert.equal(
      lineSummary([{ model: 'qwen3-8b', lite: withValues }]).text,
      'qwen3-8b ✗ wrong answer 9 ≠ 18',
      'the values are said once',
    );
  });

  it('a model whose verdicts the agent could not read says so on the line and, escaped, in the hover', () => {
    const pass = toLite(prediction('18', '18'));
    const verdicts = [
      { model: 'qwen3-8b', lite: { ...pass, verdict: 'pass' as const } },
      { model: 'mistral', lite: null, unavailable: 'ENOENT: <b>predictions.jsonl</b>' },
    ];
    assert.equal(lineSummary(verdicts).text, 'qwen3-8b ✓ · mistral ⚠ verdicts unavailable');
    const hover = hoverMarkdown({ runKey: 'local/r1', runLabel: 'r', dataset: 'gsm8k', sampleId: '1' }, verdicts);
    assert.match(hover, /\*\*mistral\*\* ⚠ verdicts unavailable/);
    assert.ok(
      hover.includes(`the agent could not read them: ${escapeMarkdown('ENOENT: <b>predictions.jsonl</b>')}`),
      hover,
    );
    assert.doesNotMatch(hover, /<b>/);
  });
});
