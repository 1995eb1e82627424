import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml } from '../../../common/html-escape';

/** The HTML parser's view of the entities escapeHtml writes. */
function decode(s: string): string {
  return s.replace(
    /&(amp|lt|gt|quot|#39|#96);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`' })[e]!,
  );
}

describe('escapeHtml', () => {
  const hostile = `<img src=x onerror="alert('1')">\`tpl\` &amp; </script>`;

  it('leaves no character that could open a tag, end an attribute value or start an entity', () => {
    const out = escapeHtml(hostile);
    assert.doesNotMatch(out, /[<>"'`]/);
    assert.doesNotMatch(out.replace(/&(amp|lt|gt|quot|#39|#96);/g, ''), /&/);
  });

  it('reads back as exactly the text it was given, entities in the input included', () => {
    assert.equal(decode(escapeHtml(hostile)), hostile);
    assert.equal(escapeHtml('&lt;'), '&amp;lt;');
  });

  it('keeps text without special characters as it is', () => {
    assert.equal(escapeHtml('model-7b / gsm8k: 81.2 ± 1.1 — ünïcödé'), 'model-7b / gsm8k: 81.2 ± 1.1 — ünïcödé');
  });
});
