import type { ServiceError } from '@grpc/grpc-js';
import { ChaincodeError } from '@healthledger/contract-api';
import { CommitError, CommitStatusError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { LEDGER_PROBLEMS } from './catalogue';
import { mapError } from './mapper';
import { HttpProblem } from './problem';

const cause = {} as ServiceError;
const peer = { address: 'peer0.hospital1.example.com:7051', mspId: 'Hospital1MSP' };

function endorseError(chaincodeMessage: string, code = 10): EndorseError {
  return new EndorseError({
    code,
    cause,
    transactionId: 'tx1',
    message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
    details: [{ ...peer, message: `chaincode response 500, ${chaincodeMessage}` }],
  });
}

function gatewayError(code: number, message: string): GatewayError {
  return new GatewayError({ code, cause, message, details: [{ ...peer, message: `rpc error at ${peer.address}` }] });
}

describe('mapError: chaincode catalogue codes by kind', () => {
  test.each([
    ['VALIDATION_FAILED: The request is invalid: amount', 400, 'VALIDATION_FAILED'],
    ['CONSENT_REQUIRED: No consent permits this access: record r-1', 403, 'CONSENT_REQUIRED'],
    ['RECORD_NOT_FOUND: No such record: r-9', 404, 'RECORD_NOT_FOUND'],
    ['CLAIM_ILLEGAL_TRANSITION: The claim status does not allow this action: paid → submitted', 409, 'CLAIM_ILLEGAL_TRANSITION'],
    ['CLAIM_TOTAL_MISMATCH: Claim totals do not add up', 422, 'CLAIM_TOTAL_MISMATCH'],
  ])('endorse detail %s → %i', (message, status, code) => {
    const { problem } = mapError(endorseError(message));
    expect(problem).toMatchObject({ status, code, type: `urn:healthledger:problem:${code.toLowerCase().replace(/_/g, '-')}` });
    expect(problem.detail).toBe(message.slice(code.length + 2));
  });

  test('an evaluate GatewayError carries the code in its message', () => {
    const err = new GatewayError({
      code: 2,
      cause,
      message: '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, PACK_NOT_FOUND: No such pack: sgtin-1',
      details: [],
    });
    expect(mapError(err).problem).toMatchObject({ status: 404, code: 'PACK_NOT_FOUND', detail: 'No such pack: sgtin-1' });
  });
});

describe('mapError: transport and commit failures', () => {
  test('UNAVAILABLE → 503 with Retry-After', () => {
    const { problem, headers } = mapError(gatewayError(14, '14 UNAVAILABLE: No connection established'));
    expect(problem).toMatchObject({ status: 503, code: 'LEDGER_UNAVAILABLE' });
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
  });

  test('DEADLINE_EXCEEDED → 504', () => {
    const err = new CommitStatusError({ code: 4, cause, transactionId: 'tx1', message: '4 DEADLINE_EXCEEDED: context deadline exceeded', details: [] });
    expect(mapError(err).problem).toMatchObject({ status: 504, code: 'LEDGER_TIMEOUT' });
  });

  test.each([
    [14, 503],
    [1, 503],
    [8, 503],
    [4, 504],
    [7, 403],
    // FAILED_PRECONDITION and ABORTED say nothing about waiting unless their text does (see below).
    [9, 500],
    [10, 500],
    [2, 500],
  ])('gRPC code %i without a catalogue code or a known text → %i', (code, status) => {
    const { problem, headers } = mapError(gatewayError(code, `${code} SOMETHING: failed`));
    expect(problem.status).toBe(status);
    expect(headers['retry-after'] !== undefined).toBe(status === 503);
  });

  test.each([
    [11, 409, 'MVCC_READ_CONFLICT'],
    [12, 409, 'PHANTOM_READ_CONFLICT'],
    [10, 403, 'ENDORSEMENT_POLICY_FAILURE'],
    [9, 500, 'COMMIT_FAILED'],
  ])('CommitError %i → %i %s', (code, status, problemCode) => {
    const err = new CommitError({ code: code as 11, transactionId: 'tx1', message: 'failed' });
    expect(mapError(err).problem).toMatchObject({ status, code: problemCode });
  });

  test('never leaks peer addresses, MSP details or stack traces', () => {
    const errors = [gatewayError(14, `14 UNAVAILABLE: connect ECONNREFUSED ${peer.address}`), gatewayError(2, `2 UNKNOWN: at ${peer.address}`), new Error('boom at /work/main/x.ts:1')];
    for (const err of errors) {
      const text = JSON.stringify(mapError(err));
      expect(text).not.toContain('example.com');
      expect(text).not.toContain('7051');
      expect(text).not.toContain('.ts');
    }
  });
});

describe('mapError: gateway and framework errors', () => {
  test('HttpProblem keeps its status, code and headers', () => {
    const mapped = mapError(new HttpProblem('UNAUTHENTICATED', 'no token', { 'www-authenticate': 'Bearer' }));
    expect(mapped).toEqual({
      problem: { type: 'urn:healthledger:problem:unauthenticated', title: 'Unauthorized', status: 401, code: 'UNAUTHENTICATED', detail: 'no token' },
      headers: { 'www-authenticate': 'Bearer' },
    });
  });

  test('schema validation errors list field pointers', () => {
    const err = Object.assign(new Error('body/x'), {
      statusCode: 400,
      validationContext: 'body',
      validation: [
        { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'extra' }, message: 'must NOT have additional properties' },
        { instancePath: '/amount', keyword: 'type', params: {}, message: 'must be integer' },
      ],
    });
    expect(mapError(err).problem).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [
        { pointer: '/body/extra', detail: 'unknown field' },
        { pointer: '/body/amount', detail: 'must be integer' },
      ],
    });
  });

  test('body too large → 413', () => {
    const err = Object.assign(new Error('too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(mapError(err).problem).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
  });

  test('anything else → 500 without detail from the error', () => {
    const { problem } = mapError(new TypeError('secret patient name'));
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(JSON.stringify(problem)).not.toContain('patient');
  });
});

