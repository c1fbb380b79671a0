#!/usr/bin/env sh
# Add ibanforge-mcp to Claude Code for the current user (all projects).
claude mcp add --scope user ibanforge -e IBANFORGE_API_KEY=ifk_your_key_here -- npx -y ibanforge-mcp
