import { msp } from '@hyperledger/fabric-protos';

/** The four NodeOU identifiers and, optionally, the CA each must be certified by. */
export interface NodeOUs {
  client: NodeOU;
  peer: NodeOU;
  admin: NodeOU;
  orderer: NodeOU;
}

/** A NodeOU value; `certifier` (PEM) pins which CA must have certified it (config.yaml `Certificate`). */
export interface NodeOU {
  ou: string;
  certifier?: string;
}

/** What the devnet knows about one organisation's MSP (the content of `FabricMSPConfig`). */
export interface MspConfig {
  mspId: string;
  /** PEM root CA certificates. */
  rootCerts: string[];
  intermediateCerts?: string[];
  /** PEM certificates of explicit admins (besides NodeOU `admin` identities). */
  adminCerts?: string[];
  /** PEM X.509 CRLs. */
  crls?: string[];
  tlsRootCerts?: string[];
  tlsIntermediateCerts?: string[];
  /** NodeOU classification; `undefined` = test-network default (enabled, no certifier pins), `false` = off. */
  nodeOUs?: NodeOUs | false;
}

/** The test-network NodeOU setting: client, peer, admin, orderer, no certifier pinning. */
export const DEFAULT_NODE_OUS: NodeOUs = { client: { ou: 'client' }, peer: { ou: 'peer' }, admin: { ou: 'admin' }, orderer: { ou: 'orderer' } };

const bytes = (pems: string[] | undefined): Uint8Array[] => (pems ?? []).map((pem) => Buffer.from(pem, 'utf8'));

function ouIdentifier(ou: NodeOU): msp.FabricOUIdentifier {
  const id = new msp.FabricOUIdentifier();
  id.setOrganizationalUnitIdentifier(ou.ou);
  if (ou.certifier !== undefined) id.setCertificate(Buffer.from(ou.certifier, 'utf8'));
  return id;
}

/** `MSPConfig{type: FABRIC (0), config: FabricMSPConfig}` as a channel config carries it. */
export function toMspConfigProto(config: MspConfig): msp.MSPConfig {
  const fabric = new msp.FabricMSPConfig();
  fabric.setName(config.mspId);
  fabric.setRootCertsList(bytes(config.rootCerts));
  fabric.setIntermediateCertsList(bytes(config.intermediateCerts));
  fabric.setAdminsList(bytes(config.adminCerts));
  fabric.setRevocationListList(bytes(config.crls));
  const crypto = new msp.FabricCryptoConfig();
  crypto.setSignatureHashFamily('SHA2');
  crypto.setIdentityIdentifierHashFunction('SHA256');
  fabric.setCryptoConfig(crypto);
  fabric.setTlsRootCertsList(bytes(config.tlsRootCerts));
  fabric.setTlsIntermediateCertsList(bytes(config.tlsIntermediateCerts));
  const nodeOUs = config.nodeOUs ?? DEFAULT_NODE_OUS;
  if (nodeOUs !== false) {
    const ous = new msp.FabricNodeOUs();
    ous.setEnable(true);
    ous.setClientOuIdentifier(ouIdentifier(nodeOUs.client));
    ous.setPeerOuIdentifier(ouIdentifier(nodeOUs.peer));
    ous.setAdminOuIdentifier(ouIdentifier(nodeOUs.admin));
    ous.setOrdererOuIdentifier(ouIdentifier(nodeOUs.orderer));
    fabric.setFabricNodeOus(ous);
  }
  const wrapper = new msp.MSPConfig();
  wrapper.setType(0);
  wrapper.setConfig(fabric.serializeBinary());
  return wrapper;
}

const text = (list: Array<Uint8Array | string>): string[] => list.map((b) => (typeof b === 'string' ? Buffer.from(b, 'base64') : Buffer.from(b)).toString('utf8'));

function nodeOU(id: msp.FabricOUIdentifier | undefined, fallback: string): NodeOU {
  if (!id) return { ou: fallback };
  const cert = id.getCertificate_asU8();
  return { ou: id.getOrganizationalUnitIdentifier(), ...(cert.length > 0 ? { certifier: Buffer.from(cert).toString('utf8') } : {}) };
}

/** Reads an `MSPConfig` (e.g. from a config block) back into an {@link MspConfig}. */
export function fromMspConfigProto(proto: msp.MSPConfig): MspConfig {
  const fabric = msp.FabricMSPConfig.deserializeBinary(proto.getConfig_asU8());
  const ous = fabric.getFabricNodeOus();
  return {
    mspId: fabric.getName(),
    rootCerts: text(fabric.getRootCertsList()),
    intermediateCerts: text(fabric.getIntermediateCertsList()),
    adminCerts: text(fabric.getAdminsList()),
    crls: text(fabric.getRevocationListList()),
    tlsRootCerts: text(fabric.getTlsRootCertsList()),
    tlsIntermediateCerts: text(fabric.getTlsIntermediateCertsList()),
    nodeOUs:
      ous?.getEnable() === true
        ? {
            client: nodeOU(ous.getClientOuIdentifier(), 'client'),
            peer: nodeOU(ous.getPeerOuIdentifier(), 'peer'),
            admin: nodeOU(ous.getAdminOuIdentifier(), 'admin'),
            orderer: nodeOU(ous.getOrdererOuIdentifier(), 'orderer'),
          }
        : false,
  };
}
