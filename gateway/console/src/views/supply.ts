/**
 * Supply: a pack's journey (its EPCIS events on a timeline and the custody chain across
 * organisations) and a lot's recall status with its holders.
 */
import { api, may, messageOf, seg, type Me } from '../api.js';
import { facts, field, h, replace, status } from '../dom.js';

interface EpcisEvent {
  type: string;
  eventTime: string;
  action?: string;
  bizStep?: string;
  disposition?: string;
  bizLocation?: { id: string };
  sourceList?: { source: string }[];
  destinationList?: { destination: string }[];
  'hl:reason'?: string;
}
interface Pack {
  owner: string;
  status: string;
  lot: string;
  expiry: string;
}
interface Holders {
  recalled: boolean;
  holders: { owner: string; packs: number; byStatus: Record<string, number> }[];
  destroyed: number;
}

const orgOf = (uri: string) => uri.replace(/^.*[:/]/, '');
const stepOf = (e: EpcisEvent) => (e.bizStep ?? e.type).replace(/^.*[:/]/, '');

/** The organisations that held the pack, in order: from shipping/receiving events, ending with the owner. */
function custody(events: EpcisEvent[], owner: string): string[] {
  const chain: string[] = [];
  const add = (org: string) => chain[chain.length - 1] !== org && chain.push(org);
  for (const e of events) {
    for (const s of e.sourceList ?? []) add(orgOf(s.source));
    for (const d of e.destinationList ?? []) add(orgOf(d.destination));
  }
  add(owner);
  return chain;
}

export function supplyView(root: HTMLElement, me: Me): void {
  const gtin = h('input', { name: 'gtin', required: true, pattern: '[0-9]{14}', size: 16 });
  const serial = h('input', { name: 'serial', required: true, size: 20 });
  const journey = h('div', { 'aria-live': 'polite' });
  const lotGtin = h('input', { name: 'lotGtin', required: true, pattern: '[0-9]{14}', size: 16 });
  const lot = h('input', { name: 'lot', required: true, size: 12 });
  const recall = h('div', { 'aria-live': 'polite' });

  async function showJourney(event: Event): Promise<void> {
    event.preventDefault();
    replace(journey, status('Loading…'));
    try {
      const path = `/packs/${seg(gtin.value)}/${seg(serial.value)}`;
      const [pack, history] = await Promise.all([api<Pack>('GET', path), api<{ epcisBody: { eventList: EpcisEvent[] } }>('GET', `${path}/history`)]);
      const events = history.epcisBody.eventList;
      replace(
        journey,
        facts([
          ['Status', h('span', { class: 'badge' }, pack.status)],
          ['Owner', pack.owner],
          ['Lot', pack.lot],
          ['Expiry', pack.expiry],
        ]),
        h('h4', {}, 'Custody'),
        h('ol', { class: 'custody', 'aria-label': 'Custody' }, ...custody(events, pack.owner).map((org) => h('li', {}, org))),
        h('h4', {}, `${events.length} EPCIS event(s)`),
        h(
          'ol',
          { class: 'events', 'aria-label': 'Journey' },
          ...events.map((e) =>
            h(
              'li',
              { class: 'event' },
              h('time', { datetime: e.eventTime }, e.eventTime.replace('T', ' ').slice(0, 19)),
              h('b', {}, ` ${stepOf(e)} `),
              `${e.type} · ${e.action ?? ''} · ${(e.disposition ?? '').replace(/^.*[:/]/, '')}`,
              e.bizLocation && ` · at ${e.bizLocation.id}`,
              e['hl:reason'] && ` · ${e['hl:reason']}`,
            ),
          ),
        ),
      );
    } catch (err) {
      replace(journey, status(messageOf(err), 'error'));
    }
  }

  async function showRecall(event: Event): Promise<void> {
    event.preventDefault();
    try {
      const found = await api<Holders>('GET', `/products/${seg(lotGtin.value)}/lots/${seg(lot.value)}/holders`);
      replace(
        recall,
        h('p', { class: `verdict ${found.recalled ? 'bad' : 'ok'}` }, found.recalled ? 'Lot RECALLED' : 'Lot not recalled'),
        h(
          'table',
          {},
          h('caption', {}, `Holders (${found.destroyed} destroyed)`),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Organisation'), h('th', { scope: 'col' }, 'Packs'), h('th', { scope: 'col' }, 'By status'))),
          h('tbody', {}, ...found.holders.map((x) => h('tr', {}, h('td', {}, x.owner), h('td', {}, x.packs), h('td', {}, Object.entries(x.byStatus).map(([k, v]) => `${k}: ${v}`).join(', '))))),
        ),
      );
    } catch (err) {
      replace(recall, status(messageOf(err), 'error'));
    }
  }

  const sections: HTMLElement[] = [];
  if (may(me, 'trace_packHistory')) {
    sections.push(h('section', { class: 'card' }, h('h3', {}, 'Pack journey'), h('form', { class: 'row', onsubmit: (e: Event) => void showJourney(e) }, field('GTIN', gtin), field('Serial', serial), h('button', { type: 'submit' }, 'Follow')), journey));
  }
  if (may(me, 'trace_recallHolders')) {
    sections.push(h('section', { class: 'card' }, h('h3', {}, 'Lot recall'), h('form', { class: 'row', onsubmit: (e: Event) => void showRecall(e) }, field('GTIN', lotGtin), field('Lot', lot), h('button', { type: 'submit' }, 'Show holders')), recall));
  }
  replace(root, h('h2', {}, 'Supply'), ...(sections.length ? sections : [status('Your role has no supply views.')]));
}
