/**
 * Integrity: the hash-chain check over the whole ledger as one asynchronous operation (the gateway
 * reads the chain over one Deliver stream); the progress bar follows the operation's progress,
 * polled, then a plain verdict. And the audit package export,
 * which `node scripts/verify-audit-package.js FILE` re-checks offline.
 */
import { api, messageOf } from '../api.js';
import { h, replace, status } from '../dom.js';

/** Time between two polls of the operation. */
const POLL_MS = 250;

interface Verification {
  valid: boolean;
  checkedBlocks: number;
  failure?: { block: string; reason: string };
}

/** The parts of `GET /operations/{id}` this view reads. */
interface VerificationOperation {
  id: string;
  status: string;
  progress: { done: number; total: number };
  errors: { code?: string; detail?: string }[];
  result?: Verification;
}

export function integrityView(root: HTMLElement): void {
  const progress = h('progress', { max: 1, value: 0, 'aria-label': 'Verification progress' });
  const verdict = h('div', { 'aria-live': 'polite' });
  const txIds = h('textarea', { name: 'txIds', rows: 4, cols: 70, placeholder: 'one transaction id per line' });
  const exported = h('div', { 'aria-live': 'polite' });
  const verifyButton = h('button', { type: 'button', onclick: () => void verify() }, 'Verify the chain');

  async function verify(): Promise<void> {
    verifyButton.disabled = true;
    replace(verdict, status('Verifying…'));
    try {
      let operation = await api<VerificationOperation>('POST', '/ledger/verification', {}, { prefer: 'respond-async' });
      progress.max = Math.max(operation.progress.total, 1);
      while (operation.status === 'accepted' || operation.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        operation = await api<VerificationOperation>('GET', `/operations/${operation.id}`);
        progress.value = operation.progress.done;
      }
      const result = operation.result;
      if (operation.status !== 'succeeded' || !result) {
        const problem = operation.errors[0];
        replace(verdict, status(`Verification ${operation.status}${problem ? `: ${problem.code ?? ''} ${problem.detail ?? ''}` : ''}`, 'error'));
        return;
      }
      if (!result.valid) {
        replace(verdict, h('p', { class: 'verdict bad', role: 'alert' }, `Chain INVALID at block ${result.failure?.block}: ${result.failure?.reason}`));
        return;
      }
      progress.value = result.checkedBlocks;
      replace(verdict, h('p', { class: 'verdict ok', role: 'status' }, `Chain intact: ${result.checkedBlocks} blocks verified, every data hash and header link checks.`));
    } catch (err) {
      replace(verdict, status(messageOf(err), 'error'));
    } finally {
      verifyButton.disabled = false;
    }
  }

  async function exportPackage(event: Event): Promise<void> {
    event.preventDefault();
    const ids = txIds.value.split(/\s+/).filter(Boolean);
    try {
      const pkg = await api<{ headers: unknown[]; transactions: unknown[] }>('POST', '/ledger/audit-package', { txIds: ids });
      const url = URL.createObjectURL(new Blob([JSON.stringify(pkg, null, 2)], { type: 'application/json' }));
      replace(
        exported,
        status(`Package ready: ${pkg.transactions.length} transaction(s), ${pkg.headers.length} block headers.`, 'ok'),
        h('a', { href: url, download: 'audit-package.json', class: 'button' }, 'Download audit-package.json'),
        h('p', {}, 'Verify it offline with ', h('code', {}, 'node scripts/verify-audit-package.js audit-package.json'), '.'),
      );
    } catch (err) {
      replace(exported, status(messageOf(err), 'error'));
    }
  }

  replace(
    root,
    h('h2', {}, 'Integrity'),
    h('section', { class: 'card' }, h('h3', {}, 'Hash chain'), h('p', {}, 'Re-computes every block’s data hash and header link from block 0 to the head.'), h('div', { class: 'row' }, verifyButton, progress), verdict),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Audit package'),
      h('p', {}, 'Block headers from the oldest selected transaction to the head, plus the blocks holding the selected transactions.'),
      h('form', { onsubmit: (e: Event) => void exportPackage(e) }, h('label', { class: 'field' }, h('span', {}, 'Transaction ids'), txIds), h('button', { type: 'submit' }, 'Export')),
      exported,
    ),
  );
}
