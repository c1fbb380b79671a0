// The install paths users take, tested here end to end:
// - the npm packages, packed and installed from their tarballs into an empty prefix with no
//   network, started through the installed `ibanforge-mcp` bin by a real MCP client;
// - the launcher's signal forwarding, exit codes, and its one-line refusal when no binary fits;
// - every example client configuration, parsed and launched;
// - the MCPB bundle, validated, packed, and its binary started;
// - a registry-sandbox start: no key (and a dummy key), no HOME, no network, read-only cwd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { binary, CALLS, environNames, PATH, TOOL_NAMES, UNSET_DEFAULTS } from './common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
// The launcher's key for this machine, found as it finds it (bin/ibanforge-mcp.js): Linux on
// musl (Alpine) is `linux-<arch>-musl`, whose /usr/bin/ldd names musl.
function isMusl() {
  try {
    const ldd = readFileSync('/usr/bin/ldd', 'latin1');
    if (ldd.includes('musl')) return true;
    if (ldd.includes('GNU C Library') || ldd.includes('GLIBC')) return false;
  } catch {
    // no ldd: Node's report has a glibc version only on glibc
  }
  return !process.report.getReport().header.glibcVersionRuntime;
}
const PLATFORM_KEY = `${process.platform}-${process.arch}${process.platform === 'linux' && isMusl() ? '-musl' : ''}`;
const PLATFORM_PACKAGE = {
  'linux-x64': 'linux-x64-gnu',
  'linux-arm64': 'linux-arm64-gnu',
  'linux-x64-musl': 'linux-x64-musl',
  'linux-arm64-musl': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
}[PLATFORM_KEY];

let work;
let prefix; // an npm prefix with both packages installed from their tarballs
let launcher;

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

before(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'ibanforge-packaging-'));
  // Stage the platform package with the binary under test (the packages in the repository
  // carry no binary; the release workflow puts the release build there).
  const stagedPlatform = path.join(work, 'platform');
  cpSync(path.join(root, 'npm/platforms', PLATFORM_PACKAGE), stagedPlatform, { recursive: true });
  mkdirSync(path.join(stagedPlatform, 'bin'), { recursive: true });
  cpSync(binary, path.join(stagedPlatform, 'bin/ibanforge-mcp'));
  const tarballs = path.join(work, 'tarballs');
  mkdirSync(tarballs);
  npm(['pack', '--silent', '--pack-destination', tarballs], stagedPlatform);
  npm(['pack', '--silent', '--pack-destination', tarballs], path.join(root, 'npm/ibanforge-mcp'));
  // Every other platform package packs too (what the release publishes).
  for (const name of readdirSync(path.join(root, 'npm/platforms'))) {
    const out = npm(['pack', '--dry-run', '--json'], path.join(root, 'npm/platforms', name));
    assert.equal(JSON.parse(out)[0].name, `@ibanforge/mcp-${name}`);
  }
  prefix = path.join(work, 'prefix');
  mkdirSync(prefix);
  writeFileSync(path.join(prefix, 'package.json'), '{"name": "sandbox", "private": true}');
  const files = readdirSync(tarballs).map((f) => path.join(tarballs, f));
  // --offline: nothing may come from the network; optional packages of other platforms are
  // skipped by npm (os/cpu/libc do not match).
  npm(['install', '--offline', '--no-package-lock', ...files], prefix);
  launcher = path.join(prefix, 'node_modules/.bin/ibanforge-mcp');
});

after(() => rmSync(work, { recursive: true, force: true }));

test('npm installed only the matching platform package', () => {
  const scope = readdirSync(path.join(prefix, 'node_modules/@ibanforge'));
  assert.deepEqual(scope, [`mcp-${PLATFORM_PACKAGE}`]);
  const pkg = JSON.parse(readFileSync(path.join(prefix, 'node_modules/ibanforge-mcp/package.json'), 'utf8'));
  assert.equal(pkg.mcpName, 'io.github.ibanforge/ibanforge-mcp');
  assert.equal(pkg.dependencies, undefined, 'the launcher has no runtime dependencies');
});

