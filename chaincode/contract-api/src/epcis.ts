import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { NAMESPACED } from './cbv';
import { IsoDateTime } from './common';

/**
 * EPCIS 2.0 JSON/JSON-LD as GS1 specifies it (EPCIS 2.0 §9 and its JSON schema, CBV 2.0
 * vocabulary), restricted to the event types this ledger records and bounded in size. Fields the
 * ledger does not use are accepted and ignored; extension fields must be namespaced
 * (`example:myField`; this ledger's own are `hl:` = `urn:healthledger:epcis:`: `hl:reason`,
 * `hl:transactionDate`, `hl:transactionStatement`), which {@link checkEpcisFieldNames} enforces
 * since the schema alone cannot say "any other key, if it has a prefix".
 */

/** Most events one captured EPCISDocument may hold (the gateway's capture interface). */
export const MAX_CAPTURE_EVENTS = 100;

const Uri = Type.String({ minLength: 1, maxLength: 512 });
/** A CBV term in bare (`shipping`), URN or Web URI form, or a user vocabulary URI. */
const Term = Type.String({ pattern: '^[A-Za-z0-9_:./#~?=&%+-]{1,200}$' });
const Epc = Type.String({ minLength: 1, maxLength: 512 });
const Extensible = { additionalProperties: true } as const;

function extensible<T extends TProperties>(properties: T) {
  return Type.Object(properties, Extensible);
}

export const EpcisLocation = extensible({ id: Uri });

export const EpcisBizTransaction = Type.Object({ type: Type.Optional(Term), bizTransaction: Uri }, { additionalProperties: false });
export const EpcisSource = Type.Object({ type: Term, source: Uri }, { additionalProperties: false });
export const EpcisDestination = Type.Object({ type: Term, destination: Uri }, { additionalProperties: false });

/** A sensorReport: any CBV/GS1 measurement type; the ledger acts on `Temperature` in CEL or FAR. */
export const EpcisSensorReport = extensible({
  type: Term,
  value: Type.Optional(Type.Number()),
  minValue: Type.Optional(Type.Number()),
  maxValue: Type.Optional(Type.Number()),
  uom: Type.Optional(Type.String({ maxLength: 20 })),
  time: Type.Optional(IsoDateTime),
});
export type EpcisSensorReport = Static<typeof EpcisSensorReport>;

export const EpcisSensorElement = extensible({
  sensorMetadata: Type.Optional(extensible({ time: Type.Optional(IsoDateTime), startTime: Type.Optional(IsoDateTime), endTime: Type.Optional(IsoDateTime) })),
  sensorReport: Type.Array(EpcisSensorReport, { minItems: 1, maxItems: 500 }),
});

/**
 * Instance/lot master data (GS1 CBV 2.0 §8, `cbvmda:` = `urn:epcglobal:cbv:mda:`). Commissioning
 * needs `cbvmda:lotNumber` and `cbvmda:itemExpirationDate` (`YYYY-MM-DD`); other attributes are
 * ignored. The bare keys (`lotNumber`) are not EPCIS 2.0 and are refused.
 */
export const EpcisIlmd = extensible({
  'cbvmda:lotNumber': Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  'cbvmda:itemExpirationDate': Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
});

/** The event types of EPCIS 2.0; the ledger records Object, Aggregation and Transaction events. */
export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const;

const EventProperties = {
  '@context': Type.Optional(Type.Unknown()),
  type: Type.Union(EPCIS_EVENT_TYPES.map((t) => Type.Literal(t))),
  eventID: Type.Optional(Uri),
  eventTime: IsoDateTime,
  eventTimeZoneOffset: Type.Optional(Type.String({ pattern: '^[+-]\\d{2}:\\d{2}$' })),
  recordTime: Type.Optional(IsoDateTime),
  certificationInfo: Type.Optional(Type.Unknown()),
  errorDeclaration: Type.Optional(Type.Unknown()),
  action: Type.Optional(Type.Union([Type.Literal('ADD'), Type.Literal('OBSERVE'), Type.Literal('DELETE')])),
  bizStep: Type.Optional(Term),
  disposition: Type.Optional(Term),
  persistentDisposition: Type.Optional(Type.Unknown()),
  epcList: Type.Optional(Type.Array(Epc, { maxItems: 2000 })),
  quantityList: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100 })),
  parentID: Type.Optional(Epc),
  childEPCs: Type.Optional(Type.Array(Epc, { maxItems: 2000 })),
  childQuantityList: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100 })),
  readPoint: Type.Optional(EpcisLocation),
  bizLocation: Type.Optional(EpcisLocation),
  ilmd: Type.Optional(EpcisIlmd),
  bizTransactionList: Type.Optional(Type.Array(EpcisBizTransaction, { maxItems: 20 })),
  sourceList: Type.Optional(Type.Array(EpcisSource, { maxItems: 20 })),
  destinationList: Type.Optional(Type.Array(EpcisDestination, { maxItems: 20 })),
  sensorElementList: Type.Optional(Type.Array(EpcisSensorElement, { maxItems: 20 })),
  'hl:reason': Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' })),
  'hl:transactionDate': Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  'hl:transactionStatement': Type.Optional(
    Type.Object({ attested: Type.Literal(true), text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) }, { additionalProperties: false }),
  ),
};

