/**
 * Ledger: height, a timeline of the newest blocks, block and transaction detail (creator
 * organisation and role, function, validation code, keys written), one search box for a block
 * number, transaction id, block hash or asset id, and live updates from the event stream.
 */
import { api, messageOf, seg } from '../api.js';
import { facts, field, h, replace, status } from '../dom.js';
import { follow } from '../events.js';

export interface TxView {
  txId: string;
  type: string;
  timestamp?: string;
  creatorMspId?: string;
  creatorRole?: string;
  function?: string;
  validation: string;
  validationCode: number;
  writes: string[];
  blockNumber?: string;
}
export interface BlockView {
  number: string;
  headerHash: string;
  previousHash: string;
  dataHash: string;
  transactions: TxView[];
}
interface SearchResult {
  kind: string;
  blocks: BlockView[];
  transactions: TxView[];
  scannedFrom?: string;
}

const short = (hex: string) => (hex.length > 16 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex);

function transactionDetail(tx: TxView): HTMLElement {
  return h(
    'article',
    { class: 'card tx', 'data-txid': tx.txId },
    h('h3', {}, 'Transaction ', h('code', {}, short(tx.txId))),
    facts([
      ['Transaction id', h('code', { class: 'wrap' }, tx.txId)],
      ['Block', tx.blockNumber],
      ['Time', tx.timestamp],
      ['Creator organisation', tx.creatorMspId],
      ['Creator role', tx.creatorRole],
      ['Function', tx.function ?? tx.type],
      ['Validation', h('span', { class: tx.validationCode === 0 ? 'badge ok' : 'badge bad' }, `${tx.validation} (${tx.validationCode})`)],
      ['Keys written', tx.writes.length ? h('ul', { class: 'keys' }, ...tx.writes.map((k) => h('li', {}, h('code', {}, k)))) : 'none'],
    ]),
  );
}

function blockDetail(block: BlockView, open: (tx: TxView) => void): HTMLElement {
  return h(
    'article',
    { class: 'card block' },
    h('h3', {}, `Block ${block.number}`),
    facts([
      ['Header hash', h('code', { class: 'wrap' }, block.headerHash)],
      ['Previous hash', h('code', { class: 'wrap' }, block.previousHash)],
      ['Data hash', h('code', { class: 'wrap' }, block.dataHash)],
    ]),
    h(
      'table',
      {},
      h('caption', {}, `${block.transactions.length} transaction(s)`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Id'), h('th', { scope: 'col' }, 'Function'), h('th', { scope: 'col' }, 'Creator'), h('th', { scope: 'col' }, 'Validation'))),
      h(
        'tbody',
        {},
        ...block.transactions.map((tx) =>
          h(
            'tr',
            {},
            h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => open({ ...tx, blockNumber: block.number }) }, short(tx.txId))),
            h('td', {}, tx.function ?? tx.type),
            h('td', {}, `${tx.creatorMspId ?? '—'} ${tx.creatorRole ? `(${tx.creatorRole})` : ''}`),
            h('td', {}, tx.validation),
          ),
        ),
      ),
    ),
  );
}

export function ledgerView(root: HTMLElement): () => void {
  const height = h('strong', { 'data-testid': 'height' }, '…');
  const timeline = h('ol', { class: 'timeline', 'aria-label': 'Newest blocks' });
  const detail = h('section', { 'aria-live': 'polite', 'aria-label': 'Detail' });
  const query = h('input', { type: 'search', name: 'q', required: true, placeholder: 'block number, transaction id, block hash or asset id', size: 48 });
  const live = h('span', { class: 'live' }, '');

  const showTx = (tx: TxView) => replace(detail, transactionDetail(tx));
  const showBlock = (block: BlockView) => replace(detail, blockDetail(block, showTx));

  async function refresh(): Promise<void> {
    const page = await api<{ height: string; blocks: BlockView[] }>('GET', '/ledger/blocks?limit=12');
    height.textContent = page.height;
    replace(
      timeline,
      ...page.blocks.map((b) =>
        h('li', {}, h('button', { type: 'button', class: 'block-chip', onclick: () => showBlock(b), title: b.headerHash }, h('b', {}, `#${b.number}`), h('small', {}, `${b.transactions.length} tx`))),
      ),
    );
  }

  async function search(event: Event): Promise<void> {
    event.preventDefault();
    replace(detail, status('Searching…'));
    try {
      const found = await api<SearchResult>('GET', `/ledger/search?q=${seg(query.value.trim())}`);
      if (found.kind === 'none') replace(detail, status(`Nothing found for “${query.value}”${found.scannedFrom ? ` (asset search looked at blocks ${found.scannedFrom} and later)` : ''}.`));
      else if (found.blocks[0]) showBlock(found.blocks[0]);
      else if (found.transactions.length === 1 && found.transactions[0]) showTx(found.transactions[0]);
      else replace(detail, h('h3', {}, `${found.transactions.length} transactions wrote “${query.value}”`), ...found.transactions.map(transactionDetail));
    } catch (err) {
      replace(detail, status(messageOf(err), 'error'));
    }
  }

  replace(
    root,
    h('h2', {}, 'Ledger'),
    h('p', {}, 'Height ', height, ' blocks ', live),
    h('form', { class: 'row', role: 'search', onsubmit: (e: Event) => void search(e) }, field('Search the ledger', query), h('button', { type: 'submit' }, 'Search')),
    timeline,
    detail,
  );
  refresh().catch((err: unknown) => replace(detail, status(messageOf(err), 'error')));
  // New blocks arrive with ledger changes: refresh the timeline on each event.
  return follow(() => {
    live.textContent = '● live';
    void refresh();
  });
}
