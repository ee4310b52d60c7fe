// Signs one slice of a token set in a worker thread; see mintTokensInParallel.
import { parentPort, workerData } from 'node:worker_threads';
import { mintTokens } from './tokens.mjs';

const { key, issuer, from, count, prefix } = workerData;
parentPort.postMessage(mintTokens(key, issuer, count, prefix, from));
