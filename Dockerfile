# mailhelp: a static binary on a distroless base (CA certificates and time
# zone data included), running as a non-root user.
#
#   docker build -t mailhelp .
#   docker run --rm -p 8080:8080 --env-file mailhelp.env mailhelp
#
# The build step is scripts/build.sh, the same script the test suite runs.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The stamp of `mailhelp version` and /metrics (the context has no .git),
# e.g. docker build --build-arg VERSION=$(git describe --tags --always)
# --build-arg COMMIT=$(git rev-parse HEAD) -t mailhelp .
ARG VERSION
ARG COMMIT
ARG DATE
RUN ./scripts/build.sh /out/mailhelp
# The image's working directory and state directory, owned by its user
# (nonroot, uid 65532): the audit trail (audit.file unset:
# /var/lib/mailhelp/mailhelp-audit.jsonl) must be writable there.
RUN mkdir -p /out/data && chown 65532:65532 /out/data && chmod 0750 /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/mailhelp /mailhelp
COPY --from=build --chown=65532:65532 /out/data /var/lib/mailhelp
WORKDIR /var/lib/mailhelp
# Keep the trail across containers: mount a named volume here
# (-v mailhelp-data:/var/lib/mailhelp), or a host directory owned by 65532.
VOLUME ["/var/lib/mailhelp"]
USER nonroot:nonroot
EXPOSE 8080
# Configuration: mount a file and point MAILHELP_CONFIG at it, e.g.
#   -v ./mailhelp.yaml:/etc/mailhelp/config.yaml:ro -e MAILHELP_CONFIG=/etc/mailhelp/config.yaml
# Secrets (SLACK_*, DISCORD_*) come from the environment only.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
  CMD ["/mailhelp", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/mailhelp"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
