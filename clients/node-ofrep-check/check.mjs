// Reads Agent Hub's feature flags with the OpenFeature server SDK through the community OFREP provider: the agent's
// token is the bearer, its id the targeting key. Needs a running hub: HUB_URL and HUB_ADMIN_TOKEN. Creates an agent and
// three flags, then evaluates them. Exits non-zero on the first failure.
import { OpenFeature } from "@openfeature/server-sdk";
import { OFREPProvider } from "@openfeature/ofrep-provider";

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
  console.error(`node OFREP check FAILED: ${message}`);
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
  const text = await response.text();
  if (!response.ok) {
    fail(`${method} ${path} answered ${response.status}: ${text.slice(0, 400)}`);
  }
  return text ? JSON.parse(text) : {};
}

const agent = await rest("POST", "/api/agents", admin, {
  id: "ofrep-writer",
  name: "ofrep-writer",
  labels: { pool: "writers", version: "v2" },
});
await rest("POST", "/api/flags/new-parser", admin, {
  type: "boolean",
  defaultValue: false,
  rules: [{ versions: ["v2"], value: true }],
});
await rest("POST", "/api/flags/model", admin, {
  type: "string",
  defaultValue: "sonnet",
  rules: [{ pools: ["reviewers"], value: "opus" }],
});
await rest("POST", "/api/flags/temperature", admin, { type: "number", defaultValue: 0.3 });

await OpenFeature.setProviderAndWait(
  new OFREPProvider({ baseUrl: hubUrl, headers: { Authorization: `Bearer ${agent.token}` } }),
);
const client = OpenFeature.getClient();
const context = { targetingKey: "ofrep-writer" };

const parser = await client.getBooleanDetails("new-parser", false, context);
check(parser.value === true, "a boolean flag matches the agent's version rule", parser);
check(parser.reason === "TARGETING_MATCH" && parser.variant === "rule-1", "with the rule as variant and reason", parser);
const model = await client.getStringDetails("model", "none", context);
check(model.value === "sonnet" && model.reason === "DEFAULT", "a string flag falls back to its default", model);
const temperature = await client.getNumberValue("temperature", 1, context);
check(temperature === 0.3, "a number flag", temperature);
const missing = await client.getBooleanDetails("no-such-flag", true, context);
check(missing.value === true && missing.errorCode === "FLAG_NOT_FOUND", "an unknown flag gives the code default", missing);
const mismatch = await client.getNumberDetails("model", 7, context);
check(mismatch.value === 7 && mismatch.errorCode === "TYPE_MISMATCH", "a type mismatch gives the code default", mismatch);
const other = await client.getStringDetails("model", "none", { targetingKey: "someone-else" });
check(other.value === "none" && other.errorCode === "INVALID_CONTEXT", "another agent's id is refused", other);

await rest("POST", "/api/flags/model", admin, { type: "string", defaultValue: "haiku" });
check((await client.getStringValue("model", "none", context)) === "haiku", "a change is seen at the next evaluation");

const denied = OpenFeature.getClient("denied");
OpenFeature.setProvider("denied", new OFREPProvider({ baseUrl: hubUrl, headers: { Authorization: "Bearer wrong" } }));
const refused = await denied.getBooleanDetails("new-parser", false, context);
check(refused.value === false && refused.errorCode !== undefined, "a wrong token gets the code default", refused);

await OpenFeature.close();
console.log(`node OFREP check passed: ${checks} checks`);
