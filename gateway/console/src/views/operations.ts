/**
 * Operations: each organisation's peer height as that peer reports it, the chaincode and whether
 * it serves this gateway's catalogue, its committed definition, the ordering service, and charts of the gateway's own metrics (requests by route,
 * ledger call latency), as SVG.
 */
import { api, messageOf } from '../api.js';
import { facts, h, replace, s, status } from '../dom.js';
import { definitionCard, ordererCard, type ChannelParts } from './channel.js';

interface Network extends ChannelParts {
  channel: string;
  chaincode: string;
  organisations: { mspId: string; kind?: string; reachable: boolean; height?: string; currentBlockHash?: string; problem?: string }[];
}
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Metric {
  name: string;
  samples: Sample[];
}

/** A horizontal bar chart: one labelled bar per entry, largest first. */
function barChart(title: string, entries: [string, number][], unit: string): HTMLElement {
  const top = entries.sort((a, b) => b[1] - a[1]).slice(0, 12);
  const max = Math.max(1, ...top.map(([, v]) => v));
  const row = 22;
  const svg = s('svg', { viewBox: `0 0 640 ${top.length * row + 4}`, width: '100%', role: 'img', 'aria-label': title });
  top.forEach(([label, value], i) => {
    const y = i * row + 2;
    svg.append(
      s('text', { x: 0, y: y + 15, class: 'chart-label' }, label.length > 38 ? `${label.slice(0, 37)}…` : label),
      s('rect', { x: 300, y, width: Math.max(1, (value / max) * 260), height: row - 6, class: 'chart-bar' }),
      s('text', { x: 306 + (value / max) * 260, y: y + 15, class: 'chart-value' }, `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`),
    );
  });
  return h('figure', { class: 'card chart' }, h('figcaption', {}, title), top.length ? svg : 'No data yet.');
}

function sum(metric: Metric | undefined, suffix: string, key: (l: Record<string, string>) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const sample of metric?.samples ?? []) if (sample.name.endsWith(suffix)) out.set(key(sample.labels), (out.get(key(sample.labels)) ?? 0) + sample.value);
  return out;
}

/** One row per organisation: its peer's height and head, flagged when behind the highest. */
function peersTable(network: Network): HTMLElement {
  const top = network.organisations.reduce((max, o) => (o.height && BigInt(o.height) > max ? BigInt(o.height) : max), 0n);
  return h(
    'table',
    {},
    h('caption', {}, 'Height per organisation peer'),
    h('thead', {}, h('tr', {}, ...['Organisation', 'Kind', 'Height', 'Head block hash', 'State'].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...network.organisations.map((o) => {
        const state = !o.reachable ? `unreachable (${o.problem ?? '?'})` : BigInt(o.height ?? '0') < top ? `behind by ${top - BigInt(o.height ?? '0')}` : 'in sync';
        return h(
          'tr',
          {},
          h('td', {}, o.mspId),
          h('td', {}, o.kind ?? '—'),
          h('td', {}, o.height ?? '—'),
          h('td', {}, o.currentBlockHash ? h('code', { title: o.currentBlockHash }, `${o.currentBlockHash.slice(0, 12)}…`) : '—'),
          h('td', {}, h('span', { class: `badge ${state === 'in sync' ? 'ok' : 'bad'}` }, state)),
        );
      }),
    ),
  );
}

export function operationsView(root: HTMLElement): void {
  const body = h('div', { 'aria-live': 'polite' }, status('Loading…'));
  replace(root, h('h2', {}, 'Operations'), body);
  void (async () => {
    try {
      const [network, contract, { metrics }] = await Promise.all([
        api<Network>('GET', '/ops/network'),
        api<{ chaincode: string; matchesCatalogue: boolean; transactions: number; differences: unknown[] }>('GET', '/ledger/contract'),
        api<{ metrics: Metric[] }>('GET', '/ops/metrics'),
      ]);
      const http = metrics.find((m) => m.name === 'healthledger_http_request_duration_seconds');
      const fabric = metrics.find((m) => m.name === 'healthledger_fabric_call_duration_seconds');
      const requests = sum(http, '_count', (l) => `${l['method']} ${l['route']}`);
      const callCount = sum(fabric, '_count', (l) => l['fn'] ?? '');
      const callSeconds = sum(fabric, '_sum', (l) => l['fn'] ?? '');
      const latency: [string, number][] = [...callCount].map(([fn, n]) => [fn, ((callSeconds.get(fn) ?? 0) / Math.max(1, n)) * 1000]);
      replace(
        body,
        h(
          'section',
          { class: 'card' },
          h('h3', {}, `Network: channel ${network.channel}`),
          peersTable(network),
          facts([
            ['Chaincode', contract.chaincode],
            ['Matches this gateway', h('span', { class: `badge ${contract.matchesCatalogue ? 'ok' : 'bad'}` }, contract.matchesCatalogue ? `yes (${contract.transactions} transactions)` : `no (${contract.differences.length} differences)`)],
          ]),
        ),
        definitionCard(network),
        ordererCard(network),
        barChart('Requests by route', [...requests], 'req'),
        barChart('Mean ledger call latency by transaction', latency, 'ms'),
      );
    } catch (err) {
      replace(body, status(messageOf(err), 'error'));
    }
  })();
}
