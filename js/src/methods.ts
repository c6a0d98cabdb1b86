/**
 * The method names of the core's dispatcher, as the JS API calls them: the
 * table generated from `core/api` (js/src/generated/contract.ts).
 */
export { Methods } from './generated/contract';
export type { MethodName } from './generated/contract';
