import * as crypto from 'crypto';
import * as fs from 'fs';

/** The local dist/agent.js and its content hash, which names it on the cluster. */
export interface AgentBundle {
  path: string;
  content: Buffer;
  sha256: string;
  /** `<sha256>.js`: the file name under `<workdir>/agent/`. */
  fileName: string;
}

let cached: { path: string; mtimeMs: number; size: number; bundle: AgentBundle } | undefined;

/** Reads the agent bundle, re-reading only when the file changed (a rebuild during development). */
export function loadAgentBundle(agentPath: string): AgentBundle {
  let st: fs.Stats;
  try {
    st = fs.statSync(agentPath);
  } catch {
    throw new Error(`the agent bundle ${agentPath} is missing: run "npm run build"`);
  }
  if (cached && cached.path === agentPath && cached.mtimeMs === st.mtimeMs && cached.size === st.size)
    return cached.bundle;
  const content = fs.readFileSync(agentPath);
  const sha256 = crypto.createHash('sha256').update(content).digest('hex');
  const bundle = { path: agentPath, content, sha256, fileName: `${sha256}.js` };
  cached = { path: agentPath, mtimeMs: st.mtimeMs, size: st.size, bundle };
  return bundle;
}
