// Slipway's add-ons example: backing services as attached resources named by URLs in the config
// (factor IV). Rows are kept in PostgreSQL (DATABASE_URL), a counter in Redis (REDIS_URL).
//   GET  /              one greeting line, as the other examples
//   POST /rows?name=X   stores a row; GET /rows lists the rows' names, one a line, oldest first
//   POST /counter       adds one to the counter and answers it; GET /counter answers it
const http = require("http");
const { Pool } = require("pg");
const { createClient } = require("@redis/client");

const app = process.env.SLIPWAY_APP || "nodejs-addons-example";
const port = Number(process.env.PORT || 5000);

// Each service is optional: the app starts without it and says how to attach one.
const pg = process.env.DATABASE_URL ? new Pool({ connectionString: process.env.DATABASE_URL, max: 4 }) : null;
let tableReady = null;
let redis = null;

function rowsTable() {
  // Made on first use, so a restored backup (which has the table) and a new database both work.
  tableReady = tableReady || pg.query("create table if not exists rows (id serial primary key, name text not null)")
    .catch((e) => { tableReady = null; throw e; });
  return tableReady;
}

async function counter() {
  if (!redis) {
    redis = createClient({ url: process.env.REDIS_URL });
    redis.on("error", (e) => console.log(`redis: ${e.message}`));
    await redis.connect();
  }
  return redis;
}

async function answer(req) {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/rows") {
    if (!pg) return [503, `no DATABASE_URL: slipway addons:create postgres -a ${app}\n`];
    await rowsTable();
    if (req.method === "POST") {
      const name = url.searchParams.get("name");
      if (!name) return [400, "say which row: POST /rows?name=apple\n"];
      const r = await pg.query("insert into rows (name) values ($1) returning id", [name]);
      return [201, `stored ${name} as row ${r.rows[0].id}\n`];
    }
    const r = await pg.query("select name from rows order by id");
    return [200, r.rows.map((row) => row.name + "\n").join("")];
  }
  if (url.pathname === "/counter") {
    if (!process.env.REDIS_URL) return [503, `no REDIS_URL: slipway addons:create redis -a ${app}\n`];
    const client = await counter();
    const value = req.method === "POST" ? await client.incr("counter") : Number(await client.get("counter") || 0);
    return [200, `${value}\n`];
  }
  const where = ["nodejs-addons example", process.env.DYNO].filter(Boolean).join(", ");
  return [200, `${process.env.GREETING || "Hello"} from ${app} (${where})\n`];
}

const server = http.createServer((req, res) => {
  answer(req).catch((e) => [503, `${e.message}\n`]).then(([status, body]) => {
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
    console.log(`${req.method} ${req.url} ${status}`);
  });
});

server.listen(port, "0.0.0.0", () => {
  const using = [pg && "DATABASE_URL", process.env.REDIS_URL && "REDIS_URL"].filter(Boolean).join(" and ") || "no add-ons";
  console.log(`${app}: listening on 0.0.0.0:${port}, using ${using}`);
});

// SIGTERM means a clean stop (factor IX): finish what is in flight, close the pools, then exit.
process.on("SIGTERM", () => server.close(async () => {
  await Promise.allSettled([pg && pg.end(), redis && redis.quit()]);
  process.exit(0);
}));
