/**
 * Puts an organisation's CRL into the channel config, as an operator does on Fabric: read the last
 * config block, replace the `revocation_list` of the org's MSP value, sign the config update as the
 * org's MSP admin (the value's `mod_policy` is the org's `Admins`), Broadcast it to the ordering
 * service, and wait until a peer serves the new config. Peers then refuse the revoked
 * certificates at endorsement and at validation. On the devnet the ordering service answers on
 * the peer's endpoint; on real Fabric this runs as an operator step (docs/design/identity.md).
 */
import * as grpc from '@grpc/grpc-js';
import { connect, signers, type Identity, type Signer } from '@hyperledger/fabric-gateway';
import { common, msp, orderer } from '@hyperledger/fabric-protos';
import { randomBytes, type KeyObject } from 'node:crypto';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { signLowS } from '@healthledger/fabric-core/crypto';
import type { PeerTarget } from '../fabric/descriptor';

/** How long to wait for the config block to be served (the devnet commits it at once). */
const COMMIT_WAIT_MS = 10_000;
const POLL_MS = 50;

/** The organisation's MSP admin: who signs its config updates. */
export interface MspAdmin {
  mspId: string;
  certPem: string;
  privateKey: KeyObject;
}

/** A config update that the ordering service refused or that did not take effect. */
export class ChannelUpdateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelUpdateError';
  }
}

/** Publishes CRLs of one organisation to one channel. */
export class ChannelCrlPublisher {
  constructor(
    private readonly channel: string,
    private readonly peer: PeerTarget,
    private readonly admin: MspAdmin,
  ) {}

  /** Makes `crlPem` the org's only CRL in the channel config; resolves once the peer serves it. */
  async publish(crlPem: string): Promise<void> {
    const client = this.client();
    try {
      const current = await this.configBlock(client);
      const update = mspUpdate(this.channel, current.config, this.admin.mspId, crlPem);
      const envelope = this.envelope(update);
      await broadcast(this.peer, envelope);
      await this.awaitSequence(client, current.config.getSequence() + 1);
    } finally {
      client.close();
    }
  }

  private client(): grpc.Client {
    return new grpc.Client(this.peer.endpoint, ...channelOptions(this.peer));
  }

  private identity(): Identity {
    return { mspId: this.admin.mspId, credentials: Buffer.from(this.admin.certPem) };
  }

  private signer(): Signer {
    return signers.newPrivateKeySigner(this.admin.privateKey);
  }

  /** The last config block, from cscc as `peer channel fetch config` gets it. */
  private async configBlock(client: grpc.Client): Promise<{ config: common.Config }> {
    const gateway = connect({ client, identity: this.identity(), signer: this.signer() });
    try {
      const bytes = await gateway.getNetwork(this.channel).getContract('cscc').evaluateTransaction('GetConfigBlock', this.channel);
      const block = common.Block.deserializeBinary(bytes);
      const envelope = common.Envelope.deserializeBinary(block.getData()?.getDataList_asU8()[0] ?? new Uint8Array(0));
      const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
      const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
      if (!config) throw new ChannelUpdateError('the config block carries no config');
      return { config };
    } finally {
      gateway.close();
    }
  }

