// Starts fauxqs (SQS) on 127.0.0.1 only (its own CLI listens on every address).
// fauxqs imports node:sqlite for its optional persistence, which Node 20 lacks: the
// import is answered with a stub (persistence is never enabled here).
// Usage: node fauxqs_loopback.mjs NODE_MODULES_DIR PORT
import { register } from "node:module";
import { pathToFileURL } from "node:url";

const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === "node:sqlite") return { url: "saker-stub:sqlite", shortCircuit: true };
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url === "saker-stub:sqlite") {
    return { format: "module", shortCircuit: true,
             source: "export class DatabaseSync { constructor() { throw new Error('no sqlite'); } }" };
  }
  return next(url, context);
}`;
register("data:text/javascript," + encodeURIComponent(hooks));

const [modules, port] = process.argv.slice(2);
const { buildApp } = await import(pathToFileURL(`${modules}/fauxqs/dist/app.js`).href);
const app = buildApp({ logger: false, host: "127.0.0.1" });
await app.listen({ port: Number(port), host: "127.0.0.1" });
console.log(`fauxqs listening on 127.0.0.1:${port}`);
