/** A signature that Fabric's BCCSP would refuse; the message is BCCSP's own text. */
export class SignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureError';
  }
}
