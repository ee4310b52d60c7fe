#!/usr/bin/env node
// The installed `bearerguard` command. It is a file of its own, present before the build, so that
// npm links the command at install time even in a fresh clone of the monorepo.
'use strict';
try {
  require('../dist/bin.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]bin\.js/.test(String(err.message))) {
    console.error('bearerguard: not built yet; run `npm run build` in the repository first.');
    process.exit(2);
  }
  throw err;
}
