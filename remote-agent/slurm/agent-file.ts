import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../store/atomic';

/**
 * The agent file jobs run. Jobs outlive the process that submitted them, and the file it runs from may be replaced
 * (an upgrade, a rebuilt dist/), so jobs run a copy under `<workdir>/agent/<content hash>.js`, which never changes.
 * `source` defaults to the running agent (EVALBENCH_AGENT_JS overrides, e.g. for in-process tests).
 */
export function ensureAgentInWorkdir(
  workdir: string,
  source = process.env.EVALBENCH_AGENT_JS || process.argv[1],
): string {
  if (!source) throw new Error('cannot tell which agent file is running: set EVALBENCH_AGENT_JS');
  const real = fs.realpathSync(source);
  if (!real.endsWith('.js'))
    throw new Error(
      `the agent must run from its bundled .js file (dist/agent.js) to submit jobs, not ${real}: set EVALBENCH_AGENT_JS`,
    );
  const dir = path.join(workdir, 'agent');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (path.dirname(real) === fs.realpathSync(dir)) return real;
  const content = fs.readFileSync(real);
  const target = path.join(dir, `${crypto.createHash('sha256').update(content).digest('hex').slice(0, 16)}.js`);
  if (!fs.existsSync(target)) writeFileAtomic(target, content, 0o755);
  return target;
}
