import { Transaction } from 'fabric-contract-api';
import { InMemoryChannel, phi } from '../testing';
import { HealthContract } from './contract';
import { HealthContext } from './context';
import { epochMsFromIso, isoFromEpochMs } from './clock';
import { canonicalJson } from './json';
import { errorCodeOf } from '@healthledger/contract-api';

class ProbeContract extends HealthContract {
  constructor() {
    super('probe');
  }

  @Transaction()
  async put(ctx: HealthContext, key: string, value: string): Promise<string> {
    const before = await ctx.stub.getState(key);
    await ctx.state.put(key, { value, by: ctx.stamp() });
    const rawAfter = await ctx.stub.getState(key);
    const overlay = await ctx.state.get<{ value: string }>(key);
    ctx.changes.add({ type: 'probe', id: key, action: 'put' });
    return canonicalJson({ before: Buffer.from(before).toString(), rawAfter: Buffer.from(rawAfter).toString(), overlay: overlay?.value });
  }

  @Transaction(false)
  async whoami(ctx: HealthContext): Promise<string> {
    return Promise.resolve(canonicalJson({ caller: ctx.caller, now: ctx.now.iso }));
  }

  @Transaction()
  async guard(ctx: HealthContext, key: string): Promise<void> {
    await ctx.state.put(key, { v: 1 });
    await ctx.state.setEndorsers(key, ['Hospital2MSP']);
  }

  @Transaction()
  async secret(ctx: HealthContext, key: string): Promise<string> {
    const content = ctx.transient('content') ?? new Uint8Array(0);
    await ctx.state.putPrivate(`_implicit_org_${ctx.caller.mspId}`, key, content);
    return 'ok';
  }

  @Transaction(false)
  async list(ctx: HealthContext, prefix: string): Promise<string> {
    return canonicalJson(await ctx.state.page('probe', [prefix], 2, ''));
  }

  @Transaction(false)
  async readSecret(ctx: HealthContext, key: string): Promise<string> {
    const bytes = await ctx.state.getPrivate('_implicit_org_Hospital1MSP', key);
    return Buffer.from(bytes ?? []).toString();
  }
}

describe('shared chaincode core on the fake ledger', () => {
  let ledger: InMemoryChannel;
  beforeEach(() => {
    ledger = new InMemoryChannel({ contracts: [new ProbeContract()] });
  });

  it('does not let a transaction read its own writes, but the state overlay does', async () => {
    const user = await ledger.user('Hospital1MSP', 'c1', { role: 'clinician', practitioner_id: 'prac-1' });
    const first = JSON.parse(await ledger.submit(user, 'probe:put', ['k', 'v1']));
    expect(first).toEqual({ before: '', rawAfter: '', overlay: 'v1' });
    const second = JSON.parse(await ledger.submit(user, 'probe:put', ['k', 'v2']));
    expect(JSON.parse(second.before).value).toBe('v1');
    expect(JSON.parse(second.rawAfter).value).toBe('v1');
    expect(ledger.events).toHaveLength(2);
    expect(ledger.events[0]?.payload).toMatchObject({ changes: [{ type: 'probe', id: 'k', action: 'put' }] });
  });

  it('reads the caller from real certificate attributes', async () => {
    const user = await ledger.user('Hospital1MSP', 'p1', { role: 'patient', patient_id: 'pt-001' });
    const out = JSON.parse(await ledger.evaluate(user, 'probe:whoami'));
    expect(out.caller).toMatchObject({ mspId: 'Hospital1MSP', orgKind: 'provider', role: 'patient', patientId: 'pt-001' });
    expect(out.caller.actor).toMatch(/^[0-9a-f]{32}$/);
    expect(out.now).toBe('2026-03-01T09:00:00.000Z');
  });

  it('enforces key-level endorsement at commit', async () => {
    const user = await ledger.user('Hospital1MSP', 'c1', { role: 'clinician', practitioner_id: 'prac-1' });
    await ledger.submit(user, 'probe:guard', ['g'], { endorsers: ['Hospital1MSP', 'Hospital2MSP'] });
    await expect(ledger.submit(user, 'probe:put', ['g', 'x'])).rejects.toThrow('ENDORSEMENT_POLICY_FAILURE');
    await ledger.submit(user, 'probe:put', ['g', 'x'], { endorsers: ['Hospital2MSP'] });
  });

  it('keeps private data on member peers only', async () => {
    const user = await ledger.user('Hospital1MSP', 'c1', { role: 'clinician', practitioner_id: 'prac-1' });
    await ledger.submit(user, 'probe:secret', ['s'], { transient: { content: phi('note') } });
    expect(await ledger.evaluate(user, 'probe:readSecret', ['s'])).toContain('PHIMARK');
    await expect(ledger.evaluate(user, 'probe:readSecret', ['s'], { peer: 'Hospital2MSP' })).rejects.toThrow('private data matching public hash version is not available');
  });

  it('pages composite keys, including an empty page (no metadata from the peer)', async () => {
    const user = await ledger.user('Hospital1MSP', 'c1', { role: 'clinician', practitioner_id: 'prac-1' });
    expect(JSON.parse(await ledger.evaluate(user, 'probe:list', ['none']))).toEqual({ items: [], bookmark: '' });
  });

  it('rejects an unknown function with a catalogue code', async () => {
    const user = await ledger.user('Hospital1MSP', 'c1', { role: 'clinician', practitioner_id: 'prac-1' });
    await expect(ledger.evaluate(user, 'probe:nope')).rejects.toThrow(/^UNKNOWN_FUNCTION: /);
  });
});

describe('clock arithmetic', () => {
  it.each(['1970-01-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z', '2026-11-21T08:42:00.123Z', '2100-03-01T00:00:00.000Z'])('round-trips %s', (iso) => {
    expect(isoFromEpochMs(Date.parse(iso))).toBe(iso);
    expect(epochMsFromIso(iso)).toBe(Date.parse(iso));
  });
  it('rejects impossible dates', () => {
    expect(epochMsFromIso('2025-02-29')).toBeUndefined();
    expect(epochMsFromIso('2025-13-01')).toBeUndefined();
    expect(epochMsFromIso('2025-01-01T10:00:00+02:00')).toBe(Date.parse('2025-01-01T08:00:00Z'));
  });
});

describe('error codes', () => {
  it('reads a code from a wrapped Fabric message', () => {
    expect(errorCodeOf('10 ABORTED: ... chaincode response 500, CONSENT_REQUIRED: No consent permits this access')).toBe('CONSENT_REQUIRED');
    expect(errorCodeOf('something else: x')).toBeUndefined();
  });
});
