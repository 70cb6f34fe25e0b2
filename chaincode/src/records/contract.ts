import { decideAccess } from '../consent/decision';
import { canonicalJson, epochMsFromIso, HealthContext, HealthContract, requireOrg, saltedValue, sha256Hex, transientSalt, Tx, unsalted } from '../shared';
import { AmendRecordRequest, CreateRecordRequest, EraseRecordRequest, fail, GetRecordRequest, ListRecordsRequest, mediaTypeOf, parseInput, RecordVersionRequest, RequestAccessRequest, RECORDS, VerifyContentRequest, type RecordMediaType } from '@healthledger/contract-api';
import { discloseRecord } from './disclose';
import { grantKey, holdsOpenGrant, type AccessGrant } from './grant';
import { requireRecordReader } from './readers';
import { contentCollection, contentKey, getRecordEntry, mediaTypeBytes, putContent, RECORD_BY_PATIENT, recordKey, saltKey, stagedTypeKey, transientContent, transientCopy, versionOf, type RecordEntry } from './record';

/**
 * Patient records. Content travels as transient data (key `content`: the bytes of a document of
 * the request's `contentType`, up to 4 MiB) into the custodian organisation's implicit
 * collection; the public index `key('record', id)` keeps metadata, each version's media type and
 * the SHA-256 hash chain of the versions, endorsed by the custodian alone.
 */
export class RecordsContract extends HealthContract {
  constructor() {
    super('records');
  }

  /**
   * Submit, step one of creating a record. Stores the content (transient `content`, required) in
   * the caller organisation's implicit collection under the record's version-1 key and writes
   * nothing public, so the custodian's peers alone endorse it and the content reaches no other
   * organisation. Takes the same request as {@link createRecord} and refuses what it would
   * refuse. Callers: clinician or records-admin of a provider organisation. Returns
   * `{ recordId, contentHash }`; step two is `createRecord` with that hash.
   */
  @Tx(RECORDS.stageContent)
  async stageContent(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(CreateRecordRequest, request);
    const contentType = mediaTypeOf(req);
    const content = transientContent(ctx, contentType);
    const salt = transientSalt(ctx);
    if (req.contentHash !== undefined && req.contentHash !== sha256Hex(saltedValue(salt, content))) fail('CONTENT_HASH_MISMATCH', req.recordId);
    if (await ctx.state.exists(recordKey(ctx, req.recordId))) fail('RECORD_EXISTS', req.recordId);
    const contentHash = await putContent(ctx, ctx.caller.mspId, req.recordId, 1, content, salt);
    await ctx.state.putPrivate(contentCollection({ custodian: ctx.caller.mspId }), stagedTypeKey(ctx, req.recordId), mediaTypeBytes(contentType));
    return canonicalJson({ recordId: req.recordId, contentHash });
  }

  /**
   * Submit. Removes content staged by {@link stageContent} whose record was never created (the
   * second step failed): purged from the caller organisation's implicit collection, so nothing of
   * a failed creation stays behind. Refused once the record exists. Same request as
   * `createRecord`. Callers: clinician or records-admin of a provider organisation.
   */
  @Tx(RECORDS.discardStaged)
  async discardStaged(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(CreateRecordRequest, request);
    if (await ctx.state.exists(recordKey(ctx, req.recordId))) fail('RECORD_EXISTS', req.recordId);
    const collection = contentCollection({ custodian: ctx.caller.mspId });
    const key = contentKey(ctx, req.recordId, 1);
    if ((await ctx.state.privateHash(collection, key)) === undefined) fail('CONTENT_NOT_STAGED', req.recordId);
    await ctx.state.purgePrivate(collection, key);
    await ctx.state.purgePrivate(collection, saltKey(ctx, req.recordId, 1));
    await ctx.state.purgePrivate(collection, stagedTypeKey(ctx, req.recordId));
    return canonicalJson({ recordId: req.recordId, discarded: true });
  }

