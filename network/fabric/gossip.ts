/**
 * Waiting for gossip membership to converge. Right after the peers join the channel, discovery
 * cannot yet combine peers of several organisations ("no peer combination can satisfy the
 * endorsement policy"), so cross-organisation submits fail until every peer knows every other.
 * Each peer reports what it knows on its operations endpoint (prometheus metrics).
 */

/** One peer to watch: its host name (for messages) and its operations endpoint `host:port`. */
export interface GossipPeer {
  host: string;
  operations: string;
}

export interface GossipWaitOptions {
  channel: string;
  timeoutMs: number;
  intervalMs?: number;
  onProgress?: (line: string) => void;
  /** The metrics text of an operations endpoint (tests replace the HTTP call). */
  fetchMetrics?: (operations: string) => Promise<string>;
}

/** The value of `gossip_membership_total_peers_known{channel="…"}`, if the text has it. */
export function peersKnown(metrics: string, channel: string): number | undefined {
  const prefix = `gossip_membership_total_peers_known{channel="${channel}"} `;
  const line = metrics.split('\n').find((l) => l.startsWith(prefix));
  if (line === undefined) return undefined;
  const value = Number(line.slice(prefix.length).trim());
  return Number.isFinite(value) ? value : undefined;
}

async function httpMetrics(operations: string): Promise<string> {
  const response = await fetch(`http://${operations}/metrics`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves once every peer knows all the others on the channel; rejects after the timeout with
 * what each peer knew last. Progress is one line whenever the picture changes.
 */
export async function waitForGossip(peers: GossipPeer[], options: GossipWaitOptions): Promise<void> {
  const { channel, timeoutMs, intervalMs = 500, onProgress = () => undefined, fetchMetrics = httpMetrics } = options;
  const expected = peers.length - 1;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const known = await Promise.all(
      peers.map(async (p) => {
        try {
          return peersKnown(await fetchMetrics(p.operations), channel) ?? 0;
        } catch {
          return undefined; // not answering yet (starting) counts as knowing nobody
        }
      }),
    );
    const summary = peers.map((p, i) => `${p.host.split('.').slice(0, 2).join('.')} ${known[i] ?? '?'}/${expected}`).join(', ');
    if (known.every((k) => k !== undefined && k >= expected)) {
      onProgress(`gossip converged on ${channel}: every peer knows the ${expected} others`);
      return;
    }
    if (summary !== last) onProgress(`peers known on ${channel}: ${summary}`);
    last = summary;
    if (Date.now() >= deadline) {
      throw new Error(`gossip membership on ${channel} did not converge within ${Math.round(timeoutMs / 1000)} s (${summary}); read the peers' logs`);
    }
    await sleep(intervalMs);
  }
}
