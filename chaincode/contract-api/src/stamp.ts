import { Type, type Static } from '@sinclair/typebox';

/** Who wrote a ledger entry, and when (no names: a pseudonymous actor id). */
export const StampSchema = Type.Object(
  {
    org: Type.String({ description: 'MSP id of the writer', examples: ['Hospital1MSP'] }),
    role: Type.String({ description: "The writer's role", examples: ['clinician'] }),
    actor: Type.String({ description: 'Pseudonymous actor id (hash of MSP id and certificate subject)', examples: ['5f0c7d0e6b1a4c2e9d8f7a6b5c4d3e2f'] }),
    txId: Type.String({ description: 'The transaction that wrote it', examples: ['9b2e61f0c4d84a3f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271'] }),
    at: Type.String({ description: 'Transaction time (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
  },
  { description: 'Who wrote the entry, and when' },
);

/** Who changed a ledger value last, and when: the chaincode writes it, the gateway maps it. */
export type Stamp = Static<typeof StampSchema>;

/** An example stamp, for the examples of the schemas that embed one. */
export const STAMP_EXAMPLE = {
  org: 'Hospital1MSP',
  role: 'clinician',
  actor: '5f0c7d0e6b1a4c2e9d8f7a6b5c4d3e2f',
  txId: '9b2e61f0c4d84a3f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271',
  at: '2026-12-05T10:15:00.000Z',
};
