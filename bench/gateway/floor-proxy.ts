/**
 * The floor: the least a Node.js HTTP proxy can do — pass method, path, headers and body through to
 * UPSTREAM_URL over keep-alive connections, and the response back, piped. No parsing, no auth, no
 * ledger. A gateway cannot be cheaper than this on the same runtime.
 */
import { Agent, createServer, request } from "node:http";

const upstream = new URL(process.env.UPSTREAM_URL ?? "http://127.0.0.1:4010");
const agent = new Agent({ keepAlive: true, maxSockets: 4096 });

createServer((req, res) => {
  const out = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  out.on("error", () => res.destroy());
  req.pipe(out);
}).listen(Number(process.env.PORT ?? 4020), "127.0.0.1", () => process.stdout.write("floor proxy listening\n"));
