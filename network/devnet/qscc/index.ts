export { invoke, type QsccSupport } from './invoke';
export { invokeLifecycle, type LifecycleSupport } from './lifecycle';
