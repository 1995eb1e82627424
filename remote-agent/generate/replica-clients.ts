import { JsonClient } from './http-client';

/**
 * One keep-alive client per engine replica; each request goes to the replica with the fewest requests outstanding
 * (ties rotate, so equal replicas share evenly). A retried request goes to a replica it has not tried yet: a replica
 * that fails fast has the fewest outstanding, and would otherwise get every retry.
 */
export class ReplicaClients {
  private readonly clients: JsonClient[];
  private readonly outstanding: number[];
  private nextTie = 0;

  constructor(baseUrls: readonly string[], maxSocketsEach: number, headers?: Record<string, string>) {
    if (baseUrls.length === 0) throw new Error('no engine URL to send requests to');
    this.clients = baseUrls.map((u) => new JsonClient(u, maxSocketsEach, headers));
    this.outstanding = baseUrls.map(() => 0);
  }

  /**
   * Runs `send` on the least-loaded replica's client, counting it as outstanding until it settles. `tried` (one set per
   * request, kept across its attempts) steers each attempt away from the replicas the request already tried.
   */
  async with<T>(send: (client: JsonClient) => Promise<T>, tried?: Set<number>): Promise<T> {
    if (tried && tried.size >= this.clients.length) tried.clear();
    const i = this.pick(tried);
    tried?.add(i);
    this.outstanding[i]!++;
    try {
      return await send(this.clients[i]!);
    } finally {
      this.outstanding[i]!--;
    }
  }

  private pick(tried?: Set<number>): number {
    const n = this.clients.length;
    if (n === 1) return 0;
    let best = -1;
    for (let k = 0; k < n; k++) {
      const i = (this.nextTie + k) % n;
      if (tried?.has(i)) continue;
      if (best < 0 || this.outstanding[i]! < this.outstanding[best]!) best = i;
    }
    this.nextTie = (best + 1) % n;
    return best;
  }

  abortAll(): void {
    for (const c of this.clients) c.abortAll();
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
