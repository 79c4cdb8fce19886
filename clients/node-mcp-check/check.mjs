// Drives Agent Hub's MCP endpoint with the official TypeScript SDK client, over Streamable HTTP and over stdio
// (`hub mcp` as a child process). Needs a running hub: HUB_URL, HUB_ADMIN_TOKEN, and HUB_MCP_COMMAND (the command
// line that starts `hub mcp`, space-separated, e.g. "java -jar hub-server/target/hub.jar mcp").
// Exits non-zero on the first failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const hubUrl = required("HUB_URL").replace(/\/$/, "");
const admin = required("HUB_ADMIN_TOKEN");
const mcpCommand = required("HUB_MCP_COMMAND").split(" ").filter(Boolean);
let checks = 0;

function required(name) {
  const value = process.env[name];
  if (!value) {
    fail(`${name} is not set`);
  }
  return value;
}

function fail(message) {
  console.error(`node MCP check FAILED: ${message}`);
  process.exit(1);
}

function check(condition, what, detail) {
  if (!condition) {
    fail(`${what}${detail === undefined ? "" : `: ${JSON.stringify(detail).slice(0, 600)}`}`);
  }
  checks++;
  console.log(`ok - ${what}`);
}

async function rest(method, path, token, body) {
  const response = await fetch(hubUrl + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    fail(`${method} ${path} answered ${response.status}: ${json.detail}`);
  }
  return json;
}

async function createAgent(id) {
  return (await rest("POST", "/api/agents", admin, { id, name: id })).token;
}

function text(result) {
  return result.content?.find((c) => c.type === "text")?.text ?? "";
}

async function connect(kind, token) {
  const client = new Client({ name: "agent-hub-node-check", version: "0.1.0" });
  const transport =
    kind === "http"
      ? new StreamableHTTPClientTransport(new URL(`${hubUrl}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        })
      : new StdioClientTransport({
          command: mcpCommand[0],
          args: [...mcpCommand.slice(1), "--url", hubUrl, "--token", token],
          stderr: "inherit",
        });
  await client.connect(transport);
  return client;
}

async function scenario(kind, idA, tokenA, idB, tokenB) {
  const a = await connect(kind, tokenA);
  const b = await connect(kind, tokenB);
  try {
    const { tools } = await a.listTools();
    const names = tools.map((t) => t.name);
    check(
      ["hub_start", "lease_acquire", "chat_send", "chat_read", "checkpoint_save"].every((n) => names.includes(n)),
      `[${kind}] tools/list names the core tools (${tools.length} tools)`,
      names,
    );

    const resource = `node-check/${kind}/main.ts`;
    const won = await a.callTool({ name: "lease_acquire", arguments: { resource, note: "node check" } });
    check(!won.isError && won.structuredContent?.holder === idA, `[${kind}] ${idA} acquires ${resource}`, won);
    const lost = await b.callTool({ name: "lease_acquire", arguments: { resource } });
    check(
      lost.isError === true &&
        text(lost).includes(`held by ${idA}`) &&
        lost._meta?.["agenthub/problem"]?.code === "lease_held",
      `[${kind}] ${idB} is refused and told who holds it`,
      lost,
    );

    const message = `hello from node over ${kind} ${Date.now()}`;
    const posted = await a.callTool({ name: "chat_send", arguments: { text: message } });
    check(!posted.isError, `[${kind}] ${idA} posts to chat`, posted);
    const read = await b.callTool({ name: "chat_read", arguments: {} });
    check(
      read.structuredContent?.messages?.some((m) => m.text === message && m.author === idA),
      `[${kind}] ${idB} reads the post`,
      read,
    );

    const task = `node check task over ${kind}`;
    const saved = await a.callTool({ name: "checkpoint_save", arguments: { currentTask: task, pendingWork: ["verify"] } });
    check(!saved.isError, `[${kind}] ${idA} saves a checkpoint`, saved);
    const started = await a.callTool({ name: "hub_start", arguments: {} });
    check(
      !started.isError &&
        text(started).includes(task) &&
        started.structuredContent?.checkpointVersion === saved.structuredContent?.version,
      `[${kind}] hub_start brings the checkpoint back`,
      started.structuredContent,
    );

    const released = await a.callTool({
      name: "lease_release",
      arguments: { resource, token: won.structuredContent.token },
    });
    check(!released.isError, `[${kind}] ${idA} releases the lease`, released);
    const missing = await a.callTool({ name: "lease_release", arguments: { resource } });
    check(
      missing.isError === true && text(missing).includes("needs the argument 'token'"),
      `[${kind}] a missing argument is an error result the model can correct`,
      missing,
    );
    const unknown = await a.callTool({ name: "lease_grab", arguments: {} }).then(
      () => null,
      (e) => e,
    );
    check(
      unknown?.code === -32602 && String(unknown.message).includes("lease_grab"),
      `[${kind}] an unknown tool is a protocol error that names it`,
      String(unknown),
    );
  } finally {
    await a.close();
    await b.close();
  }
}

const suffix = Date.now().toString(36);
const idA = `node-a-${suffix}`;
const idB = `node-b-${suffix}`;
const tokenA = await createAgent(idA);
const tokenB = await createAgent(idB);
await scenario("http", idA, tokenA, idB, tokenB);
await scenario("stdio", idA, tokenA, idB, tokenB);
console.log(`node MCP check: all ${checks} checks passed over http and stdio`);
