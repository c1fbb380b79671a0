// Real-client test: the MCP Inspector CLI 2.12 (`--cli`), driven by a config file, in both
// protocol eras. `tools/list --strict` also runs the Inspector's schema portability check,
// which exits 6 on any error-severity finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { binary, CALLS, ENGINE_TOOLS, PATH } from './common.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const inspectorPackage = path.dirname(require.resolve('@modelcontextprotocol/inspector/package.json'));
const inspector = path.join(inspectorPackage, 'clients/launcher/build/index.js');

const home = mkdtempSync(path.join(os.tmpdir(), 'ibanforge-inspector-'));
const config = path.join(home, 'mcp.json');
writeFileSync(config, JSON.stringify({
  mcpServers: {
    legacy: { command: binary, args: [], env: { IBANFORGE_OFFLINE: '1' }, protocolEra: 'legacy' },
    modern: { command: binary, args: [], env: { IBANFORGE_OFFLINE: '1' }, protocolEra: 'modern' },
  },
}));

async function inspect(server, ...args) {
  const { stdout } = await run(process.execPath, [inspector, '--cli', '--config', config, '--server', server, '--format', 'json', '-q', ...args], {
    env: { PATH, HOME: home, MCP_INSPECTOR_SECRET_STORE: 'memory' },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

for (const server of ['legacy', 'modern']) {
  test(`Inspector CLI, ${server} era: strict tools/list and every tool`, async () => {
    const listed = await inspect(server, '--method', 'tools/list', '--strict');
    assert.deepEqual(listed.result.tools.map((t) => t.name).sort(), Object.keys(CALLS).sort());
    for (const [name, args] of Object.entries(CALLS)) {
      const out = await inspect(server, '--method', 'tools/call', '--tool-name', name, '--tool-args-json', JSON.stringify(args));
      assert.equal(out.result.isError, false, name);
      assert.equal(out.result.structuredContent.provenance.mode, ENGINE_TOOLS.has(name) ? 'full' : 'offline', name);
    }
  });
}
