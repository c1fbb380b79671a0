// Real-client test: @modelcontextprotocol/client 2.4 in its legacy mode (initialize
// handshake) and its auto mode (probes `server/discover`, then speaks the stateless
// 2026-07-28 revision). The client validates structuredContent against outputSchema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { assertEngineFull, binary, CALLS, ENGINE_TOOLS, PATH } from './common.mjs';

async function session(mode) {
  const transport = new StdioClientTransport({ command: binary, args: [], env: { PATH, IBANFORGE_OFFLINE: '1' }, stderr: 'pipe' });
  const client = new Client({ name: 'ibanforge-client-v2-test', version: '1.0.0' }, { versionNegotiation: { mode } });
  await client.connect(transport);
  return client;
}

for (const [mode, era] of [['legacy', 'legacy'], ['auto', 'modern']]) {
  test(`@modelcontextprotocol/client 2.4, ${mode} negotiation → ${era} era`, async () => {
    const client = await session(mode);
    try {
      assert.equal(client.getProtocolEra(), era);
      if (era === 'modern') assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), Object.keys(CALLS).sort());
      for (const [name, args] of Object.entries(CALLS)) {
        const result = await client.callTool({ name, arguments: args });
        if (ENGINE_TOOLS.has(name)) {
          assertEngineFull(assert, name, result);
          continue;
        }
        assert.equal(result.isError, false, name);
        assert.equal(result.structuredContent.provenance.mode, 'offline', name);
        assert.match(result.content[0].text, /^OFFLINE RESULT — /, name);
      }
      const bad = await client.callTool({ name: 'lookup_bic', arguments: { bic: 'nope' } });
      assert.equal(bad.isError, true);
      assert.match(bad.content[0].text, /8 or 11 letters and digits/);
    } finally {
      await client.close();
    }
  });
}
