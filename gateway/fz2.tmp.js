const { gateway, common } = require('@hyperledger/fabric-protos');
const b = Buffer.from(process.argv[2], 'hex');
const T = process.argv[3] === 'CH' ? common.ChannelHeader : gateway.ProposedTransaction;
console.time('p'); try { const m = T.deserializeBinary(b); console.log(JSON.stringify(m.toObject()).slice(0,200)); } catch (e) { console.log('err', e.message); } console.timeEnd('p');
