// The pool sampler's thread starts here: TypeScript through tsx, as the harness's own entry does
// (bin/harness.mjs), since a worker thread shares no loader with the thread that started it.
import { register } from "tsx/esm/api";

register();
await import("./poolSamplerWorker.ts");