  /**
   * Submit, step two of creating a record: the public index entry. No transient data: the content
   * was staged by {@link stageContent}, and every endorser (of any organisation) checks its hash
   * with `getPrivateDataHash`, which needs no membership. `contentHash` is required here. The
   * caller's organisation becomes the custodian. Callers: clinician or records-admin of a
   * provider organisation. Returns the index entry.
   */
  @Tx(RECORDS.createRecord)
  async createRecord(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(CreateRecordRequest, request);
    const key = recordKey(ctx, req.recordId);
    if (await ctx.state.exists(key)) fail('RECORD_EXISTS', req.recordId);
    const custodian = ctx.caller.mspId;
    const contentHash = req.contentHash ?? fail('VALIDATION_FAILED', 'request/contentHash: is required');
    const staged = await ctx.state.privateHash(contentCollection({ custodian }), contentKey(ctx, req.recordId, 1));
    if (staged === undefined) fail('CONTENT_NOT_STAGED', req.recordId);
    if (staged !== contentHash) fail('CONTENT_HASH_MISMATCH', req.recordId);
    const contentType = mediaTypeOf(req);
    await requireStagedType(ctx, custodian, req.recordId, contentType);

    const stamp = ctx.stamp();
    const record: RecordEntry = {
      recordId: req.recordId,
      patientRef: req.patientRef,
      custodian,
      category: req.category,
      version: 1,
      contentHash,
      previousHash: null,
      contentType,
      versions: [{ version: 1, contentHash, previousHash: null, contentType, at: stamp.at, author: stamp }],
      created: stamp.at,
      updated: stamp.at,
      erased: false,
      updatedBy: stamp,
    };
    await ctx.state.put(key, record);
    await ctx.state.setEndorsers(key, [custodian]);
    await ctx.state.putIndex(RECORD_BY_PATIENT, req.patientRef, req.recordId);
    ctx.changes.add({ type: 'record', id: req.recordId, action: 'created', patientRef: req.patientRef, custodian, version: 1 });
    return canonicalJson(record);
  }

  /**
   * Submit. Adds a new version; earlier versions stay stored and their hashes chain. Callers:
   * clinician or records-admin of the custodian. Transient: `content` (required).
   */
  @Tx(RECORDS.amendRecord)
  async amendRecord(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(AmendRecordRequest, request);
    const record = await getRecordEntry(ctx, req.recordId);
    requireOrg(ctx.caller, record.custodian);
    if (record.erased) fail('RECORD_ERASED', req.recordId);
    if (req.expectedVersion !== undefined && req.expectedVersion !== record.version) fail('RECORD_VERSION_CONFLICT', `${req.recordId} is at v${record.version}`);
    const contentType = mediaTypeOf(req);
    const content = transientContent(ctx, contentType);
    const salt = transientSalt(ctx);
    const contentHash = sha256Hex(saltedValue(salt, content));
    if (req.contentHash !== undefined && req.contentHash !== contentHash) fail('CONTENT_HASH_MISMATCH', req.recordId);

    const stamp = ctx.stamp();
    const version = record.version + 1;
    const amended: RecordEntry = {
      ...record,
      version,
      contentHash,
      previousHash: record.contentHash,
      contentType,
      versions: [...record.versions, { version, contentHash, previousHash: record.contentHash, contentType, at: stamp.at, author: stamp }],
      updated: stamp.at,
      updatedBy: stamp,
    };
    await putContent(ctx, record.custodian, req.recordId, version, content, salt);
    await ctx.state.put(recordKey(ctx, req.recordId), amended);
    ctx.changes.add({ type: 'record', id: req.recordId, action: 'amended', patientRef: record.patientRef, custodian: record.custodian, version });
    return canonicalJson(amended);
  }

