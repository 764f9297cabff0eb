#!/usr/bin/env python3
"""Checks findash's Dockerfile without a Docker engine (run by ci/check-dockerfile.sh).

    python3 ci/dockerfile_check.py --root REPO [--binary path/to/release/findash]

- the stages `development`, `testing` and `production` exist; every `FROM stage` and
  `COPY --from=stage` names an earlier stage;
- the build stages start from the official Swift image and call Makefile targets that
  exist (`make deps`, `make build`, `make release`); `testing` runs `make test`;
- `production` starts from debian:bookworm-slim, installs only the runtime libraries
  (libpq5, libmemcached11, libmemcachedutil2, libssl3, ca-certificates, curl), copies only
  from other stages, runs as a non-root USER, has a HEALTHCHECK on /health, STOPSIGNAL
  SIGTERM, EXPOSE 8000 and an exec-form CMD;
- the files COPY takes from the build context exist and .dockerignore does not drop them;
- with --binary: every shared library the release binary needs (readelf NEEDED) comes
  from a package production installs, from the Swift runtime the build stage copies, or
  from the base image's C/C++ runtime.

Prints one line per check ("ok" / "FAIL"); exits 1 when any failed.
"""

import argparse
import fnmatch
import os
import re
import shlex
import subprocess
import sys

ALLOWED_RUNTIME_PACKAGES = {"libpq5", "libmemcached11", "libmemcachedutil2", "libssl3",
                            "ca-certificates", "curl"}
REQUIRED_RUNTIME_PACKAGES = {"libpq5", "libmemcached11", "libssl3", "curl", "ca-certificates"}
# In debian:bookworm-slim already (libc6, libgcc-s1, libstdc++6 come with apt itself).
BASE_IMAGE_LIBS = re.compile(r"^(libc|libm|libdl|libpthread|librt|ld-linux.*|libstdc\+\+|libgcc_s)\.so")


class Instruction:
    def __init__(self, line, keyword, args):
        self.line, self.keyword, self.args = line, keyword.upper(), args

    def __repr__(self):
        return "%d: %s %s" % (self.line, self.keyword, self.args)


def parse(path):
    """Instructions with continuation lines joined and comments dropped."""
    out = []
    pending, start = "", 0
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if pending and line.lstrip().startswith("#"):
                continue
            if not pending:
                start = n
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            pending += line
            keyword, _, args = pending.strip().partition(" ")
            out.append(Instruction(start, keyword, args.strip()))
            pending = ""
    return out


def stages_of(instructions):
    """[(name, base, [instructions])], with ARG defaults from before the first FROM."""
    args, stages = {}, []
    for ins in instructions:
        if ins.keyword == "ARG" and not stages:
            name, _, default = ins.args.partition("=")
            args[name.strip()] = default.strip()
        elif ins.keyword == "FROM":
            m = re.match(r"^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$", ins.args, re.IGNORECASE)
            base = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda v: args.get(v.group(1), v.group(0)),
                          m.group(1))
            stages.append((m.group(2).lower() if m.group(2) else "", base, []))
        elif stages:
            stages[-1][2].append(ins)
    return stages


