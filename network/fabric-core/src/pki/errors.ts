/** Crypto material that cannot be loaded or issued (unreadable tree, inconsistent files). */
export class MaterialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MaterialError';
  }
}
