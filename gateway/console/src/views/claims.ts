/**
 * Claims: a claim's lifecycle (submitted, each adjudication round, appeals, payment) with the
 * current adjudication's lines. Billing codes and amounts only; the clinical detail is never read.
 */
import type { PricedLine } from '@healthledger/contract-api';
import { api, messageOf, seg } from '../api.js';
import { facts, field, h, replace, status } from '../dom.js';

/** An adjudicated line, as the chaincode prices it (integer minor units). */
type Line = PricedLine;
interface Claim {
  claimId: string;
  provider: string;
  payer: string;
  serviceDate: string;
  currency: string;
  total: number;
  status: string;
  submittedAt: string;
  items: { sequence: number; system: string; code: string; quantity: number }[];
  adjudication?: {
    pendReasons?: string[];
    current?: { round: number; mode: string; outcome: string; reasons: string[]; items: Line[]; totals: { benefit: number }; at: string };
    payment?: { amount: number; reference: string; at: string };
  };
  appeals?: { appeals?: { reason: string; afterRound: number; at: string }[] } | { reason: string; afterRound: number; at: string }[];
}

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;

function lifecycle(claim: Claim): HTMLElement {
  const steps: [string, string][] = [[claim.submittedAt, `Submitted by ${claim.provider} to ${claim.payer}`]];
  const adj = claim.adjudication;
  if (adj?.pendReasons?.length) steps.push([claim.submittedAt, `Pended: ${adj.pendReasons.join(', ')}`]);
  const appeals = Array.isArray(claim.appeals) ? claim.appeals : (claim.appeals?.appeals ?? []);
  for (const a of appeals) steps.push([a.at, `Appealed after round ${a.afterRound}: ${a.reason}`]);
  if (adj?.current) steps.push([adj.current.at, `Adjudication round ${adj.current.round} (${adj.current.mode}): ${adj.current.outcome}`]);
  if (adj?.payment) steps.push([adj.payment.at, `Paid ${money(adj.payment.amount, claim.currency)} (${adj.payment.reference})`]);
  steps.sort((a, b) => a[0].localeCompare(b[0]));
  return h('ol', { class: 'events', 'aria-label': 'Lifecycle' }, ...steps.map(([at, what]) => h('li', { class: 'event' }, h('time', { datetime: at }, at.replace('T', ' ').slice(0, 19)), ` ${what}`)));
}

function lines(claim: Claim): HTMLElement {
  const current = claim.adjudication?.current;
  if (!current) return status('Not adjudicated yet.');
  const code = (seq: number) => claim.items.find((i) => i.sequence === seq);
  const cols = ['Line', 'Code', 'Qty eligible', 'Submitted', 'Eligible', 'Benefit', 'Patient', 'Reasons'];
  return h(
    'table',
    {},
    h('caption', {}, `Adjudication lines (round ${current.round})`),
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...current.items.map((l) =>
        h(
          'tr',
          {},
          h('td', {}, l.sequence),
          h('td', {}, `${code(l.sequence)?.system ?? ''} ${code(l.sequence)?.code ?? ''}`),
          h('td', {}, l.eligibleQuantity),
          h('td', {}, money(l.submitted, claim.currency)),
          h('td', {}, money(l.eligible, claim.currency)),
          h('td', {}, money(l.benefit, claim.currency)),
          h('td', {}, money(l.patientResponsibility, claim.currency)),
          h('td', {}, l.reasons.join(', ') || '—'),
        ),
      ),
    ),
  );
}

export function claimsView(root: HTMLElement): void {
  const claimId = h('input', { name: 'claimId', required: true, size: 24 });
  const out = h('div', { 'aria-live': 'polite' });
  async function show(event: Event): Promise<void> {
    event.preventDefault();
    try {
      const claim = await api<Claim>('GET', `/claims/${seg(claimId.value)}`);
      replace(
        out,
        facts([
          ['Status', h('span', { class: 'badge' }, claim.status)],
          ['Service date', claim.serviceDate],
          ['Total', money(claim.total, claim.currency)],
        ]),
        h('h4', {}, 'Lifecycle'),
        lifecycle(claim),
        lines(claim),
      );
    } catch (err) {
      replace(out, status(messageOf(err), 'error'));
    }
  }
  replace(root, h('h2', {}, 'Claims'), h('section', { class: 'card' }, h('form', { class: 'row', onsubmit: (e: Event) => void show(e) }, field('Claim id', claimId), h('button', { type: 'submit' }, 'Show claim')), out));
}
