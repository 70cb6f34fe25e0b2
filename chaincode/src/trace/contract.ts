import type { TSchema } from '@sinclair/typebox';
import { canonicalJson, dateOf, HealthContext, HealthContract, requireOrgKind, Tx } from '../shared';
import { fail, parseInput, validateValue, TRACE } from '@healthledger/contract-api';
import { recordSensorReport } from './cold-chain';
import { commission } from './commissioning';
import { aggregate, disaggregate } from './containers';
import { receive, requireShipment, ship, shipmentKey } from './custody';
import { destroy, dispense, undoDispense } from './dispensing';
import { CaptureRequest, commandOf, eventOf, type TraceCommand } from './epcis';
import { packHistory } from './history';
import { listHoldings } from './holdings';
import { recordObservation } from './observations';
import { requireGtin } from './identifiers';
import { requirePack } from './packs';
import { registerProduct, requireProduct } from './products';
import { clearQuarantine, confirmIllegitimate, quarantine } from './quarantine';
import { recallHolders, recallLot } from './recall';
import * as S from '@healthledger/contract-api';
import { verify } from './verification';

/**
 * Drug traceability (GS1 EPCIS 2.0, US DSCSA, EU FMD). Every function takes one JSON string
 * `request` (schemas in `trace/schemas.ts`) and returns canonical JSON. No transient data is
 * used: traceability data names products, lots and organisations, never patients.
 */
export class TraceContract extends HealthContract {
  constructor() {
    super('trace');
  }

