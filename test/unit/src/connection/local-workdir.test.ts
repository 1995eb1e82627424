import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { RunsList } from '../../../../common/protocol/agent-methods';
import { AgentConnection } from '../../../../src/connection/agent-connection';
import { LocalTarget } from '../../../../src/connection/local-target';

const ROOT = path.resolve(__dirname, '../../../..');
const AGENT = path.join(ROOT, 'dist/agent.js');
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/** What the Runs view does on activation for a local profile: start the agent and list runs. */
describe(
  'the local agent in a workspace without runs',
  { skip: fs.existsSync(AGENT) ? false : 'dist/agent.js is not built (npm run build)' },
  () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-untouched-'));
    after(() => fs.rmSync(workspace, { recursive: true, force: true }));

    it('lists no runs and creates nothing in the workspace', async () => {
      const logs: string[] = [];
      const target = new LocalTarget({
        profile: { setup: [], node: 'node', workdir: '.evalbench-runs' },
        agentPath: AGENT,
        baseDir: workspace,
        defaultNode: process.execPath,
        log: (m) => logs.push(m),
      });
      const conn = new AgentConnection(target, {
        clusterId: 'local',
        log: (m) => logs.push(m),
        clientVersion: VERSION,
      });
      try {
        assert.deepEqual(await conn.call(RunsList, {}), { runs: [] });
      } finally {
        conn.dispose();
      }
      assert.deepEqual(fs.readdirSync(workspace), [], logs.join('\n'));
    });
  },
);
