import { common, type msp } from '@hyperledger/fabric-protos';
import { rolePrincipal, type PrincipalRole } from '../msp';
import { PolicyError } from './errors';

/**
 * Fabric's signature-policy DSL (`policydsl.FromString`): `AND(…)`, `OR(…)`, `OutOf(k, …)`
 * (also spelled `And`/`and`, `Or`/`or`, `outof`/`OUTOF`), nested freely, over principals
 * `'<MSPID>.<role>'` with role member, admin, client, peer or orderer.
 */

type Token = { kind: 'name'; text: string } | { kind: 'string'; text: string } | { kind: 'number'; value: number } | { kind: 'punct'; text: '(' | ')' | ',' };

const GATES: Record<string, 'and' | 'or' | 'outof'> = { AND: 'and', And: 'and', and: 'and', OR: 'or', Or: 'or', or: 'or', OutOf: 'outof', outof: 'outof', OUTOF: 'outof' };
const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;

function tokenize(dsl: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|'([^']*)'|"([^"]*)"|(\d+)|([(),]))/y;
  let at = 0;
  while (at < dsl.length) {
    if (/^\s*$/.test(dsl.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(dsl);
    if (!m) throw new PolicyError(`unrecognized token in policy '${dsl}' at position ${at}`);
    at = pattern.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'name', text: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined) tokens.push({ kind: 'string', text: m[2] ?? m[3] ?? '' });
    else if (m[4] !== undefined) tokens.push({ kind: 'number', value: Number(m[4]) });
    else tokens.push({ kind: 'punct', text: m[5] as '(' | ')' | ',' });
  }
  return tokens;
}

/** A principal a DSL policy names: `'Org1MSP.peer'` is `{ mspId: 'Org1MSP', role: 'peer' }`. */
export interface PolicyPrincipal {
  mspId: string;
  role: PrincipalRole;
}

/** Collects principals once each (by classification and bytes) while building the rule tree. */
class Principals {
  readonly list: msp.MSPPrincipal[] = [];
  readonly named: PolicyPrincipal[] = [];
  private readonly index = new Map<string, number>();

  add(mspId: string, role: PrincipalRole): number {
    const principal = rolePrincipal(mspId, role);
    const key = `${principal.getPrincipalClassification()}:${Buffer.from(principal.getPrincipal_asU8()).toString('base64')}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(principal);
      this.named.push({ mspId, role });
      this.index.set(key, i);
    }
    return i;
  }
}

class Parser {
  private pos = 0;
  constructor(
    private readonly dsl: string,
    private readonly tokens: Token[],
    private readonly principals: Principals,
  ) {}

  policy(): common.SignaturePolicy {
    const rule = this.gate();
    if (this.pos !== this.tokens.length) this.fail('unexpected input after the policy');
    return rule;
  }

  private fail(why: string): never {
    throw new PolicyError(`invalid policy string '${this.dsl}': ${why}`);
  }

  private next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  private expect(text: '(' | ')' | ','): void {
    const t = this.next();
    if (t?.kind !== 'punct' || t.text !== text) this.fail(`expected '${text}'`);
  }

  private gate(): common.SignaturePolicy {
    const name = this.next();
    const gate = name?.kind === 'name' ? GATES[name.text] : undefined;
    if (name?.kind !== 'name' || gate === undefined) this.fail('expected AND, OR or OutOf');
    this.expect('(');
    let threshold: number | undefined;
    if (gate === 'outof') {
      const k = this.next();
      threshold = k?.kind === 'number' ? k.value : k?.kind === 'string' && /^\d+$/.test(k.text) ? Number(k.text) : this.fail('OutOf needs a threshold');
      this.expect(',');
    }
    const rules = this.arguments();
    const n = gate === 'and' ? rules.length : gate === 'or' ? 1 : (threshold ?? 0);
    // Fabric's own sanity check, including its tolerance of t = n + 1.
    if (n < 0 || n > rules.length + 1) this.fail(`Invalid t-out-of-n predicate, t ${n}, n ${rules.length}`);
    return nOutOf(n, rules);
  }

  private arguments(): common.SignaturePolicy[] {
    const rules: common.SignaturePolicy[] = [];
    for (;;) {
      rules.push(this.argument());
      const t = this.next();
      if (t?.kind === 'punct' && t.text === ')') return rules;
      if (t?.kind !== 'punct' || t.text !== ',') this.fail("expected ',' or ')'");
    }
  }

  private argument(): common.SignaturePolicy {
    const t = this.tokens[this.pos];
    if (t?.kind !== 'string') return this.gate();
    this.pos++;
    const m = PRINCIPAL.exec(t.text);
    if (!m) this.fail(`invalid principal '${t.text}'`);
    return signedBy(this.principals.add(m[1] ?? '', m[2] as PrincipalRole));
  }
}

/** `SignaturePolicy{signed_by: index}` */
export function signedBy(index: number): common.SignaturePolicy {
  const rule = new common.SignaturePolicy();
  rule.setSignedBy(index);
  return rule;
}

/** `SignaturePolicy{n_out_of: {n, rules}}` */
export function nOutOf(n: number, rules: common.SignaturePolicy[]): common.SignaturePolicy {
  const gate = new common.SignaturePolicy.NOutOf();
  gate.setN(n);
  gate.setRulesList(rules);
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(gate);
  return rule;
}

/**
 * Parses a DSL policy into a `SignaturePolicyEnvelope` (version 0). Duplicate principals are
 * stored once (a team decision: Fabric's parser repeats them, which evaluates identically).
 * Throws {@link PolicyError}.
 */
export function parsePolicy(dsl: string): common.SignaturePolicyEnvelope {
  const principals = new Principals();
  const rule = new Parser(dsl, tokenize(dsl), principals).policy();
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setRule(rule);
  envelope.setIdentitiesList(principals.list);
  return envelope;
}

/**
 * The principals a DSL policy names, each once, in order of first appearance: what a definition
 * that carries policies checks them against. Throws {@link PolicyError} as {@link parsePolicy} does.
 */
export function policyPrincipals(dsl: string): PolicyPrincipal[] {
  const principals = new Principals();
  new Parser(dsl, tokenize(dsl), principals).policy();
  return principals.named;
}