  /**
   * Evaluate. A record's index entry (metadata, no content). Callers: see {@link requireRecordReader};
   * also whoever holds a granted access to this record in its read window (e.g. billing staff of
   * a consented organisation): reading the content needs the custodian, named here.
   */
  @Tx(RECORDS.getRecord)
  async getRecord(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(GetRecordRequest, request);
    const record = await getRecordEntry(ctx, req.recordId);
    if (!(await holdsOpenGrant(ctx, record.recordId))) await requireRecordReader(ctx, record.patientRef);
    return canonicalJson(record);
  }

  /**
   * Evaluate. One page of a patient's records (metadata only), in record-id order:
   * `{ items, bookmark }`. Callers: see {@link requireRecordReader}.
   */
  @Tx(RECORDS.listRecords)
  async listRecords(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(ListRecordsRequest, request);
    await requireRecordReader(ctx, req.patientRef);
    const page = await ctx.state.page(RECORD_BY_PATIENT, [req.patientRef], req.pageSize, req.bookmark);
    const items: RecordEntry[] = [];
    for (const entry of page.items) {
      const record = await ctx.state.get<RecordEntry>(recordKey(ctx, entry.attributes[1] ?? ''));
      if (record) items.push(record);
    }
    return canonicalJson({ items, bookmark: page.bookmark });
  }

  /**
   * Submit. Step one of reading content: decides access (consent `checkAccess`, the custodian's
   * own staff for TREAT/HOPERAT, the patient and delegates, break-the-glass with `emergencyId` and
   * purpose ETREAT) and always commits a disclosure entry — a denial returns outcome `denied`, it
   * does not throw. A grant opens a read window of 1 hour. Callers: any identity.
   */
  @Tx(RECORDS.requestAccess)
  async requestAccess(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(RequestAccessRequest, request);
    const record = await getRecordEntry(ctx, req.recordId);
    if (record.erased) fail('RECORD_ERASED', req.recordId);
    const disclosure = await discloseRecord(ctx, record, req.purpose, { emergencyId: req.emergencyId });
    return canonicalJson(disclosure);
  }

  /**
   * Evaluate, on the custodian's peer only (else WRONG_PEER). Step two: returns one version's
   * content (`data`: the stored bytes, base64; `contentType`: their media type) if the same caller holds a granted
   * access from `requestAccess` within its 1-hour window and the access still holds now (a
   * revocation or an emergency's expiry ends it at once). Else ACCESS_NOT_GRANTED.
   */
  @Tx(RECORDS.readContent)
  async readContent(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(RecordVersionRequest, request);
    const record = await getRecordEntry(ctx, req.recordId);
    if (record.erased) fail('RECORD_ERASED', req.recordId);
    const version = versionOf(record, req.version);
    const grant = await ctx.state.get<AccessGrant>(grantKey(ctx, record.recordId, ctx.caller.actor));
    if (!grant || ctx.now.epochMs >= (epochMsFromIso(grant.expiresAt) ?? 0)) fail('ACCESS_NOT_GRANTED', req.recordId);
    const still = await decideAccess(ctx, record, grant.purpose, { emergencyId: grant.emergencyId, trialId: grant.trialId });
    if (still.outcome !== 'granted') fail('ACCESS_NOT_GRANTED', req.recordId);
    const stored = (await readCustodianCopy(ctx, record, version.version)) ?? fail('RECORD_VERSION_NOT_FOUND', `${req.recordId} v${version.version}`);
    const content = stored.salt ? unsalted(stored.value) : stored.value;
    return canonicalJson({
      recordId: record.recordId,
      version: version.version,
      contentHash: version.contentHash,
      disclosureId: grant.disclosureId,
      contentType: mediaTypeOf(version),
      data: Buffer.from(content).toString('base64'),
    });
  }

