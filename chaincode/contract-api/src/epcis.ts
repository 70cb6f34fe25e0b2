import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { IsoDateTime } from './common';

/**
 * The EPCIS 2.0 JSON event shapes the trace contract accepts (GS1 EPCIS 2.0 §9, JSON-LD
 * binding), restricted to the fields it uses. Extension fields use the `hl:` prefix
 * (`urn:healthledger:epcis:`): `hl:reason`, `hl:transactionDate`, `hl:transactionStatement`.
 */

const Uri = Type.String({ minLength: 1, maxLength: 512 });
const Term = Type.String({ pattern: '^[A-Za-z0-9_:./#-]{1,120}$' });
const Epc = Type.String({ minLength: 1, maxLength: 512 });

export const EpcisLocation = Type.Object({ id: Uri }, { additionalProperties: false });

export const EpcisBizTransaction = Type.Object({ type: Type.Optional(Term), bizTransaction: Uri }, { additionalProperties: false });
export const EpcisSource = Type.Object({ type: Term, source: Uri }, { additionalProperties: false });
export const EpcisDestination = Type.Object({ type: Term, destination: Uri }, { additionalProperties: false });

export const EpcisSensorReport = Type.Object(
  {
    type: Type.String({ pattern: '^(gs1:Temperature|Temperature|https://gs1\\.org/voc/Temperature)$' }),
    value: Type.Number(),
    uom: StringEnum(['CEL', 'FAR']),
    time: Type.Optional(IsoDateTime),
  },
  { additionalProperties: false },
);

export const EpcisSensorElement = Type.Object(
  {
    sensorMetadata: Type.Optional(Type.Object({ time: Type.Optional(IsoDateTime), deviceID: Type.Optional(Uri) }, { additionalProperties: false })),
    sensorReport: Type.Array(EpcisSensorReport, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);

export const EpcisIlmd = Type.Object(
  { lotNumber: Type.Optional(Type.String({ maxLength: 20 })), itemExpirationDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })) },
  { additionalProperties: false },
);

export const EpcisEvent = Type.Object(
  {
    '@context': Type.Optional(Type.Unknown()),
    type: StringEnum(['ObjectEvent', 'AggregationEvent', 'TransactionEvent']),
    eventID: Type.Optional(Uri),
    eventTime: IsoDateTime,
    eventTimeZoneOffset: Type.Optional(Type.String({ pattern: '^[+-]\\d{2}:\\d{2}$' })),
    recordTime: Type.Optional(IsoDateTime),
    action: StringEnum(['ADD', 'OBSERVE', 'DELETE']),
    bizStep: Type.Optional(Term),
    disposition: Type.Optional(Term),
    epcList: Type.Optional(Type.Array(Epc, { maxItems: 2000 })),
    parentID: Type.Optional(Epc),
    childEPCs: Type.Optional(Type.Array(Epc, { maxItems: 2000 })),
    readPoint: Type.Optional(EpcisLocation),
    bizLocation: Type.Optional(EpcisLocation),
    ilmd: Type.Optional(EpcisIlmd),
    bizTransactionList: Type.Optional(Type.Array(EpcisBizTransaction, { maxItems: 10 })),
    sourceList: Type.Optional(Type.Array(EpcisSource, { maxItems: 10 })),
    destinationList: Type.Optional(Type.Array(EpcisDestination, { maxItems: 10 })),
    sensorElementList: Type.Optional(Type.Array(EpcisSensorElement, { maxItems: 10 })),
    'hl:reason': Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' })),
    'hl:transactionDate': Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    'hl:transactionStatement': Type.Optional(
      Type.Object({ attested: Type.Literal(true), text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type EpcisEvent = Static<typeof EpcisEvent>;

/** `captureEpcis` takes one event, or an EPCISDocument holding exactly one. */
export const CaptureRequest = Type.Union([
  EpcisEvent,
  Type.Object(
    {
      '@context': Type.Optional(Type.Unknown()),
      type: Type.Literal('EPCISDocument'),
      schemaVersion: Type.Optional(Type.String()),
      creationDate: Type.Optional(IsoDateTime),
      epcisBody: Type.Object({ eventList: Type.Array(EpcisEvent, { minItems: 1, maxItems: 1 }) }, { additionalProperties: false }),
    },
    { additionalProperties: false },
  ),
]);
export type CaptureRequest = Static<typeof CaptureRequest>;

/** The JSON-LD context of documents this contract returns. */
export const EPCIS_CONTEXT = ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { hl: 'urn:healthledger:epcis:' }];
