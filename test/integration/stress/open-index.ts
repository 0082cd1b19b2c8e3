// Child of index-concurrency.test.ts: waits until the given instant, then opens (creating and
// migrating) the index, as a CLI run or the app does at start. Prints "ok" or the error.
import { DumpIndex } from '../../../main/core/index';

const [file, at] = process.argv.slice(2);
while (Date.now() < Number(at)) {
  // spin: a timer would add its own jitter to the race we want
}
try {
  DumpIndex.open(file).close();
  console.log('ok');
} catch (e) {
  console.log(`error: ${(e as Error).message}`);
}
