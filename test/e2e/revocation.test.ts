/**
 * Revocation refused by the ledger, on the devnet and on real Fabric alike (a journey of
 * `npm run test:fabric`, docs/design/identity.md): Hospital 1's CA issues a certificate to a new
 * clinician, who evaluates and submits straight on the peer; the CA then signs a CRL naming it and
 * the operator step puts that CRL into Hospital 1's MSP in the channel config (on Fabric
 * `scripts/network.sh revoke-crl`). From then on the peer refuses the clinician's proposals —
 * evaluation and endorsement — and the gateway's error mapping answers that refusal with a stable
 * 403 code, while the organisation's other users still act.
 */
import { createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { connect, signers } from '@hyperledger/fabric-gateway';
import { enrollmentAttributes } from '@healthledger/fabric-core/pki';
import { mapError } from '@healthledger/gateway/errors/mapper';
import type { LedgerTopology } from '@healthledger/gateway/fabric/descriptor';
import { client, uid } from './http';
import { startJourneys, type JourneyNetwork } from './network';
import { revocationTarget, type RevocationTarget } from './revocation-target';

const MSP = 'Hospital1MSP';
const PATIENT1 = 'pt-0c5f1a9e';
/** How long the peers may take to commit the config block after the operator step returns. */
const CONFIG_COMMIT_MS = 60_000;

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
let topology: LedgerTopology;
let target: RevocationTarget;
beforeAll(async () => {
  // It puts a CRL into Hospital 1's channel config: a network of its own, not the worker's shared one.
  net = await startJourneys('revocation', { own: true });
  api = client(net);
  const t = net.topologyFor('admin1');
  if (!t) throw new Error('the revocation journey needs the gateways in this process (not HEALTHLEDGER_E2E_GATEWAYS)');
  topology = t;
  target = await revocationTarget(MSP, topology);
}, 120_000);
afterAll(async () => {
  target?.close();
  await net?.stop();
});

/** What the ledger answers: 'ok', or the problem code and status the gateway would map the refusal to. */
type Outcome = 'ok' | { code: string; status: number; message: string };

/** Evaluates and submits straight on the peer as the given certificate and key. */
async function ledgerAs(certPem: string, key: KeyObject): Promise<{ evaluate: Outcome; submit: Outcome }> {
  const gateway = connect({ client: target.peer, identity: { mspId: MSP, credentials: Buffer.from(certPem) }, signer: signers.newPrivateKeySigner(key) });
  const contract = gateway.getNetwork(topology.channel).getContract(topology.chaincode);
  const outcome = (p: Promise<unknown>): Promise<Outcome> =>
    p.then(
      () => 'ok' as const,
      (err: unknown) => {
        const { problem } = mapError(err);
        return { code: String(problem.code), status: problem.status, message: `${(err as Error).message} ${JSON.stringify((err as { details?: unknown }).details ?? '')}` };
      },
    );
  try {
    const evaluate = await outcome(contract.evaluateTransaction('org.hyperledger.fabric:GetMetadata'));
    const submit = await outcome(
      contract.submit('records:stageContent', {
        arguments: [JSON.stringify({ recordId: uid('rec'), patientRef: PATIENT1, category: 'lab-result' })],
        transientData: { content: JSON.stringify({ v: 1 }), salt: randomBytes(32).toString('hex') },
      }),
    );
    return { evaluate, submit };
  } finally {
    gateway.close();
  }
}

/** Evaluation as the identity until the peer refuses it (it has committed the config block). */
async function refusedEvaluation(certPem: string, key: KeyObject): Promise<Outcome> {
  const deadline = Date.now() + CONFIG_COMMIT_MS;
  for (;;) {
    const { evaluate } = await ledgerAs(certPem, key);
    if (evaluate !== 'ok' || Date.now() > deadline) return evaluate;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const accessDenied = { code: 'LEDGER_ACCESS_DENIED', status: 403 };

test('a certificate of the organisation’s CA acts on the ledger until its CRL is in the channel config; then the peer refuses it, the gateway maps that to 403, and the other users still act', async () => {
  const name = uid('revoked').toLowerCase().replace(/[^a-z0-9-]/g, '');
  const issued = await target.ca.issue({
    usage: 'identity',
    subject: `C=US, ST=California, L=San Francisco, OU=client, CN=${name}`,
    attributes: { ...enrollmentAttributes(name, 'client', { role: 'clinician', practitioner_id: 'prac-h1-0778' }), 'hf.Affiliation': 'hospital1.cardiology' },
  });
  const key = createPrivateKey(issued.keyPem);
  expect(await ledgerAs(issued.certPem, key)).toEqual({ evaluate: 'ok', submit: 'ok' });

  // The CA's CRL names the new certificate; the operator step puts it into the channel config.
  const serial = new X509Certificate(issued.certPem).serialNumber.toLowerCase();
  await target.publishCrl(await target.ca.issueCrl([serial]));

  const evaluate = await refusedEvaluation(issued.certPem, key);
  expect(evaluate).toMatchObject(accessDenied);
  const after = await ledgerAs(issued.certPem, key);
  expect(after.evaluate).toMatchObject(accessDenied);
  expect(after.submit).toMatchObject(accessDenied);

  // Another user of the organisation, straight on the peer and through the gateway.
  const clinician1 = topology.wallet.get(MSP, 'clinician1');
  if (!clinician1?.privateKey) throw new Error('clinician1 has no key in the wallet');
  expect(await ledgerAs(clinician1.certPem, clinician1.privateKey)).toEqual({ evaluate: 'ok', submit: 'ok' });
  expect((await api.as('clinician1').GET('/me')).response.status).toBe(200);
  const created = await api.as('clinician1').POST('/records', { body: { recordId: uid('rec'), patientRef: PATIENT1, category: 'lab-result', content: { v: 1 } } });
  expect(created.response.status).toBe(201);
}, 180_000);
