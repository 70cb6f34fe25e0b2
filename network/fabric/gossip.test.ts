import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { peersKnown, waitForGossip } from './gossip';

const metrics = (channel: string, known: number): string =>
  [
    '# HELP gossip_membership_total_peers_known Total known peers',
    '# TYPE gossip_membership_total_peers_known gauge',
    `gossip_membership_total_peers_known{channel="other"} 9`,
    `gossip_membership_total_peers_known{channel="${channel}"} ${known}`,
    '',
  ].join('\n');

const peers = ['peer0.a.example.com', 'peer0.b.example.com', 'peer0.c.example.com'].map((host, i) => ({ host, operations: `127.0.0.1:${9444 + i}` }));

describe('waiting for gossip membership', () => {
  it("reads a channel's known-peers gauge from prometheus text", () => {
    expect(peersKnown(metrics('healthchannel', 3), 'healthchannel')).toBe(3);
    expect(peersKnown(metrics('healthchannel', 3), 'absent')).toBeUndefined();
  });

  it('resolves once every peer knows all the others, reporting progress while it waits', async () => {
    let round = 0;
    const lines: string[] = [];
    await waitForGossip(peers, {
      channel: 'healthchannel',
      timeoutMs: 5000,
      intervalMs: 1,
      onProgress: (l) => lines.push(l),
      fetchMetrics: (ops) => {
        if (ops.endsWith('9446') && round++ < 3) return Promise.reject(new Error('ECONNREFUSED'));
        return Promise.resolve(metrics('healthchannel', ops.endsWith('9444') && round < 2 ? 1 : 2));
      },
    });
    expect(lines[0]).toContain('peer0.a 1/2');
    expect(lines[0]).toContain('peer0.c ?/2');
    expect(lines.at(-1)).toBe('gossip converged on healthchannel: every peer knows the 2 others');
  });

  it('fails after the timeout naming what each peer knew', async () => {
    await expect(waitForGossip(peers, { channel: 'healthchannel', timeoutMs: 20, intervalMs: 5, fetchMetrics: () => Promise.resolve(metrics('healthchannel', 1)) })).rejects.toThrow(
      /did not converge within 0 s \(peer0\.a 1\/2, peer0\.b 1\/2, peer0\.c 1\/2\)/,
    );
  });

  describe('against an operations endpoint over HTTP', () => {
    let server: Server;
    let known = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url !== '/metrics') return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'text/plain' }).end(metrics('healthchannel', known++));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('polls /metrics until the gauge reaches the number of other peers', async () => {
      const operations = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      const two = [{ host: 'peer0.x', operations }, { host: 'peer0.y', operations }];
      // One endpoint serves both: its gauge goes 0, 1, … so both see ≥ 1 after a few polls.
      await waitForGossip(two, { channel: 'healthchannel', timeoutMs: 5000, intervalMs: 10 });
      expect(known).toBeGreaterThanOrEqual(2);
    });
  });
});
