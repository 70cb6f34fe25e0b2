export { invoke } from './invoke';
