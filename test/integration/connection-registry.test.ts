import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ClusterSchema, type Cluster } from '../../common/catalog/cluster';
import { AGENT_PROTOCOL_VERSION, Hello, RunsList } from '../../common/protocol/agent-methods';
import { ClusterUnavailableError } from '../../src/connection/agent-connection';
import { ConnectionRegistry } from '../../src/connection/connection-registry';
import { createTarget } from '../../src/connection/create-target';
import { AGENT_PATH } from './helpers/ssh-test-env';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

const tempDir = tempDirsRemovedAfter();
const VERSION: string = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).version;

describe(
  'connection registry (local agent)',
  { skip: fs.existsSync(AGENT_PATH) ? false : `${AGENT_PATH} is missing: run "npm run build"` },
  () => {
    it('keeps one connection per profile, replaces it when the profile changes how it connects, and names unknown profiles', async () => {
      const base = tempDir('registry');
      let profiles: Record<string, Cluster> = { laptop: ClusterSchema.parse({ kind: 'local', workdir: 'runs-a' }) };
      const created: string[] = [];
      const registry = new ConnectionRegistry({
        profiles: () => profiles,
        createTarget: (id, p) => (
          created.push(`${id}:${p.workdir}`),
          createTarget(p, { agentPath: AGENT_PATH, baseDir: base })
        ),
        clientVersion: VERSION,
      });
      try {
        const c1 = await registry.client('laptop');
        assert.equal(await registry.client('laptop'), c1, 'the same live client is reused');
        assert.deepEqual((await c1.call(RunsList, {})).runs, []);
        assert.equal(registry.lastUsed, 'laptop');
        const hello = await c1.call(Hello, { clientVersion: VERSION, protocol: AGENT_PROTOCOL_VERSION });
        assert.equal(
          hello.workdir,
          path.join(base, 'runs-a'),
          'a relative work directory is relative to the profile folder',
        );
        assert.ok(!fs.existsSync(path.join(base, 'runs-a')), 'nothing is created before a run is');

        profiles = { laptop: ClusterSchema.parse({ kind: 'local', workdir: 'runs-a', partition: 'other' }) };
        assert.equal(await registry.client('laptop'), c1, 'a job setting does not reconnect');

        profiles = { laptop: ClusterSchema.parse({ kind: 'local', workdir: 'runs-b' }) };
        registry.reconcile();
        await c1.closed;
        const c2 = await registry.client('laptop');
        assert.notEqual(c2, c1);
        assert.deepEqual(created, ['laptop:runs-a', 'laptop:runs-b']);

        await assert.rejects(
          registry.client('hpc'),
          (e: unknown) =>
            e instanceof ClusterUnavailableError &&
            /cluster "hpc" is not reachable: there is no cluster profile "hpc" .*known: laptop/.test(e.message),
        );
      } finally {
        registry.dispose();
      }
    });
  },
);
