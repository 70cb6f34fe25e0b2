import { disclosureIdOfFhir, fhirIdOfDisclosure } from './disclosure-id';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TX = '3f1e5d7c9b2a4e6f8d0c1b3a5e7f9d2c4b6a8e0f1d3c5b7a9e2f4d6c8b0a1e3f';

test("an access request's disclosure id is its AuditEvent id as it is", () => {
  expect(fhirIdOfDisclosure(TX)).toBe(TX);
  expect(disclosureIdOfFhir(TX)).toBe(TX);
});

test("a trial release's per-record disclosure id becomes a valid FHIR id and comes back unchanged", () => {
  for (const id of [`${TX}.0`, `${TX}.12`, `${'f'.repeat(64)}.9999999999999`, `${'0'.repeat(64)}.1`]) {
    const fhirId = fhirIdOfDisclosure(id);
    expect(fhirId).toMatch(FHIR_ID);
    expect(disclosureIdOfFhir(fhirId)).toBe(id);
  }
  expect(fhirIdOfDisclosure(`${TX}.2`)).not.toBe(fhirIdOfDisclosure(`${TX}.3`));
});

test('other ids pass through untouched (the ledger refuses what it does not know)', () => {
  expect(disclosureIdOfFhir('not-a-release-1')).toBe('not-a-release-1');
});