  private async awaitSequence(client: grpc.Client, sequence: number): Promise<void> {
    const deadline = Date.now() + COMMIT_WAIT_MS;
    for (;;) {
      const { config } = await this.configBlock(client);
      if (config.getSequence() >= sequence) return;
      if (Date.now() > deadline) throw new ChannelUpdateError(`the config update was accepted but sequence ${sequence} was not served within ${COMMIT_WAIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** CONFIG_UPDATE envelope: the update signed by the MSP admin, in an envelope signed by the same admin. */
  private envelope(update: common.ConfigUpdate): common.Envelope {
    const sign = (message: Uint8Array): Uint8Array => signSync(this.admin.privateKey, message);
    const creator = serializedIdentity(this.admin.mspId, this.admin.certPem);
    const updateBytes = update.serializeBinary();
    const sigHeader = signatureHeader(creator);
    const signature = new common.ConfigSignature();
    signature.setSignatureHeader(sigHeader);
    signature.setSignature(sign(Buffer.concat([sigHeader, updateBytes])));
    const updateEnvelope = new common.ConfigUpdateEnvelope();
    updateEnvelope.setConfigUpdate(updateBytes);
    updateEnvelope.setSignaturesList([signature]);

    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(common.HeaderType.CONFIG_UPDATE);
    channelHeader.setChannelId(this.channel);
    const timestamp = new Timestamp();
    timestamp.fromDate(new Date());
    channelHeader.setTimestamp(timestamp);
    const header = new common.Header();
    header.setChannelHeader(channelHeader.serializeBinary());
    header.setSignatureHeader(signatureHeader(creator));
    const payload = new common.Payload();
    payload.setHeader(header);
    payload.setData(updateEnvelope.serializeBinary());
    const payloadBytes = payload.serializeBinary();
    const envelope = new common.Envelope();
    envelope.setPayload(payloadBytes);
    envelope.setSignature(sign(payloadBytes));
    return envelope;
  }
}

function serializedIdentity(mspId: string, certPem: string): Uint8Array {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(Buffer.from(certPem));
  return id.serializeBinary();
}

function signatureHeader(creator: Uint8Array): Uint8Array {
  const header = new common.SignatureHeader();
  header.setCreator(creator);
  header.setNonce(randomBytes(24));
  return header.serializeBinary();
}

/** Low-S ECDSA over SHA-256, as Fabric verifies it. */
const signSync = (key: KeyObject, message: Uint8Array): Uint8Array => signLowS(key, message);

/**
 * The config update replacing `mspId`'s CRLs: read set = the org group at its version, write set =
 * the org group with the MSP value at the next version (configtxlator's compute_update shape).
 */
export function mspUpdate(channel: string, config: common.Config, mspId: string, crlPem: string): common.ConfigUpdate {
  const org = config.getChannelGroup()?.getGroupsMap().get('Application')?.getGroupsMap().get(mspId);
  const value = org?.getValuesMap().get('MSP');
  if (!org || !value) throw new ChannelUpdateError(`${mspId} is not an application organisation of channel ${channel}`);
  const wrapper = msp.MSPConfig.deserializeBinary(value.getValue_asU8());
  const fabric = msp.FabricMSPConfig.deserializeBinary(wrapper.getConfig_asU8());
  fabric.setRevocationListList([Buffer.from(crlPem)]);
  wrapper.setConfig(fabric.serializeBinary());
  const nextValue = new common.ConfigValue();
  nextValue.setVersion(value.getVersion() + 1);
  nextValue.setModPolicy(value.getModPolicy());
  nextValue.setValue(wrapper.serializeBinary());

  const readOrg = new common.ConfigGroup();
  readOrg.setVersion(org.getVersion());
  const writeOrg = new common.ConfigGroup();
  writeOrg.setVersion(org.getVersion());
  writeOrg.setModPolicy(org.getModPolicy());
  org.getValuesMap().forEach((v, name) => {
    if (name === 'MSP') return;
    const same = new common.ConfigValue();
    same.setVersion(v.getVersion());
    writeOrg.getValuesMap().set(name, same);
  });
  org.getPoliciesMap().forEach((p, name) => {
    const same = new common.ConfigPolicy();
    same.setVersion(p.getVersion());
    writeOrg.getPoliciesMap().set(name, same);
  });
  writeOrg.getValuesMap().set('MSP', nextValue);
  const update = new common.ConfigUpdate();
  update.setChannelId(channel);
  update.setReadSet(nest(config, readOrg, mspId));
  update.setWriteSet(nest(config, writeOrg, mspId));
  return update;
}

/** Channel → Application → org, each outer group at its current version and otherwise empty. */
function nest(config: common.Config, org: common.ConfigGroup, mspId: string): common.ConfigGroup {
  const channel = config.getChannelGroup();
  const application = new common.ConfigGroup();
  application.setVersion(channel?.getGroupsMap().get('Application')?.getVersion() ?? 0);
  application.getGroupsMap().set(mspId, org);
  const root = new common.ConfigGroup();
  root.setVersion(channel?.getVersion() ?? 0);
  root.getGroupsMap().set('Application', application);
  return root;
}

function channelOptions(peer: PeerTarget): [grpc.ChannelCredentials, grpc.ClientOptions] {
  const credentials = peer.tlsRootCert ? grpc.credentials.createSsl(peer.tlsRootCert) : grpc.credentials.createInsecure();
  return [credentials, peer.hostOverride ? { 'grpc.ssl_target_name_override': peer.hostOverride } : {}];
}

/** One envelope over AtomicBroadcast.Broadcast (its own connection: closing it must not close the query client's). */
async function broadcast(target: PeerTarget, envelope: common.Envelope): Promise<void> {
  const ab = new orderer.AtomicBroadcastClient(target.endpoint, ...channelOptions(target));
  let response: orderer.BroadcastResponse;
  try {
    response = await new Promise<orderer.BroadcastResponse>((resolve, reject) => {
      const call = ab.broadcast();
      call.on('data', (r: orderer.BroadcastResponse) => {
        resolve(r);
        call.end();
      });
      call.on('error', reject);
      call.write(envelope);
    });
  } finally {
    ab.close();
  }
  if (response.getStatus() !== common.Status.SUCCESS) throw new ChannelUpdateError(`the ordering service refused the config update (${response.getStatus()}): ${response.getInfo()}`);
}
