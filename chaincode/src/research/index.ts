export { ResearchContract } from './contract';
