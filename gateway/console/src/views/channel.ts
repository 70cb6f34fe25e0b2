/**
 * The Operations view's channel cards: the chaincode's committed definition (as `_lifecycle`
 * reports it) and the ordering service (as the last config block describes it), both from
 * `GET /ops/network`. Orderers are not probed: the cards say what the channel config says.
 */
import { facts, h, status } from '../dom.js';

export interface Definition {
  name: string;
  version: string;
  sequence: string;
  endorsementPlugin: string;
  validationPlugin: string;
  endorsementPolicy: string;
  initRequired: boolean;
  collections: { name: string; memberOrgs: string[]; blockToLive: string; memberOnlyRead: boolean; memberOnlyWrite: boolean; endorsementPolicy?: string }[];
  approvals: { mspId: string; approved: boolean }[];
}

export interface OrdererConfig {
  configBlock: string;
  configSequence: string;
  consensusType: string;
  consenters: string[];
  organisations: { mspId: string; endpoints: string[] }[];
  globalEndpoints: string[];
  batchSize: { maxMessageCount: number; absoluteMaxBytes: number; preferredMaxBytes: number };
  batchTimeout: string;
}

/** The parts of `GET /ops/network` these cards show. */
export interface ChannelParts {
  definition?: Definition;
  definitionProblem?: string;
  orderer?: OrdererConfig;
  ordererProblem?: string;
}

function table(caption: string, columns: string[], rows: (string | Node)[][]): HTMLElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c))))),
  );
}

const bytes = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(0)} MiB` : `${(n / 1024).toFixed(0)} KiB`);

/** The explicit collections, or a line saying there are none. */
function collectionsTable(d: Definition): HTMLElement {
  if (d.collections.length === 0) return h('p', {}, "No explicit private data collections: only each organisation's implicit one.");
  return table(
    'Private data collections',
    ['Collection', 'Member organisations', 'Kept for', 'Members only', 'Own endorsement policy'],
    d.collections.map((c) => [
      c.name,
      c.memberOrgs.join(', '),
      c.blockToLive === '0' ? 'forever' : `${c.blockToLive} blocks`,
      [c.memberOnlyRead && 'read', c.memberOnlyWrite && 'write'].filter(Boolean).join(', ') || '—',
      c.endorsementPolicy ? h('code', {}, c.endorsementPolicy) : '—',
    ]),
  );
}

/** The committed definition: version, sequence, policies, collections and approvals. */
export function definitionCard(parts: ChannelParts): HTMLElement {
  const d = parts.definition;
  if (!d) return h('section', { class: 'card' }, h('h3', {}, 'Chaincode definition'), status(`The definition could not be read (${parts.definitionProblem ?? 'unknown'}).`, 'error'));
  return h(
    'section',
    { class: 'card', 'aria-label': 'Chaincode definition' },
    h('h3', {}, `Chaincode definition: ${d.name} ${d.version}, sequence ${d.sequence}`),
    facts([
      ['Version', d.version],
      ['Sequence', d.sequence],
      ['Endorsement policy', h('code', {}, d.endorsementPolicy)],
      ['Plugins', `${d.endorsementPlugin} / ${d.validationPlugin}`],
      ['Init required', d.initRequired ? 'yes' : 'no'],
      ['Approved by', d.approvals.map((a) => `${a.mspId}${a.approved ? '' : ' (not approved)'}`).join(', ') || '—'],
    ]),
    collectionsTable(d),
  );
}

/** The ordering service: consensus, batch settings, organisations and endpoints. */
export function ordererCard(parts: ChannelParts): HTMLElement {
  const o = parts.orderer;
  if (!o) return h('section', { class: 'card' }, h('h3', {}, 'Ordering service'), status(`The channel config could not be read (${parts.ordererProblem ?? 'unknown'}).`, 'error'));
  return h(
    'section',
    { class: 'card', 'aria-label': 'Ordering service' },
    h('h3', {}, `Ordering service: ${o.consensusType}`),
    facts([
      ['Consensus', o.consensusType],
      ['Consenters', o.consenters.join(', ') || '—'],
      ['Block cut at', `${o.batchSize.maxMessageCount} transactions, ${bytes(o.batchSize.preferredMaxBytes)} preferred (${bytes(o.batchSize.absoluteMaxBytes)} at most), or after ${o.batchTimeout}`],
      ['Channel config', `block ${o.configBlock}, sequence ${o.configSequence}`],
    ]),
    table(
      'Orderer organisations',
      ['Organisation', 'Endpoints'],
      o.organisations.map((org) => [org.mspId, org.endpoints.join(', ') || (o.globalEndpoints.join(', ') || '—')]),
    ),
    h('p', {}, 'From the channel configuration; the gateway does not connect to orderers itself. Peer heights above show whether blocks arrive.'),
  );
}
