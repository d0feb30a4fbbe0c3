"""Checks what schema validation cannot see in rendered Kubernetes manifests: that they agree with
the gateway's own configuration and with each other. Used by scripts/deploy-check.sh.

Usage: deploy-check.py [--binary SYNAPSE] NAME=RENDERED.yaml ...

For each rendered set (base, and each overlay), about the gateway Deployment:
  - its --config path is a mounted ConfigMap key, and that backends.yaml is in the original
    gateway's format (backends with url/type/health, routes naming them) and passes
    `synapse config check` with the Deployment's literal SYNAPSE_* variables, without a warning
    (a warning is a key or variable the gateway would ignore);
  - the Ingress lets through what the gateway accepts: proxy-body-size >= the largest request
    body limit, proxy-read-timeout and proxy-send-timeout >= the longest deadline, request and
    response buffering off;
  - terminationGracePeriodSeconds >= preStop sleep + drain window + shutdown grace + 10 s;
    figures from `synapse config dump` (the effective configuration), or, without a binary, from
    the README's defaults plus what the file and the variables set;
  - probes (/healthz, /readyz), security context (non-root, read-only root, no privilege
    escalation, no capabilities, RuntimeDefault seccomp), a writable /tmp, the voice library on
    the voices claim (ReadWriteMany outside dev), SYNAPSE_INSTANCE_ID from the pod name;
  - the Service, Ingress, PodDisruptionBudget and HorizontalPodAutoscaler point at it, its
    Secret keys exist where the Secret is rendered, and production renders no Secret;
  - a backend URL naming a Service of the set reaches a port of it, and, for `synapse mocks`,
    the port of that backend's mock (--port-base + its place in the catalogue, on 0.0.0.0).
Exit status 1 with every problem listed, 0 otherwise.
"""
import argparse
import math
import re
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit

import yaml

# Mocks/SynapseMocks/MockCatalogue.swift: a mock's port is --port-base + its place here.
# Checked against `synapse mocks --help` when there is a binary.
CATALOGUE = ["llama-embed", "llama-router", "chatterbox-tts", "whisper-stt", "pyannote-speaker", "deepfilter-audio"]
# README "Configuration": used only when no binary can print the effective configuration.
DEFAULTS = {
    "maxRequestBodySize": "2GiB",
    "drainWindow": "5s",
    "timeoutProfiles": {"llm": "300s", "embeddings": "60s", "tts": "120s", "stt": "600s", "speaker": "600s", "audio": "600s", "default": "60s"},
}
DEFAULT_CONFIG_PATH = "/config/backends.yaml"
MARGIN_SECONDS = 10
# Overlays that may use a ReadWriteOnce voices claim (one-node laptop clusters).
RWO_ALLOWED = {"dev"}
ORIGINAL_BACKEND_KEYS = {"url", "type", "health"}
ANNOTATION = "nginx.ingress.kubernetes.io/"


