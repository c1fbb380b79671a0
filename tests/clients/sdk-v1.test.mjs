// Real-client test: the official TypeScript SDK (@modelcontextprotocol/sdk 1.x) starts the
// ibanforge-mcp binary over stdio, lists the tools and calls each one. The SDK validates
// every structuredContent against the tool's outputSchema itself (Client.callTool), so a
// schema mismatch fails here exactly as it would in Claude Desktop or Cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertEngineFull, binary, CALLS, ENGINE_TOOLS, environNames, MARKER, PATH, startStandIn, UNSET_DEFAULTS } from './common.mjs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

async function connect(env) {
  const transport = new StdioClientTransport({ command: binary, args: [], env, stderr: 'pipe' });
  const client = new Client({ name: 'ibanforge-ts-test', version: '1.0.0' });
  await client.connect(transport);
  client.serverPid = transport.pid;
  return client;
}

/** Whether an answer (or a batch row) is the stand-in API's own. */
const marked = (v) => v?.[MARKER[0]] === MARKER[1];

test('TypeScript SDK lists every tool and every answer passes its own schema check', async () => {
  // Minimal environment: no HOME, no key, no config dir; offline so nothing is attempted.
  // The SDK would add HOME, USER… from its default environment: they are taken out, and the
  // server's real environment is checked.
  const client = await connect({ ...UNSET_DEFAULTS, PATH: PATH, IBANFORGE_OFFLINE: '1' });
  try {
    assert.deepEqual(environNames(client.serverPid), ['IBANFORGE_OFFLINE', 'PATH']);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), Object.keys(CALLS).sort());
    for (const tool of tools) {
      assert.equal(tool.outputSchema?.type, 'object', `${tool.name} has an object outputSchema`);
      assert.equal(tool.annotations?.readOnlyHint, true);
    }
    for (const [name, args] of Object.entries(CALLS)) {
      // callTool throws if structuredContent does not match outputSchema.
      const result = await client.callTool({ name, arguments: args });
      if (ENGINE_TOOLS.has(name)) {
        assertEngineFull(assert, name, result);
        continue;
      }
      assert.equal(result.isError, false, `${name} answered`);
      const text = result.content[0].text;
      const [label] = text.split('\n');
      assert.match(label, /^OFFLINE RESULT — /, `${name} label`);
      // A lean rendering for the model, not the JSON again; structuredContent stays complete.
      assert.ok(!text.includes('"provenance"'), `${name} text is lean`);
      assert.equal(result.structuredContent.provenance.source, 'local');
      assert.ok(result.structuredContent.provenance.missing.length > 0);
    }
    // A bad argument comes back as a tool error the agent can read, not a protocol error.
    const bad = await client.callTool({ name: 'validate_iban', arguments: { iban: 42 } });
    assert.equal(bad.isError, true);
    assert.match(bad.content[0].text, /must be a string/);
    assert.equal(bad.structuredContent, undefined);
  } finally {
    await client.close();
  }
});

async function callAll(key, base) {
  const client = await connect({ PATH: PATH, IBANFORGE_API_BASE: base, IBANFORGE_API_KEY: key });
  try {
    await client.listTools();
    const answers = {};
    for (const [name, args] of Object.entries(CALLS)) {
      // The SDK checks structuredContent against outputSchema on every path.
      answers[name] = await client.callTool({ name, arguments: args });
    }
    return answers;
  } finally {
    await client.close();
  }
}

test('against the stand-in API: a good key gets full answers, an exhausted key degraded ones', async () => {
  const standIn = await startStandIn();
  try {
    const full = await callAll('ifk_demo_good', standIn.base);
    for (const [name, result] of Object.entries(full)) {
      if (ENGINE_TOOLS.has(name)) {
        assertEngineFull(assert, name, result);
        assert.ok(!marked(result.structuredContent), `${name}: the engine's answer, not the API's`);
        continue;
      }
      const p = result.structuredContent.provenance;
      assert.equal(p.mode, 'full', name);
      assert.equal(p.source, 'api', name);
      assert.equal(p.reason, null, name);
      assert.deepEqual(p.missing, [], name);
      assert.doesNotMatch(result.content[0].text.split('\n')[0], /RESULT —|MODE —/, name);
      // The stand-in's own answer, not a local one stamped full (batch rows included).
      assert.ok(marked(result.structuredContent), `${name}: the API's answer`);
      for (const row of result.structuredContent.results ?? []) assert.ok(marked(row), `${name}: every row is the API's`);
    }
    assert.equal(full.validate_iban.structuredContent.issuer.type, 'bank');
    assert.equal(full.check_compliance.structuredContent.meta.scope, 'bank_bic_only');
    assert.deepEqual(full.validate_iban.structuredContent.stand_in_future_field, { added_in: '2027', kept: true });

    const degraded = await callAll('ifk_demo_exhausted', standIn.base);
    for (const [name, result] of Object.entries(degraded)) {
      if (ENGINE_TOOLS.has(name)) {
        // An exhausted key changes nothing for a tool that never asks the API.
        assertEngineFull(assert, name, result);
        continue;
      }
      const p = result.structuredContent.provenance;
      assert.equal(p.mode, 'degraded', name);
      assert.equal(p.reason, 'monthly_quota_exhausted', name);
      assert.equal(p.upstream_status, 402, name);
      assert.equal(p.quota.used, 200, name);
      assert.ok(p.missing.length > 0, name);
      assert.match(result.content[0].text, /^DEGRADED RESULT — .* Reason: monthly_quota_exhausted — /, name);
      assert.doesNotMatch(result.content[0].text, /anonymous/i, `${name}: a keyed user is never called anonymous`);
      assert.ok(!marked(result.structuredContent), `${name}: a fallback is not the API's answer`);
      for (const row of result.structuredContent.results ?? []) assert.ok(!marked(row), `${name}: nor any of its rows`);
    }
  } finally {
    standIn.stop();
  }
});
