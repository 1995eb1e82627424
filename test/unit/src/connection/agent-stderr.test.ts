import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { logAgentStderr } from '../../../../src/connection/target';

describe("the agent's stderr", () => {
  it('is logged line by line with its prefix, blank lines skipped, a last unterminated line at the end', async () => {
    const stream = new PassThrough();
    const logged: string[] = [];
    const lastWords = logAgentStderr(stream, (m) => logged.push(m), 'agent@local: ');
    assert.equal(lastWords(), '', 'nothing said yet');
    stream.write('node: bad ');
    stream.write('option\n\n  \nsecond');
    assert.deepEqual(logged, ['agent@local: node: bad option'], 'a line is logged once complete');
    stream.end();
    await once(stream, 'end');
    assert.deepEqual(logged, ['agent@local: node: bad option', 'agent@local: second']);
    assert.equal(lastWords(), ': node: bad option | second');
  });

  it('keeps only the last five lines as the reason the agent ended', async () => {
    const stream = new PassThrough();
    const lastWords = logAgentStderr(stream, () => undefined, '');
    stream.end(Array.from({ length: 8 }, (_, i) => `line ${i}`).join('\n') + '\n');
    await once(stream, 'end');
    assert.equal(lastWords(), ': line 3 | line 4 | line 5 | line 6 | line 7');
  });
});
