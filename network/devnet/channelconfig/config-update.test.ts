import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { common, msp } from '@hyperledger/fabric-protos';
import { loadConsortium } from '../../consortium';
import { CertificateAuthority, generateMaterial, type Material, type SigningIdentity } from '@healthledger/fabric-core/pki';
import { applyConfigUpdate, buildChannelConfig, type ChannelConfig } from './index';

const consortium = loadConsortium();
let dir: string;
let material: Material;
let config: ChannelConfig;
const org = (mspId: string) => material.orgs.find((o) => o.mspId === mspId)!;
const user = (mspId: string, name: string) => org(mspId).users.find((u) => u.name === name)!.identity;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hl-cfgupd-'));
  material = await generateMaterial(consortium, dir);
  config = buildChannelConfig(consortium, material);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The org's CA (from the material tree) revoking these certificates. */
async function crlRevoking(mspId: string, ...ids: SigningIdentity[]): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const o = org(mspId);
  const ca = await CertificateAuthority.load(o.caCertPem, readFileSync(path.join(o.orgDir, 'ca', 'priv_sk'), 'utf8'));
  return ca.issueCrl(ids.map((id) => new X509Certificate(Buffer.from(msp.SerializedIdentity.deserializeBinary(id.serialized).getIdBytes_asU8())).serialNumber));
}

/** A write set changing `mspId`'s MSP value (edited by `edit`) at `version`, signed by `signers`. */
function update(mspId: string, edit: (fabric: msp.FabricMSPConfig) => void, signers: SigningIdentity[], version?: number): common.ConfigUpdateEnvelope {
  const current = config.config.getChannelGroup()!.getGroupsMap().get('Application')!.getGroupsMap().get(mspId)!.getValuesMap().get('MSP')!;
  const wrapper = msp.MSPConfig.deserializeBinary(current.getValue_asU8());
  const fabric = msp.FabricMSPConfig.deserializeBinary(wrapper.getConfig_asU8());
  edit(fabric);
  wrapper.setConfig(fabric.serializeBinary());
  const value = new common.ConfigValue();
  value.setVersion(version ?? current.getVersion() + 1);
  value.setValue(wrapper.serializeBinary());
  const orgGroup = new common.ConfigGroup();
  orgGroup.getValuesMap().set('MSP', value);
  const application = new common.ConfigGroup();
  application.getGroupsMap().set(mspId, orgGroup);
  const root = new common.ConfigGroup();
  root.getGroupsMap().set('Application', application);
  const configUpdate = new common.ConfigUpdate();
  configUpdate.setChannelId(config.channelId);
  configUpdate.setWriteSet(root);
  const bytes = configUpdate.serializeBinary();
  const envelope = new common.ConfigUpdateEnvelope();
  envelope.setConfigUpdate(bytes);
  envelope.setSignaturesList(
    signers.map((id) => {
      const header = new common.SignatureHeader();
      header.setCreator(id.serialized);
      header.setNonce(Buffer.from('nonce'));
      const headerBytes = header.serializeBinary();
      const signature = new common.ConfigSignature();
      signature.setSignatureHeader(headerBytes);
      signature.setSignature(id.sign(Buffer.concat([headerBytes, bytes])));
      return signature;
    }),
  );
  return envelope;
}

const validates = (id: SigningIdentity): boolean => {
  try {
    config.msps.deserialize(id.serialized).validate();
    return true;
  } catch {
    return false;
  }
};

describe('config updates on the devnet', () => {
  it("refuses a CRL update not signed by the organisation's MSP admin, or of anything but the CRL", async () => {
    const crl = await crlRevoking('Hospital1MSP', user('Hospital1MSP', 'billing1'));
    const addCrl = (f: msp.FabricMSPConfig) => f.setRevocationListList([Buffer.from(crl)]);
    expect(() => applyConfigUpdate(config, update('Hospital1MSP', addCrl, [user('Hospital1MSP', 'admin1')]))).toThrow(/policy for \[Value\] \/Channel\/Application\/Hospital1MSP\/MSP not satisfied/);
    expect(() => applyConfigUpdate(config, update('Hospital1MSP', addCrl, [org('Hospital2MSP').admin]))).toThrow(/not satisfied/);
    expect(() => applyConfigUpdate(config, update('Hospital1MSP', addCrl, [org('Hospital1MSP').admin], 7))).toThrow(/be at version 6, but it is currently at version 0/);
    expect(() => applyConfigUpdate(config, update('Hospital1MSP', (f) => f.setRootCertsList([Buffer.from(org('Hospital2MSP').caCertPem)]), [org('Hospital1MSP').admin]))).toThrow(
      /only the revocation list/,
    );
    expect(validates(user('Hospital1MSP', 'billing1'))).toBe(true);
  });

  it('an authorized CRL update makes the MSP refuse exactly the revoked certificates', async () => {
    const revoked = user('Hospital1MSP', 'billing1');
    const crl = await crlRevoking('Hospital1MSP', revoked);
    const next = applyConfigUpdate(config, update('Hospital1MSP', (f) => f.setRevocationListList([Buffer.from(crl)]), [org('Hospital1MSP').admin]));
    expect(next.getSequence()).toBe(config.config.getSequence() + 1);
    config.apply(next);
    expect(validates(revoked)).toBe(false);
    expect(() => config.msps.deserialize(revoked.serialized).validate()).toThrow(/The certificate has been revoked/);
    expect(validates(user('Hospital1MSP', 'clinician1'))).toBe(true);
    expect(validates(user('Hospital2MSP', 'billing2'))).toBe(true);
    // The next update must build on the new version.
    expect(() => applyConfigUpdate(config, update('Hospital1MSP', (f) => f.setRevocationListList([]), [org('Hospital1MSP').admin], 1))).toThrow(/currently at version 1/);
  });
});
