import { common } from '@hyperledger/fabric-protos';
import { flipS } from '../crypto';
import { MspManager } from '../msp';
import { CertificateAuthority, createSigningIdentity, type SigningIdentity } from '../pki';
import { evaluateImplicitMeta, evaluateSignaturePolicy, implicitMetaThreshold, parseImplicitMeta, parsePolicy, PolicyError, policyPrincipals, SignaturePolicy, type SignedData } from './index';

const OBSERVED_SBE_ORG2_PEER = '120812060801120208001a0d120b0a074f7267324d53501003';
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const PREFIX = 'C=US, ST=California, L=San Francisco';

describe('parsePolicy', () => {
  it("produces the bytes fabric-shim's KeyEndorsementPolicy stores for one org's peers", () => {
    expect(hex(parsePolicy("OR('Org2MSP.peer')").serializeBinary())).toBe(OBSERVED_SBE_ORG2_PEER);
  });

  it('maps AND, OR and OutOf to n_out_of thresholds, nested, in every Fabric spelling', () => {
    const shape = (dsl: string): unknown => parsePolicy(dsl).toObject();
    const env = parsePolicy("OutOf(2, 'A.peer', AND('B.member', \"C.admin\"), or('D.client','E.orderer'))");
    const rule = env.getRule()!.getNOutOf()!;
    expect(rule.getN()).toBe(2);
    expect(rule.getRulesList()[1]!.getNOutOf()!.getN()).toBe(2);
    expect(rule.getRulesList()[2]!.getNOutOf()!.getN()).toBe(1);
    expect(env.getIdentitiesList()).toHaveLength(5);
    expect(shape("And('A.peer','B.peer')")).toEqual(shape("AND('A.peer','B.peer')"));
    expect(shape("outof(1,'A.peer')")).toEqual(shape("OR('A.peer')"));
    expect(shape("OUTOF('1','A.peer')")).toEqual(shape("OR('A.peer')"));
    expect(shape("OR('org.with.dots.member')")).toEqual(shape(" OR ( 'org.with.dots.member' ) "));
  });

  it('stores duplicate principals once', () => {
    const env = parsePolicy("AND('Org1MSP.member', 'Org1MSP.member', 'Org2MSP.member')");
    expect(env.getIdentitiesList()).toHaveLength(2);
    expect(env.getRule()!.getNOutOf()!.getRulesList().map((r) => r.getSignedBy())).toEqual([0, 0, 1]);
  });

  it('rejects malformed policies', () => {
    for (const bad of ["'Org1MSP.peer'", "XOR('A.peer')", "OR('A.superuser')", "OR('A.peer'", "OR('A.peer'))", 'OR()', "OutOf(4, 'A.peer', 'B.peer')", "OutOf(x, 'A.peer')", "OR('A.peer') junk"]) {
      expect(() => parsePolicy(bad)).toThrow(PolicyError);
    }
    expect(() => parsePolicy("OutOf(4, 'A.peer', 'B.peer')")).toThrow('Invalid t-out-of-n predicate, t 4, n 2');
    // Fabric tolerates t = n + 1 (never satisfiable).
    expect(parsePolicy("OutOf(3, 'A.peer', 'B.peer')").getRule()!.getNOutOf()!.getN()).toBe(3);
  });
});

describe('policyPrincipals', () => {
  it('lists the principals a policy names, each once, in order', () => {
    expect(policyPrincipals("OutOf(2, 'B.peer', AND('A.member', 'B.peer'), OR('org.with.dots.admin'))")).toEqual([
      { mspId: 'B', role: 'peer' },
      { mspId: 'A', role: 'member' },
      { mspId: 'org.with.dots', role: 'admin' },
    ]);
  });

  it('rejects what parsePolicy rejects', () => {
    for (const bad of ['everyone', "OR('A.superuser')", "OR('A.peer'"]) {
      expect(() => policyPrincipals(bad)).toThrow(PolicyError);
    }
  });
});

