import { after } from 'node:test';
import { drive } from '../../../remote-agent/generate/driver';
import type { DriveOptions, DriveResult, GeneratedPrediction } from '../../../remote-agent/generate/types';
import { standinConfig, type StandinConfig } from '../../doubles/standin-config';
import { VllmStandin } from '../../doubles/vllm-standin';

export interface RunningStandin {
  server: VllmStandin;
  baseUrl: string;
}

/** For one test file: starts stand-ins in this process on free ports, and closes every one after the file's tests. */
export function standinsClosedAfter(): (overrides?: Partial<StandinConfig>) => Promise<RunningStandin> {
  const servers: VllmStandin[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));
  return async (overrides = {}) => {
    const server = new VllmStandin(standinConfig(overrides), () => void server.close());
    servers.push(server);
    const port = await server.listen();
    return { server, baseUrl: `http://127.0.0.1:${port}` };
  };
}

/** Drives the samples and keeps every prediction, in the order they arrived. */
export async function driveCollecting(
  options: Omit<DriveOptions, 'onPrediction'>,
): Promise<{ predictions: GeneratedPrediction[]; result: DriveResult }> {
  const predictions: GeneratedPrediction[] = [];
  const result = await drive({ ...options, onPrediction: (p) => void predictions.push(p) });
  return { predictions, result };
}
