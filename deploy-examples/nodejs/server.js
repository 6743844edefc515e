// Slipway's Node.js example: one line of greeting over HTTP on $PORT (factor VII).
const http = require("http");
const ms = require("ms");

const app = process.env.SLIPWAY_APP || "nodejs-example";
const port = Number(process.env.PORT || 5000);
const started = Date.now();
let build = {};
try {
  build = require("./build-info.json");
} catch (e) {
  // Not built with `npm run build`: run from a plain checkout.
}

function greetingLine() {
  const where = ["nodejs example", process.env.DYNO].filter(Boolean).join(", ");
  return `${process.env.GREETING || "Hello"} from ${app} (${where}), up ${ms(Date.now() - started)}`;
}

const server = http.createServer((req, res) => {
  const body = req.url === "/health" ? "ok\n" : greetingLine() + "\n";
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
  console.log(`${req.method} ${req.url} 200`);
});

server.listen(port, "0.0.0.0", () => {
  console.log(`${app}: listening on 0.0.0.0:${port} (built ${build.builtAt || "unknown"} with node ${build.node || "?"})`);
});

// SIGTERM means a clean stop (factor IX): finish what is in flight, then exit.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
