/**
 * Test identities for the gateway's unit tests: X.509 certificates with Fabric CA attributes,
 * issued by one throwaway CA per organisation (the same issuer the devnet and the real-Fabric
 * generators use), cached per name and attributes.
 */
import { CertificateAuthority, enrollmentAttributes } from '@healthledger/fabric-core';

export interface TestIdentity {
  mspId: string;
  name: string;
  certPem: string;
  attrs: Record<string, string>;
}

const authorities = new Map<string, Promise<CertificateAuthority>>();
const issued = new Map<string, Promise<TestIdentity>>();

function authorityOf(mspId: string): Promise<CertificateAuthority> {
  let ca = authorities.get(mspId);
  if (!ca) {
    const domain = `${mspId.replace(/MSP$/, '').toLowerCase()}.example.com`;
    ca = CertificateAuthority.create(`C=US, ST=North Carolina, O=${domain}, CN=ca.${domain}`);
    authorities.set(mspId, ca);
  }
  return ca;
}

/** A client certificate for `name` in `mspId` with Fabric CA attributes, e.g. `{ role: 'clinician' }`. */
export function identity(mspId: string, name: string, attrs: Record<string, string>): Promise<TestIdentity> {
  const key = `${mspId}/${name}/${JSON.stringify(attrs)}`;
  let found = issued.get(key);
  if (!found) {
    found = (async () => {
      const ca = await authorityOf(mspId);
      const { certPem } = await ca.issue({ usage: 'identity', subject: `C=US, ST=North Carolina, OU=client, CN=${name}`, attributes: enrollmentAttributes(name, 'client', attrs) });
      return { mspId, name, certPem, attrs };
    })();
    issued.set(key, found);
  }
  return found;
}
