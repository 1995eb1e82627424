import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionError } from '../../../../src/connection/errors';
import { statusText } from '../../../../src/connection/status-text';

const hello = {
  agentVersion: '0.1.0',
  protocol: 1,
  node: 'v20.1.0',
  host: 'login1',
  user: 'alice',
  workdir: '/scratch/alice/eb',
};

describe('connection status text', () => {
  it('names the connected cluster and what was reached', () => {
    const s = statusText('hpc', { kind: 'connected', hello, description: 'alice@login1:22, node v20.1.0' });
    assert.equal(s.text, '$(remote) hpc');
    assert.match(s.tooltip, /connected to cluster "hpc"/);
    assert.match(s.tooltip, /\/scratch\/alice\/eb/);
    assert.equal(s.warning, false);
  });

  it('says why a cluster is not connected, as a warning after a failure', () => {
    const error = new ConnectionError('auth', 'authentication failed for alice@login1:22');
    const s = statusText('hpc', { kind: 'disconnected', reason: error.message, error });
    assert.equal(s.text, '$(debug-disconnect) hpc');
    assert.match(s.tooltip, /not connected to cluster "hpc": authentication failed/);
    assert.equal(s.warning, true);
    assert.equal(statusText('hpc', { kind: 'disconnected', reason: 'disconnected by the user' }).warning, false);
  });

  it('shows a plain connect button when nothing was connected', () => {
    assert.equal(statusText(undefined, undefined).text, '$(plug) evalbench');
    assert.match(statusText('hpc', { kind: 'connecting' }).text, /sync~spin/);
  });
});
