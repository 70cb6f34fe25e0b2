import type { ServiceError } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
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
    [9, 503],
    [10, 503],
    [7, 403],
    [2, 500],
  ])('gRPC code %i without a catalogue code → %i', (code, status) => {
    expect(mapError(gatewayError(code, `${code} SOMETHING: failed`)).problem.status).toBe(status);
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
    const mapped = mapError(new HttpProblem(401, 'UNAUTHENTICATED', 'no token', { 'www-authenticate': 'Bearer' }));
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
