/** A consortium file that does not validate; `field` is a JSON pointer into the file. */
export class ConsortiumError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${source}: ${field || '/'} ${detail}`);
    this.name = 'ConsortiumError';
  }
}
