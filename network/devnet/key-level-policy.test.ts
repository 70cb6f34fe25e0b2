/**
 * fabric-core's policies against fabric-shim's KeyEndorsementPolicy, the key-level (state-based)
 * endorsement policies chaincode writes and the devnet's committer evaluates. fabric-core does not
 * depend on fabric-shim, so this check lives here.
 */
import { MspManager } from '@healthledger/fabric-core/msp';
import { CertificateAuthority, createSigningIdentity, type SigningIdentity } from '@healthledger/fabric-core/pki';
import { evaluateSignaturePolicy, parsePolicy, type SignedData } from '@healthledger/fabric-core/policy';
import { KeyEndorsementPolicy } from 'fabric-shim';

const OBSERVED_SBE_ORG2_PEER = '120812060801120208001a0d120b0a074f7267324d53501003';
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const PREFIX = 'C=US, ST=California, L=San Francisco';

describe("fabric-shim's KeyEndorsementPolicy", () => {
  let msps: MspManager;
  const ids: Record<string, SigningIdentity> = {};
  const data = Buffer.from('proposal response payload');
  const signed = (...names: string[]): SignedData[] => names.map((n) => ({ identity: ids[n]!.serialized, data, signature: ids[n]!.sign(data) }));

  beforeAll(async () => {
    const cas = await Promise.all([1, 2].map((n) => CertificateAuthority.create(`${PREFIX}, O=org${n}.example.com, CN=ca.org${n}.example.com`)));
    msps = new MspManager(cas.map((ca, i) => ({ mspId: `Org${i + 1}MSP`, rootCerts: [ca.certPem] })));
    const people: Array<[string, number, string]> = [
      ['peer1', 1, 'peer'],
      ['client1', 1, 'client'],
      ['peer2', 2, 'peer'],
    ];
    for (const [name, org, ou] of people) {
      const cert = await cas[org - 1]!.issue({ usage: 'identity', subject: `${PREFIX}, OU=${ou}, CN=${name}`, attributes: {} });
      ids[name] = createSigningIdentity(`Org${org}MSP`, cert.certPem, cert.keyPem);
    }
  });

  it('stores the bytes parsePolicy produces for one org\'s peers', () => {
    const shim = new KeyEndorsementPolicy();
    shim.addOrgs('PEER', 'Org2MSP');
    expect(hex(shim.getPolicy())).toBe(OBSERVED_SBE_ORG2_PEER);
    expect(hex(parsePolicy("OR('Org2MSP.peer')").serializeBinary())).toBe(OBSERVED_SBE_ORG2_PEER);
  });

  it('writes policies evaluateSignaturePolicy accepts', () => {
    const both = new KeyEndorsementPolicy();
    both.addOrgs('PEER', 'Org1MSP', 'Org2MSP');
    expect(evaluateSignaturePolicy(both.getPolicy(), signed('peer1', 'peer2'), msps)).toBe(true);
    expect(evaluateSignaturePolicy(both.getPolicy(), signed('peer2'), msps)).toBe(false);
    const members = new KeyEndorsementPolicy();
    members.addOrgs('MEMBER', 'Org1MSP');
    expect(evaluateSignaturePolicy(members.getPolicy(), signed('client1'), msps)).toBe(true);
  });
});