describe('evaluateSignaturePolicy', () => {
  let msps: MspManager;
  const ids: Record<string, SigningIdentity> = {};
  const data = Buffer.from('proposal response payload');
  const signed = (...names: string[]): SignedData[] => names.map((n) => ({ identity: ids[n]!.serialized, data, signature: ids[n]!.sign(data) }));
  const holds = (dsl: string, ...names: string[]): boolean => evaluateSignaturePolicy(parsePolicy(dsl), signed(...names), msps);

  beforeAll(async () => {
    const cas = await Promise.all([1, 2, 3].map((n) => CertificateAuthority.create(`${PREFIX}, O=org${n}.example.com, CN=ca.org${n}.example.com`)));
    msps = new MspManager(cas.slice(0, 2).map((ca, i) => ({ mspId: `Org${i + 1}MSP`, rootCerts: [ca.certPem] })));
    const people: Array<[string, number, string]> = [
      ['peer1', 1, 'peer'],
      ['peer1b', 1, 'peer'],
      ['client1', 1, 'client'],
      ['client1b', 1, 'client'],
      ['admin1', 1, 'admin'],
      ['peer2', 2, 'peer'],
      ['peer3', 3, 'peer'],
    ];
    for (const [name, org, ou] of people) {
      const cert = await cas[org - 1]!.issue({ usage: 'identity', subject: `${PREFIX}, OU=${ou}, CN=${name}`, attributes: {} });
      ids[name] = createSigningIdentity(`Org${org}MSP`, cert.certPem, cert.keyPem);
    }
  });

  it('checks roles', () => {
    expect(holds("OR('Org1MSP.peer')", 'peer1')).toBe(true);
    expect(holds("OR('Org1MSP.peer')", 'client1')).toBe(false);
    expect(holds("OR('Org1MSP.admin', 'Org1MSP.client')", 'client1')).toBe(true);
    expect(holds("OR('Org1MSP.member')", 'admin1')).toBe(true);
    expect(holds("OR('Org2MSP.member')", 'peer1')).toBe(false);
  });

  it('needs distinct signers for AND and OutOf', () => {
    expect(holds("AND('Org1MSP.member', 'Org1MSP.member')", 'client1')).toBe(false);
    expect(holds("AND('Org1MSP.member', 'Org1MSP.member')", 'client1', 'client1')).toBe(false);
    expect(holds("AND('Org1MSP.member', 'Org1MSP.member')", 'client1', 'client1b')).toBe(true);
    const twoOfThree = "OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')";
    expect(holds(twoOfThree, 'peer1', 'peer2')).toBe(true);
    expect(holds(twoOfThree, 'peer1')).toBe(false);
    expect(holds(twoOfThree, 'peer1', 'peer1b')).toBe(false);
    expect(holds(twoOfThree, 'peer1', 'peer3')).toBe(false); // Org3 is not a channel MSP: skipped
    expect(holds("OutOf(2, 'Org1MSP.peer', 'Org1MSP.peer')", 'peer1', 'peer1b')).toBe(true);
  });

  it('assigns signers greedily in signature order, as Fabric does', () => {
    const policy = "AND('Org1MSP.member', 'Org1MSP.peer')";
    expect(holds(policy, 'peer1')).toBe(false);
    expect(holds(policy, 'client1', 'peer1')).toBe(true);
    expect(holds(policy, 'peer1', 'client1')).toBe(false);
  });

  it('skips signatures that do not verify, including high-S ones', () => {
    const policy = parsePolicy("AND('Org1MSP.peer', 'Org2MSP.peer')");
    const good = signed('peer1', 'peer2');
    const forged: SignedData = { ...good[0]!, signature: ids['peer2']!.sign(data) };
    const highS: SignedData = { ...good[0]!, signature: flipS(ids['peer1']!.privateKey, good[0]!.signature) };
    expect(evaluateSignaturePolicy(policy, good, msps)).toBe(true);
    expect(evaluateSignaturePolicy(policy, [forged, good[1]!], msps)).toBe(false);
    expect(evaluateSignaturePolicy(policy, [highS, good[1]!], msps)).toBe(false);
    // A failed signature does not mark the signer as seen: a later valid one still counts.
    expect(evaluateSignaturePolicy(policy, [forged, ...good], msps)).toBe(true);
    expect(evaluateSignaturePolicy(policy, [{ ...good[0]!, identity: Buffer.from('junk') }, good[1]!], msps)).toBe(false);
  });

  it('accepts key-level policies written by fabric-shim', () => {
    const observed = Buffer.from(OBSERVED_SBE_ORG2_PEER, 'hex');
    expect(evaluateSignaturePolicy(observed, signed('peer2'), msps)).toBe(true);
    expect(evaluateSignaturePolicy(observed, signed('peer1'), msps)).toBe(false);
  });

  it('never satisfies envelopes Fabric cannot compile', () => {
    expect(evaluateSignaturePolicy(Buffer.from([0xff, 0x01, 0x02]), signed('peer1'), msps)).toBe(false);
    const v1 = parsePolicy("OR('Org1MSP.peer')");
    v1.setVersion(1);
    expect(() => new SignaturePolicy(v1)).toThrow('This evaluator only understands messages of version 0, but version was 1');
    expect(evaluateSignaturePolicy(v1, signed('peer1'), msps)).toBe(false);
    const outOfRange = parsePolicy("OR('Org1MSP.peer')");
    outOfRange.getRule()!.getNOutOf()!.getRulesList()[0]!.setSignedBy(3);
    expect(() => new SignaturePolicy(outOfRange)).toThrow('identity index out of range, requested 3, but identities length is 1');
    expect(new SignaturePolicy(parsePolicy("OR('Org1MSP.peer')")).evaluate(signed('client1'), msps)).toEqual({ ok: false, message: 'signature set did not satisfy policy' });
  });
});

