/** The trace contract: drug traceability (GS1 EPCIS 2.0, DSCSA, EU FMD). */
import { CaptureRequest } from '../epcis';
import * as S from '../trace';
import * as R from '../trace-results';
import { CaptureResultSchema, PackHistorySchema } from '../epcis-results';
import { defineContract } from './spec';

const MEMBER = { rule: 'any consortium member' } as const;
const TRADER = { roles: ['manufacturer', 'distributor', 'dispenser'], rule: 'trading role (manufacturer, distributor or dispenser) of the owner' } as const;
const HOLDER = { roles: TRADER.roles, rule: 'trading role of the holder' } as const;
const MANUFACTURER = { roles: ['manufacturer'], rule: "manufacturer role of the product's organisation" } as const;
const QUARANTINE_AUTHORITY = { roles: ['manufacturer', 'auditor'], rule: 'manufacturer of the product, or an auditor of a regulator organisation' } as const;

export const TRACE = defineContract('trace', {
  registerProduct: {
    mode: 'submit', request: S.RegisterProductRequest,
    callers: { roles: ['manufacturer'], orgKinds: ['manufacturer'], rule: 'manufacturer role of a manufacturer organisation' },
    summary: 'Register a product (GTIN)',
    result: R.ProductSchema,
  },
  getProduct: { mode: 'evaluate', request: S.ProductQuery, callers: MEMBER, summary: 'One product', result: R.ProductSchema },
  commission: { mode: 'submit', request: S.CommissionRequest, callers: MANUFACTURER, summary: 'Commission packs (one transaction)', result: R.CommissionedSchema },
  aggregate: { mode: 'submit', request: S.AggregateRequest, callers: TRADER, summary: 'Aggregate packs into a container (SSCC)', result: R.ContainerSchema },
  disaggregate: { mode: 'submit', request: S.DisaggregateRequest, callers: TRADER, summary: 'Disaggregate a container', result: R.ContainerSchema },
  ship: { mode: 'submit', request: S.ShipRequest, callers: TRADER, summary: 'Ship packs or containers', result: R.ShipmentSchema },
  receive: {
    mode: 'submit', request: S.ReceiveRequest, callers: { roles: TRADER.roles, rule: 'trading role of the consignee' },
    summary: 'Receive a shipment',
    result: R.ShipmentSchema,
  },
  getShipment: { mode: 'evaluate', request: S.ShipmentQuery, callers: { rule: 'the sender or the consignee organisation' }, summary: 'One shipment', result: R.ShipmentSchema },
  dispense: {
    mode: 'submit', request: S.PackRequest,
    callers: { roles: ['dispenser'], orgKinds: ['provider'], rule: 'dispenser role of the owning provider organisation' },
    summary: 'Dispense (decommission) a pack',
    result: R.PackSchema,
  },
  undoDispense: {
    mode: 'submit', request: S.PackRequest, callers: { roles: ['dispenser'], rule: 'dispenser role of the dispensing organisation, within the undo window' },
    summary: 'Undo a dispense within the window',
    result: R.PackSchema,
  },
  destroy: { mode: 'submit', request: S.DestroyRequest, callers: TRADER, summary: 'Destroy packs or containers', result: R.DestroyedSchema },
  verify: { mode: 'evaluate', request: S.VerifyRequest, callers: MEMBER, summary: 'Verify a pack (SGTIN or scanned barcode)', result: R.VerificationSchema },
  recallLot: { mode: 'submit', request: S.RecallRequest, callers: MANUFACTURER, summary: 'Recall a lot (call again until remaining is 0)', result: R.RecallProgressSchema },
  recallHolders: { mode: 'evaluate', request: S.LotRequest, callers: MEMBER, summary: 'Who holds packs of a lot', result: R.LotHoldersSchema },
  quarantine: { mode: 'submit', request: S.QuarantineRequest, callers: HOLDER, summary: 'Quarantine suspect packs', result: R.QuarantinedSchema },
  clearQuarantine: {
    mode: 'submit', request: S.ResolveQuarantineRequest, callers: QUARANTINE_AUTHORITY, summary: 'Clear a quarantine (pack is legitimate)',
    result: R.PackSchema,
  },
  confirmIllegitimate: {
    mode: 'submit', request: S.ResolveQuarantineRequest, callers: QUARANTINE_AUTHORITY, summary: 'Confirm a quarantined pack illegitimate',
    result: R.PackSchema,
  },
  recordSensorReport: { mode: 'submit', request: S.SensorReportRequest, callers: HOLDER, summary: 'Record sensor (temperature) readings', result: R.SensorReportedSchema },
  recordObservation: {
    mode: 'submit', request: S.ObservationRequest, callers: HOLDER,
    summary: 'Record an EPCIS observation (a business step the ledger does not act on, e.g. inspecting) on packs\' history',
    result: R.ObservedSchema,
  },
  captureEpcis: {
    mode: 'submit', request: CaptureRequest,
    // Every operation an event can become needs a trading role; which one, and of which organisation, the operation decides.
    callers: { roles: TRADER.roles, rule: 'a trading role that may perform the operation the event records' },
    summary: 'Capture one EPCIS 2.0 JSON event or one-event EPCISDocument (POST /epcis/capture takes whole documents)',
    result: CaptureResultSchema,
  },
  packHistory: { mode: 'evaluate', request: S.PackQuery, callers: MEMBER, summary: 'Pack history as an EPCISDocument', result: PackHistorySchema },
  listHoldings: {
    mode: 'evaluate', request: S.HoldingsRequest, callers: { rule: "the owning organisation (a regulator: any owner's)" },
    summary: "Packs the caller's organisation owns (a regulator: any owner's)",
    items: R.HoldingSchema,
  },
  getPack: { mode: 'evaluate', request: S.PackQuery, callers: MEMBER, summary: 'One pack', result: R.PackSchema },
});
