/**
 * Drug traceability (GS1 EPCIS 2.0 / DSCSA): a manufacturer registers a product and commissions
 * serialised packs, ships them to a distributor, who ships them on to Hospital 1's pharmacy; the
 * pharmacy receives them, verifies a pack at the point of dispense and dispenses it. The pack's
 * history is an EPCIS document.
 *
 *   node examples/drug-trace.mjs        (with `npm start` running)
 */
import { randomInt } from 'node:crypto';
import { login, newId, run, step } from './lib/healthledger.mjs';

/** GS1 check digit (mod 10, weights 3 and 1 from the right) of a GTIN-14 or SSCC-18 without it. */
function gs1CheckDigit(digits) {
  const sum = [...digits].reverse().reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return String((10 - (sum % 10)) % 10);
}

await run('Drug trace: commission, ship, receive, verify, dispense', async () => {
  const manufacturer = await login('manufacturer1');
  const distributor = await login('distributor1');
  const pharmacy = await login('pharmacist1');

  // GS1 company prefix 0950600 (7 digits) + an item reference of this run, with its check digit.
  const gtinBody = `09506000${String(randomInt(100_000)).padStart(5, '0')}`;
  const gtin = gtinBody + gs1CheckDigit(gtinBody);
  const lot = `L${Date.now().toString(36).toUpperCase()}`;
  const packs = ['0001', '0002', '0003'].map((serial) => ({ gtin, serial: `${lot}-${serial}` }));

  step('The manufacturer registers the product (GTIN-14) with its storage range');
  await manufacturer.post('/products', {
    gtin,
    companyPrefixLength: 7,
    name: 'Insulin glargine pen',
    strength: '100 U/mL',
    dosageForm: 'solution for injection',
    packSize: 5,
    storage: { minCelsius: 2, maxCelsius: 8 },
  });
  console.log(`   product ${gtin}`);

  step(`The manufacturer commissions ${packs.length} packs of lot ${lot}`);
  const commissioned = await manufacturer.post('/packs/commission', { gtin, lot, expiry: '2030-06-30', serials: packs.map((p) => p.serial) });
  console.log(`   ${commissioned.count} packs commissioned`);

  step('The manufacturer ships them to the distributor, attesting the DSCSA transaction statement');
  const toDistributor = newId('shp');
  await manufacturer.post('/shipments', {
    shipmentId: toDistributor,
    to: 'DistributorMSP',
    packs,
    transactionDate: new Date().toISOString().slice(0, 10),
    transactionStatement: { attested: true },
  });
  await distributor.post(`/shipments/${toDistributor}/receipt`, { packs });
  console.log(`   shipment ${toDistributor} received by the distributor`);

  step('The distributor ships them on to Hospital 1; the pharmacy receives them');
  const toHospital = newId('shp');
  await distributor.post('/shipments', {
    shipmentId: toHospital,
    to: 'Hospital1MSP',
    packs,
    transactionDate: new Date().toISOString().slice(0, 10),
    transactionStatement: { attested: true },
  });
  const received = await pharmacy.post(`/shipments/${toHospital}/receipt`, { packs });
  console.log(`   shipment ${toHospital}: ${received.status}`);

  const [first] = packs;
  step(`The pharmacy verifies pack ${first.serial} before dispensing it`);
  const check = await pharmacy.post('/verifications', first);
  console.log(`   authentic: ${check.authentic}, suspect: ${check.suspect}, status ${check.status}, owner ${check.owner}`);

  step('The pharmacy dispenses it: the pack is decommissioned and cannot be dispensed again');
  const dispensed = await pharmacy.post(`/packs/${gtin}/${encodeURIComponent(first.serial)}/dispense`, {});
  console.log(`   status: ${dispensed.status}`);
  const after = await pharmacy.post('/verifications', first);
  console.log(`   verification now: status ${after.status}, disposition ${after.disposition}`);

  step('Its history, as a GS1 EPCIS 2.0 document');
  const history = await pharmacy.get(`/packs/${gtin}/${encodeURIComponent(first.serial)}/history`);
  for (const event of history.epcisBody.eventList) console.log(`   ${event.eventTime} ${event.type} ${event.bizStep ?? ''}`);
});