describe('ImplicitMeta', () => {
  it('computes ANY / ALL / MAJORITY thresholds', () => {
    const { ANY, ALL, MAJORITY } = common.ImplicitMetaPolicy.Rule;
    expect([0, 1, 2, 3, 4, 5].map((n) => implicitMetaThreshold(ANY, n))).toEqual([0, 1, 1, 1, 1, 1]);
    expect([0, 1, 2, 3, 4, 5].map((n) => implicitMetaThreshold(ALL, n))).toEqual([0, 1, 2, 3, 4, 5]);
    expect([0, 1, 2, 3, 4, 5].map((n) => implicitMetaThreshold(MAJORITY, n))).toEqual([0, 1, 2, 2, 3, 3]);
  });

  it('evaluates sub-policies until the threshold is met, with Fabric text on failure', () => {
    const majority = parseImplicitMeta('MAJORITY Endorsement');
    let calls = 0;
    const sub = (result: boolean) => () => {
      calls++;
      return result;
    };
    expect(evaluateImplicitMeta(majority, [sub(true), sub(true), sub(false), sub(false), sub(false)])).toEqual({
      ok: false,
      message: "implicit policy evaluation failed - 2 sub-policies were satisfied, but this policy requires 3 of the 'Endorsement' sub-policies to be satisfied",
    });
    calls = 0;
    expect(evaluateImplicitMeta(majority, [sub(true), sub(true), sub(true), sub(false), sub(false)])).toEqual({ ok: true });
    expect(calls).toBe(3);
    expect(evaluateImplicitMeta(parseImplicitMeta('ANY Writers'), [sub(false)])).toEqual({
      ok: false,
      message: "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied",
    });
    expect(evaluateImplicitMeta(parseImplicitMeta('ALL Admins'), [])).toEqual({ ok: true });
    expect(() => parseImplicitMeta('SOME Readers')).toThrow(PolicyError);
  });
});
