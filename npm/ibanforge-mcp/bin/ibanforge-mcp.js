#!/usr/bin/env node
// Launcher for the ibanforge-mcp binary. It finds the prebuilt binary that npm installed for
// this platform (an optional dependency), runs it with stdio passed straight through, forwards
// signals, and exits as the binary exits. If this launcher dies without a chance to forward
// anything (SIGKILL, a process-tree kill, TerminateProcess), the binary notices that its
// parent is gone and exits within a second: Linux and macOS by themselves, Windows by
// waiting on the process whose id is passed in IBANFORGE_MCP_LAUNCHER_PID. It never writes
// to stdout: stdout is the MCP protocol channel. No dependencies, CommonJS, Node >= 18 — and
// nothing that costs start-up time (no dynamic imports; process.report only on a Linux whose
// libc /usr/bin/ldd does not name).
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// Whether this Linux runs on musl (Alpine) rather than glibc, found the way well-known
// packages (detect-libc) do: /usr/bin/ldd names its libc; failing that, Node's own report
// has a glibcVersionRuntime only on glibc.
function isMusl() {
  try {
    const ldd = fs.readFileSync('/usr/bin/ldd', 'latin1');
    if (ldd.includes('musl')) return true;
    if (ldd.includes('GNU C Library') || ldd.includes('GLIBC')) return false;
  } catch {
    // no ldd (a minimal image): ask Node below
  }
  try {
    return !process.report.getReport().header.glibcVersionRuntime;
  } catch {
    return false;
  }
}

function platformKey() {
  const key = `${process.platform}-${process.arch}`;
  return process.platform === 'linux' && isMusl() ? `${key}-musl` : key;
}

// npm package for each platform-arch this project ships. Linux glibc builds target an old
// glibc (2.17); the musl builds are static and run on any musl system.
const PACKAGES = {
  'linux-x64': '@ibanforge/mcp-linux-x64-gnu',
  'linux-arm64': '@ibanforge/mcp-linux-arm64-gnu',
  'linux-x64-musl': '@ibanforge/mcp-linux-x64-musl',
  'linux-arm64-musl': '@ibanforge/mcp-linux-arm64-musl',
  'darwin-x64': '@ibanforge/mcp-darwin-x64',
  'darwin-arm64': '@ibanforge/mcp-darwin-arm64',
  'win32-x64': '@ibanforge/mcp-win32-x64',
};

function findBinary() {
  const override = process.env.IBANFORGE_MCP_BINARY;
  if (override) return override;
  const pkg = PACKAGES[platformKey()];
  if (!pkg) return null;
  try {
    const dir = path.dirname(require.resolve(`${pkg}/package.json`));
    return path.join(dir, 'bin', process.platform === 'win32' ? 'ibanforge-mcp.exe' : 'ibanforge-mcp');
  } catch {
    return null;
  }
}

function fail(message) {
  process.stderr.write(`ibanforge-mcp: ${message}\n`);
  process.exit(1);
}

const binary = findBinary();
if (!binary) {
  const key = platformKey();
  fail(
    `no prebuilt binary for ${key}` +
      (PACKAGES[key] ? ` (${PACKAGES[key]} is not installed; reinstall without --no-optional)` : '') +
      '. Build it with `cargo install ibanforge-mcp` and set IBANFORGE_MCP_BINARY to its path.',
  );
}

// A client stops a server by signalling the process it started: this launcher. Pass it on.
// The handlers go in before the binary starts: a signal that arrived between the spawn and
// their installation killed the launcher by default and left the binary behind.
let child = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child = spawn(binary, process.argv.slice(2), {
  stdio: 'inherit',
  windowsHide: true,
  env: { ...process.env, IBANFORGE_MCP_LAUNCHER_PID: String(process.pid) },
});

child.on('error', (error) => fail(`cannot start ${binary}: ${error.message}`));
child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal, so the parent sees what happened.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code === null ? 1 : code);
});