  /**
   * Submit. Erasure: purges every version's private content (Fabric 2.5 purge) and marks the index
   * erased; the hashes stay, so `verifyContent` still works. Callers: records-admin of the custodian.
   */
  @Tx(RECORDS.eraseRecord)
  async eraseRecord(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(EraseRecordRequest, request);
    const record = await getRecordEntry(ctx, req.recordId);
    requireOrg(ctx.caller, record.custodian);
    if (record.erased) fail('RECORD_ERASED', req.recordId);
    for (const v of record.versions) await ctx.state.purgePrivate(contentCollection(record), contentKey(ctx, record.recordId, v.version));
    const stamp = ctx.stamp();
    const erased: RecordEntry = { ...record, erased: true, erasedAt: stamp.at, erasureReason: req.reason, updated: stamp.at, updatedBy: stamp };
    await ctx.state.put(recordKey(ctx, record.recordId), erased);
    ctx.changes.add({ type: 'record', id: record.recordId, action: 'erased', patientRef: record.patientRef, custodian: record.custodian });
    return canonicalJson(erased);
  }

  /**
   * Evaluate, on the custodian's peer only (else WRONG_PEER): it holds the version's salt. Checks
   * a presented copy (transient `content`, any bytes) against the recorded hash of a version
   * (default latest); with `contentType`, a copy of another media type than the version's does
   * not match. Works after erasure, which keeps the salt. Returns `{ matches, presentedHash,
   * recordedHash, … }`. Callers: see {@link requireRecordReader}.
   */
  @Tx(RECORDS.verifyContent)
  async verifyContent(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(VerifyContentRequest, request);
    const record = await getRecordEntry(ctx, req.recordId);
    await requireRecordReader(ctx, record.patientRef);
    const version = versionOf(record, req.version);
    const presented = transientCopy(ctx);
    const salt = await readCustodianSalt(ctx, record, version.version);
    const presentedHash = sha256Hex(salt ? saltedValue(salt, presented) : presented);
    const sameType = req.contentType === undefined || req.contentType === mediaTypeOf(version);
    const matches = sameType && presentedHash === version.contentHash;
    return canonicalJson({ recordId: record.recordId, version: version.version, erased: record.erased, matches, presentedHash, recordedHash: version.contentHash });
  }
}

/**
 * The custodian's private copy of one version, and whether it is salted (versions written before
 * salting have no salt key and are stored bare). Only the custodian's peers hold it; any other
 * peer refuses ("private data matching public hash version is not available"), which becomes
 * WRONG_PEER. The peer is not asked for its MSP id: a chaincode-as-a-service process knows that
 * only from its environment, and one chaincode server may serve several peers.
 */
async function readCustodianCopy(ctx: HealthContext, record: RecordEntry, version: number): Promise<{ value: Uint8Array; salt: boolean } | undefined> {
  const salt = await readCustodianSalt(ctx, record, version);
  const value = await onCustodianPeer(record, () => ctx.state.getPrivate(contentCollection(record), contentKey(ctx, record.recordId, version)));
  return value === undefined ? undefined : { value, salt: salt !== undefined };
}

/** The salt of one version, from the custodian's peer (WRONG_PEER elsewhere); undefined for a bare version. */
function readCustodianSalt(ctx: HealthContext, record: RecordEntry, version: number): Promise<Uint8Array | undefined> {
  return onCustodianPeer(record, () => ctx.state.getPrivate(contentCollection(record), saltKey(ctx, record.recordId, version)));
}

/**
 * The media type the creation names must be the one the content was staged and checked under:
 * the hash of the staged type key, which every endorser can read. Content staged before media
 * types were recorded has no type key and was checked as JSON.
 */
async function requireStagedType(ctx: HealthContext, custodian: string, recordId: string, contentType: RecordMediaType): Promise<void> {
  const staged = await ctx.state.privateHash(contentCollection({ custodian }), stagedTypeKey(ctx, recordId));
  const expected = staged === undefined ? sha256Hex(mediaTypeBytes('application/json')) : staged;
  if (expected !== sha256Hex(mediaTypeBytes(contentType))) fail('CONTENT_TYPE_MISMATCH', `${recordId}: staged as another type than ${contentType}`);
}

async function onCustodianPeer<T>(record: RecordEntry, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch {
    fail('WRONG_PEER', `${record.recordId} is held by ${record.custodian}`);
  }
}
