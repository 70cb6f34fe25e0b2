export { invoke, type QsccSupport } from './invoke';
