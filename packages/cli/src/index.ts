export { run } from './program';
export { EXIT, processIo } from './io';
export type { Io, Input, Output } from './io';
