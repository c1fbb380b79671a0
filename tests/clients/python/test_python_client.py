"""Real-client test: the official Python MCP SDK (PyPI `mcp` 2.3) drives the binary.

Its `Client` negotiates `auto` by default (probes `server/discover`, then speaks the stateless
2026-07-28 revision); `mode="legacy"` forces the initialize handshake. `call_tool` validates
every structuredContent against the tool's outputSchema with `jsonschema`, so a schema
mismatch fails here as it would in a Python agent.
"""

import asyncio
import json
import os
import unittest
from pathlib import Path

from mcp import Client, StdioServerParameters

HERE = Path(__file__).resolve().parent
BINARY = os.environ.get("IBANFORGE_MCP_BINARY", str(HERE.parent.parent.parent / "target/debug/ibanforge-mcp"))

# One call per tool, shared with the Node client tests (a schemas_drift test keeps it complete).
CALLS = json.loads((HERE.parent / "calls.json").read_text(encoding="utf-8"))


async def exercise(t: unittest.TestCase, mode: str) -> str:
    # self.assert* rather than bare `assert`: these checks must hold under PYTHONOPTIMIZE too.
    params = StdioServerParameters(command=BINARY, args=[], env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "IBANFORGE_OFFLINE": "1"})
    async with Client(params, mode=mode, raise_exceptions=True) as client:
        tools = await client.list_tools()
        names = sorted(t_.name for t_ in tools.tools)
        t.assertEqual(names, sorted(CALLS))
        # The tools whose full answer is the local engine's (not open-world) are full offline too.
        engine_tools = set()
        for tool in tools.tools:
            t.assertIsNotNone(tool.output_schema, tool.name)
            t.assertEqual(tool.output_schema["type"], "object", tool.name)
            if tool.annotations is not None and tool.annotations.open_world_hint is False:
                engine_tools.add(tool.name)
        t.assertEqual(engine_tools, {"validate_payment_reference", "check_swiss_qr_bill"})
        for name, args in CALLS.items():
            result = await client.call_tool(name, args)
            t.assertIs(result.is_error, False, (name, result))
            provenance = result.structured_content["provenance"]
            if name in engine_tools:
                t.assertEqual((provenance["mode"], provenance["source"], provenance["missing"]), ("full", "local", []), name)
                t.assertNotIn("RESULT — ", result.content[0].text.split("\n")[0], name)
                continue
            t.assertEqual(provenance["mode"], "offline", (name, provenance))
            t.assertTrue(result.content[0].text.startswith("OFFLINE RESULT — "), name)
        bad = await client.call_tool("lookup_ch_clearing", {"iid": "123456"})
        t.assertIs(bad.is_error, True)
        t.assertIn("1–5 digits", bad.content[0].text)
        return client.protocol_version


class PythonClient(unittest.TestCase):
    def test_default_auto_mode_speaks_the_stateless_era(self) -> None:
        self.assertEqual(asyncio.run(exercise(self, "auto")), "2026-07-28")

    def test_legacy_mode_uses_the_initialize_handshake(self) -> None:
        self.assertIn(asyncio.run(exercise(self, "legacy")), ("2025-11-25", "2025-06-18"))


if __name__ == "__main__":
    unittest.main()