def duration(text):
    """`250ms`, `1.5s`, `30s`, `5m`, `1h`, a bare number of seconds → seconds."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(ms|s|m|h)?\s*", str(text))
    if not match:
        raise ValueError(f"bad duration {text!r}")
    unit = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}[match.group(2)]
    return float(match.group(1)) * unit


def size(text):
    """`512`, `64KiB`, `10MiB`, `1GiB`, `5MB` (powers of 1000) → bytes."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([KMGT]i?B)?\s*", str(text))
    if not match:
        raise ValueError(f"bad size {text!r}")
    units = {None: 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
    return float(match.group(1)) * units[match.group(2)]


def nginx_size(text):
    """nginx's size syntax (`2100m`, `2g`, `512k`, bytes; `0` = no limit) → bytes."""
    match = re.fullmatch(r"\s*([0-9]+)\s*([kKmMgG])?\s*", str(text))
    if not match:
        raise ValueError(f"bad nginx size {text!r}")
    value = int(match.group(1))
    if value == 0:
        return math.inf
    return value * {None: 1, "k": 2**10, "m": 2**20, "g": 2**30}[(match.group(2) or "").lower() or None]


def human(seconds=None, nbytes=None):
    if nbytes is not None:
        return "no limit" if nbytes == math.inf else f"{nbytes / 2**20:.0f} MiB"
    return f"{seconds:g} s"


class RenderedSet:
    def __init__(self, name, path, binary, catalogue):
        self.name, self.binary, self.catalogue = name, binary, catalogue
        self.docs = [doc for doc in yaml.safe_load_all(open(path)) if doc]
        self.problems = []
        self.notes = []

    def problem(self, text):
        self.problems.append(text)

    def find(self, kind, name=None):
        return [d for d in self.docs if d.get("kind") == kind and (name is None or d["metadata"]["name"] == name)]

    # ---- the gateway -------------------------------------------------------------------------

    def gateway(self):
        for deployment in self.find("Deployment"):
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                if (container.get("args") or [None])[0] == "serve":
                    return deployment, container
        return None, None

    def check(self):
        deployment, container = self.gateway()
        if not deployment:
            self.problem("no Deployment runs `synapse serve`")
            return
        pod = deployment["spec"]["template"]["spec"]
        env = {e["name"]: e for e in container.get("env", [])}
        literal_env = {k: str(v["value"]) for k, v in env.items() if "value" in v}
        config_text = self.config_file(container, pod, literal_env)
        config = self.effective_config(config_text, literal_env) if config_text is not None else None
        if config:
            self.check_ingress(config)
            self.check_shutdown(pod, container, config)
        self.check_pod(deployment, pod, container, env, config)
        self.check_references(deployment, container)
        self.check_backends(config_text)

    def config_file(self, container, pod, env):
        args = container.get("args", [])
        path = args[args.index("--config") + 1] if "--config" in args else env.get("SYNAPSE_GATEWAY_CONFIG_PATH", DEFAULT_CONFIG_PATH)
        directory, _, key = path.rpartition("/")
        mounts = {m["mountPath"].rstrip("/"): m["name"] for m in container.get("volumeMounts", [])}
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        volume = volumes.get(mounts.get(directory, ""), {})
        if "configMap" not in volume:
            self.problem(f"--config {path}: no ConfigMap volume is mounted at {directory}")
            return None
        maps = self.find("ConfigMap", volume["configMap"]["name"])
        if not maps or key not in (maps[0].get("data") or {}):
            self.problem(f"--config {path}: ConfigMap {volume['configMap']['name']} with key {key} is not in the set")
            return None
        text = maps[0]["data"][key]
        self.check_original_format(text, f"ConfigMap {volume['configMap']['name']} {key}")
        return text

    def check_original_format(self, text, where):
        document = yaml.safe_load(text) or {}
        extra = set(document) - {"backends", "routes"}
        if extra:
            self.problem(f"{where}: keys {sorted(extra)} are not in the original gateway's format (backends, routes)")
        backends = document.get("backends") or {}
        for name, backend in backends.items():
            if not isinstance(backend, dict) or "url" not in backend or set(backend) - ORIGINAL_BACKEND_KEYS:
                self.problem(f"{where}: backends.{name} must have url and only {sorted(ORIGINAL_BACKEND_KEYS)}, as the original's")
        for route, target in (document.get("routes") or {}).items():
            if target not in backends:
                self.problem(f"{where}: routes.{route} names {target!r}, not a backend of the file")

    def effective_config(self, text, env):
        """What the gateway will run with: `synapse config check` and `config dump`, or the defaults."""
        if not self.binary:
            self.notes.append("no synapse binary: `config check` skipped; figures from the README's defaults")
            document = yaml.safe_load(text) or {}
            gateway = {**DEFAULTS, **(document.get("gateway") or {})}
            profiles = {**DEFAULTS["timeoutProfiles"], **(document.get("timeoutProfiles") or {})}
            for key, variable in [("maxRequestBodySize", "SYNAPSE_GATEWAY_MAX_REQUEST_BODY_SIZE"),
                                  ("drainWindow", "SYNAPSE_GATEWAY_DRAIN_WINDOW"),
                                  ("shutdownGracePeriod", "SYNAPSE_GATEWAY_SHUTDOWN_GRACE_PERIOD")]:
                if variable in env:
                    gateway[key] = env[variable]
            for profile in profiles:
                variable = f"SYNAPSE_TIMEOUT_PROFILES_{profile.upper()}"
                if variable in env:
                    profiles[profile] = env[variable]
            return self.figures(gateway, profiles, document.get("backends") or {}, None)
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as file:
            file.write(text)
            file.flush()
            run_env = {"PATH": "/usr/bin:/bin", **{k: v for k, v in env.items() if k.startswith("SYNAPSE_")}}
            check = subprocess.run([self.binary, "config", "check", "--config", file.name], env=run_env, capture_output=True, text=True)
            if check.returncode != 0:
                self.problem(f"`synapse config check` refuses the ConfigMap's backends.yaml:\n{check.stdout}{check.stderr}")
                return None
            # A warning is a key or a SYNAPSE_* variable the gateway would ignore: a typo here.
            for line in check.stdout.splitlines():
                if line.startswith("warning:"):
                    self.problem(f"`synapse config check` (with the Deployment's variables): {line}")
            self.notes.append("config check: " + check.stdout.strip().splitlines()[-1].replace(file.name, "backends.yaml"))
            dump = subprocess.run([self.binary, "config", "dump", "--config", file.name], env=run_env, capture_output=True, text=True)
            if dump.returncode != 0:
                self.problem(f"`synapse config dump` failed:\n{dump.stderr}")
                return None
        effective = yaml.safe_load(dump.stdout)
        unset_grace = re.search(r"#\s*shutdownGracePeriod: unset, so the longest deadline: (\S+)", dump.stdout)
        return self.figures(effective["gateway"], effective["timeoutProfiles"], effective.get("backends") or {},
                            unset_grace.group(1) if unset_grace else None)

    def figures(self, gateway, profiles, backends, dumped_grace):
        totals = [duration(b["timeouts"]["total"]) for b in backends.values() if (b.get("timeouts") or {}).get("total")]
        deadline = max([duration(v) for v in profiles.values()] + totals)
        limits = [size(b["limits"]["maxRequestBodySize"]) for b in backends.values() if (b.get("limits") or {}).get("maxRequestBodySize")]
        if gateway.get("shutdownGracePeriod"):
            grace = duration(gateway["shutdownGracePeriod"])
        elif dumped_grace:
            grace = duration(dumped_grace)
        else:
            grace = deadline  # SynapseConfig.effectiveShutdownGracePeriod
        figures = {
            "body": max([size(gateway["maxRequestBodySize"])] + limits),
            "deadline": deadline,
            "drain": duration(gateway["drainWindow"]),
            "grace": grace,
        }
        self.notes.append(f"gateway: body limit {human(nbytes=figures['body'])}, longest deadline {human(deadline)}, "
                          f"drain {human(figures['drain'])}, grace {human(grace)}")
        return figures

    def check_ingress(self, config):
        ingresses = self.find("Ingress")
        if not ingresses:
            self.problem("no Ingress")
            return
        for ingress in ingresses:
            notes = ingress["metadata"].get("annotations") or {}
            where = f"Ingress {ingress['metadata']['name']}"

            def annotation(key):
                value = notes.get(ANNOTATION + key)
                if value is None:
                    self.problem(f"{where}: annotation {ANNOTATION}{key} is missing")
                return value

            body = annotation("proxy-body-size")
            if body is not None and nginx_size(body) < config["body"]:
                self.problem(f"{where}: proxy-body-size {body} ({human(nbytes=nginx_size(body))}) is below the gateway's "
                             f"request body limit ({human(nbytes=config['body'])}): large uploads would get nginx's 413")
            for key in ("proxy-read-timeout", "proxy-send-timeout"):
                value = annotation(key)
                if value is not None and duration(value) < config["deadline"]:
                    self.problem(f"{where}: {key} {value} s is below the longest deadline ({human(config['deadline'])}): "
                                 "nginx would cut requests the gateway still allows")
            for key in ("proxy-request-buffering", "proxy-buffering"):
                value = annotation(key)
                if value is not None and value != "off":
                    self.problem(f"{where}: {key} is {value!r}, must be \"off\" (streamed uploads, SSE and audio)")

    def check_shutdown(self, pod, container, config):
        pre_stop = ((container.get("lifecycle") or {}).get("preStop")) or {}
        if "sleep" in pre_stop:
            sleep = float(pre_stop["sleep"]["seconds"])
        elif "exec" in pre_stop:
            command = pre_stop["exec"]["command"]
            sleep = float(command[-1]) if command and command[0].rsplit("/", 1)[-1] == "sleep" else 0.0
        else:
            self.problem("the gateway container has no preStop hook")
            sleep = 0.0
        period = pod.get("terminationGracePeriodSeconds", 30)
        needed = sleep + config["drain"] + config["grace"] + MARGIN_SECONDS
        if period < needed:
            self.problem(f"terminationGracePeriodSeconds {period} < preStop {sleep:g} s + drain window {human(config['drain'])} "
                         f"+ shutdown grace {human(config['grace'])} + {MARGIN_SECONDS} s margin = {needed:g} s: "
                         "Kubernetes would kill requests the gateway still lets finish")
        else:
            self.notes.append(f"terminationGracePeriodSeconds {period} >= {needed:g} "
                              f"(preStop {sleep:g} + drain {config['drain']:g} + grace {config['grace']:g} + {MARGIN_SECONDS})")

    def check_pod(self, deployment, pod, container, env, config):
        probes = {"livenessProbe": "/healthz", "readinessProbe": "/readyz"}
        for probe, path in probes.items():
            got = ((container.get(probe) or {}).get("httpGet") or {}).get("path")
            if got != path:
                self.problem(f"{probe} is {got!r}, expected GET {path}")
        context, pod_context = container.get("securityContext") or {}, pod.get("securityContext") or {}
        wanted = {
            "runAsNonRoot": context.get("runAsNonRoot", pod_context.get("runAsNonRoot")) is True,
            "readOnlyRootFilesystem": context.get("readOnlyRootFilesystem") is True,
            "allowPrivilegeEscalation: false": context.get("allowPrivilegeEscalation") is False,
            "capabilities.drop [ALL]": "ALL" in ((context.get("capabilities") or {}).get("drop") or []),
            "seccompProfile RuntimeDefault": ((context.get("seccompProfile") or pod_context.get("seccompProfile") or {}).get("type"))
            == "RuntimeDefault",
        }
        for what, ok in wanted.items():
            if not ok:
                self.problem(f"securityContext: {what} is required")
        user = context.get("runAsUser", pod_context.get("runAsUser"))
        if not isinstance(user, int) or user == 0:
            self.problem(f"runAsUser is {user!r}: a numeric non-root UID (the image's 10001)")
        mounts = {m["mountPath"].rstrip("/"): m for m in container.get("volumeMounts", [])}
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        temp = str((env.get("TMPDIR") or {}).get("value", "/tmp")).rstrip("/")
        if temp not in mounts or mounts[temp].get("readOnly"):
            self.problem(f"the root filesystem is read-only but nothing writable is mounted at {temp} (spooled uploads)")
        voices = str((env.get("SYNAPSE_VOICE_LIBRARY_DIR") or {}).get("value", "/data/voices")).rstrip("/")
        claim = volumes.get((mounts.get(voices) or {}).get("name", ""), {}).get("persistentVolumeClaim")
        if not claim:
            self.problem(f"the voice library {voices} is not mounted from a PersistentVolumeClaim")
        else:
            claims = self.find("PersistentVolumeClaim", claim["claimName"])
            if not claims:
                self.problem(f"PersistentVolumeClaim {claim['claimName']} is not in the set")
            elif "ReadWriteMany" not in claims[0]["spec"]["accessModes"] and self.name not in RWO_ALLOWED:
                self.problem(f"PersistentVolumeClaim {claim['claimName']} is {claims[0]['spec']['accessModes']}: "
                             "every replica writes voices, it must be ReadWriteMany")
        instance = ((env.get("SYNAPSE_INSTANCE_ID") or {}).get("valueFrom") or {}).get("fieldRef", {}).get("fieldPath")
        if instance != "metadata.name":
            self.problem("SYNAPSE_INSTANCE_ID must come from the pod's metadata.name (replicas need distinct ids)")
        ports = [p for p in container.get("ports", []) if p.get("containerPort") == 8000]
        if not ports:
            self.problem("the gateway container does not declare port 8000")

    def check_references(self, deployment, container):
        name = deployment["metadata"]["name"]
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]

        def selects(selector):
            return bool(selector) and all(pod_labels.get(k) == v for k, v in selector.items())

        services = [s for s in self.find("Service") if selects(s["spec"].get("selector"))]
        if not services:
            self.problem(f"no Service selects the pods of {name}")
        port_names = {p.get("name") for p in container.get("ports", [])} | {p["containerPort"] for p in container.get("ports", [])}
        for service in services:
            for port in service["spec"]["ports"]:
                if port.get("targetPort", port["port"]) not in port_names:
                    self.problem(f"Service {service['metadata']['name']} targets port {port.get('targetPort')!r}, not a port of the gateway")
        service_ports = {(s["metadata"]["name"], key) for s in services for p in s["spec"]["ports"] for key in (p.get("name"), p["port"])}
        for ingress in self.find("Ingress"):
            for rule in ingress["spec"].get("rules", []):
                for path in rule["http"]["paths"]:
                    target = path["backend"]["service"]
                    port = target["port"].get("name", target["port"].get("number"))
                    if (target["name"], port) not in service_ports:
                        self.problem(f"Ingress {ingress['metadata']['name']} sends to {target['name']}:{port}, not the gateway's Service")
        budgets = [b for b in self.find("PodDisruptionBudget") if selects(b["spec"]["selector"].get("matchLabels"))]
        if not budgets or any(b["spec"].get("minAvailable", 0) < 1 for b in budgets):
            self.problem(f"no PodDisruptionBudget with minAvailable >= 1 selects the pods of {name}")
        scalers = [h for h in self.find("HorizontalPodAutoscaler")
                   if h["spec"]["scaleTargetRef"]["kind"] == "Deployment" and h["spec"]["scaleTargetRef"]["name"] == name]
        if not scalers:
            self.problem(f"no HorizontalPodAutoscaler scales {name}")
        secrets = {}
        for variable in container.get("env", []):
            reference = (variable.get("valueFrom") or {}).get("secretKeyRef")
            if reference:
                secrets.setdefault(reference["name"], []).append(reference["key"])
        for secret_name, keys in secrets.items():
            rendered = self.find("Secret", secret_name)
            if self.name == "production":
                if rendered:
                    self.problem(f"production renders Secret {secret_name}: an apply would overwrite the real keys with placeholders")
                continue
            if not rendered:
                self.problem(f"Secret {secret_name} is not in the set")
                continue
            present = set((rendered[0].get("stringData") or {})) | set((rendered[0].get("data") or {}))
            for key in keys:
                if key not in present:
                    self.problem(f"Secret {secret_name} has no key {key} (the Deployment reads it)")

    # ---- backends ------------------------------------------------------------------------------

    def check_backends(self, text):
        if text is None:
            return
        backends = (yaml.safe_load(text) or {}).get("backends") or {}
        namespace = next((d["metadata"].get("namespace") for d in self.docs if d["metadata"].get("namespace")), None)
        for name, backend in backends.items():
            url = urlsplit(str(backend.get("url", "")))
            labels = (url.hostname or "").split(".")
            services = self.find("Service", labels[0])
            if not services:
                continue  # outside this set (the real GPU backends)
            if len(labels) > 1 and namespace and labels[1] != namespace and labels[1] != "svc":
                self.problem(f"backends.{name}: {url.hostname} is in namespace {labels[1]}, the set deploys to {namespace}")
            service = services[0]
            port = url.port or (443 if url.scheme == "https" else 80)
            matches = [p for p in service["spec"]["ports"] if p["port"] == port]
            if not matches:
                self.problem(f"backends.{name}: Service {labels[0]} has no port {port}")
                continue
            self.check_mock_port(name, service, matches[0])

    def check_mock_port(self, backend, service, service_port):
        selector = service["spec"].get("selector") or {}
        for deployment in self.find("Deployment"):
            labels = deployment["spec"]["template"]["metadata"]["labels"]
            if not selector or not all(labels.get(k) == v for k, v in selector.items()):
                continue
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                args = container.get("args") or []
                target = service_port.get("targetPort", service_port["port"])
                ports = {p.get("name", p["containerPort"]): p["containerPort"] for p in container.get("ports", [])}
                ports.update({p["containerPort"]: p["containerPort"] for p in container.get("ports", [])})
                if target not in ports:
                    self.problem(f"Service {service['metadata']['name']} port {service_port['port']} targets {target!r}, "
                                 f"not a port of {deployment['metadata']['name']}")
                    continue
                if not args or args[0] != "mocks":
                    continue
                option = lambda flag, default: args[args.index(flag) + 1] if flag in args else default  # noqa: E731
                if option("--host", "127.0.0.1") not in ("0.0.0.0", "::"):
                    self.problem(f"{deployment['metadata']['name']}: `synapse mocks` must listen on --host 0.0.0.0 to be reached")
                if backend not in self.catalogue:
                    self.problem(f"backends.{backend}: no mock of that name (mocks: {', '.join(self.catalogue)})")
                    continue
                expected = int(option("--port-base", "0")) + self.catalogue.index(backend)
                if ports[target] != expected:
                    self.problem(f"backends.{backend}: reaches container port {ports[target]}, but `synapse mocks` serves "
                                 f"{backend} on {expected} (--port-base + {self.catalogue.index(backend)})")


def catalogue_from(binary):
    if not binary:
        return CATALOGUE
    text = subprocess.run([binary, "mocks", "--help"], capture_output=True, text=True).stdout
    match = re.search(r"Mocks:\s*(.*?)\.\s*\n", text, re.S)
    names = [n.strip() for n in match.group(1).replace("\n", " ").split(",")] if match else []
    if names != CATALOGUE:
        print(f"deploy-check: note: `synapse mocks --help` lists {names}; using that order", file=sys.stderr)
    return names or CATALOGUE


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    parser.add_argument("sets", nargs="+", metavar="NAME=FILE")
    options = parser.parse_args()
    catalogue = catalogue_from(options.binary)
    failed = False
    for entry in options.sets:
        name, path = entry.split("=", 1)
        rendered = RenderedSet(name, path, options.binary, catalogue)
        rendered.check()
        rendered.problems = list(dict.fromkeys(rendered.problems))
        for note in dict.fromkeys(rendered.notes):
            print(f"deploy-check: {name}: {note}")
        if rendered.problems:
            failed = True
            for problem in rendered.problems:
                print(f"deploy-check: FAIL: {name}: {problem}", file=sys.stderr)
        else:
            print(f"deploy-check: {name}: invariants hold")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
