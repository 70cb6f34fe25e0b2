/**
 * EPCIS 2.0 JSON as this ledger answers it: a pack's history as an EPCISDocument, and what a
 * captured event became. The events themselves are GS1's EPCIS 2.0 JSON (validated against GS1's
 * JSON schema in the tests), so their schema here is open; the examples show one.
 */
import { Type } from '@sinclair/typebox';
import { EPCIS_CONTEXT } from './epcis';
import { STAMP_EXAMPLE } from './stamp';

/** A commissioning event as a pack's history shows it. */
export const EPCIS_EVENT_EXAMPLE = {
  type: 'ObjectEvent',
  eventID: `urn:healthledger:tx:${STAMP_EXAMPLE.txId}`,
  eventTime: '2026-12-05T10:15:00.000Z',
  eventTimeZoneOffset: '+00:00',
  recordTime: STAMP_EXAMPLE.at,
  action: 'ADD',
  bizStep: 'commissioning',
  disposition: 'active',
  epcList: ['urn:epc:id:sgtin:9506000.013435.P0001'],
  ilmd: { 'cbvmda:lotNumber': 'L2026A', 'cbvmda:itemExpirationDate': '2030-06-30' },
};

/** One EPCIS 2.0 JSON event (open: GS1's schema governs it). */
export const EpcisEventJson = Type.Object(
  {
    type: Type.String({ description: 'ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent', examples: ['ObjectEvent'] }),
    eventTime: Type.String({ description: 'When it happened, as reported', examples: [EPCIS_EVENT_EXAMPLE.eventTime] }),
  },
  {
    additionalProperties: true,
    description: 'An EPCIS 2.0 JSON event; `eventID` is `urn:healthledger:tx:` + the transaction id, `recordTime` the transaction time',
    examples: [EPCIS_EVENT_EXAMPLE],
  },
);

export const PackHistorySchema = Type.Object(
  {
    '@context': Type.Unknown({ description: "GS1's EPCIS 2.0 JSON-LD context and the hl: extension namespace", examples: [EPCIS_CONTEXT] }),
    type: Type.Literal('EPCISDocument', { description: 'An EPCIS document' }),
    schemaVersion: Type.String({ description: 'EPCIS version', examples: ['2.0'] }),
    creationDate: Type.String({ description: 'When the document was made: the evaluation time (ISO 8601 UTC)', examples: [STAMP_EXAMPLE.at] }),
    epcisBody: Type.Object(
      { eventList: Type.Array(EpcisEventJson, { description: "The pack's events, oldest first" }) },
      { additionalProperties: true, description: 'The events' },
    ),
  },
  { additionalProperties: true, description: "A pack's history as an EPCIS 2.0 document (GS1 JSON)" },
);

export const CaptureResultSchema = Type.Object(
  {
    operation: Type.String({ description: 'The trace transaction the event became (commission, aggregate, ship, receive, dispense, …)', examples: ['commission'] }),
    result: Type.Object({}, { additionalProperties: true, description: "That transaction's answer (see its own operation)", examples: [{ gtin: '09506000134352', lot: 'L2026A', count: 1 }] }),
  },
  { description: 'What the captured event became' },
);