  /** Submit. Role manufacturer of a manufacturer org: registers product master data (`RegisterProductRequest`). */
  @Tx(TRACE.registerProduct)
  async registerProduct(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await registerProduct(ctx, parseInput(S.RegisterProductRequest, request)));
  }

  /** Evaluate. Any consortium member: product master data (`ProductQuery`). */
  @Tx(TRACE.getProduct)
  async getProduct(ctx: HealthContext, request: string): Promise<string> {
    const { gtin } = parseInput(S.ProductQuery, request);
    requireMember(ctx);
    requireGtin(gtin, 'request/gtin');
    return canonicalJson(await requireProduct(ctx, gtin));
  }

  /** Submit. Role manufacturer of the product's org: commissions up to 2,000 serials of one lot (`CommissionRequest`); all or nothing. */
  @Tx(TRACE.commission)
  async commission(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await commission(ctx, parseInput(S.CommissionRequest, request)));
  }

  /** Submit. Trading role (manufacturer/distributor/dispenser) of the owner: packs packs/containers into an SSCC (`AggregateRequest`). */
  @Tx(TRACE.aggregate)
  async aggregate(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await aggregate(ctx, parseInput(S.AggregateRequest, request)));
  }

  /** Submit. Trading role of the owner: unpacks named children, or all (`DisaggregateRequest`). */
  @Tx(TRACE.disaggregate)
  async disaggregate(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await disaggregate(ctx, parseInput(S.DisaggregateRequest, request)));
  }

  /** Submit. Trading role of the owner: ships to a partner with DSCSA TI and TS (`ShipRequest`). */
  @Tx(TRACE.ship)
  async ship(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await ship(ctx, parseInput(S.ShipRequest, request)));
  }

  /** Submit. Trading role of the consignee only: receives a shipment, which must match (`ReceiveRequest`). Endorsed by sender and consignee. */
  @Tx(TRACE.receive)
  async receive(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await receive(ctx, parseInput(S.ReceiveRequest, request)));
  }

  /** Evaluate. Sender or consignee org: a shipment with its DSCSA transaction information (`ShipmentQuery`). */
  @Tx(TRACE.getShipment)
  async getShipment(ctx: HealthContext, request: string): Promise<string> {
    const shipment = await requireShipment(ctx, parseInput(S.ShipmentQuery, request).shipmentId);
    if (ctx.caller.mspId !== shipment.from && ctx.caller.mspId !== shipment.to && ctx.caller.orgKind !== 'regulator') {
      fail('ORG_FORBIDDEN', `${ctx.caller.mspId} is not a party to ${shipment.id}`);
    }
    return canonicalJson(shipment);
  }

  /** Submit. Role dispenser of the owning provider org: dispenses (decommissions) a pack (`PackRequest`). */
  @Tx(TRACE.dispense)
  async dispense(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await dispense(ctx, parseInput(S.PackRequest, request)));
  }

  /** Submit. Role dispenser of the dispensing org, within 10 days: reverts a dispense (`PackRequest`). */
  @Tx(TRACE.undoDispense)
  async undoDispense(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await undoDispense(ctx, parseInput(S.PackRequest, request)));
  }

  /** Submit. Trading role of the owner: destroys packs/containers with a reason code (`DestroyRequest`). */
  @Tx(TRACE.destroy)
  async destroy(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await destroy(ctx, parseInput(S.DestroyRequest, request)));
  }

  /** Evaluate. Any consortium member: authentic?, status, owner, flags and lot/expiry mismatches (`VerifyRequest`). */
  @Tx(TRACE.verify)
  async verify(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await verify(ctx, parseInput(S.VerifyRequest, request)));
  }

  /** Submit. Role manufacturer of the product's org: recalls a lot, flagging up to `maxPacks` packs per call (`RecallRequest`). Endorsed by every holder. */
  @Tx(TRACE.recallLot)
  async recallLot(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await recallLot(ctx, parseInput(S.RecallRequest, request)));
  }

  /** Evaluate. Any consortium member: every current holder of a lot with counts (`LotRequest`). */
  @Tx(TRACE.recallHolders)
  async recallHolders(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await recallHolders(ctx, parseInput(S.LotRequest, request)));
  }

  /** Submit. Trading role of the holder: quarantines suspect packs/containers (`QuarantineRequest`). */
  @Tx(TRACE.quarantine)
  async quarantine(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await quarantine(ctx, parseInput(S.QuarantineRequest, request)));
  }

  /** Submit. Manufacturer of the product or regulator auditor: clears a quarantine (`ResolveQuarantineRequest`). Endorsed by the owner too. */
  @Tx(TRACE.clearQuarantine)
  async clearQuarantine(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await clearQuarantine(ctx, parseInput(S.ResolveQuarantineRequest, request)));
  }

  /** Submit. Manufacturer of the product or regulator auditor: confirms a quarantined pack illegitimate; emits the notification event (`ResolveQuarantineRequest`). */
  @Tx(TRACE.confirmIllegitimate)
  async confirmIllegitimate(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await confirmIllegitimate(ctx, parseInput(S.ResolveQuarantineRequest, request)));
  }

  /** Submit. Trading role of the holder: records temperature readings; excursions make packs non-sellable (`SensorReportRequest`). */
  @Tx(TRACE.recordSensorReport)
  async recordSensorReport(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await recordSensorReport(ctx, parseInput(S.SensorReportRequest, request)));
  }

  /** Submit. Trading role of the holder: records an event the ledger does not act on in the packs' history (`ObservationRequest`). */
  @Tx(TRACE.recordObservation)
  async recordObservation(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await recordObservation(ctx, parseInput(S.ObservationRequest, request)));
  }

  /**
   * Submit. Accepts one EPCIS 2.0 JSON event (or a one-event EPCISDocument) and performs the
   * operation it records, or records it as an observation; the caller needs that operation's
   * role (`CaptureRequest`). Returns `{ operation, result }`.
   */
  @Tx(TRACE.captureEpcis)
  async captureEpcis(ctx: HealthContext, request: string): Promise<string> {
    const event = eventOf(parseInput(CaptureRequest, request));
    const ledger = { shipmentExists: (id: string) => ctx.state.exists(shipmentKey(ctx, id)) };
    const command = await commandOf(event, Number(dateOf(ctx.now.epochMs).slice(0, 4)), ledger);
    return canonicalJson({ operation: command.fn, result: await run(ctx, command) });
  }

  /** Evaluate. Any consortium member: the pack's history as an EPCISDocument (`PackQuery`). */
  @Tx(TRACE.packHistory)
  async packHistory(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await packHistory(ctx, parseInput(S.PackQuery, request)));
  }

  /** Evaluate. The owning org (a regulator: any org): its packs, paginated (`HoldingsRequest`). */
  @Tx(TRACE.listHoldings)
  async listHoldings(ctx: HealthContext, request: string): Promise<string> {
    return canonicalJson(await listHoldings(ctx, parseInput(S.HoldingsRequest, request)));
  }

  /** Evaluate. Any consortium member: the pack as stored (`PackQuery`). */
  @Tx(TRACE.getPack)
  async getPack(ctx: HealthContext, request: string): Promise<string> {
    const { gtin, serial } = parseInput(S.PackQuery, request);
    requireMember(ctx);
    requireGtin(gtin, 'request/gtin');
    return canonicalJson(await requirePack(ctx, gtin, serial));
  }
}

function requireMember(ctx: HealthContext): void {
  if (!ctx.caller.orgKind) requireOrgKind(ctx.caller, 'provider', 'payer', 'manufacturer', 'distributor', 'regulator');
}

/** Runs the operation an EPCIS event stands for, after validating its compact request. */
async function run(ctx: HealthContext, command: TraceCommand): Promise<unknown> {
  const checked = <T extends TSchema>(schema: T) => validateValue(schema, command.request);
  switch (command.fn) {
    case 'commission':
      return commission(ctx, checked(S.CommissionRequest));
    case 'aggregate':
      return aggregate(ctx, checked(S.AggregateRequest));
    case 'disaggregate':
      return disaggregate(ctx, checked(S.DisaggregateRequest));
    case 'ship':
      return ship(ctx, checked(S.ShipRequest));
    case 'receive':
      return receive(ctx, checked(S.ReceiveRequest));
    case 'dispense':
      return dispense(ctx, checked(S.PackRequest));
    case 'destroy':
      return destroy(ctx, checked(S.DestroyRequest));
    case 'quarantine':
      return quarantine(ctx, checked(S.QuarantineRequest));
    case 'recordSensorReport':
      return recordSensorReport(ctx, checked(S.SensorReportRequest));
    case 'recordObservation':
      return recordObservation(ctx, checked(S.ObservationRequest));
  }
}
