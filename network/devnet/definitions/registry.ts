/**
 * The channel's chaincode definitions and their decoded collections, in one place: the endorser,
 * the gateway service, the committer, deliver and the ledger's block-to-live all ask this
 * registry, so a definition's collections are decoded once and read the same everywhere.
 */
import { decodeCollections, type CollectionRuntime } from './collections';
import { chaincodeDefinition, type ChaincodeDefinitionInput, type ChaincodeDefinitionRuntime } from './definition';

const NO_COLLECTIONS: ReadonlyMap<string, CollectionRuntime> = new Map();

/** Chaincode definitions by name, with their explicit and implicit collections. */
export class ChaincodeRegistry {
  readonly #definitions: ReadonlyMap<string, ChaincodeDefinitionRuntime>;
  readonly #collections = new Map<string, ReadonlyMap<string, CollectionRuntime>>();

  /** `orgs`: the channel's application orgs, one implicit collection each. */
  constructor(
    definitions: Iterable<ChaincodeDefinitionRuntime>,
    private readonly orgs: readonly string[],
  ) {
    this.#definitions = new Map([...definitions].map((def) => [def.name, def]));
  }

  /** A registry of the definitions `inputs` describe. */
  static fromInputs(inputs: readonly ChaincodeDefinitionInput[], orgs: readonly string[]): ChaincodeRegistry {
    return new ChaincodeRegistry(inputs.map(chaincodeDefinition), orgs);
  }

  /** The definition of chaincode `name`, if it is defined on the channel. */
  get(name: string): ChaincodeDefinitionRuntime | undefined {
    return this.#definitions.get(name);
  }

  /** Whether chaincode `name` is defined on the channel. */
  has(name: string): boolean {
    return this.#definitions.has(name);
  }

  /** Every definition, in the order given. */
  all(): ChaincodeDefinitionRuntime[] {
    return [...this.#definitions.values()];
  }

  /** Explicit and implicit collections of chaincode `name` (empty when it is not defined). */
  collections(name: string): ReadonlyMap<string, CollectionRuntime> {
    let found = this.#collections.get(name);
    if (found === undefined) {
      const def = this.#definitions.get(name);
      if (def === undefined) return NO_COLLECTIONS;
      found = decodeCollections(def.collections, this.orgs);
      this.#collections.set(name, found);
    }
    return found;
  }

  /** Collection `coll` of chaincode `name`, or undefined when either does not exist. */
  collection(name: string, coll: string): CollectionRuntime | undefined {
    return this.collections(name).get(coll);
  }

  /** Orgs whose peers keep the collection's private data (none for an unknown collection). */
  collectionMembers(name: string, coll: string): readonly string[] {
    return this.collection(name, coll)?.memberOrgs ?? [];
  }

  /** The collection's `block_to_live` (0, kept forever, for an unknown collection). */
  blockToLive(name: string, coll: string): bigint {
    return this.collection(name, coll)?.blockToLive ?? 0n;
  }
}
