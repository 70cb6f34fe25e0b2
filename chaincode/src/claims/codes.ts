import { type CodeSystem, fail } from '@healthledger/contract-api';

/**
 * Code forms per system. CPT: five digits, or four digits and F (Category II) or T (Category
 * III). HCPCS Level II: a letter A–V and four digits. NDC: the 11-digit 5-4-2 billing form
 * without hyphens (the HIPAA claim form; 10-digit labeler forms must be padded by the sender).
 */
const CODE_FORMS: Record<CodeSystem, RegExp> = {
  CPT: /^\d{4}[0-9FT]$/,
  HCPCS: /^[A-V]\d{4}$/,
  NDC: /^\d{11}$/,
};

/** Fails with VALIDATION_FAILED when `code` is not of the form of `system`; `where` is a JSON pointer. */
export function checkServiceCode(system: CodeSystem, code: string, where: string): void {
  if (!CODE_FORMS[system].test(code)) fail('VALIDATION_FAILED', `${where}: not a ${system} code`);
}

/** The key of a code within a plan's benefits and accumulators, e.g. `CPT:99213`. */
export function codeKey(line: { system: CodeSystem; code: string }): string {
  return `${line.system}:${line.code}`;
}
