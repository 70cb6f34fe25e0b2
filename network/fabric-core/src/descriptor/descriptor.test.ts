import { checkDescriptor, DescriptorError, type DevnetDescriptor } from './index';

const valid: DevnetDescriptor = {
  channel: 'healthchannel',
  chaincode: 'healthledger',
  orgs: [{ mspId: 'Org1MSP', peerEndpoint: 'localhost:7051', users: [{ name: 'user1', role: 'clinician', cert: 'cert.pem', key: 'key.pem' }] }],
};

describe('checkDescriptor', () => {
  it('returns a well-formed descriptor as it is', () => {
    expect(checkDescriptor('devnet.json', valid)).toBe(valid);
  });

  it('names the source and the first field that is wrong', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'devnet.json: not a JSON object'],
      [{ ...valid, channel: '' }, 'devnet.json: /channel must be a non-empty string'],
      [{ ...valid, chaincode: 7 }, 'devnet.json: /chaincode must be a non-empty string'],
      [{ ...valid, orgs: [] }, 'devnet.json: /orgs must be a non-empty array'],
      [{ ...valid, orgs: [{ ...valid.orgs[0], mspId: undefined }] }, 'devnet.json: /orgs/0/mspId must be a string'],
      [{ ...valid, orgs: [{ ...valid.orgs[0], peerEndpoint: 1 }] }, 'devnet.json: /orgs/0/peerEndpoint must be a string'],
      [{ ...valid, orgs: [{ ...valid.orgs[0], users: {} }] }, 'devnet.json: /orgs/0/users must be an array'],
    ];
    for (const [value, message] of cases) {
      expect(() => checkDescriptor('devnet.json', value)).toThrow(new DescriptorError('devnet.json', message.slice('devnet.json: '.length)));
    }
  });
});
