# syntax=docker/dockerfile:1
#
# findash images, one multi-stage file (checked without Docker by ci/check-dockerfile.sh):
#
#   docker build --target production  -t findash:latest      .   # slim runtime, non-root
#   docker build --target development  -t findash:development .   # toolchain + debug build
#   docker build --target testing      -t findash:testing     .   # `docker run` it: make test
#
# Every build step calls the Makefile targets CI runs (make deps / build / release / test),
# so the images are built the way CI builds. ci/build.sh passes FINDASH_VERSION.
# Multi-architecture: `docker buildx build --platform linux/amd64,linux/arm64 ...`;
# nothing below is specific to one architecture.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---- base: the Swift toolchain plus what scripts/deps.sh installs (the same list as CI)
FROM ${SWIFT_IMAGE} AS base
# The Swift image has no make; everything else comes from scripts/deps.sh.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY scripts/ ./scripts/
RUN make deps && rm -rf /var/lib/apt/lists/*
COPY Package.swift ./
COPY Sources/ ./Sources/
COPY Tests/ ./Tests/

# ---- development: debug build, debug logging; compose mounts the checkout over /src
FROM base AS development
RUN make build && install -m 0755 "$(swift build --show-bin-path)/findash" /usr/local/bin/findash
ENV ENVIRONMENT=development LOG_LEVEL=debug HOST=0.0.0.0 PORT=8000
EXPOSE 8000
STOPSIGNAL SIGTERM
CMD ["findash", "serve"]

# ---- testing: `docker run --rm findash:testing` runs the whole suite (make test starts its
# own private PostgreSQL and memcached inside the container, as on a CI machine)
FROM base AS testing
RUN make release
CMD ["make", "test"]

# ---- build: the release binary and the Swift runtime libraries it links against
FROM base AS build
ARG FINDASH_VERSION=unknown
RUN make release \
    && bin="$(swift build -c release --show-bin-path)/findash" \
    && mkdir -p /out/lib \
    && install -m 0755 "$bin" /out/findash \
    && ldd "$bin" | awk '$3 ~ /\/lib\/swift\// { print $3 }' | xargs -r cp -L -t /out/lib/ \
    && printf '%s\n' "$FINDASH_VERSION" >/out/VERSION

# ---- production: the binary, the Swift runtime and the C libraries it needs; non-root
FROM ${RUNTIME_IMAGE} AS production
ARG FINDASH_VERSION=unknown
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpq5 libmemcached11 libmemcachedutil2 libssl3 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 findash \
    && useradd --system --uid 10001 --gid findash --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin findash
COPY --from=build /out/lib/ /usr/local/lib/swift/
COPY --from=build /out/findash /usr/local/bin/findash
COPY --from=build /out/VERSION /usr/local/share/findash/VERSION
# Fail the build when a shared library is missing rather than at the first start.
RUN echo /usr/local/lib/swift >/etc/ld.so.conf.d/findash-swift.conf && ldconfig \
    && ! ldd /usr/local/bin/findash | grep 'not found' \
    && findash help >/dev/null
ENV ENVIRONMENT=production HOST=0.0.0.0 PORT=8000 FINDASH_VERSION=${FINDASH_VERSION}
LABEL org.opencontainers.image.title="findash" \
      org.opencontainers.image.version="${FINDASH_VERSION}"
USER findash:findash
WORKDIR /
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-8000}/health" || exit 1
STOPSIGNAL SIGTERM
CMD ["findash", "serve"]
