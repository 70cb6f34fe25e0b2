import { Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson, HealthContext, HealthContract } from '../shared';
import { InMemoryChannel, phi, type TestIdentity } from '../testing';
import { TraceContract } from './contract';
import { gs1CheckDigit } from '@healthledger/contract-api';
import { markPackBilled, readPack } from './index';

const GTIN = '09506000134352';
const PRODUCT = { gtin: GTIN, companyPrefixLength: 7, name: 'Insulin glargine pen', strength: '100 U/mL', dosageForm: 'solution for injection', packSize: 5, storage: { minCelsius: 2, maxCelsius: 8 } };
const M = 'ManufacturerMSP';
const D = 'DistributorMSP';
const H1 = 'Hospital1MSP';
const H2 = 'Hospital2MSP';
const DAY = 86_400_000;
const pack = (serial: string) => ({ gtin: GTIN, serial });
const ts = { attested: true };
const sscc = (n: number) => {
  const body = '0' + '0614141' + String(n).padStart(9, '0');
  return body + String(gs1CheckDigit(body));
};

/** Stands in for the claims contract: bills a pack inside its own transaction. */
class BillingProbe extends HealthContract {
  constructor() {
    super('probe');
  }

  @Transaction()
  @Returns('string')
  async bill(ctx: HealthContext, gtin: string, serial: string, claimId: string): Promise<string> {
    return canonicalJson(await markPackBilled(ctx, gtin, serial, claimId));
  }

  @Transaction(false)
  @Returns('string')
  async read(ctx: HealthContext, gtin: string, serial: string): Promise<string> {
    return canonicalJson((await readPack(ctx, gtin, serial)) ?? null);
  }
}

/** Product, six packs shipped manufacturer → Hospital1 and received there. */
async function setup() {
  const ledger = new InMemoryChannel({ contracts: [new TraceContract(), new BillingProbe()] });
  const mfr = await ledger.user(M, 'manufacturer1', { role: 'manufacturer' });
  const pharm1 = await ledger.user(H1, 'pharmacist1', { role: 'dispenser' });
  const pharm1b = await ledger.user(H1, 'pharmacist1b', { role: 'dispenser' });
  const pharm2 = await ledger.user(H2, 'pharmacist2', { role: 'dispenser' });
  const clin1 = await ledger.user(H1, 'clinician1', { role: 'clinician', practitioner_id: 'prac-1' });
  const billing1 = await ledger.user(H1, 'billing1', { role: 'billing' });
  const dist = await ledger.user(D, 'distributor1', { role: 'distributor' });
  const call = async (who: TestIdentity, fn: string, request: unknown, endorsers?: string[]) =>
    JSON.parse(await ledger.submit(who, `trace:${fn}`, [JSON.stringify(request)], endorsers ? { endorsers } : {}));
  const query = async (who: TestIdentity, fn: string, request: unknown) => JSON.parse(await ledger.evaluate(who, `trace:${fn}`, [JSON.stringify(request)]));
  await call(mfr, 'registerProduct', PRODUCT);
  await call(mfr, 'commission', { gtin: GTIN, lot: 'L1', expiry: '2026-06-30', range: { prefix: 'P', start: 1, count: 6 } });
  await call(mfr, 'aggregate', { sscc: sscc(1), packs: [pack('P5'), pack('P6')] });
  const packs = [1, 2, 3, 4].map((n) => pack(`P${n}`));
  await call(mfr, 'ship', { shipmentId: 'S1', to: H1, packs, containers: [sscc(1)], transactionDate: '2026-03-01', transactionStatement: ts });
  await call(pharm1, 'receive', { shipmentId: 'S1', packs, containers: [sscc(1)] }, [M, H1]);
  return { ledger, mfr, pharm1, pharm1b, pharm2, clin1, billing1, dist, call, query };
}