test('a peer refusing the creator or its signature → 403, not an outage', () => {
  const err = new EndorseError({
    code: 10,
    cause,
    transactionId: 'tx1',
    message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
    details: [{ ...peer, message: 'error validating proposal: access denied: channel [healthchannel] creator org [Hospital1MSP]' }],
  });
  expect(mapError(err).problem).toMatchObject({ status: 403, code: 'LEDGER_ACCESS_DENIED' });
});

/** How Fabric 2.5's gateway fails an endorse with no per-peer details (plan and discovery failures). */
function planError(code: number, text: string): EndorseError {
  const name = code === 9 ? 'FAILED_PRECONDITION' : code === 14 ? 'UNAVAILABLE' : 'ABORTED';
  return new EndorseError({ code, cause, transactionId: 'tx1', message: `${code} ${name}: ${text}`, details: [] });
}

/** An endorse that reached peers and failed on them: ABORTED, the reasons in the details. */
function abortedWith(message: string, ...peerMessages: string[]): EndorseError {
  return new EndorseError({ code: 10, cause, transactionId: 'tx1', message: `10 ABORTED: ${message}`, details: peerMessages.map((m) => ({ ...peer, message: m })) });
}

describe('mapError: Fabric 2.5 endorsement plan failures', () => {
  test.each([
    [
      'requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [_implicit_org_Hospital1MSP]; retry specifying trusted endorsing organizations to protect transient data',
      /collection\(s\) _implicit_org_Hospital1MSP.*name its endorsing organisations/,
    ],
    [
      "no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data",
      /install the chaincode on the organisation's peers/,
    ],
    [
      'no combination of peers can be derived which satisfy the endorsement policy: required chaincodes are not installed on sufficient peers',
      /not installed on enough peers/,
    ],
    [
      'no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode healthledger in channel healthchannel',
      /^Chaincode healthledger is not deployed on channel healthchannel; approve and commit its definition$/,
    ],
    ['no combination of peers can be derived which satisfy the endorsement policy: policy not found', /endorsement policy/],
  ])('FAILED_PRECONDITION %s → 502 ENDORSEMENT_UNSATISFIABLE, no Retry-After', (text, detail) => {
    const { problem, headers } = mapError(planError(9, text));
    expect(problem).toMatchObject({ status: 502, code: 'ENDORSEMENT_UNSATISFIABLE', type: 'urn:healthledger:problem:endorsement-unsatisfiable' });
    expect(problem.detail).toMatch(detail);
    expect(headers).toEqual({});
  });

  test("an evaluate with transient data and no endorser in the gateway's org → 502", () => {
    const err = new GatewayError({
      code: 9,
      cause,
      message:
        "9 FAILED_PRECONDITION: no endorsers found in the gateway's organization; retry specifying target organization(s) to protect transient data: no peers available to evaluate chaincode healthledger in channel healthchannel",
      details: [],
    });
    expect(mapError(err).problem).toMatchObject({ status: 502, code: 'ENDORSEMENT_UNSATISFIABLE' });
  });

  test.each([
    [9, 'no combination of peers can be derived which satisfy the endorsement policy: no peer combination can satisfy the endorsement policy'],
    [14, 'failed to find any endorsing peers for org(s): Hospital2MSP'],
    [9, 'no peers available to evaluate chaincode healthledger in channel healthchannel'],
  ])('%i %s → 503 with Retry-After (gossip has too few live peers: converging, or peers down)', (code, text) => {
    const { problem, headers } = mapError(planError(code, text));
    expect(problem).toMatchObject({ status: 503, code: 'LEDGER_UNAVAILABLE', detail: 'Too few peers that can endorse this request are reachable; retry later' });
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('mapError: ABORTED endorsements, by the peers’ details', () => {
  const failed = 'failed to endorse transaction, see attached details for more info';
  const collect = 'failed to collect enough transaction endorsements, see attached details for more info';

  test('ProposalResponsePayloads do not match → 502 ENDORSEMENT_MISMATCH, no Retry-After', () => {
    const { problem, headers } = mapError(abortedWith(collect, 'ProposalResponsePayloads do not match'));
    expect(problem).toMatchObject({ status: 502, code: 'ENDORSEMENT_MISMATCH' });
    expect(headers).toEqual({});
  });

  test.each([
    'error in simulation: failed to execute transaction 0f1e: could not launch chaincode healthledger_1.0:9a8b: connection to chaincode server failed: dial tcp 127.0.0.1:9999: connect: connection refused',
    'error in simulation: failed to execute transaction 0f1e: chaincode stream terminated',
    'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:9051: connect: connection refused"',
    'error in simulation: timeout expired while executing transaction',
  ])('chaincode or peer down (%s) → 503 with Retry-After', (detail) => {
    const { problem, headers } = mapError(abortedWith(failed, detail));
    expect(problem).toMatchObject({ status: 503, code: 'LEDGER_UNAVAILABLE', detail: 'The ledger is unavailable; retry later' });
    expect(headers['retry-after']).toBeDefined();
    expect(JSON.stringify(problem)).not.toMatch(/127\.0\.0\.1|9999|9051/);
  });

  test.each([
    [
      "make sure the chaincode healthledger has been successfully defined on channel healthchannel and try again: chaincode definition for 'healthledger' exists, but chaincode is not installed",
      'Chaincode healthledger is committed but not installed on an endorsing peer; install it on every endorsing peer',
    ],
    [
      'make sure the chaincode healthledger has been successfully defined on channel healthchannel and try again: chaincode healthledger not found',
      'Chaincode healthledger is not deployed on channel healthchannel; approve and commit its definition',
    ],
  ])('peer detail %s → 502 ENDORSEMENT_UNSATISFIABLE', (detail, expected) => {
    expect(mapError(abortedWith(failed, detail)).problem).toMatchObject({ status: 502, code: 'ENDORSEMENT_UNSATISFIABLE', detail: expected });
  });

  test('a chaincode error outside the catalogue → 500 LEDGER_ERROR (a contract bug), not 503', () => {
    const { problem, headers } = mapError(abortedWith(failed, 'chaincode response 500, TypeError: cannot read properties of undefined'));
    expect(problem).toMatchObject({ status: 500, code: 'LEDGER_ERROR' });
    expect(headers).toEqual({});
    expect(JSON.stringify(problem)).not.toContain('TypeError');
  });

  test('a catalogue code in one detail wins over a peer that was down', () => {
    const err = abortedWith(collect, 'rpc error: code = Unavailable desc = connection refused', 'chaincode response 500, CONSENT_REQUIRED: No consent permits this access: record r-1');
    expect(mapError(err).problem).toMatchObject({ status: 403, code: 'CONSENT_REQUIRED' });
  });

  // fabric-gateway exports SubmitError as a type only; the mapper sees any GatewayError alike.
  test('an orderer refusing the transaction (FORBIDDEN) → 403 LEDGER_ACCESS_DENIED', () => {
    const err = new GatewayError({
      code: 10,
      cause,
      message:
        "10 ABORTED: received unsuccessful response from orderer: status=FORBIDDEN, info=implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied",
      details: [],
    });
    expect(mapError(err).problem).toMatchObject({ status: 403, code: 'LEDGER_ACCESS_DENIED' });
  });

  test('an orderer that cannot take it now → 503', () => {
    const err = new GatewayError({ code: 14, cause, message: '14 UNAVAILABLE: no orderers could successfully process transaction', details: [] });
    expect(mapError(err).problem).toMatchObject({ status: 503, code: 'LEDGER_UNAVAILABLE' });
  });
});

test('the ledger catalogue: Retry-After and 503 exactly for transient entries', () => {
  for (const [code, entry] of Object.entries(LEDGER_PROBLEMS)) {
    expect([code, entry.transient]).toEqual([code, entry.status === 503]);
  }
});

test('a chaincode catalogue error thrown in the gateway process keeps its code and status', () => {
  const { problem } = mapError(new ChaincodeError('VALIDATION_FAILED', 'request: give exactly one of serials, range'));
  expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is invalid: request: give exactly one of serials, range' });
});
