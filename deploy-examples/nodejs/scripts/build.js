// `npm run build`: records when and with which node the slug was built (read by server.js).
const fs = require("fs");
const path = require("path");

const info = { builtAt: new Date().toISOString(), node: process.version };
fs.writeFileSync(path.join(__dirname, "..", "build-info.json"), JSON.stringify(info, null, 2) + "\n");
console.log(`wrote build-info.json (node ${info.node})`);
