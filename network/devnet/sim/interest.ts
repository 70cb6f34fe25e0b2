/**
 * The ChaincodeInterest an endorsing peer returns with its ProposalResponse (Fabric's
 * `Endorser.buildChaincodeInterest`): which chaincode and collection policies the transaction's
 * writes and private reads will be validated against, and the key-level (state-based) policies of
 * the keys it wrote. The gateway plans the remaining endorsers from it; with transient data it
 * also restricts them to members of every collection named here.
 */
import { common, peer } from '@hyperledger/fabric-protos';

/** Metadata key of a key-level (state-based) endorsement policy. */
const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** The empty collection name stands for a namespace's public keys, as in Fabric. */
const PUBLIC = '';

/** Records, during one simulation, what the interest is built from. */
export class InterestRecorder {
  /** namespace → collection ('' = public) → whether a written key had no key-level policy. */
  private readonly required = new Map<string, Map<string, boolean>>();
  /** namespace → key-level policies of written keys, in write order. */
  private readonly keyPolicies = new Map<string, Uint8Array[]>();
  /** namespace → collections whose values (not only hashes) were read. */
  private readonly privateReads = new Map<string, Set<string>>();

  /** A write of a key whose committed metadata is `metadata` (undefined when the key is new). */
  write(ns: string, coll: string, metadata: ReadonlyMap<string, Uint8Array> | undefined): void {
    let byColl = this.required.get(ns);
    if (!byColl) {
      byColl = new Map([[PUBLIC, false]]);
      this.required.set(ns, byColl);
    }
    const sbe = metadata?.get(VALIDATION_PARAMETER);
    if (sbe) {
      const list = this.keyPolicies.get(ns) ?? [];
      list.push(sbe);
      this.keyPolicies.set(ns, list);
      // Fabric creates the collection's entry only for keys without a key-level policy.
      return;
    }
    byColl.set(coll, true);
  }

  privateRead(ns: string, coll: string): void {
    const set = this.privateReads.get(ns) ?? new Set<string>();
    set.add(coll);
    this.privateReads.set(ns, set);
  }

  /**
   * The interest, given the namespaces of the public rwset (`publicNamespaces`): a namespace that
   * was only read needs its chaincode policy; system namespaces are left out.
   */
  build(publicNamespaces: readonly string[], isSystem: (ns: string) => boolean): peer.ChaincodeInterest {
    const required = new Map([...this.required].map(([ns, byColl]) => [ns, new Map(byColl)]));
    for (const ns of publicNamespaces) {
      if (isSystem(ns) || required.has(ns)) continue;
      required.set(ns, new Map([[PUBLIC, true]]));
    }
    for (const [ns, colls] of this.privateReads) {
      const byColl = required.get(ns) ?? new Map<string, boolean>();
      for (const coll of colls) byColl.set(coll, true);
      required.set(ns, byColl);
    }
    const interest = new peer.ChaincodeInterest();
    for (const [ns, byColl] of required) {
      if (isSystem(ns)) continue;
      for (const [coll, isRequired] of byColl) {
        const call = new peer.ChaincodeCall();
        call.setName(ns);
        if (coll === PUBLIC) {
          const keyPolicies = this.keyPolicies.get(ns) ?? [];
          if (keyPolicies.length > 0) {
            call.setKeyPoliciesList(keyPolicies.map((bytes) => common.SignaturePolicyEnvelope.deserializeBinary(bytes)));
            if (!isRequired) call.setDisregardNamespacePolicy(true);
          } else if (!isRequired) {
            continue;
          }
        } else {
          call.setCollectionNamesList([coll]);
          call.setNoPrivateReads(!(this.privateReads.get(ns)?.has(coll) ?? false));
        }
        interest.addChaincodes(call);
      }
    }
    return interest;
  }
}
