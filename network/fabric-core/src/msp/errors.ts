/**
 * Where an identity failed. Fabric's endorser turns `deserialize` failures into "creator org
 * unknown, creator is malformed" and everything else into "creator org [MSP]".
 */
export type MspErrorStage = 'deserialize' | 'validate' | 'verify' | 'principal' | 'config';

/** An identity the channel's MSPs reject; `message` is Fabric's MSP text. */
export class MspError extends Error {
  constructor(
    readonly stage: MspErrorStage,
    message: string,
  ) {
    super(message);
    this.name = 'MspError';
  }
}
