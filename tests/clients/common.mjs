// Shared by the real-client tests: binary paths, the calls made to each tool, and the
// stand-in API started as a process.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import readline from 'node:readline';

const here = path.dirname(fileURLToPath(import.meta.url));
export const binary = process.env.IBANFORGE_MCP_BINARY ?? path.resolve(here, '../../target/debug/ibanforge-mcp');
export const standInBinary = process.env.STAND_IN_BINARY ?? path.resolve(here, '../../target/debug/examples/stand-in-api');
export const PATH = process.env.PATH ?? '/usr/bin:/bin';

/**
 * One call per tool (calls.json, which the platform checks read too); every answer must pass
 * the client's own outputSchema check.
 */
export const CALLS = JSON.parse(readFileSync(path.resolve(here, 'calls.json'), 'utf8'));

const DEFINITIONS = JSON.parse(readFileSync(path.resolve(here, '../../schemas/tools.json'), 'utf8')).tools;

/** The tools the server lists, in order: the committed definitions the registry generates. */
export const TOOL_NAMES = DEFINITIONS.map((t) => t.name);

/**
 * The tools whose full answer is the local engine's (not open-world: the payment tools): full
 * and local in every configuration, offline or keyed, never asking the API.
 */
export const ENGINE_TOOLS = new Set(DEFINITIONS.filter((t) => t.annotations?.openWorldHint === false).map((t) => t.name));

/** An engine tool's answer: full, local, nothing missing, the summary first (no label). */
export function assertEngineFull(assert, name, result) {
  assert.equal(result.isError, false, name);
  const p = result.structuredContent.provenance;
  assert.equal(p.mode, 'full', name);
  assert.equal(p.source, 'local', name);
  assert.deepEqual(p.missing, [], name);
  assert.doesNotMatch(result.content[0].text.split('\n')[0], /RESULT —|MODE —/, name);
}
{
  const missing = TOOL_NAMES.filter((n) => !(n in CALLS));
  const unknown = Object.keys(CALLS).filter((n) => !TOOL_NAMES.includes(n));
  if (missing.length || unknown.length) {
    throw new Error(`tests/clients/calls.json must hold one call per registered tool: add ${JSON.stringify(missing)}, remove ${JSON.stringify(unknown)}`);
  }
}

/** Start the stand-in API (the example binary) and resolve with its base URL. */
export async function startStandIn() {
  const child = spawn(standInBinary, ['0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
  });
  return { base: firstLine.trim(), stop: () => child.kill('SIGTERM') };
}

/** Every paid answer of the stand-in, and every batch row, carries this; no local answer does. */
export const MARKER = ['served_by', 'stand-in'];

/**
 * The SDKs' stdio transports add their default environment (HOME, LOGNAME, PATH, SHELL, TERM,
 * USER) to the one given. Spread this into `env` to take those out again: Node's spawn skips
 * variables whose value is `undefined`. Check the result with `environNames`.
 */
export const UNSET_DEFAULTS = { HOME: undefined, LOGNAME: undefined, SHELL: undefined, TERM: undefined, USER: undefined };

/** The names of the variables a running process really has (Linux /proc). */
export function environNames(pid) {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => kv.split('=')[0]).sort();
}
