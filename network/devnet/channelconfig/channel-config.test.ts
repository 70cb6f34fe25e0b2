import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { loadConsortium } from '../../consortium';
import { sha256 } from '@healthledger/fabric-core/crypto';
import { fromMspConfigProto } from '@healthledger/fabric-core/msp';
import { CertificateAuthority, createSigningIdentity, generateMaterial, type Material, type SigningIdentity } from '@healthledger/fabric-core/pki';
import { parsePolicy, type SignedData } from '@healthledger/fabric-core/policy';
import { buildChannelConfig, ChannelConfig } from './index';

const consortium = loadConsortium();
const data = Buffer.from('signed payload');
const sign = (...ids: SigningIdentity[]): SignedData[] => ids.map((id) => ({ identity: id.serialized, data, signature: id.sign(data) }));
const implicitFailure = (satisfied: number, required: number, name: string): string =>
  `implicit policy evaluation failed - ${satisfied} sub-policies were satisfied, but this policy requires ${required} of the '${name}' sub-policies to be satisfied`;

let dir: string;
let material: Material;
let config: ChannelConfig;
const org = (mspId: string) => material.orgs.find((o) => o.mspId === mspId)!;
const peerOf = (mspId: string) => org(mspId).peers[0]!.identity;
const userOf = (mspId: string, name: string) => org(mspId).users.find((u) => u.name === name)!.identity;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hl-chcfg-'));
  material = await generateMaterial(consortium, dir);
  config = buildChannelConfig(consortium, material);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ChannelConfig', () => {
  it('knows the channel, its orgs, MSPs and policy paths', () => {
    expect(config.channelId).toBe('healthchannel');
    // Config maps are keyed by name, so orgs come sorted, the same before and after serialization.
    expect(config.orgs).toEqual(['DistributorMSP', 'Hospital1MSP', 'Hospital2MSP', 'InsurerMSP', 'ManufacturerMSP', 'ResearchMSP']);
    expect(config.ordererMspIds).toEqual(['OrdererMSP']);
    expect(config.msps.mspIds).toEqual([...config.orgs, 'OrdererMSP']);
    for (const p of ['/Channel/Readers', '/Channel/Writers', '/Channel/Admins', '/Channel/Application/Endorsement', '/Channel/Application/LifecycleEndorsement', '/Channel/Application/InsurerMSP/Endorsement', '/Channel/Orderer/BlockValidation', '/Channel/Orderer/OrdererMSP/Writers']) {
      expect(config.policyPaths).toContain(p);
    }
    expect(config.batch).toEqual({ timeoutMs: 100, maxMessageCount: 500, absoluteMaxBytes: 10 * 1024 * 1024, preferredMaxBytes: 512 * 1024 });
  });

  it('evaluates Readers and Writers with the org policies of the test network', () => {
    const clinician = userOf('Hospital1MSP', 'clinician1');
    expect(config.evaluatePolicy('/Channel/Application/Writers', sign(clinician))).toEqual({ ok: true });
    expect(config.evaluatePolicy('/Channel/Application/Writers', sign(org('InsurerMSP').admin))).toEqual({ ok: true });
    expect(config.evaluatePolicy('/Channel/Application/Readers', sign(peerOf('Hospital2MSP')))).toEqual({ ok: true });
    expect(config.evaluatePolicy('/Channel/Application/Writers', sign(peerOf('Hospital2MSP')))).toEqual({ ok: false, message: implicitFailure(0, 1, 'Writers') });
    expect(config.evaluatePolicy('/Channel/Application/Readers', [])).toEqual({ ok: false, message: implicitFailure(0, 1, 'Readers') });
  });

  it('refuses wrong signatures, foreign identities and the orderer as an application writer', async () => {
    const clinician = userOf('Hospital1MSP', 'clinician1');
    const resigned: SignedData = { identity: clinician.serialized, data, signature: userOf('Hospital1MSP', 'billing1').sign(data) };
    expect(config.evaluatePolicy('/Channel/Writers', [resigned])).toEqual({ ok: false, message: implicitFailure(0, 1, 'Writers') });
    const stranger = await CertificateAuthority.create('C=US, O=hospital1.example.com, CN=ca.hospital1.example.com');
    const cert = await stranger.issue({ usage: 'identity', subject: 'C=US, OU=client, CN=mallory', attributes: {} });
    const mallory = createSigningIdentity('Hospital1MSP', cert.certPem, cert.keyPem);
    expect(config.evaluatePolicy('/Channel/Application/Readers', sign(mallory)).ok).toBe(false);
    expect(config.evaluatePolicy('/Channel/Application/Writers', sign(material.orderer.identity)).ok).toBe(false);
    // Channel-level Writers is ANY over Application and Orderer.
    expect(config.evaluatePolicy('/Channel/Writers', sign(material.orderer.identity))).toEqual({ ok: true });
    expect(config.evaluatePolicy('/Channel/Writers', sign(clinician))).toEqual({ ok: true });
  });

  it('needs a MAJORITY of org Endorsement policies (4 of 6)', () => {
    const endorsement = '/Channel/Application/Endorsement';
    expect(config.evaluatePolicy(endorsement, sign(peerOf('Hospital1MSP'), peerOf('InsurerMSP'), peerOf('DistributorMSP')))).toEqual({ ok: false, message: implicitFailure(3, 4, 'Endorsement') });
    expect(config.evaluatePolicy(endorsement, sign(peerOf('Hospital1MSP'), peerOf('InsurerMSP'), peerOf('DistributorMSP'), peerOf('ResearchMSP')))).toEqual({ ok: true });
    // Clients do not endorse, and one org's peer counts once.
    expect(config.evaluatePolicy(endorsement, sign(peerOf('Hospital1MSP'), peerOf('Hospital1MSP'), userOf('Hospital2MSP', 'clinician2'), peerOf('InsurerMSP'))).ok).toBe(false);
    expect(config.evaluatePolicy('/Channel/Application/Admins', sign(...material.orgs.slice(0, 3).map((o) => o.admin)))).toEqual({ ok: false, message: implicitFailure(3, 4, 'Admins') });
    expect(config.evaluatePolicy('/Channel/Application/Admins', sign(...material.orgs.slice(0, 4).map((o) => o.admin)))).toEqual({ ok: true });
  });

  it('evaluates org-level policies and reports unknown paths', () => {
    expect(config.evaluatePolicy('/Channel/Application/Hospital1MSP/Endorsement', sign(peerOf('Hospital1MSP')))).toEqual({ ok: true });
    expect(config.evaluatePolicy('/Channel/Application/Hospital1MSP/Endorsement', sign(peerOf('Hospital2MSP')))).toEqual({ ok: false, message: 'signature set did not satisfy policy' });
    expect(config.evaluatePolicy('/Channel/Application/Hospital1MSP/Admins', sign(userOf('Hospital1MSP', 'admin1'))).ok).toBe(false); // role attribute "admin" is not the admin NodeOU
    expect(config.evaluatePolicy('/Channel/Application/Nope', sign(peerOf('Hospital1MSP')))).toEqual({ ok: false, message: "no such policy: '/Channel/Application/Nope'" });
  });

  it('evaluates application policies: signature envelopes and channel references', () => {
    const envelope = new peer.ApplicationPolicy();
    envelope.setSignaturePolicy(parsePolicy(consortium.chaincode.endorsementPolicy));
    expect(config.evaluateApplicationPolicy(envelope, sign(peerOf('ManufacturerMSP'), peerOf('DistributorMSP')))).toEqual({ ok: true });
    expect(config.evaluateApplicationPolicy(envelope, sign(peerOf('ManufacturerMSP')))).toEqual({ ok: false, message: 'signature set did not satisfy policy' });
    const reference = new peer.ApplicationPolicy();
    reference.setChannelConfigPolicyReference('/Channel/Application/InsurerMSP/Endorsement');
    expect(config.evaluateApplicationPolicy(reference, sign(peerOf('InsurerMSP')))).toEqual({ ok: true });
    expect(config.evaluateApplicationPolicy(reference, sign(peerOf('Hospital1MSP'))).ok).toBe(false);
    expect(config.evaluateApplicationPolicy(new peer.ApplicationPolicy(), sign(peerOf('InsurerMSP'))).ok).toBe(false);
  });

  it('maps ACL resources to policies', () => {
    expect(config.aclPolicy('peer/Propose')).toBe('/Channel/Application/Writers');
    for (const r of ['qscc/GetChainInfo', 'qscc/GetBlockByTxID', 'event/Block', 'event/FilteredBlock', 'gateway/CommitStatus', 'gateway/ChaincodeEvents', 'cscc/GetConfigBlock']) {
      expect(config.aclPolicy(r)).toBe('/Channel/Application/Readers');
    }
    expect(config.aclPolicy('qscc/NoSuchFn')).toBeUndefined();
  });
});

