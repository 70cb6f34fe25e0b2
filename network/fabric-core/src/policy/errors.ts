/** A policy that cannot be parsed or compiled (bad DSL, out-of-range principal index, …). */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}
