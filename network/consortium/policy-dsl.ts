/**
 * The principals a Fabric policy DSL string names (`'Org1MSP.peer'` → `Org1MSP`, `peer`), so the
 * consortium loader can check that a policy names only known organisations. The devnet's full DSL
 * parser lives in `devnet/policy`.
 */
export interface PolicyPrincipal {
  mspId: string;
  role: string;
}

const PRINCIPAL = /'([^'.]+)\.([a-z]+)'/g;
const STRUCTURE = /^(\s*(AND|OR|OutOf)\s*\(|\s*\d+\s*,|\s*'[^']+'\s*[,)]|\s*\)\s*[,)]?|\s*,)+\s*\)?\s*$/;

/** Lists the principals of a DSL policy, or returns undefined if it is not DSL-shaped. */
export function policyPrincipals(dsl: string): PolicyPrincipal[] | undefined {
  if (!STRUCTURE.test(dsl)) return undefined;
  const found: PolicyPrincipal[] = [];
  for (const m of dsl.matchAll(PRINCIPAL)) {
    found.push({ mspId: m[1] ?? '', role: m[2] ?? '' });
  }
  return found.length > 0 ? found : undefined;
}
