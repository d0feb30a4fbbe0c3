# Synapse gateway image.
#
#   docker build -t synapse .
#   docker run --rm -p 8000:8000 --read-only --tmpfs /tmp \
#     -v "$PWD/backends.yaml:/config/backends.yaml:ro" -v synapse-voices:/data/voices synapse
#
# The same binary runs the mock backends (`docker run … synapse mocks --host 0.0.0.0 …`), as
# deploy/k8s/overlays/dev does. scripts/package.sh builds this binary on the host with the same
# command and checks it against this file: the Swift version below, the build command, and the
# runtime packages (deploy/runtime-libraries.txt).

# ---- build ----------------------------------------------------------------------------------
# Swift 6.3 on Debian 12 (bookworm): the toolchain the project is developed and tested with
# (6.3.1 here), and the same Debian release as the runtime stage, so the binary links against the
# library versions (sonames) the runtime stage installs. Package.swift needs tools 6.1 or later.
FROM swift:6.3-bookworm AS build

# Headers for the system libraries the mocks' audio links (libsndfile, libsamplerate, found with
# pkg-config) and for NIO's SSL and zlib, as scripts/setup.sh installs them.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libsndfile1-dev libsamplerate0-dev libssl-dev zlib1g-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
# The Swift runtime and Foundation are linked statically: the runtime stage needs no Swift.
RUN swift build -c release --product synapse --static-swift-stdlib \
 && install -D -m 0755 "$(swift build -c release --product synapse --static-swift-stdlib --show-bin-path)/synapse" /out/synapse

# ---- runtime --------------------------------------------------------------------------------
FROM debian:bookworm-slim

# Exactly the packages of deploy/runtime-libraries.txt (scripts/package.sh fails if they
# differ): the shared libraries `ldd` lists for the binary, and ca-certificates for https://
# backends. Most of them come with bookworm-slim already; libsndfile1 brings the codecs.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates \
      libc6 \
      libflac12 \
      libgcc-s1 \
      libmp3lame0 \
      libmpg123-0 \
      libogg0 \
      libopus0 \
      libsamplerate0 \
      libsndfile1 \
      libstdc++6 \
      libvorbis0a \
      libvorbisenc2 \
      zlib1g \
 && rm -rf /var/lib/apt/lists/*

# A fixed numeric UID/GID (Kubernetes' runAsNonRoot checks a numeric user). /data/voices is
# owned by it, so a fresh named volume mounted there is writable.
RUN groupadd --system --gid 10001 synapse \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin synapse \
 && mkdir -p /config /data/voices \
 && chown 10001:10001 /data/voices

COPY --from=build /out/synapse /usr/local/bin/synapse

# Works with a read-only root filesystem: the gateway writes only to the voice library
# (SYNAPSE_VOICE_LIBRARY_DIR, /data/voices: a volume) and to the temporary directory (/tmp: a
# tmpfs or emptyDir), where uploads read ahead of the backend spill past 1 MiB.
USER 10001:10001
ENV SYNAPSE_GATEWAY_CONFIG_PATH=/config/backends.yaml \
    SYNAPSE_VOICE_LIBRARY_DIR=/data/voices
EXPOSE 8000
ENTRYPOINT ["/usr/local/bin/synapse"]
# `serve` reads $SYNAPSE_GATEWAY_CONFIG_PATH, the original gateway's ConfigMap mount.
CMD ["serve"]
