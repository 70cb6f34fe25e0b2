/**
 * Patient view: the accounting of disclosures as a timeline with filters (organisation, purpose,
 * outcome, emergency), and the emergency accesses awaiting review with the review action — each
 * shown only when `GET /me` lists the operation for this caller.
 */
import { api, may, messageOf, seg, type Me } from '../api.js';
import { field, h, replace, status } from '../dom.js';

interface Disclosure {
  disclosureId: string;
  recorded: string;
  outcome: 'granted' | 'denied';
  basis?: string;
  reason?: string;
  purpose: string;
  emergency: boolean;
  agent: { org: string; role: string };
  entity: { recordId: string; category: string; custodian: string };
}
interface Emergency {
  emergencyId: string;
  patientRef: string;
  org: string;
  reasonCode: string;
  openedAt: string;
}

const select = (name: string, options: string[]) => h('select', { name }, h('option', { value: '' }, 'any'), ...options.map((o) => h('option', { value: o }, o)));

function disclosureItem(d: Disclosure): HTMLElement {
  return h(
    'li',
    { class: `event ${d.outcome}${d.emergency ? ' emergency' : ''}` },
    h('time', { datetime: d.recorded }, d.recorded.replace('T', ' ').slice(0, 19)),
    h('span', { class: `badge ${d.outcome === 'granted' ? 'ok' : 'bad'}` }, d.outcome),
    d.emergency && h('span', { class: 'badge warn' }, 'emergency'),
    ` ${d.agent.org} (${d.agent.role}) · ${d.purpose} · record ${d.entity.recordId} (${d.entity.category}) · `,
    d.outcome === 'granted' ? `basis: ${d.basis ?? '—'}` : `reason: ${d.reason ?? '—'}`,
  );
}

export function patientView(root: HTMLElement, me: Me): void {
  const patientRef = h('input', { name: 'patientRef', required: true, value: me.ids.patientRef ?? '', pattern: '[A-Za-z0-9._-]+' });
  const org = select('org', []);
  const purpose = select('purpose', ['TREAT', 'ETREAT', 'HPAYMT', 'HOPERAT', 'HRESCH', 'PUBHLTH', 'PATRQT']);
  const outcome = select('outcome', ['granted', 'denied']);
  const emergency = select('emergency', ['yes', 'no']);
  const list = h('ol', { class: 'events', 'aria-label': 'Disclosures' });
  const summary = h('div', { 'aria-live': 'polite' });
  let all: Disclosure[] = [];

  function render(): void {
    const shown = all.filter(
      (d) =>
        (!org.value || d.agent.org === org.value) &&
        (!purpose.value || d.purpose === purpose.value) &&
        (!outcome.value || d.outcome === outcome.value) &&
        (!emergency.value || d.emergency === (emergency.value === 'yes')),
    );
    replace(summary, status(`${shown.length} of ${all.length} disclosure(s)`));
    replace(list, ...shown.map(disclosureItem));
  }

  async function load(event?: Event): Promise<void> {
    event?.preventDefault();
    replace(summary, status('Loading…'));
    try {
      all = [];
      let cursor: string | undefined;
      do {
        const page: { items: Disclosure[]; nextCursor?: string } = await api('GET', `/patients/${seg(patientRef.value)}/disclosures?from=2000-01-01&to=2100-01-01&limit=100${cursor ? `&cursor=${seg(cursor)}` : ''}`);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      all.sort((a, b) => b.recorded.localeCompare(a.recorded));
      const orgs = [...new Set(all.map((d) => d.agent.org))].sort();
      replace(org, h('option', { value: '' }, 'any'), ...orgs.map((o) => h('option', { value: o }, o)));
      render();
    } catch (err) {
      replace(summary, status(messageOf(err), 'error'));
    }
  }

  for (const filter of [org, purpose, outcome, emergency]) filter.addEventListener('change', render);
  const sections: HTMLElement[] = [];
  if (may(me, 'audit_accountingOfDisclosures')) {
    sections.push(
      h(
        'section',
        { class: 'card' },
        h('h3', {}, 'Accounting of disclosures'),
        h('form', { class: 'row', onsubmit: (e: Event) => void load(e) }, field('Patient reference', patientRef), h('button', { type: 'submit' }, 'Show disclosures')),
        h('div', { class: 'row filters' }, field('Organisation', org), field('Purpose', purpose), field('Outcome', outcome), field('Emergency', emergency)),
        summary,
        list,
      ),
    );
  }
  if (may(me, 'emergency_listUnreviewed')) sections.push(emergencyReview(me));
  replace(root, h('h2', {}, 'Patient'), ...(sections.length ? sections : [status('Your role has no patient views.')]));
  if (patientRef.value && may(me, 'audit_accountingOfDisclosures')) void load();
}

/** Emergency accesses awaiting review, each with justified / unjustified (when the caller may review). */
function emergencyReview(me: Me): HTMLElement {
  const list = h('ul', { class: 'events', 'aria-label': 'Emergency accesses awaiting review' });
  const note = h('div', { 'aria-live': 'polite' });
  const canReview = may(me, 'emergency_reviewEmergency');
  async function review(id: string, outcome: 'justified' | 'unjustified'): Promise<void> {
    try {
      await api('POST', `/emergencies/${seg(id)}/review`, { outcome });
      replace(note, status(`Emergency ${id} reviewed: ${outcome}.`, 'ok'));
      await load();
    } catch (err) {
      replace(note, status(messageOf(err), 'error'));
    }
  }
  async function load(): Promise<void> {
    const page = await api<{ items: Emergency[] }>('GET', '/emergencies/unreviewed?limit=50');
    replace(
      list,
      ...(page.items.length
        ? page.items.map((e) =>
            h(
              'li',
              { class: 'event emergency' },
              h('code', {}, e.emergencyId),
              ` patient ${e.patientRef} · ${e.org} · ${e.reasonCode} · opened ${e.openedAt} `,
              canReview && h('button', { type: 'button', onclick: () => void review(e.emergencyId, 'justified') }, 'Justified'),
              canReview && h('button', { type: 'button', class: 'danger', onclick: () => void review(e.emergencyId, 'unjustified') }, 'Unjustified'),
            ),
          )
        : [h('li', {}, 'None awaiting review.')]),
    );
  }
  load().catch((err: unknown) => replace(note, status(messageOf(err), 'error')));
  return h('section', { class: 'card' }, h('h3', {}, 'Emergency accesses awaiting review'), note, list);
}
