import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
// From the consortium's schema module, not the package index: the index loads the whole devnet.
import { ORG_KINDS, ROLES as CONSORTIUM_ROLES } from '@healthledger/network/consortium/schema';
import { ROLES } from '@healthledger/contract-api';
import { ORGANIZATION_KINDS, type OrgKind } from '@healthledger/contract-api';

const root = join(__dirname, '..', '..', '..');

interface ConsortiumOrgs {
  organizations: { mspId: string; kind: string }[];
}

describe('organisation table', () => {
  it('agrees with network/consortium.yaml (regenerate with node scripts/gen-organizations.js)', () => {
    const doc = parse(readFileSync(join(root, 'network', 'consortium.yaml'), 'utf8')) as ConsortiumOrgs;
    const fromYaml = Object.fromEntries(doc.organizations.map((o) => [o.mspId, o.kind]));
    expect({ ...ORGANIZATION_KINDS }).toEqual(fromYaml);
  });

  it('is byte-for-byte what the generator writes', () => {
    expect(() => execFileSync(process.execPath, [join(root, 'scripts', 'gen-organizations.js'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('roles and organisation kinds', () => {
  // The chaincode cannot import the network package (it deploys alone), so it keeps its own lists.
  it('are the ones the consortium definition allows', () => {
    expect([...ROLES]).toEqual([...CONSORTIUM_ROLES]);
    const kinds: OrgKind[] = [...ORG_KINDS];
    expect(kinds).toEqual(['provider', 'payer', 'manufacturer', 'distributor', 'regulator', 'research']);
  });
});