export const EpcisEvent = extensible(EventProperties);
export type EpcisEvent = Static<typeof EpcisEvent>;

const DocumentProperties = {
  '@context': Type.Unknown(),
  id: Type.Optional(Uri),
  type: Type.Literal('EPCISDocument'),
  schemaVersion: Type.String({ pattern: '^\\d+(\\.\\d+)*$' }),
  creationDate: IsoDateTime,
  instanceIdentifier: Type.Optional(Type.String({ maxLength: 256 })),
  sender: Type.Optional(Type.String({ maxLength: 256 })),
  receiver: Type.Optional(Type.String({ maxLength: 256 })),
  epcisHeader: Type.Optional(Type.Unknown()),
};

/** An EPCISDocument as the capture interface takes it: 1 to {@link MAX_CAPTURE_EVENTS} events. */
export const EpcisCaptureDocument = extensible({
  ...DocumentProperties,
  epcisBody: extensible({ eventList: Type.Array(EpcisEvent, { minItems: 1, maxItems: MAX_CAPTURE_EVENTS }) }),
});
export type EpcisCaptureDocument = Static<typeof EpcisCaptureDocument>;

/** `captureEpcis` takes one event, or an EPCISDocument holding exactly one. */
export const CaptureRequest = Type.Union([
  EpcisEvent,
  extensible({ ...DocumentProperties, '@context': Type.Optional(Type.Unknown()), schemaVersion: Type.Optional(DocumentProperties.schemaVersion), creationDate: Type.Optional(IsoDateTime), epcisBody: extensible({ eventList: Type.Array(EpcisEvent, { minItems: 1, maxItems: 1 }) }) }),
]);
export type CaptureRequest = Static<typeof CaptureRequest>;

/** The JSON-LD context of documents this ledger returns: GS1's EPCIS 2.0 context, plus `hl:`. */
export const EPCIS_CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { hl: 'urn:healthledger:epcis:' }];

/** The standard fields of each object an EPCIS event may hold; other keys must be namespaced. */
const KNOWN_FIELDS: Record<string, readonly string[]> = {
  event: Object.keys(EventProperties),
  document: [...Object.keys(DocumentProperties), 'epcisBody'],
  epcisBody: ['eventList'],
  readPoint: ['id'],
  bizLocation: ['id'],
  sensorElement: ['sensorMetadata', 'sensorReport'],
  sensorMetadata: ['time', 'deviceID', 'deviceMetadata', 'rawData', 'startTime', 'endTime', 'dataProcessingMethod', 'bizRules'],
  sensorReport: [
    'type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules', 'time', 'microorganism', 'chemicalSubstance',
    'coordinateReferenceSystem', 'value', 'component', 'stringValue', 'booleanValue', 'hexBinaryValue', 'uriValue', 'minValue', 'maxValue', 'meanValue',
    'sDev', 'percRank', 'percValue', 'uom',
  ],
  ilmd: [],
};


/**
 * The first key of `value` (of kind `kind`, at JSON path `path`) that is neither a standard EPCIS
 * field nor namespaced, as `path/key`; undefined when every key is acceptable.
 */
export function unknownEpcisField(value: Record<string, unknown>, kind: keyof typeof KNOWN_FIELDS, path: string): string | undefined {
  const known = KNOWN_FIELDS[kind] ?? [];
  const key = Object.keys(value).find((k) => !known.includes(k) && !NAMESPACED.test(k));
  return key === undefined ? undefined : `${path}/${key}`;
}

/** Every non-standard, non-namespaced key of an event, as JSON paths (see {@link unknownEpcisField}). */
export function checkEpcisFieldNames(event: EpcisEvent, path: string): string | undefined {
  const checks: (string | undefined)[] = [unknownEpcisField(event, 'event', path)];
  if (event.readPoint) checks.push(unknownEpcisField(event.readPoint, 'readPoint', `${path}/readPoint`));
  if (event.bizLocation) checks.push(unknownEpcisField(event.bizLocation, 'bizLocation', `${path}/bizLocation`));
  if (event.ilmd) checks.push(unknownEpcisField(event.ilmd, 'ilmd', `${path}/ilmd`));
  event.sensorElementList?.forEach((element, i) => {
    const at = `${path}/sensorElementList/${i}`;
    checks.push(unknownEpcisField(element, 'sensorElement', at));
    if (element.sensorMetadata) checks.push(unknownEpcisField(element.sensorMetadata, 'sensorMetadata', `${at}/sensorMetadata`));
    element.sensorReport.forEach((report, j) => checks.push(unknownEpcisField(report, 'sensorReport', `${at}/sensorReport/${j}`)));
  });
  return checks.find((c) => c !== undefined);
}
