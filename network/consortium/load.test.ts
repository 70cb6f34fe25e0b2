import { readFileSync } from 'node:fs';
import { ConsortiumError, DEFAULT_CONSORTIUM_PATH, loadConsortium, parseConsortium } from '.';

const defaultText = readFileSync(DEFAULT_CONSORTIUM_PATH, 'utf8');

function expectFieldError(text: string, field: string): void {
  try {
    parseConsortium(text, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConsortiumError);
    expect((err as ConsortiumError).field).toBe(field);
    expect((err as Error).message).toContain(field);
    return;
  }
  throw new Error(`expected an error naming ${field}`);
}

describe('consortium definition', () => {
  it('loads the default consortium', () => {
    const c = loadConsortium();
    expect(c.channel).toBe('healthchannel');
    expect(c.chaincode.name).toBe('healthledger');
    expect(c.organizations.map((o) => [o.mspId, o.kind])).toEqual([
      ['Hospital1MSP', 'provider'],
      ['Hospital2MSP', 'provider'],
      ['InsurerMSP', 'payer'],
      ['ManufacturerMSP', 'manufacturer'],
      ['DistributorMSP', 'distributor'],
      ['ResearchMSP', 'research'],
    ]);
    const roles = new Set(c.organizations.flatMap((o) => o.users.map((u) => u.role)));
    for (const role of ['patient', 'clinician', 'records-admin', 'billing', 'adjudicator', 'manufacturer', 'distributor', 'dispenser', 'auditor', 'admin', 'researcher']) {
      expect(roles).toContain(role);
    }
  });

  it('names an unknown kind', () => {
    expectFieldError(defaultText.replace('kind: payer', 'kind: bank'), '/organizations/2/kind');
  });

  it('names an unknown field', () => {
    expectFieldError(defaultText.replace('channel: healthchannel', 'channel: healthchannel\ncolour: blue'), '/colour');
  });

  it('names a missing practitioner id', () => {
    expectFieldError(defaultText.replace(', practitionerId: prac-h1-0001', ''), '/organizations/0/users/1/practitionerId');
  });

  it('names a duplicate port', () => {
    expectFieldError(defaultText.replace('port: 9051', 'port: 7051'), '/organizations/1/peers/0/port');
  });

  it('names a policy with an unknown organisation', () => {
    expectFieldError(defaultText.replace("'InsurerMSP.peer'", "'BankMSP.peer'"), '/chaincode/endorsementPolicy');
  });

  it('rejects a policy that is not DSL', () => {
    expectFieldError(defaultText.replace(/endorsementPolicy: ".*"/, 'endorsementPolicy: "everyone"'), '/chaincode/endorsementPolicy');
  });

  it('rejects a policy with an unknown role or a malformed gate', () => {
    expectFieldError(defaultText.replace("'InsurerMSP.peer'", "'InsurerMSP.superuser'"), '/chaincode/endorsementPolicy');
    expectFieldError(defaultText.replace(/endorsementPolicy: "(.*)"/, "endorsementPolicy: \"$1)\""), '/chaincode/endorsementPolicy');
  });
});
