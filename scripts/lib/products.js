'use strict';
/** The trace benchmarks' product master data and manufacturer identity. */
const { gs1CheckDigit } = require('@healthledger/contract-api');

/** The demo user who registers products and commissions packs. */
const MANUFACTURER = { mspId: 'ManufacturerMSP', user: 'manufacturer1' };

/**
 * A valid GTIN-14 (check digit computed) from a 13-digit body.
 * @param {string} body13
 * @returns {string}
 */
function gtin14(body13) {
  return body13 + String(gs1CheckDigit(body13));
}

/**
 * Product master data for `gtin`, as the trace contract's `registerProduct` takes it.
 * @param {string} gtin
 */
function productRequest(gtin) {
  return {
    gtin,
    companyPrefixLength: 7,
    name: 'Benchmarkol',
    strength: '10 mg',
    dosageForm: 'tablet',
    packSize: 30,
    storage: { minCelsius: 2, maxCelsius: 25 },
  };
}

module.exports = { MANUFACTURER, gtin14, productRequest };
