import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prediction } from '../../../../common/run/records';
import { elideDataUrl, isSafeImageUrl, MAX_PROMPT_IMAGES, promptImages } from '../../../../webview/predictions/images';
import { promptText } from '../../../../webview/predictions/rows';

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const image = (url: unknown) => ({ type: 'image_url', image_url: { url } });

describe('prompt images', () => {
  it('finds the inline images of a chat prompt in order, labelled by message', () => {
    const prompt: Prediction['prompt'] = [
      { role: 'system', content: 'look closely' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          image(PNG),
          image('data:image/jpeg;base64,/9j/4AAQ'),
          { type: 'image_url', image_url: 'data:image/webp;base64,UklGRg==' },
        ],
      },
    ];
    const { images, refused } = promptImages(prompt);
    assert.equal(refused, 0);
    assert.deepEqual(
      images.map((i) => i.label),
      ['user message 2, image 1', 'user message 2, image 2', 'user message 2, image 3'],
    );
    assert.equal(images[0]!.src, PNG);
  });

  it('refuses hostile or foreign URLs: script, html, svg, remote, malformed base64', () => {
    const hostile = [
      'javascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
      'https://example.com/a.png',
      'data:image/png,<svg onload=alert(1)>',
      'data:image/png;base64,AAAA"><script>',
      ' data:image/png;base64,AAAA',
      'DATA:image/png;base64,AAAA',
      42,
      undefined,
    ];
    for (const url of hostile) assert.equal(isSafeImageUrl(url), false, String(url));
    const { images, refused } = promptImages([{ role: 'user', content: hostile.map(image) }]);
    assert.deepEqual(images, []);
    assert.equal(refused, hostile.length, 'each refused image is counted, so the pane can say so');
  });

  it('shows at most a bounded number of images, and none for a text prompt', () => {
    const many = promptImages([
      { role: 'user', content: Array.from({ length: MAX_PROMPT_IMAGES + 2 }, () => image(PNG)) },
    ]);
    assert.equal(many.images.length, MAX_PROMPT_IMAGES);
    assert.equal(many.refused, 2);
    assert.deepEqual(promptImages('plain text prompt'), { images: [], refused: 0 });
  });

  it('elides data URLs in the prompt text instead of dumping the base64', () => {
    const big = `data:image/png;base64,${'A'.repeat(5000)}`;
    assert.equal(elideDataUrl(big), 'data:image/png;base64,… (5,022 characters)');
    assert.equal(elideDataUrl('https://x/a.png'), 'https://x/a.png');
    const text = promptText([{ role: 'user', content: [{ type: 'text', text: 'hi' }, image(big)] }]);
    assert.ok(!text.includes('AAAAAAAA'), 'no base64 in the text view');
    assert.match(text, /"url": "data:image\/png;base64,… \(5,022 characters\)"/);
  });
});
