// The benchmark's Node peer: a stdio MCP server on the official TypeScript SDK 1.x with the
// same five tool names, input schemas, output schemas and offline IBAN validation (registry
// layout, per-position classes, mod-97) read from the same generated registry table. What the
// npm package this project replaces would have cost, measured on equal terms.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
const registry = new Map();
for (const line of readFileSync(path.join(here, '../../data/iban_registry.tsv'), 'utf8').split('\n')) {
  if (!line || line.startsWith('#')) continue;
  const c = line.split('\t');
  if (c[11] === '1') continue;
  registry.set(c[0], { length: Number(c[2]), classes: c[3], name: c[12] ?? c[11] });
}

function mod97(s) {
  let r = 0;
  for (const ch of s.slice(4) + s.slice(0, 4)) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    r = (v > 9 ? r * 100 + v : r * 10 + v) % 97;
  }
  return r;
}

function validate(input) {
  const iban = input.replace(/[\s.-]/g, '').toUpperCase();
  const out = { iban, formatted: iban.replace(/(.{4})/g, '$1 ').trim(), valid: false, country: null, check_digits: null, bban: null, error: null, error_detail: null };
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban)) return { ...out, error: 'invalid_format' };
  const spec = registry.get(iban.slice(0, 2));
  if (!spec) return { ...out, error: 'unsupported_country' };
  out.country = { code: iban.slice(0, 2), name: spec.name };
  out.check_digits = iban.slice(2, 4);
  if (iban.length !== spec.length) return { ...out, error: 'wrong_length' };
  for (let i = 4; i < iban.length; i++) {
    const cls = spec.classes[i - 4];
    const ch = iban[i];
    const ok = cls === 'n' ? ch >= '0' && ch <= '9' : cls === 'a' ? ch >= 'A' && ch <= 'Z' : true;
    if (!ok) return { ...out, error: 'invalid_bban_structure' };
  }
  out.bban = { bban: iban.slice(4) };
  if (mod97(iban) !== 1) return { ...out, error: 'checksum_failed' };
  return { ...out, valid: true };
}

const provenance = { mode: 'offline', source: 'local', reason: 'offline_mode', detail: 'Node peer', upstream_status: null, quota: null, credits: null, unlock: [], missing: ['issuer'], data_as_of: null };
const provenanceSchema = z.object({ mode: z.string(), source: z.string(), reason: z.string().nullable(), detail: z.string().nullable() }).passthrough();
const validation = z.object({ iban: z.string(), valid: z.boolean() }).passthrough();
const annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

const server = new McpServer({ name: 'ibanforge-node-peer', version: '0.0.0' });
function answer(body, label) {
  const structuredContent = { ...body, provenance };
  return { content: [{ type: 'text', text: `${label}\n${JSON.stringify(structuredContent, null, 2)}` }], structuredContent };
}
server.registerTool('validate_iban', { title: 'Validate IBAN', description: 'Validate one IBAN.', inputSchema: { iban: z.string().min(1).max(256) }, outputSchema: { iban: z.string(), valid: z.boolean(), provenance: provenanceSchema }, annotations },
  async ({ iban }) => { const v = validate(iban); return answer(v, `OFFLINE RESULT — ${v.formatted} is ${v.valid ? 'valid' : 'NOT valid'}`); });
server.registerTool('batch_validate_iban', { title: 'Batch Validate IBANs', description: 'Validate 1–100 IBANs.', inputSchema: { ibans: z.array(z.string().min(1).max(256)).min(1).max(100) }, outputSchema: { results: z.array(validation), count: z.number(), valid_count: z.number(), provenance: provenanceSchema }, annotations },
  async ({ ibans }) => { const results = ibans.map(validate); return answer({ results, count: results.length, valid_count: results.filter((r) => r.valid).length }, 'OFFLINE RESULT — batch'); });
server.registerTool('lookup_bic', { title: 'Look up BIC/SWIFT', description: 'Look up a BIC.', inputSchema: { bic: z.string().regex(/^\s*[A-Za-z0-9]{8}([A-Za-z0-9]{3})?\s*$/) }, outputSchema: { bic: z.string(), valid_format: z.boolean(), provenance: provenanceSchema }, annotations },
  async ({ bic }) => { const b = bic.trim().toUpperCase(); return answer({ bic: b, bic8: b.slice(0, 8), bic11: b.length === 8 ? `${b}XXX` : b, found: null, valid_format: /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(b) }, `OFFLINE RESULT — ${b}`); });
server.registerTool('lookup_ch_clearing', { title: 'Swiss Clearing Lookup', description: 'Look up a Swiss IID.', inputSchema: { iid: z.string().regex(/^[0-9]{1,5}$/) }, outputSchema: { iid: z.string(), provenance: provenanceSchema }, annotations },
  async ({ iid }) => answer({ iid: iid.padStart(5, '0'), found: null }, `OFFLINE RESULT — IID ${iid}`));
server.registerTool('check_compliance', { title: 'Compliance Check', description: 'Country-level compliance facts.', inputSchema: { iban: z.string().min(1).max(256) }, outputSchema: { iban: z.string(), valid: z.boolean(), provenance: provenanceSchema }, annotations },
  async ({ iban }) => { const v = validate(iban); return answer({ ...v, compliance: { risk_level: 'unassessable' } }, 'OFFLINE RESULT — compliance'); });

await server.connect(new StdioServerTransport());
