// @ts-nocheck
/* eslint-disable */
// Generated from schema.ts by shape-source.ts (Ajv standalone code): do not edit. Regenerate with
// `npm run consortium-validator`; network/consortium/shape-validator.test.ts checks it is current.
"use strict";
export const validate = validate10;
export default validate10;
const schema11 = {"type":"object","additionalProperties":false,"required":["channel","chaincode","orderer","organizations"],"properties":{"channel":{"type":"string","pattern":"^[a-z][a-z0-9.-]*$","maxLength":249},"chaincode":{"type":"object","additionalProperties":false,"required":["name","version","sequence","endorsementPolicy"],"properties":{"name":{"type":"string","pattern":"^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$"},"version":{"type":"string","minLength":1},"sequence":{"type":"integer","minimum":1},"endorsementPolicy":{"type":"string","minLength":1},"address":{"type":"string","pattern":"^[^:]+:[0-9]+$"}}},"orderer":{"type":"object","additionalProperties":false,"required":["mspId","domain","port"],"properties":{"mspId":{"type":"string","pattern":"^[A-Za-z][A-Za-z0-9]*MSP$"},"domain":{"type":"string","pattern":"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"},"port":{"type":"integer","minimum":1,"maximum":65535},"batchTimeoutMs":{"type":"integer","minimum":0,"maximum":60000},"maxMessageCount":{"type":"integer","minimum":1,"maximum":100000}}},"collections":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["name","memberOrgs"],"properties":{"name":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9_-]*$"},"memberOrgs":{"type":"array","minItems":1,"items":{"type":"string","pattern":"^[A-Za-z][A-Za-z0-9]*MSP$"},"uniqueItems":true},"requiredPeerCount":{"type":"integer","minimum":0},"maxPeerCount":{"type":"integer","minimum":0},"blockToLive":{"type":"integer","minimum":0},"memberOnlyRead":{"type":"boolean"},"memberOnlyWrite":{"type":"boolean"},"endorsementPolicy":{"type":"string","minLength":1}}}},"organizations":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,"required":["mspId","name","kind","domain","peers","users"],"properties":{"mspId":{"type":"string","pattern":"^[A-Za-z][A-Za-z0-9]*MSP$"},"name":{"type":"string","minLength":1},"kind":{"enum":["provider","payer","manufacturer","distributor","regulator","research"]},"domain":{"type":"string","pattern":"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"},"peers":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,"required":["name","port"],"properties":{"name":{"type":"string","pattern":"^[a-z0-9][a-z0-9._-]*$","maxLength":64},"port":{"type":"integer","minimum":1,"maximum":65535}}}},"users":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["name","role"],"properties":{"name":{"type":"string","pattern":"^[a-z0-9][a-z0-9._-]*$","maxLength":64},"role":{"enum":["patient","clinician","records-admin","billing","adjudicator","manufacturer","distributor","dispenser","auditor","admin","researcher"]},"patientId":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"},"practitionerId":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"}}}}}}}}};
const func2 = require("ajv/dist/runtime/ucs2length").default;
const pattern0 = new RegExp("^[a-z][a-z0-9.-]*$", "u");
const pattern1 = new RegExp("^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$", "u");
const pattern2 = new RegExp("^[^:]+:[0-9]+$", "u");
const pattern3 = new RegExp("^[A-Za-z][A-Za-z0-9]*MSP$", "u");
const pattern4 = new RegExp("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", "u");
const pattern5 = new RegExp("^[A-Za-z0-9][A-Za-z0-9_-]*$", "u");
const pattern9 = new RegExp("^[a-z0-9][a-z0-9._-]*$", "u");
const pattern11 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$", "u");

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.channel === undefined) && (missing0 = "channel")) || ((data.chaincode === undefined) && (missing0 = "chaincode"))) || ((data.orderer === undefined) && (missing0 = "orderer"))) || ((data.organizations === undefined) && (missing0 = "organizations"))){
validate10.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((((key0 === "channel") || (key0 === "chaincode")) || (key0 === "orderer")) || (key0 === "collections")) || (key0 === "organizations"))){
validate10.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.channel !== undefined){
let data0 = data.channel;
const _errs2 = errors;
if(errors === _errs2){
if(typeof data0 === "string"){
if(func2(data0) > 249){
validate10.errors = [{instancePath:instancePath+"/channel",schemaPath:"#/properties/channel/maxLength",keyword:"maxLength",params:{limit: 249},message:"must NOT have more than 249 characters"}];
return false;
}
else {
if(!pattern0.test(data0)){
validate10.errors = [{instancePath:instancePath+"/channel",schemaPath:"#/properties/channel/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9.-]*$"},message:"must match pattern \""+"^[a-z][a-z0-9.-]*$"+"\""}];
return false;
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/channel",schemaPath:"#/properties/channel/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.chaincode !== undefined){
let data1 = data.chaincode;
const _errs4 = errors;
if(errors === _errs4){
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
let missing1;
if(((((data1.name === undefined) && (missing1 = "name")) || ((data1.version === undefined) && (missing1 = "version"))) || ((data1.sequence === undefined) && (missing1 = "sequence"))) || ((data1.endorsementPolicy === undefined) && (missing1 = "endorsementPolicy"))){
validate10.errors = [{instancePath:instancePath+"/chaincode",schemaPath:"#/properties/chaincode/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs6 = errors;
for(const key1 in data1){
if(!(((((key1 === "name") || (key1 === "version")) || (key1 === "sequence")) || (key1 === "endorsementPolicy")) || (key1 === "address"))){
validate10.errors = [{instancePath:instancePath+"/chaincode",schemaPath:"#/properties/chaincode/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs6 === errors){
if(data1.name !== undefined){
let data2 = data1.name;
const _errs7 = errors;
if(errors === _errs7){
if(typeof data2 === "string"){
if(!pattern1.test(data2)){
validate10.errors = [{instancePath:instancePath+"/chaincode/name",schemaPath:"#/properties/chaincode/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$"},message:"must match pattern \""+"^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/chaincode/name",schemaPath:"#/properties/chaincode/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid1 = _errs7 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data1.version !== undefined){
let data3 = data1.version;
const _errs9 = errors;
if(errors === _errs9){
if(typeof data3 === "string"){
if(func2(data3) < 1){
validate10.errors = [{instancePath:instancePath+"/chaincode/version",schemaPath:"#/properties/chaincode/properties/version/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/chaincode/version",schemaPath:"#/properties/chaincode/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid1 = _errs9 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data1.sequence !== undefined){
let data4 = data1.sequence;
const _errs11 = errors;
if(!(((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4))) && (isFinite(data4)))){
validate10.errors = [{instancePath:instancePath+"/chaincode/sequence",schemaPath:"#/properties/chaincode/properties/sequence/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs11){
if((typeof data4 == "number") && (isFinite(data4))){
if(data4 < 1 || isNaN(data4)){
validate10.errors = [{instancePath:instancePath+"/chaincode/sequence",schemaPath:"#/properties/chaincode/properties/sequence/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
var valid1 = _errs11 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data1.endorsementPolicy !== undefined){
let data5 = data1.endorsementPolicy;
const _errs13 = errors;
if(errors === _errs13){
if(typeof data5 === "string"){
if(func2(data5) < 1){
validate10.errors = [{instancePath:instancePath+"/chaincode/endorsementPolicy",schemaPath:"#/properties/chaincode/properties/endorsementPolicy/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/chaincode/endorsementPolicy",schemaPath:"#/properties/chaincode/properties/endorsementPolicy/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid1 = _errs13 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data1.address !== undefined){
let data6 = data1.address;
const _errs15 = errors;
if(errors === _errs15){
if(typeof data6 === "string"){
if(!pattern2.test(data6)){
validate10.errors = [{instancePath:instancePath+"/chaincode/address",schemaPath:"#/properties/chaincode/properties/address/pattern",keyword:"pattern",params:{pattern: "^[^:]+:[0-9]+$"},message:"must match pattern \""+"^[^:]+:[0-9]+$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/chaincode/address",schemaPath:"#/properties/chaincode/properties/address/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid1 = _errs15 === errors;
}
else {
var valid1 = true;
}
}
}
}
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/chaincode",schemaPath:"#/properties/chaincode/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs4 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.orderer !== undefined){
let data7 = data.orderer;
const _errs17 = errors;
if(errors === _errs17){
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
let missing2;
if((((data7.mspId === undefined) && (missing2 = "mspId")) || ((data7.domain === undefined) && (missing2 = "domain"))) || ((data7.port === undefined) && (missing2 = "port"))){
validate10.errors = [{instancePath:instancePath+"/orderer",schemaPath:"#/properties/orderer/required",keyword:"required",params:{missingProperty: missing2},message:"must have required property '"+missing2+"'"}];
return false;
}
else {
const _errs19 = errors;
for(const key2 in data7){
if(!(((((key2 === "mspId") || (key2 === "domain")) || (key2 === "port")) || (key2 === "batchTimeoutMs")) || (key2 === "maxMessageCount"))){
validate10.errors = [{instancePath:instancePath+"/orderer",schemaPath:"#/properties/orderer/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs19 === errors){
if(data7.mspId !== undefined){
let data8 = data7.mspId;
const _errs20 = errors;
if(errors === _errs20){
if(typeof data8 === "string"){
if(!pattern3.test(data8)){
validate10.errors = [{instancePath:instancePath+"/orderer/mspId",schemaPath:"#/properties/orderer/properties/mspId/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z][A-Za-z0-9]*MSP$"},message:"must match pattern \""+"^[A-Za-z][A-Za-z0-9]*MSP$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/orderer/mspId",schemaPath:"#/properties/orderer/properties/mspId/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid2 = _errs20 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data7.domain !== undefined){
let data9 = data7.domain;
const _errs22 = errors;
if(errors === _errs22){
if(typeof data9 === "string"){
if(!pattern4.test(data9)){
validate10.errors = [{instancePath:instancePath+"/orderer/domain",schemaPath:"#/properties/orderer/properties/domain/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"},message:"must match pattern \""+"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/orderer/domain",schemaPath:"#/properties/orderer/properties/domain/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid2 = _errs22 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data7.port !== undefined){
let data10 = data7.port;
const _errs24 = errors;
if(!(((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10))) && (isFinite(data10)))){
validate10.errors = [{instancePath:instancePath+"/orderer/port",schemaPath:"#/properties/orderer/properties/port/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs24){
if((typeof data10 == "number") && (isFinite(data10))){
if(data10 > 65535 || isNaN(data10)){
validate10.errors = [{instancePath:instancePath+"/orderer/port",schemaPath:"#/properties/orderer/properties/port/maximum",keyword:"maximum",params:{comparison: "<=", limit: 65535},message:"must be <= 65535"}];
return false;
}
else {
if(data10 < 1 || isNaN(data10)){
validate10.errors = [{instancePath:instancePath+"/orderer/port",schemaPath:"#/properties/orderer/properties/port/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid2 = _errs24 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data7.batchTimeoutMs !== undefined){
let data11 = data7.batchTimeoutMs;
const _errs26 = errors;
if(!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))){
validate10.errors = [{instancePath:instancePath+"/orderer/batchTimeoutMs",schemaPath:"#/properties/orderer/properties/batchTimeoutMs/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs26){
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 > 60000 || isNaN(data11)){
validate10.errors = [{instancePath:instancePath+"/orderer/batchTimeoutMs",schemaPath:"#/properties/orderer/properties/batchTimeoutMs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 60000},message:"must be <= 60000"}];
return false;
}
else {
if(data11 < 0 || isNaN(data11)){
validate10.errors = [{instancePath:instancePath+"/orderer/batchTimeoutMs",schemaPath:"#/properties/orderer/properties/batchTimeoutMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
}
var valid2 = _errs26 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data7.maxMessageCount !== undefined){
let data12 = data7.maxMessageCount;
const _errs28 = errors;
if(!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))){
validate10.errors = [{instancePath:instancePath+"/orderer/maxMessageCount",schemaPath:"#/properties/orderer/properties/maxMessageCount/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs28){
if((typeof data12 == "number") && (isFinite(data12))){
if(data12 > 100000 || isNaN(data12)){
validate10.errors = [{instancePath:instancePath+"/orderer/maxMessageCount",schemaPath:"#/properties/orderer/properties/maxMessageCount/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100000},message:"must be <= 100000"}];
return false;
}
else {
if(data12 < 1 || isNaN(data12)){
validate10.errors = [{instancePath:instancePath+"/orderer/maxMessageCount",schemaPath:"#/properties/orderer/properties/maxMessageCount/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid2 = _errs28 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/orderer",schemaPath:"#/properties/orderer/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs17 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.collections !== undefined){
let data13 = data.collections;
const _errs30 = errors;
if(errors === _errs30){
if(Array.isArray(data13)){
var valid3 = true;
const len0 = data13.length;
for(let i0=0; i0<len0; i0++){
let data14 = data13[i0];
const _errs32 = errors;
if(errors === _errs32){
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
let missing3;
if(((data14.name === undefined) && (missing3 = "name")) || ((data14.memberOrgs === undefined) && (missing3 = "memberOrgs"))){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0,schemaPath:"#/properties/collections/items/required",keyword:"required",params:{missingProperty: missing3},message:"must have required property '"+missing3+"'"}];
return false;
}
else {
const _errs34 = errors;
for(const key3 in data14){
if(!((((((((key3 === "name") || (key3 === "memberOrgs")) || (key3 === "requiredPeerCount")) || (key3 === "maxPeerCount")) || (key3 === "blockToLive")) || (key3 === "memberOnlyRead")) || (key3 === "memberOnlyWrite")) || (key3 === "endorsementPolicy"))){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0,schemaPath:"#/properties/collections/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs34 === errors){
if(data14.name !== undefined){
let data15 = data14.name;
const _errs35 = errors;
if(errors === _errs35){
if(typeof data15 === "string"){
if(!pattern5.test(data15)){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/name",schemaPath:"#/properties/collections/items/properties/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/name",schemaPath:"#/properties/collections/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid4 = _errs35 === errors;
}
else {
var valid4 = true;
}
if(valid4){
if(data14.memberOrgs !== undefined){
let data16 = data14.memberOrgs;
const _errs37 = errors;
if(errors === _errs37){
if(Array.isArray(data16)){
if(data16.length < 1){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/memberOrgs",schemaPath:"#/properties/collections/items/properties/memberOrgs/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"}];
return false;
}
else {
var valid5 = true;
const len1 = data16.length;
for(let i1=0; i1<len1; i1++){
let data17 = data16[i1];
const _errs39 = errors;
if(errors === _errs39){
if(typeof data17 === "string"){
if(!pattern3.test(data17)){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/memberOrgs/" + i1,schemaPath:"#/properties/collections/items/properties/memberOrgs/items/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z][A-Za-z0-9]*MSP$"},message:"must match pattern \""+"^[A-Za-z][A-Za-z0-9]*MSP$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/memberOrgs/" + i1,schemaPath:"#/properties/collections/items/properties/memberOrgs/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid5 = _errs39 === errors;
if(!valid5){
break;
}
}
if(valid5){
let i2 = data16.length;
let j0;
if(i2 > 1){
const indices0 = {};
for(;i2--;){
let item0 = data16[i2];
if(typeof item0 !== "string"){
continue;
}
if(typeof indices0[item0] == "number"){
j0 = indices0[item0];
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/memberOrgs",schemaPath:"#/properties/collections/items/properties/memberOrgs/uniqueItems",keyword:"uniqueItems",params:{i: i2, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i2+" are identical)"}];
return false;
break;
}
indices0[item0] = i2;
}
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/memberOrgs",schemaPath:"#/properties/collections/items/properties/memberOrgs/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid4 = _errs37 === errors;
}
else {
var valid4 = true;
}
if(valid4){
if(data14.requiredPeerCount !== undefined){
let data18 = data14.requiredPeerCount;
const _errs41 = errors;
if(!(((typeof data18 == "number") && (!(data18 % 1) && !isNaN(data18))) && (isFinite(data18)))){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/requiredPeerCount",schemaPath:"#/properties/collections/items/properties/requiredPeerCount/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs41){
if((typeof data18 == "number") && (isFinite(data18))){
if(data18 < 0 || isNaN(data18)){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/requiredPeerCount",schemaPath:"#/properties/collections/items/properties/requiredPeerCount/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid4 = _errs41 === errors;
}
else {
var valid4 = true;
}
if(valid4){
if(data14.maxPeerCount !== undefined){
let data19 = data14.maxPeerCount;
const _errs43 = errors;
if(!(((typeof data19 == "number") && (!(data19 % 1) && !isNaN(data19))) && (isFinite(data19)))){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/maxPeerCount",schemaPath:"#/properties/collections/items/properties/maxPeerCount/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs43){
if((typeof data19 == "number") && (isFinite(data19))){
if(data19 < 0 || isNaN(data19)){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/maxPeerCount",schemaPath:"#/properties/collections/items/properties/maxPeerCount/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid4 = _errs43 === errors;
}
else {
var valid4 = true;
}
if(valid4){
if(data14.blockToLive !== undefined){
let data20 = data14.blockToLive;
const _errs45 = errors;
if(!(((typeof data20 == "number") && (!(data20 % 1) && !isNaN(data20))) && (isFinite(data20)))){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/blockToLive",schemaPath:"#/properties/collections/items/properties/blockToLive/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs45){
if((typeof data20 == "number") && (isFinite(data20))){
if(data20 < 0 || isNaN(data20)){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/blockToLive",schemaPath:"#/properties/collections/items/properties/blockToLive/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid4 = _errs45 === errors;
}
else {
var valid4 = true;
}
if(valid4){
if(data14.memberOnlyRead !== undefined){
const _errs47 = errors;
if(typeof data14.memberOnlyRead !== "boolean"){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/memberOnlyRead",schemaPath:"#/properties/collections/items/properties/memberOnlyRead/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"}];
return false;
}
var valid4 = _errs47 === errors;
}
else {
var valid4 = true;
}
if(valid4){
if(data14.memberOnlyWrite !== undefined){
const _errs49 = errors;
if(typeof data14.memberOnlyWrite !== "boolean"){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/memberOnlyWrite",schemaPath:"#/properties/collections/items/properties/memberOnlyWrite/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"}];
return false;
}
var valid4 = _errs49 === errors;
}
else {
var valid4 = true;
}
if(valid4){
if(data14.endorsementPolicy !== undefined){
let data23 = data14.endorsementPolicy;
const _errs51 = errors;
if(errors === _errs51){
if(typeof data23 === "string"){
if(func2(data23) < 1){
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/endorsementPolicy",schemaPath:"#/properties/collections/items/properties/endorsementPolicy/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/collections/" + i0+"/endorsementPolicy",schemaPath:"#/properties/collections/items/properties/endorsementPolicy/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid4 = _errs51 === errors;
}
else {
var valid4 = true;
}
}
}
}
}
}
}
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/collections/" + i0,schemaPath:"#/properties/collections/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid3 = _errs32 === errors;
if(!valid3){
break;
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/collections",schemaPath:"#/properties/collections/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs30 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.organizations !== undefined){
let data24 = data.organizations;
const _errs53 = errors;
if(errors === _errs53){
if(Array.isArray(data24)){
if(data24.length < 1){
validate10.errors = [{instancePath:instancePath+"/organizations",schemaPath:"#/properties/organizations/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"}];
return false;
}
else {
var valid7 = true;
const len2 = data24.length;
for(let i3=0; i3<len2; i3++){
let data25 = data24[i3];
const _errs55 = errors;
if(errors === _errs55){
if(data25 && typeof data25 == "object" && !Array.isArray(data25)){
let missing4;
if(((((((data25.mspId === undefined) && (missing4 = "mspId")) || ((data25.name === undefined) && (missing4 = "name"))) || ((data25.kind === undefined) && (missing4 = "kind"))) || ((data25.domain === undefined) && (missing4 = "domain"))) || ((data25.peers === undefined) && (missing4 = "peers"))) || ((data25.users === undefined) && (missing4 = "users"))){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3,schemaPath:"#/properties/organizations/items/required",keyword:"required",params:{missingProperty: missing4},message:"must have required property '"+missing4+"'"}];
return false;
}
else {
const _errs57 = errors;
for(const key4 in data25){
if(!((((((key4 === "mspId") || (key4 === "name")) || (key4 === "kind")) || (key4 === "domain")) || (key4 === "peers")) || (key4 === "users"))){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3,schemaPath:"#/properties/organizations/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs57 === errors){
if(data25.mspId !== undefined){
let data26 = data25.mspId;
const _errs58 = errors;
if(errors === _errs58){
if(typeof data26 === "string"){
if(!pattern3.test(data26)){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/mspId",schemaPath:"#/properties/organizations/items/properties/mspId/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z][A-Za-z0-9]*MSP$"},message:"must match pattern \""+"^[A-Za-z][A-Za-z0-9]*MSP$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/mspId",schemaPath:"#/properties/organizations/items/properties/mspId/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid8 = _errs58 === errors;
}
else {
var valid8 = true;
}
if(valid8){
if(data25.name !== undefined){
let data27 = data25.name;
const _errs60 = errors;
if(errors === _errs60){
if(typeof data27 === "string"){
if(func2(data27) < 1){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/name",schemaPath:"#/properties/organizations/items/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/name",schemaPath:"#/properties/organizations/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid8 = _errs60 === errors;
}
else {
var valid8 = true;
}
if(valid8){
if(data25.kind !== undefined){
let data28 = data25.kind;
const _errs62 = errors;
if(!((((((data28 === "provider") || (data28 === "payer")) || (data28 === "manufacturer")) || (data28 === "distributor")) || (data28 === "regulator")) || (data28 === "research"))){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/kind",schemaPath:"#/properties/organizations/items/properties/kind/enum",keyword:"enum",params:{allowedValues: schema11.properties.organizations.items.properties.kind.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid8 = _errs62 === errors;
}
else {
var valid8 = true;
}
if(valid8){
if(data25.domain !== undefined){
let data29 = data25.domain;
const _errs63 = errors;
if(errors === _errs63){
if(typeof data29 === "string"){
if(!pattern4.test(data29)){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/domain",schemaPath:"#/properties/organizations/items/properties/domain/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"},message:"must match pattern \""+"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/domain",schemaPath:"#/properties/organizations/items/properties/domain/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid8 = _errs63 === errors;
}
else {
var valid8 = true;
}
if(valid8){
if(data25.peers !== undefined){
let data30 = data25.peers;
const _errs65 = errors;
if(errors === _errs65){
if(Array.isArray(data30)){
if(data30.length < 1){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers",schemaPath:"#/properties/organizations/items/properties/peers/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"}];
return false;
}
else {
var valid9 = true;
const len3 = data30.length;
for(let i4=0; i4<len3; i4++){
let data31 = data30[i4];
const _errs67 = errors;
if(errors === _errs67){
if(data31 && typeof data31 == "object" && !Array.isArray(data31)){
let missing5;
if(((data31.name === undefined) && (missing5 = "name")) || ((data31.port === undefined) && (missing5 = "port"))){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers/" + i4,schemaPath:"#/properties/organizations/items/properties/peers/items/required",keyword:"required",params:{missingProperty: missing5},message:"must have required property '"+missing5+"'"}];
return false;
}
else {
const _errs69 = errors;
for(const key5 in data31){
if(!((key5 === "name") || (key5 === "port"))){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers/" + i4,schemaPath:"#/properties/organizations/items/properties/peers/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs69 === errors){
if(data31.name !== undefined){
let data32 = data31.name;
const _errs70 = errors;
if(errors === _errs70){
if(typeof data32 === "string"){
if(func2(data32) > 64){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers/" + i4+"/name",schemaPath:"#/properties/organizations/items/properties/peers/items/properties/name/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters"}];
return false;
}
else {
if(!pattern9.test(data32)){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers/" + i4+"/name",schemaPath:"#/properties/organizations/items/properties/peers/items/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9._-]*$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9._-]*$"+"\""}];
return false;
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers/" + i4+"/name",schemaPath:"#/properties/organizations/items/properties/peers/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid10 = _errs70 === errors;
}
else {
var valid10 = true;
}
if(valid10){
if(data31.port !== undefined){
let data33 = data31.port;
const _errs72 = errors;
if(!(((typeof data33 == "number") && (!(data33 % 1) && !isNaN(data33))) && (isFinite(data33)))){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers/" + i4+"/port",schemaPath:"#/properties/organizations/items/properties/peers/items/properties/port/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs72){
if((typeof data33 == "number") && (isFinite(data33))){
if(data33 > 65535 || isNaN(data33)){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers/" + i4+"/port",schemaPath:"#/properties/organizations/items/properties/peers/items/properties/port/maximum",keyword:"maximum",params:{comparison: "<=", limit: 65535},message:"must be <= 65535"}];
return false;
}
else {
if(data33 < 1 || isNaN(data33)){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers/" + i4+"/port",schemaPath:"#/properties/organizations/items/properties/peers/items/properties/port/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid10 = _errs72 === errors;
}
else {
var valid10 = true;
}
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers/" + i4,schemaPath:"#/properties/organizations/items/properties/peers/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid9 = _errs67 === errors;
if(!valid9){
break;
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/peers",schemaPath:"#/properties/organizations/items/properties/peers/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid8 = _errs65 === errors;
}
else {
var valid8 = true;
}
if(valid8){
if(data25.users !== undefined){
let data34 = data25.users;
const _errs74 = errors;
if(errors === _errs74){
if(Array.isArray(data34)){
var valid11 = true;
const len4 = data34.length;
for(let i5=0; i5<len4; i5++){
let data35 = data34[i5];
const _errs76 = errors;
if(errors === _errs76){
if(data35 && typeof data35 == "object" && !Array.isArray(data35)){
let missing6;
if(((data35.name === undefined) && (missing6 = "name")) || ((data35.role === undefined) && (missing6 = "role"))){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5,schemaPath:"#/properties/organizations/items/properties/users/items/required",keyword:"required",params:{missingProperty: missing6},message:"must have required property '"+missing6+"'"}];
return false;
}
else {
const _errs78 = errors;
for(const key6 in data35){
if(!((((key6 === "name") || (key6 === "role")) || (key6 === "patientId")) || (key6 === "practitionerId"))){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5,schemaPath:"#/properties/organizations/items/properties/users/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs78 === errors){
if(data35.name !== undefined){
let data36 = data35.name;
const _errs79 = errors;
if(errors === _errs79){
if(typeof data36 === "string"){
if(func2(data36) > 64){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5+"/name",schemaPath:"#/properties/organizations/items/properties/users/items/properties/name/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters"}];
return false;
}
else {
if(!pattern9.test(data36)){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5+"/name",schemaPath:"#/properties/organizations/items/properties/users/items/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9._-]*$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9._-]*$"+"\""}];
return false;
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5+"/name",schemaPath:"#/properties/organizations/items/properties/users/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid12 = _errs79 === errors;
}
else {
var valid12 = true;
}
if(valid12){
if(data35.role !== undefined){
let data37 = data35.role;
const _errs81 = errors;
if(!(((((((((((data37 === "patient") || (data37 === "clinician")) || (data37 === "records-admin")) || (data37 === "billing")) || (data37 === "adjudicator")) || (data37 === "manufacturer")) || (data37 === "distributor")) || (data37 === "dispenser")) || (data37 === "auditor")) || (data37 === "admin")) || (data37 === "researcher"))){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5+"/role",schemaPath:"#/properties/organizations/items/properties/users/items/properties/role/enum",keyword:"enum",params:{allowedValues: schema11.properties.organizations.items.properties.users.items.properties.role.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid12 = _errs81 === errors;
}
else {
var valid12 = true;
}
if(valid12){
if(data35.patientId !== undefined){
let data38 = data35.patientId;
const _errs82 = errors;
if(errors === _errs82){
if(typeof data38 === "string"){
if(!pattern11.test(data38)){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5+"/patientId",schemaPath:"#/properties/organizations/items/properties/users/items/properties/patientId/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5+"/patientId",schemaPath:"#/properties/organizations/items/properties/users/items/properties/patientId/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid12 = _errs82 === errors;
}
else {
var valid12 = true;
}
if(valid12){
if(data35.practitionerId !== undefined){
let data39 = data35.practitionerId;
const _errs84 = errors;
if(errors === _errs84){
if(typeof data39 === "string"){
if(!pattern11.test(data39)){
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5+"/practitionerId",schemaPath:"#/properties/organizations/items/properties/users/items/properties/practitionerId/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"+"\""}];
return false;
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5+"/practitionerId",schemaPath:"#/properties/organizations/items/properties/users/items/properties/practitionerId/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid12 = _errs84 === errors;
}
else {
var valid12 = true;
}
}
}
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users/" + i5,schemaPath:"#/properties/organizations/items/properties/users/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid11 = _errs76 === errors;
if(!valid11){
break;
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3+"/users",schemaPath:"#/properties/organizations/items/properties/users/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid8 = _errs74 === errors;
}
else {
var valid8 = true;
}
}
}
}
}
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations/" + i3,schemaPath:"#/properties/organizations/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid7 = _errs55 === errors;
if(!valid7){
break;
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/organizations",schemaPath:"#/properties/organizations/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs53 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
else {
validate10.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate10.errors = vErrors;
return errors === 0;
}