describe('dispense (EU FMD decommissioning)', () => {
  it('dispenses an owned pack and announces it', async () => {
    const { ledger, pharm1, call, query } = await setup();
    const out = await call(pharm1, 'dispense', pack('P1'));
    expect(out).toMatchObject({ status: 'dispensed', dispensedBy: H1, dispensedAt: '2026-03-01T09:00:00.000Z', event: { bizStep: 'dispensing' } });
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'pack', id: `${GTIN}/P1`, action: 'dispensed', org: H1 }] });
    expect((await query(pharm1, 'verify', pack('P1'))).disposition).toBe('dispensed');
    await expect(call(pharm1, 'dispense', pack('P1'))).rejects.toThrow('is dispensed');
  });

  it('takes a dispensed pack out of its case', async () => {
    const { pharm1, call, query } = await setup();
    await call(pharm1, 'dispense', pack('P5'));
    expect((await query(pharm1, 'getPack', pack('P5'))).parent).toBeUndefined();
    await call(pharm1, 'dispense', pack('P6'));
    await expect(call(pharm1, 'ship', { shipmentId: 'BACK', to: M, containers: [sscc(1)], transactionDate: '2026-03-01', transactionStatement: ts })).resolves.toMatchObject({ containers: [sscc(1)] });
  });

  it('refuses the wrong role, a non-provider, a non-owner, an unknown pack', async () => {
    const { ledger, clin1, pharm2, mfr, call } = await setup();
    await expect(call(clin1, 'dispense', pack('P1'))).rejects.toThrow('ROLE_FORBIDDEN');
    await expect(call(mfr, 'dispense', pack('P1'))).rejects.toThrow('ROLE_FORBIDDEN');
    const distDispenser = await ledger.user(D, 'counter', { role: 'dispenser' });
    await expect(call(distDispenser, 'dispense', pack('P1'))).rejects.toThrow('ORG_FORBIDDEN');
    await expect(call(pharm2, 'dispense', pack('P1'))).rejects.toThrow('NOT_OWNER');
    await expect(call(pharm2, 'dispense', pack('P9'))).rejects.toThrow('PACK_NOT_FOUND');
    await expect(call(pharm2, 'dispense', { gtin: '09506000134353', serial: 'P1' })).rejects.toThrow('GTIN check digit is wrong');
  });

  it('refuses a recalled, quarantined, expired or non-sellable pack', async () => {
    const { mfr, pharm1, call } = await setup();
    await call(pharm1, 'quarantine', { packs: [pack('P1')], reason: 'damaged' });
    await expect(call(pharm1, 'dispense', pack('P1'))).rejects.toThrow('PACK_QUARANTINED');
    await call(pharm1, 'recordSensorReport', { packs: [pack('P2')], readings: [{ type: 'Temperature', value: 50, uom: 'FAR', time: '2026-03-01T08:00:00Z' }] });
    await expect(call(pharm1, 'dispense', pack('P2'))).rejects.toThrow('is non-sellable');
    await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'contamination' }, [M, H1]);
    await expect(call(pharm1, 'dispense', pack('P3'))).rejects.toThrow('PACK_RECALLED');
    const fresh = await setup();
    fresh.ledger.setTime('2026-07-01T00:00:00Z');
    await expect(fresh.call(fresh.pharm1, 'dispense', pack('P3'))).rejects.toThrow('PACK_EXPIRED');
    fresh.ledger.setTime('2026-06-30T23:59:59Z');
    await expect(fresh.call(fresh.pharm1, 'dispense', pack('P3'))).resolves.toMatchObject({ status: 'dispensed' });
  });
});

describe('undo dispense', () => {
  it('undoes within ten days, by another dispenser of the same organisation', async () => {
    const { ledger, pharm1, pharm1b, call } = await setup();
    await call(pharm1, 'dispense', pack('P1'));
    ledger.advance(10 * DAY);
    const out = await call(pharm1b, 'undoDispense', pack('P1'));
    expect(out).toMatchObject({ status: 'active', owner: H1, event: { bizStep: 'dispensing', reason: 'undo' } });
    expect(out.dispensedBy).toBeUndefined();
  });

  it('refuses one millisecond after ten days', async () => {
    const { ledger, pharm1, call } = await setup();
    await call(pharm1, 'dispense', pack('P1'));
    ledger.advance(10 * DAY + 1);
    await expect(call(pharm1, 'undoDispense', pack('P1'))).rejects.toThrow('UNDO_WINDOW_EXPIRED');
  });

  it('refuses another organisation, the wrong role, a pack not dispensed', async () => {
    const { pharm1, pharm2, clin1, call } = await setup();
    await call(pharm1, 'dispense', pack('P1'));
    await expect(call(pharm2, 'undoDispense', pack('P1'), [H1, H2])).rejects.toThrow(`ORG_FORBIDDEN: The caller organisation may not perform this action: ${H2} did not dispense`);
    await expect(call(clin1, 'undoDispense', pack('P1'))).rejects.toThrow('ROLE_FORBIDDEN');
    await expect(call(pharm1, 'undoDispense', pack('P2'))).rejects.toThrow('is active');
  });

  it('refuses a recalled, expired or billed pack', async () => {
    const { ledger, mfr, pharm1, billing1, call } = await setup();
    await call(pharm1, 'dispense', pack('P1'));
    await call(pharm1, 'dispense', pack('P2'));
    await ledger.submit(billing1, 'probe:bill', [GTIN, 'P2', 'CLM-1']);
    await expect(call(pharm1, 'undoDispense', pack('P2'))).rejects.toThrow('is billed by claim CLM-1');
    await call(mfr, 'recallLot', { gtin: GTIN, lot: 'L1', reason: 'contamination' }, [M, H1]);
    await expect(call(pharm1, 'undoDispense', pack('P1'))).rejects.toThrow('PACK_RECALLED');
    const fresh = await setup();
    fresh.ledger.setTime('2026-06-28T00:00:00Z');
    await fresh.call(fresh.pharm1, 'dispense', pack('P1'));
    fresh.ledger.setTime('2026-07-01T00:00:00Z');
    await expect(fresh.call(fresh.pharm1, 'undoDispense', pack('P1'))).rejects.toThrow('PACK_EXPIRED');
  });
});

