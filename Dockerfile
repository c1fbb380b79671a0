# ibanforge-mcp as a container image: an MCP server on stdio (`docker run -i --rm`), for
# registries that inspect a server by building its Dockerfile (Glama, the Docker MCP catalog).
#
# Stage 1 builds the static musl binary exactly as the release and the test command do
# (cargo-zigbuild, zig from PyPI, both pinned); stage 2 is FROM scratch: the binary and the CA
# certificates it verifies the hosted API with, nothing else, run as an unprivileged user.
# No key is baked in: pass it at run time, e.g.
#   docker run -i --rm -e IBANFORGE_API_KEY ibanforge-mcp
# Without one the answers are local and say so. scripts/platforms.sh (the test command) runs
# the binary this builds in an empty root holding only what stage 2 copies.
# Multi-arch: `docker buildx build --platform linux/amd64,linux/arm64 .` (TARGETARCH below).

FROM rust:1.95-slim-bookworm AS build
ARG TARGETARCH
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/zig \
 && /opt/zig/bin/pip install --no-cache-dir ziglang==0.17.1 cargo-zigbuild==0.24.1
ENV PATH=/opt/zig/bin:$PATH
WORKDIR /src
COPY . .
RUN case "$TARGETARCH" in \
      arm64) target=aarch64-unknown-linux-musl ;; \
      *) target=x86_64-unknown-linux-musl ;; \
    esac \
 && rustup target add "$target" \
 && cargo zigbuild --release --locked -p ibanforge-mcp --bin ibanforge-mcp --target "$target" \
 && cp "target/$target/release/ibanforge-mcp" /ibanforge-mcp

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /ibanforge-mcp /ibanforge-mcp
USER 65534:65534
ENTRYPOINT ["/ibanforge-mcp"]