def makefile_targets(root):
    targets = set()
    with open(os.path.join(root, "Makefile"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?!=)", line)
            if m:
                targets.update(m.group(1).split())
    return targets


def dockerignore_patterns(root):
    path = os.path.join(root, ".dockerignore")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")]


def ignored(rel, patterns):
    result = False
    for pat in patterns:
        neg = pat.startswith("!")
        p = pat[1:] if neg else pat
        p = p.rstrip("/")
        if fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel.split("/")[0], p):
            result = not neg
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--binary", help="a release build of findash, to check its shared libraries")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    failures = 0

    def check(cond, what, detail=""):
        nonlocal failures
        print("%s  %s%s" % ("ok  " if cond else "FAIL", what, "" if cond or not detail else ": " + detail))
        if not cond:
            failures += 1
        return cond

    path = os.path.join(root, "Dockerfile")
    try:
        instructions = parse(path)
    except OSError as exc:
        check(False, "Dockerfile: readable", str(exc))
        return 1
    stages = stages_of(instructions)
    names = [s[0] for s in stages]
    by_name = {s[0]: s for s in stages}
    check(all(n in names for n in ("development", "testing", "production")),
          "stages development, testing and production exist", "stages: %s" % names)

    # Stage references point backwards.
    problems = []
    for i, (name, base, body) in enumerate(stages):
        if base.lower() in names and names.index(base.lower()) >= i:
            problems.append("%s FROM %s (not an earlier stage)" % (name, base))
        for ins in body:
            m = re.search(r"--from=(\S+)", ins.args) if ins.keyword == "COPY" else None
            if m and m.group(1).lower() in names and names.index(m.group(1).lower()) >= i:
                problems.append("line %d copies from later stage %s" % (ins.line, m.group(1)))
            elif m and m.group(1).lower() not in names:
                problems.append("line %d copies from unknown stage %s" % (ins.line, m.group(1)))
    check(not problems, "stage references point to earlier stages", "; ".join(problems))

    # Build stages: the official Swift image, Makefile targets that exist.
    roots = {}
    for name, base, _ in stages:
        roots[name] = roots.get(base.lower(), base) if base.lower() in roots else base
    swift_stages = [n for n in ("development", "testing") if n in by_name]
    check(swift_stages and all(re.match(r"^swift:\d", roots.get(n, "")) for n in swift_stages),
          "development and testing build on the official swift image",
          ", ".join("%s <- %s" % (n, roots.get(n)) for n in swift_stages))
    targets = makefile_targets(root)
    used = []
    for ins in instructions:
        if ins.keyword in ("RUN", "CMD"):
            text = ins.args
            if text.startswith("["):
                text = " ".join(re.findall(r'"([^"]*)"', text))
            used += [(ins.line, t) for t in re.findall(r"\bmake\s+([A-Za-z0-9_.-]+)", text)]
    unknown = [(l, t) for l, t in used if t not in targets]
    check(used and not unknown, "make targets called exist in the Makefile (%s)" % ", ".join(sorted({t for _, t in used})),
          "unknown: %s" % unknown)

    def exec_form(text):
        return " ".join(re.findall(r'"([^"]*)"', text)) if text.startswith("[") else text

    def stage_text(name):
        return "\n".join("%s %s" % (i.keyword, exec_form(i.args)) for i in by_name[name][2]) if name in by_name else ""

    check(re.search(r"\bmake\s+test\b", stage_text("testing")) is not None, "testing runs `make test`")
    # The official Swift image has no make: a stage chain must install it before calling it.
    first_make = next((l for l, _ in sorted(used)), None)
    make_installed = [i.line for i in instructions if i.keyword == "RUN"
                      and re.search(r"apt-get\b.*\binstall\b[^&;]*\bmake\b", i.args)]
    check(first_make is None or (make_installed and make_installed[0] < first_make),
          "make is installed before the first `make` (the Swift image lacks it)",
          "first make on line %s, installed on lines %s" % (first_make, make_installed))
    release_stages = [n for n, _, _ in stages if re.search(r"\bmake\s+release\b", stage_text(n))]
    check(bool(release_stages), "the release binary is built with `make release`", "no stage runs it")

    # Production.
    prod = by_name.get("production")
    if prod is None:
        check(False, "production stage", "missing")
    else:
        _, base, body = prod
        check(base == "debian:bookworm-slim", "production starts from debian:bookworm-slim", base)
        apt = []
        for ins in body:
            if ins.keyword == "RUN" and "apt-get" in ins.args:
                for part in re.split(r"&&|;", ins.args):
                    words = shlex.split(part)
                    if "install" in words and "apt-get" in words:
                        apt += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
        extra = sorted(set(apt) - ALLOWED_RUNTIME_PACKAGES)
        missing = sorted(REQUIRED_RUNTIME_PACKAGES - set(apt))
        check(apt and not extra and not missing, "production installs only runtime libraries (%s)" % " ".join(apt),
              "; ".join(filter(None, ["extra: %s" % extra if extra else "", "missing: %s" % missing if missing else ""])))
        context_copies = [i for i in body if i.keyword in ("COPY", "ADD") and "--from=" not in i.args]
        check(not context_copies, "production copies only from build stages (no sources, no toolchain)",
              "; ".join(repr(i) for i in context_copies))
        users = [i for i in body if i.keyword == "USER"]
        last_user = users[-1].args.split(":")[0] if users else ""
        check(last_user not in ("", "root", "0"), "production runs as a non-root user (%s)" % (last_user or "none"))
        if users:
            later = [i for i in body if i.line > users[-1].line and i.keyword == "RUN"]
            check(not later, "no RUN after USER in production", "; ".join(repr(i) for i in later))
        hc = [i for i in body if i.keyword == "HEALTHCHECK"]
        check(len(hc) == 1 and "/health" in hc[0].args and "NONE" not in hc[0].args.upper().split(),
              "production has a HEALTHCHECK on /health", repr(hc))
        stop = [i.args for i in body if i.keyword == "STOPSIGNAL"]
        check(stop[-1:] == ["SIGTERM"], "production STOPSIGNAL SIGTERM", repr(stop))
        expose = " ".join(i.args for i in body if i.keyword == "EXPOSE").split()
        check("8000" in expose or "8000/tcp" in expose, "production EXPOSE 8000", repr(expose))
        cmd = [i.args for i in body if i.keyword in ("CMD", "ENTRYPOINT")]
        check(bool(cmd) and cmd[-1].startswith("[") and "findash" in cmd[-1],
              "production CMD runs findash in exec form (signals reach it)", repr(cmd))

    # Build context: what COPY takes exists and is not ignored.
    patterns = dockerignore_patterns(root)
    problems = []
    for ins in instructions:
        if ins.keyword in ("COPY", "ADD") and "--from=" not in ins.args:
            words = [w for w in shlex.split(ins.args) if not w.startswith("--")]
            for src in words[:-1]:
                rel = src.rstrip("/")
                if not os.path.exists(os.path.join(root, rel)):
                    problems.append("line %d: %s does not exist" % (ins.line, src))
                elif ignored(rel, patterns):
                    problems.append("line %d: %s is excluded by .dockerignore" % (ins.line, src))
    check(not problems, "COPY sources exist in the build context", "; ".join(problems))
    check(any(ignored(p, patterns) for p in (".build", ".git", ".local")) and ignored(".build", patterns)
          and ignored(".local", patterns), ".dockerignore keeps .build, .local and .git out of the context")

    # Shared libraries of a real release binary.
    if args.binary:
        try:
            out = subprocess.run(["readelf", "-d", args.binary], capture_output=True, text=True, check=True).stdout
            needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
        except (OSError, subprocess.CalledProcessError) as exc:
            check(False, "readelf -d %s" % args.binary, str(exc))
            needed = []
        unresolved = []
        apt_set = set(apt) if prod else set()
        owners = {}
        for lib in needed:
            if lib.startswith("libswift") or lib in ("libdispatch.so", "libBlocksRuntime.so", "libFoundation.so") \
                    or BASE_IMAGE_LIBS.match(lib):
                continue
            owner = subprocess.run(["dpkg", "-S", "*/" + lib], capture_output=True, text=True)
            owners[lib] = {line.split(":")[0] for line in owner.stdout.splitlines() if line and "diversion" not in line}
        # What those packages pull in (libmemcached11 brings libsasl2-2, and so on), from the
        # dependencies of the packages installed here (no apt lists needed); stops as soon as
        # every library has an owner in the set.
        queue = sorted(apt_set)
        while queue and not all(pkgs & apt_set for pkgs in owners.values()):
            pkg = queue.pop(0)
            info = subprocess.run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", pkg],
                                  capture_output=True, text=True).stdout
            for alt in info.split(","):
                name = re.sub(r":\w+$", "", alt.strip().split("|")[0].split(" ")[0]) if alt.strip() else ""
                if name and name not in apt_set:
                    apt_set.add(name)
                    queue.append(name)
        for lib, pkgs in sorted(owners.items()):
            if not pkgs & apt_set:
                unresolved.append("%s (from %s)" % (lib, ", ".join(sorted(pkgs)) or "?"))
        check(bool(needed) and not unresolved,
              "every library the binary needs is in the production image (%d NEEDED)" % len(needed),
              "not installed there: %s" % "; ".join(unresolved))

    print("dockerfile check: %s" % ("FAILED (%d)" % failures if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
