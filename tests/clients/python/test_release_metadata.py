"""Release metadata: server.json against the MCP registry's published schema, and the names
that must agree across the npm packages, server.json and the MCPB manifest. (The versions are
checked in test_version_lockstep.py.)

The registry's schema is not in a package of its own; PyPI `skillsaw` (Apache-2.0) ships the
released copies, so the test reads the 2025-12-11 one from there (installed --no-deps).
"""

import json
import unittest
import importlib.util
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[3]


def load(path: str) -> dict:
    return json.loads((ROOT / path).read_text(encoding="utf-8"))


class ReleaseMetadata(unittest.TestCase):
    def setUp(self) -> None:
        self.server = load("server.json")

    def test_server_json_matches_the_registry_schema(self) -> None:
        # Located, not imported: importing skillsaw would pull its own dependencies.
        spec = importlib.util.find_spec("skillsaw")
        self.assertIsNotNone(spec, "skillsaw is installed by scripts/test.sh")
        schema_file = Path(spec.origin).parent / "schemas/mcp_registry/v2025_12_11/server.schema.json"
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        self.assertEqual(self.server["$schema"], schema["$id"])
        validator_cls = jsonschema.validators.validator_for(schema)
        errors = sorted(validator_cls(schema).iter_errors(self.server), key=str)
        self.assertEqual([], [f"{list(e.path)}: {e.message}" for e in errors])

    def test_official_registry_rules(self) -> None:
        self.assertLessEqual(len(self.server["description"]), 100)
        self.assertRegex(self.server["name"], r"^io\.github\.[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")
        (package,) = self.server["packages"]
        self.assertEqual(package["registryType"], "npm")
        npm = load("npm/ibanforge-mcp/package.json")
        self.assertEqual(package["identifier"], npm["name"])
        self.assertEqual(npm["mcpName"], self.server["name"], "npm ownership proof")
        key = next(v for v in package["environmentVariables"] if v["name"] == "IBANFORGE_API_KEY")
        self.assertTrue(key["isSecret"])

    def test_mcpb_manifest_lists_the_five_tools(self) -> None:
        manifest = load("mcpb/manifest.json")
        tools = load("schemas/tools.json")["tools"]
        self.assertEqual([t["name"] for t in manifest["tools"]], [t["name"] for t in tools])
        self.assertEqual(manifest["server"]["mcp_config"]["env"]["IBANFORGE_API_KEY"], "${user_config.api_key}")


if __name__ == "__main__":
    unittest.main()