describe('genesisBlock', () => {
  it('is a structurally valid config block with the metadata a peer serves', () => {
    const nonce = Buffer.alloc(24, 7);
    const block = common.Block.deserializeBinary(config.genesisBlock({ nonce, timestamp: new Date('2026-01-01T00:00:00.500Z') }).serializeBinary());
    const header = block.getHeader()!;
    expect(header.getNumber()).toBe(0);
    expect(header.getPreviousHash_asU8()).toHaveLength(0);
    const envelopeBytes = block.getData()!.getDataList_asU8();
    expect(envelopeBytes).toHaveLength(1);
    expect(Buffer.from(header.getDataHash_asU8())).toEqual(sha256(envelopeBytes[0]!));
    expect(block.getMetadata()!.getMetadataList_asU8().map((m) => Buffer.from(m).toString('hex'))).toEqual(['0a020a00', '', '00', '', '']);

    const envelope = common.Envelope.deserializeBinary(envelopeBytes[0]!);
    expect(envelope.getSignature_asU8()).toHaveLength(0);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const ch = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
    expect([ch.getType(), ch.getChannelId(), ch.getEpoch(), ch.getTimestamp()!.getSeconds(), ch.getTimestamp()!.getNanos()]).toEqual([common.HeaderType.CONFIG, 'healthchannel', 0, 1767225600, 0]);
    const sh = common.SignatureHeader.deserializeBinary(payload.getHeader()!.getSignatureHeader_asU8());
    expect(sh.getCreator_asU8()).toHaveLength(0);
    expect(Buffer.from(sh.getNonce_asU8())).toEqual(nonce);
    expect(ch.getTxId()).toBe(sha256(nonce).toString('hex'));

    const cfg = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig()!;
    expect(cfg.getSequence()).toBe(0);
    const channel = cfg.getChannelGroup()!;
    expect(channel.getGroupsMap().getEntryList().map(([name]) => name).sort()).toEqual(['Application', 'Orderer']);
    expect(common.HashingAlgorithm.deserializeBinary(channel.getValuesMap().get('HashingAlgorithm')!.getValue_asU8()).getName()).toBe('SHA256');
    expect(common.BlockDataHashingStructure.deserializeBinary(channel.getValuesMap().get('BlockDataHashingStructure')!.getValue_asU8()).getWidth()).toBe(4294967295);
    const app = channel.getGroupsMap().get('Application')!;
    expect(common.Capabilities.deserializeBinary(app.getValuesMap().get('Capabilities')!.getValue_asU8()).getCapabilitiesMap().has('V2_5')).toBe(true);
    const h1 = fromMspConfigProto(msp.MSPConfig.deserializeBinary(app.getGroupsMap().get('Hospital1MSP')!.getValuesMap().get('MSP')!.getValue_asU8()));
    expect(h1.rootCerts).toEqual([org('Hospital1MSP').caCertPem]);
    expect(h1.tlsRootCerts).toEqual([org('Hospital1MSP').tlsCaCertPem]);
    const endorsement = app.getGroupsMap().get('Hospital1MSP')!.getPoliciesMap().get('Endorsement')!.getPolicy()!;
    expect(endorsement.getType()).toBe(common.Policy.PolicyType.SIGNATURE);
    expect(Buffer.from(endorsement.getValue_asU8())).toEqual(Buffer.from(parsePolicy("OR('Hospital1MSP.peer')").serializeBinary()));
    const orderer = channel.getGroupsMap().get('Orderer')!;
    expect(orderer.getValuesMap().get('ConsensusType')).toBeDefined();
  });

  it('is deterministic given the clock and nonce, and random otherwise', () => {
    const opts = { nonce: Buffer.alloc(24, 1), timestamp: new Date('2026-01-01T00:00:00Z') };
    expect(Buffer.from(config.genesisBlock(opts).serializeBinary())).toEqual(Buffer.from(config.genesisBlock(opts).serializeBinary()));
    expect(Buffer.from(config.genesisBlock().serializeBinary())).not.toEqual(Buffer.from(config.genesisBlock().serializeBinary()));
  });

  it('round-trips: the config read back from block 0 evaluates like the original', () => {
    const reread = ChannelConfig.fromBlock(common.Block.deserializeBinary(config.genesisBlock().serializeBinary()));
    expect(reread.channelId).toBe('healthchannel');
    expect([...reread.orgs].sort()).toEqual([...config.orgs].sort());
    expect(reread.policyPaths.sort()).toEqual(config.policyPaths.sort());
    expect(reread.aclPolicy('peer/Propose')).toBe('/Channel/Application/Writers');
    expect(reread.batch).toEqual(config.batch);
    const cases: Array<[string, SignedData[]]> = [
      ['/Channel/Application/Writers', sign(userOf('InsurerMSP', 'adjudicator1'))],
      ['/Channel/Application/Writers', sign(peerOf('InsurerMSP'))],
      ['/Channel/Application/Endorsement', sign(peerOf('Hospital1MSP'), peerOf('Hospital2MSP'), peerOf('InsurerMSP'))],
      ['/Channel/Application/Endorsement', sign(peerOf('Hospital1MSP'), peerOf('Hospital2MSP'))],
      ['/Channel/Orderer/BlockValidation', sign(material.orderer.identity)],
    ];
    for (const [p, signed] of cases) expect(reread.evaluatePolicy(p, signed)).toEqual(config.evaluatePolicy(p, signed));
    expect(() => ChannelConfig.fromBlock(new common.Block())).toThrow('block has no data');
  });
});
