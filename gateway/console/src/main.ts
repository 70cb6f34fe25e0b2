/**
 * The console's shell: sign-in (a bearer token, or a demo user on the devnet), then one tab per
 * view the caller may use — decided from `GET /me` (role and operations), so nobody is offered a
 * page the API would refuse. Views are chosen by the URL hash (#ledger, #integrity, …).
 */
import { api, devSignIn, messageOf, setToken, token, type Me } from './api.js';
import { field, h, replace, status } from './dom.js';
import { claimsView } from './views/claims.js';
import { integrityView } from './views/integrity.js';
import { ledgerView } from './views/ledger.js';
import { operationsView } from './views/operations.js';
import { patientView } from './views/patient.js';
import { supplyView } from './views/supply.js';

interface Tab {
  id: string;
  label: string;
  show: (root: HTMLElement, me: Me) => void | (() => void);
}

const LEDGER_ROLES = ['auditor', 'admin'];
const has = (me: Me, prefix: string) => me.operations.some((op) => op.operationId.startsWith(prefix));

/** The tabs this caller may use. */
function tabsFor(me: Me): Tab[] {
  const tabs: Tab[] = [];
  if (LEDGER_ROLES.includes(me.role)) {
    tabs.push({ id: 'ledger', label: 'Ledger', show: (root) => ledgerView(root) });
    tabs.push({ id: 'integrity', label: 'Integrity', show: (root) => integrityView(root) });
  }
  if (has(me, 'audit_accountingOfDisclosures') || has(me, 'emergency_listUnreviewed')) tabs.push({ id: 'patient', label: 'Patient', show: patientView });
  if (has(me, 'trace_packHistory') || has(me, 'trace_recallHolders')) tabs.push({ id: 'supply', label: 'Supply', show: supplyView });
  if (has(me, 'claims_get')) tabs.push({ id: 'claims', label: 'Claims', show: (root) => claimsView(root) });
  if (LEDGER_ROLES.includes(me.role)) tabs.push({ id: 'operations', label: 'Operations', show: (root) => operationsView(root) });
  return tabs;
}

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
let leave: (() => void) | undefined;

function route(me: Me, tabs: Tab[]): void {
  const wanted = location.hash.slice(1);
  const tab = tabs.find((t) => t.id === wanted) ?? tabs[0];
  leave?.();
  leave = undefined;
  for (const link of nav.querySelectorAll('a')) link.setAttribute('aria-current', link.getAttribute('href') === `#${tab?.id}` ? 'page' : 'false');
  if (!tab) {
    replace(main, status('No console view is open to your role.'));
    return;
  }
  leave = tab.show(main, me) ?? undefined;
  main.focus();
}

async function start(): Promise<void> {
  if (!token()) return signIn();
  let me: Me;
  try {
    me = await api<Me>('GET', '/me');
  } catch (err) {
    setToken(null);
    return signIn(messageOf(err));
  }
  const tabs = tabsFor(me);
  replace(who, `${me.user} · ${me.role} · ${me.organisation.mspId} `, h('button', { type: 'button', class: 'link', onclick: () => (setToken(null), location.reload()) }, 'Sign out'));
  replace(nav, ...tabs.map((t) => h('a', { href: `#${t.id}` }, t.label)));
  window.addEventListener('hashchange', () => route(me, tabs));
  route(me, tabs);
}

function signIn(problem?: string): void {
  const user = h('input', { name: 'user', autocomplete: 'username', placeholder: 'auditor1' });
  const bearer = h('input', { name: 'token', type: 'password', autocomplete: 'off' });
  const note = h('div', { 'aria-live': 'assertive' }, problem && status(problem, 'error'));
  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    try {
      if (bearer.value.trim()) setToken(bearer.value.trim());
      else await devSignIn(user.value.trim());
      await start();
    } catch (err) {
      replace(note, status(messageOf(err), 'error'));
    }
  }
  replace(who);
  replace(nav);
  replace(
    main,
    h(
      'section',
      { class: 'card signin' },
      h('h2', {}, 'Sign in'),
      h('p', {}, 'Paste a bearer token issued for you, or (on the devnet) name a demo user.'),
      h('form', { onsubmit: (e: Event) => void submit(e) }, field('Bearer token', bearer), field('Demo user (devnet)', user), h('button', { type: 'submit' }, 'Sign in')),
      note,
    ),
  );
  user.focus();
}

void start();
