import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorMessage } from '../../../common/error-message';

describe('errorMessage', () => {
  it("is an Error's message, without its class name or stack", () => {
    assert.equal(errorMessage(new TypeError('bad input')), 'bad input');
  });

  it('turns anything else thrown into its string', () => {
    assert.equal(errorMessage('plain text'), 'plain text');
    assert.equal(errorMessage(42), '42');
    assert.equal(errorMessage(undefined), 'undefined');
  });
});
