// Drives Agent Hub's MCP endpoint with the MCP Inspector's command-line mode (`mcp-inspector --cli`), as a user
// checking a server would: tools/list, a tools/call with good arguments, one with a bad argument (an isError result
// the model can correct) and one of an unknown tool (a protocol error naming it). Needs a running hub: HUB_URL and
// HUB_ADMIN_TOKEN. Exits non-zero on the first failure.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const inspector = path.join(here, "node_modules", ".bin", "mcp-inspector");
const hubUrl = required("HUB_URL").replace(/\/$/, "");
const admin = required("HUB_ADMIN_TOKEN");
let checks = 0;

function required(name) {
  const value = process.env[name];
  if (!value) {
    fail(`${name} is not set`);
  }
  return value;
}

function fail(message) {
  console.error(`MCP Inspector check FAILED: ${message}`);
  process.exit(1);
}

function check(condition, what, detail) {
  if (!condition) {
    fail(`${what}${detail === undefined ? "" : `: ${String(detail).slice(0, 800)}`}`);
  }
  checks++;
  console.log(`ok - ${what}`);
}

async function createAgent(id) {
  const response = await fetch(`${hubUrl}/api/agents`, {
    method: "POST",
    headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" },
    body: JSON.stringify({ id, name: id }),
  });
  const json = await response.json();
  if (!response.ok) {
    fail(`POST /api/agents answered ${response.status}: ${json.detail}`);
  }
  return json.token;
}

/** Runs the inspector's CLI against the hub; resolves to {code, stdout, stderr}. */
function inspect(token, ...args) {
  const argv = ["--cli", `${hubUrl}/mcp`, "--transport", "http", "--header", `Authorization: Bearer ${token}`, ...args];
  return new Promise((resolve) => {
    execFile(inspector, argv, { timeout: 60_000, maxBuffer: 8 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function json(run) {
  try {
    return JSON.parse(run.stdout);
  } catch {
    fail(`the inspector printed no JSON (exit ${run.code}): ${run.stdout} ${run.stderr}`);
  }
}

const token = await createAgent(`inspector-${Date.now().toString(36)}`);

const listed = await inspect(token, "--method", "tools/list");
check(listed.code === 0, "the inspector lists the tools", listed.stderr);
const { tools } = json(listed);
check(tools.length >= 25, `tools/list has every tool (${tools.length})`, tools.map((t) => t.name));
for (const tool of tools) {
  const hints = tool.annotations ?? {};
  const complete =
    tool.title &&
    typeof hints.readOnlyHint === "boolean" &&
    typeof hints.destructiveHint === "boolean" &&
    typeof hints.idempotentHint === "boolean" &&
    hints.openWorldHint === false &&
    tool.outputSchema?.type === "object";
  check(complete, `${tool.name} has a title, its hints and an output schema`, JSON.stringify(tool));
}

const resource = `inspector/${Date.now().toString(36)}.ts`;
const good = await inspect(
  token, "--method", "tools/call", "--tool-name", "lease_acquire", "--tool-arg", `resource=${resource}`, "note=check",
);
check(good.code === 0, "a call with good arguments succeeds", good.stderr);
const acquired = json(good);
check(
  acquired.isError !== true && acquired.structuredContent?.resource === resource && acquired.structuredContent?.token > 0,
  "lease_acquire returns the lease as structured content",
  good.stdout,
);

// The inspector converts --tool-arg values by the input schema, so the bad calls are a missing required argument and
// a value outside an enum.
const missing = await inspect(token, "--method", "tools/call", "--tool-name", "lease_release", "--tool-arg", `resource=${resource}`);
const refused = json(missing);
check(
  refused.isError === true &&
    refused.content?.[0]?.text?.includes("lease_release needs the argument 'token'") &&
    refused._meta?.["agenthub/problem"]?.field === "token",
  "a missing argument is an isError result that names the argument",
  missing.stdout,
);
const outside = await inspect(token, "--method", "tools/call", "--tool-name", "hub_heartbeat", "--tool-arg", "status=asleep");
const corrected = json(outside);
check(
  corrected.isError === true && corrected.content?.[0]?.text?.includes("must be one of active, idle, busy, blocked"),
  "a value outside an enum is an isError result that lists the choices",
  outside.stdout,
);

const unknown = await inspect(token, "--method", "tools/call", "--tool-name", "lease_grab");
check(
  unknown.code !== 0 && `${unknown.stdout}${unknown.stderr}`.includes("lease_grab"),
  "an unknown tool is a protocol error that names it",
  `${unknown.stdout}${unknown.stderr}`,
);

console.log(`MCP Inspector check passed: ${checks} checks`);