test('a real MCP client starts the server through the installed bin', async () => {
  const client = new Client({ name: 'packaging-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: launcher, args: [], env: { PATH, IBANFORGE_OFFLINE: '1' }, stderr: 'pipe' }));
  try {
    const { tools } = await client.listTools();
    assert.equal(tools.length, TOOL_NAMES.length);
    const r = await client.callTool({ name: 'validate_iban', arguments: { iban: 'CH10 0023 0000 0000 1234 5' } });
    assert.match(r.content[0].text, /^OFFLINE RESULT — /);
  } finally {
    await client.close();
  }
});

function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

test('SIGTERM to the launcher stops the server promptly', { skip: process.platform !== 'linux' && 'uses /proc' }, async () => {
  const proc = spawn(launcher, [], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH, IBANFORGE_OFFLINE: '1' } });
  let serverPid;
  for (let i = 0; i < 200 && !serverPid; i++) {
    await new Promise((r) => setTimeout(r, 10));
    serverPid = childrenOf(proc.pid)[0];
  }
  assert.ok(serverPid, 'the launcher started the server');
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const started = Date.now();
  proc.kill('SIGTERM');
  const { signal } = await exited;
  while (existsSync(`/proc/${serverPid}`) && readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(' ')[2] !== 'Z' && Date.now() - started < 10000) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const took = Date.now() - started;
  assert.ok(took < 5000, `server gone after ${took} ms (strict figures: scripts/bench.sh)`);
  assert.ok(!existsSync(`/proc/${serverPid}`) || readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(' ')[2] === 'Z');
  assert.equal(signal === 'SIGTERM' || signal === null, true);
});

test('the server exit code comes back through the launcher, and stdout stays clean', () => {
  const bad = spawnSync(launcher, ['call', 'no_such_tool', '{}'], { env: { PATH }, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /unknown tool/);
  const ok = spawnSync(launcher, ['--version'], { env: { PATH }, encoding: 'utf8' });
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /^ibanforge-mcp \d+\.\d+\.\d+/);
});

test('with no binary for the platform, the launcher says so in one stderr line', () => {
  const lonely = path.join(work, 'lonely');
  mkdirSync(lonely);
  cpSync(path.join(root, 'npm/ibanforge-mcp'), path.join(lonely, 'ibanforge-mcp'), { recursive: true });
  const r = spawnSync(process.execPath, [path.join(lonely, 'ibanforge-mcp/bin/ibanforge-mcp.js')], { env: { PATH }, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], new RegExp(`no prebuilt binary for ${PLATFORM_KEY}[ .]`));
  assert.match(lines[0], /IBANFORGE_MCP_BINARY/);
});

/** The command an example configuration names, with npx resolved inside the test prefix. */
function exampleServers() {
  const dir = path.join(root, 'examples');
  const servers = {};
  for (const file of ['claude-desktop.json', 'cursor-mcp.json', 'windsurf-mcp_config.json']) {
    servers[file] = JSON.parse(readFileSync(path.join(dir, file), 'utf8')).mcpServers.ibanforge;
  }
  const vscode = JSON.parse(readFileSync(path.join(dir, 'vscode-mcp.json'), 'utf8'));
  assert.equal(vscode.inputs[0].password, true);
  servers['vscode-mcp.json'] = vscode.servers.ibanforge;
  const line = readFileSync(path.join(dir, 'claude-code.sh'), 'utf8').split('\n').find((l) => l.startsWith('claude mcp add'));
  const [, after] = line.split(' -- ');
  const [command, ...args] = after.trim().split(/\s+/);
  servers['claude-code.sh'] = { command, args, env: { IBANFORGE_API_KEY: line.match(/IBANFORGE_API_KEY=(\S+)/)[1] } };
  return servers;
}

for (const [file, server] of Object.entries(exampleServers())) {
  test(`example ${file} launches a server that answers tools/list`, async () => {
    assert.equal(server.command, 'npx');
    assert.deepEqual(server.args, ['-y', 'ibanforge-mcp']);
    const env = { PATH, HOME: work, npm_config_offline: 'true', npm_config_update_notifier: 'false', IBANFORGE_OFFLINE: '1' };
    for (const [k, v] of Object.entries(server.env ?? {})) env[k] = v.startsWith('${input:') ? '' : v;
    const client = new Client({ name: 'example-test', version: '1.0.0' });
    // npx finds the package installed in the prefix (cwd), as it would a cached one.
    await client.connect(new StdioClientTransport({ command: server.command, args: server.args, env, cwd: prefix, stderr: 'pipe' }));
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, TOOL_NAMES.length);
    } finally {
      await client.close();
    }
  });
}

