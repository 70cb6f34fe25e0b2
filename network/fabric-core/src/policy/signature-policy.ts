import { common, type msp } from '@hyperledger/fabric-protos';
import type { Identity, MspManager } from '../msp';
import { PolicyError } from './errors';
import type { PolicyResult } from './result';
import { validIdentities, type SignedData } from './signed-data';

/** A compiled rule: consumes identities through the shared `used` flags. */
type Rule = (identities: Identity[], used: boolean[]) => boolean;

function compileRule(rule: common.SignaturePolicy | undefined, principals: msp.MSPPrincipal[]): Rule {
  if (!rule) throw new PolicyError('Empty policy element');
  switch (rule.getTypeCase()) {
    case common.SignaturePolicy.TypeCase.SIGNED_BY: {
      const index = rule.getSignedBy();
      const principal = principals[index];
      if (index < 0 || !principal) throw new PolicyError(`identity index out of range, requested ${index}, but identities length is ${principals.length}`);
      // The first unused identity that satisfies the principal is taken.
      return (identities, used) => {
        for (let i = 0; i < identities.length; i++) {
          if (used[i]) continue;
          if (identities[i]?.satisfies(principal)) {
            used[i] = true;
            return true;
          }
        }
        return false;
      };
    }
    case common.SignaturePolicy.TypeCase.N_OUT_OF: {
      const gate = rule.getNOutOf();
      const n = gate?.getN() ?? 0;
      const children = (gate?.getRulesList() ?? []).map((child) => compileRule(child, principals));
      // Every child runs on a scratch copy of the flags; a child's marks are kept only if it succeeded.
      return (identities, used) => {
        let verified = 0;
        for (const child of children) {
          const scratch = [...used];
          if (child(identities, scratch)) {
            verified++;
            scratch.forEach((flag, i) => (used[i] = flag));
          }
        }
        return verified >= n;
      };
    }
    default:
      throw new PolicyError(`Unknown type: ${rule.getTypeCase()}`);
  }
}

/** A `SignaturePolicyEnvelope` compiled for repeated evaluation (Fabric's cauthdsl). */
export class SignaturePolicy {
  private readonly rule: Rule;

  /** Throws {@link PolicyError} for envelopes Fabric refuses (version ≠ 0, bad indexes, no rule). */
  constructor(readonly envelope: common.SignaturePolicyEnvelope) {
    if (envelope.getVersion() !== 0) {
      throw new PolicyError(`This evaluator only understands messages of version 0, but version was ${envelope.getVersion()}`);
    }
    this.rule = compileRule(envelope.getRule(), envelope.getIdentitiesList());
  }

  /** Decodes and compiles envelope bytes (e.g. a key-level VALIDATION_PARAMETER). */
  static fromBytes(bytes: Uint8Array): SignaturePolicy {
    let envelope: common.SignaturePolicyEnvelope;
    try {
      envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes);
    } catch (err) {
      throw new PolicyError(`failed to unmarshal SignaturePolicyEnvelope: ${(err as Error).message}`);
    }
    return new SignaturePolicy(envelope);
  }

  /** Evaluates already-verified, de-duplicated identities. */
  evaluateIdentities(identities: Identity[]): boolean {
    return this.rule(identities, identities.map(() => false));
  }

  /** Fabric's `EvaluateSignedData`, with its failure text. */
  evaluate(signed: SignedData[], msps: MspManager): PolicyResult {
    return this.evaluateIdentities(validIdentities(signed, msps)) ? { ok: true } : { ok: false, message: 'signature set did not satisfy policy' };
  }
}

const compiled = new WeakMap<common.SignaturePolicyEnvelope, SignaturePolicy>();

/** Compiles once per envelope object. */
export function signaturePolicy(envelope: common.SignaturePolicyEnvelope): SignaturePolicy {
  let policy = compiled.get(envelope);
  if (!policy) {
    policy = new SignaturePolicy(envelope);
    compiled.set(envelope, policy);
  }
  return policy;
}

/**
 * True when the signatures satisfy the envelope (signers de-duplicated and verified, each
 * signer satisfies at most one `signed_by` leaf). An envelope (or envelope bytes) that does not
 * compile is never satisfied, as in Fabric's validator.
 */
export function evaluateSignaturePolicy(envelope: common.SignaturePolicyEnvelope | Uint8Array, signed: SignedData[], msps: MspManager): boolean {
  let policy: SignaturePolicy;
  try {
    policy = envelope instanceof Uint8Array ? SignaturePolicy.fromBytes(envelope) : signaturePolicy(envelope);
  } catch (err) {
    if (err instanceof PolicyError) return false;
    throw err;
  }
  return policy.evaluate(signed, msps).ok;
}