describe('claims integration: readPack and markPackBilled', () => {
  it('bills a pack dispensed by the caller organisation once', async () => {
    const { ledger, pharm1, billing1, call } = await setup();
    expect(JSON.parse(await ledger.evaluate(billing1, 'probe:read', [GTIN, 'P1']))).toMatchObject({ status: 'active', owner: H1 });
    expect(JSON.parse(await ledger.evaluate(billing1, 'probe:read', [GTIN, 'nope']))).toBeNull();
    await expect(ledger.submit(billing1, 'probe:bill', [GTIN, 'P1', 'CLM-1'])).rejects.toThrow('CLAIM_DRUG_NOT_DISPENSED');
    await call(pharm1, 'dispense', pack('P1'));
    expect(JSON.parse(await ledger.submit(billing1, 'probe:bill', [GTIN, 'P1', 'CLM-1']))).toMatchObject({ status: 'dispensed', dispensedBy: H1, billedClaimId: 'CLM-1' });
    await expect(ledger.submit(billing1, 'probe:bill', [GTIN, 'P1', 'CLM-1'])).resolves.toContain('CLM-1');
    await expect(ledger.submit(billing1, 'probe:bill', [GTIN, 'P1', 'CLM-2'])).rejects.toThrow('CLAIM_DRUG_ALREADY_BILLED');
    const billing2 = await ledger.user(H2, 'billing2', { role: 'billing' });
    await expect(ledger.submit(billing2, 'probe:bill', [GTIN, 'P1', 'CLM-3'], { endorsers: [H1, H2] })).rejects.toThrow('CLAIM_DRUG_NOT_DISPENSED');
    await expect(ledger.submit(billing1, 'probe:bill', [GTIN, 'P9', 'CLM-4'])).rejects.toThrow('CLAIM_DRUG_NOT_DISPENSED');
  });
});

describe('destroy', () => {
  it('destroys packs and a case with its contents, with a reason', async () => {
    const { pharm1, call, query } = await setup();
    expect(await call(pharm1, 'destroy', { packs: [pack('P1')], containers: [sscc(1)], reason: 'damaged' })).toEqual({ destroyed: 3 });
    expect(await query(pharm1, 'getPack', pack('P5'))).toMatchObject({ status: 'destroyed', destroyReason: 'damaged', event: { bizStep: 'destroying', action: 'DELETE' } });
    expect((await query(pharm1, 'verify', pack('P1'))).disposition).toBe('destroyed');
    const holders = await query(pharm1, 'recallHolders', { gtin: GTIN, lot: 'L1' });
    expect(holders).toMatchObject({ destroyed: 3, holders: [{ owner: H1, packs: 3 }] });
  });

  it('refuses a non-owner, the wrong role, free-text reasons, dispensed, destroyed and quarantined packs', async () => {
    const { pharm1, pharm2, clin1, call } = await setup();
    await expect(call(pharm2, 'destroy', { packs: [pack('P1')], reason: 'damaged' })).rejects.toThrow('NOT_OWNER');
    await expect(call(clin1, 'destroy', { packs: [pack('P1')], reason: 'damaged' })).rejects.toThrow('ROLE_FORBIDDEN');
    // Reasons are codes: free text (which could carry PHI) is rejected without being echoed.
    const note = phi('dropped by patient');
    const error = String(await call(pharm1, 'destroy', { packs: [pack('P1')], reason: note }).catch((e: unknown) => e));
    expect(error).toMatch(/VALIDATION_FAILED: The request is invalid: request\/reason/);
    expect(error).not.toContain(note);
    await call(pharm1, 'dispense', pack('P1'));
    await expect(call(pharm1, 'destroy', { packs: [pack('P1')], reason: 'damaged' })).rejects.toThrow('is dispensed');
    await call(pharm1, 'destroy', { packs: [pack('P2')], reason: 'damaged' });
    await expect(call(pharm1, 'destroy', { packs: [pack('P2')], reason: 'damaged' })).rejects.toThrow('is destroyed');
    await call(pharm1, 'quarantine', { packs: [pack('P3')], reason: 'suspect' });
    await expect(call(pharm1, 'destroy', { packs: [pack('P3')], reason: 'damaged' })).rejects.toThrow('PACK_QUARANTINED');
  });
});