test('the MCPB bundle validates, packs, and its binary answers tools/list', async () => {
  const out = path.join(work, 'ibanforge.mcpb');
  execFileSync('bash', [path.join(root, 'mcpb/build.sh'), binary, out], { stdio: 'pipe' });
  const unpacked = path.join(work, 'mcpb-unpacked');
  mkdirSync(unpacked);
  execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); z.extractall(sys.argv[2]); [__import__("os").chmod(sys.argv[2] + "/" + i.filename, i.external_attr >> 16) for i in z.infolist() if i.external_attr >> 16]', out, unpacked]);
  const manifest = JSON.parse(readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'));
  assert.equal(manifest.server.type, 'binary');
  assert.equal(manifest.user_config.api_key.sensitive, true);
  assert.equal(manifest.server.mcp_config.env.IBANFORGE_API_KEY, '${user_config.api_key}');
  const command = manifest.server.mcp_config.command.replace('${__dirname}', unpacked);
  const client = new Client({ name: 'mcpb-test', version: '1.0.0' });
  // An empty key, as Claude Desktop passes it when the user leaves the field blank.
  await client.connect(new StdioClientTransport({ command, args: [], env: { PATH, IBANFORGE_API_KEY: '', IBANFORGE_OFFLINE: '1' }, stderr: 'pipe' }));
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), manifest.tools.map((t) => t.name).sort());
  } finally {
    await client.close();
  }
});

for (const key of [null, 'ifk_dummy_sandbox_key']) {
  test(`registry sandbox start (${key ? 'dummy key' : 'no key'}): every tool promptly, the API's tools labelled`, async () => {
    const cwd = mkdtempSync(path.join(work, 'ro-'));
    chmodSync(cwd, 0o555);
    // No HOME, no network (the API base is a closed loopback port), read-only working directory.
    const env = { ...UNSET_DEFAULTS, PATH, IBANFORGE_API_BASE: 'http://127.0.0.1:9' };
    if (key) env.IBANFORGE_API_KEY = key;
    const started = Date.now();
    const client = new Client({ name: 'sandbox-inspector', version: '1.0.0' });
    const transport = new StdioClientTransport({ command: binary, args: [], env, cwd, stderr: 'pipe' });
    await client.connect(transport);
    try {
      assert.deepEqual(environNames(transport.pid), Object.keys(env).filter((k) => env[k] !== undefined).sort(), 'really no HOME');
      const { tools } = await client.listTools();
      const took = Date.now() - started;
      assert.ok(took < 5000, `tools listed after ${took} ms (strict figures: scripts/bench.sh)`);
      assert.equal(tools.length, TOOL_NAMES.length);
      for (const t of tools) {
        assert.equal(t.outputSchema.type, 'object', t.name);
        assert.equal(t.annotations.readOnlyHint, true, t.name);
      }
      const args = {
        validate_iban: { iban: 'CH10 0023 0000 0000 1234 5' },
        batch_validate_iban: { ibans: ['CH1000230000000012345'] },
        lookup_bic: { bic: 'UBSWCHZH80A' },
        lookup_ch_clearing: { iid: '230' },
        check_compliance: { iban: 'CH1000230000000012345' },
      };
      for (const t of tools) {
        if (t.annotations.openWorldHint === false) {
          // A tool the engine answers in full needs no API: full, local, no label.
          const r = await client.callTool({ name: t.name, arguments: CALLS[t.name] });
          assert.equal(r.structuredContent.provenance.mode, 'full', t.name);
          assert.equal(r.structuredContent.provenance.source, 'local', t.name);
          assert.doesNotMatch(r.content[0].text.split('\n')[0], /^(DEGRADED|ANONYMOUS|OFFLINE)/, t.name);
          continue;
        }
        const r = await client.callTool({ name: t.name, arguments: args[t.name] });
        const label = r.content[0].text.split('\n')[0];
        assert.match(label, key ? /^DEGRADED RESULT — / : /^ANONYMOUS MODE — /, t.name);
        assert.equal(r.structuredContent.provenance.reason, 'api_unreachable', t.name);
        if (key) assert.doesNotMatch(r.content[0].text, /anonymous/i, t.name);
      }
    } finally {
      await client.close();
      chmodSync(cwd, 0o755);
    }
  });
}
