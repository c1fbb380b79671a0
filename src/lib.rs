//! ibanforge-mcp: an MCP server with banking tools (listed once, in
//! `tools/registry.rs`) whose every answer says plainly whether it is complete, and if
//! not, why.
//!
//! Layout: [`engine`] is the offline engine (pure data and algorithms, no I/O);
//! [`tools`] holds the tools (one file each), their registry and the answer policy;
//! [`server`] wires them into rmcp and runs the stdio session (lifecycle, line guard,
//! logging); [`api`] is the hosted-API client and refusal parsing; [`config`] resolves
//! settings; [`cli`] is the command line.

// `api::refusal::Failure` carries the API's quota and credit objects by value. It only
// travels on the refusal path, where a few hundred bytes on the stack cost nothing.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod cli;
pub mod config;
pub mod engine;
pub mod server;
pub mod tools;
