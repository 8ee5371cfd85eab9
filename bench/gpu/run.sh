#!/usr/bin/env bash
# One-shot GPU benchmark (issue 12, part 4). On a Linux machine with an NVIDIA GPU and nothing prepared
# (no node, no node_modules, no browser, no network: the device machine of bench/gpu/README.md), it runs
# within a time budget (GPU_BENCH_BUDGET_S, default 450 s) whatever the carried bundles of
# bench/gpu/prepare.sh (or the machine itself) make possible, each stage under `timeout`:
#   env       nvidia-smi, kernel, Vulkan ICD, what was found (always)
#   dawn      the WebGPU adapter Dawn sees in Node                       needs node + .gpubench-cli
#   browser   the WebGPU adapter headless Chromium sees; picks the flags  needs Chromium + python3
#   step      bench/index.html, kernels=stock then ours, modes off,hard,hard@2, default config
#   dispatch  bench/dispatch/index.html (dispatches + JS enqueue ms per step), if the page was built
#   cli       `train --backend webgpu` through Dawn, summarised by bench/cliStepTime.mjs
# Results: one JSON, rewritten after every stage (a killed run still leaves the finished stages), at
# bench/results/gpu-<mode>-<UTC stamp>.json and, when $OUT is set (the device tool), $OUT/ with run.log.
# In GPU mode a software adapter (SwiftShader, llvmpipe) where a GPU was expected fails the stage loudly
# and the script exits 3.
# Env: GPU_BENCH_SWIFTSHADER=1 (no GPU: Chromium's SwiftShader, Vulkan ICD from /usr/lib/chromium),
#      GPU_BENCH_TINY=1 (batch 8, 16 px, width 8, 2 steps), GPU_BENCH_STAGES (comma list, default all),
#      GPU_BENCH_HOME (runtime folder, default /var/tmp/hvp-gpubench), CHROMIUM_PATH, GPU_BENCH_PREFER_CARRIED=1
#      (use the carried node and every carried library even where the machine has its own: tests the bundles),
#      GPU_BENCH_BUDGET_S and GPU_BENCH_LIMIT_SCALE (stage limits × this; SwiftShader: 2400 s and × 6).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
T_START=$(date +%s)
RT=${GPU_BENCH_HOME:-/var/tmp/hvp-gpubench}
STAGES=${GPU_BENCH_STAGES:-env,dawn,browser,step,dispatch,cli}
if [ "${GPU_BENCH_SWIFTSHADER:-0}" = 1 ]; then MODE=swiftshader; else MODE=gpu; fi
# SwiftShader emulates the GPU on the CPU: the same stages take minutes, not seconds.
if [ $MODE = swiftshader ]; then BUDGET=${GPU_BENCH_BUDGET_S:-2400}; SCALE=${GPU_BENCH_LIMIT_SCALE:-6}
else BUDGET=${GPU_BENCH_BUDGET_S:-450}; SCALE=${GPU_BENCH_LIMIT_SCALE:-1}; fi
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$RT/runs/$STAMP
mkdir -p "$WORK" "$ROOT/bench/results"
# Named after the GPU when nvidia-smi answers (gpu-nvidia-h100-80gb-hbm3-…), else after the mode.
GPU_NAME=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)
LABEL=$MODE
[ $MODE = gpu ] && [ -n "$GPU_NAME" ] && LABEL=$(echo "$GPU_NAME" | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9' '-' | sed 's/^-*//; s/-*$//')
RESULT=$ROOT/bench/results/gpu-$LABEL-$STAMP.json
LOG=$WORK/run.log
exec > >(tee -a "$LOG") 2>&1
EXIT=0

say() { printf '[gpu-bench %4ds] %s\n' $(($(date +%s) - T_START)) "$*"; }
has_stage() { [[ ",$STAGES," == *",$1,"* ]]; }
left() { echo $((BUDGET - ($(date +%s) - T_START))); }
# Copies the result and the log to $OUT (the device tool brings back only what is there).
publish() { if [ -n "${OUT:-}" ] && [ -d "$OUT" ]; then cp "$RESULT" "$OUT/" 2>/dev/null; cp "$LOG" "$OUT/run.log" 2>/dev/null; fi; }
# Merges one stage into the result JSON: record NAME STATUS SECONDS [JSON_FILE] [NOTE]
record() {
  python3 - "$RESULT" "$@" <<'EOF'
import json, os, sys
path, name, status, secs = sys.argv[1:5]
src = sys.argv[5] if len(sys.argv) > 5 else ''
note = sys.argv[6] if len(sys.argv) > 6 else ''
doc = json.load(open(path)) if os.path.exists(path) else {'stages': {}}
entry = {'status': status, 'seconds': float(secs)}
if note:
    entry['note'] = note
if src and os.path.exists(src):
    try:
        entry['result'] = json.load(open(src))
    except ValueError as e:
        entry['rawOutput'] = open(src).read()[-4000:]
        entry['parseError'] = str(e)
doc['stages'][name] = entry
json.dump(doc, open(path + '.tmp', 'w'), indent=2)
os.replace(path + '.tmp', path)
EOF
  publish
}
# Runs one stage under a time limit: stage NAME LIMIT_S OUT_JSON CMD...; the command writes OUT_JSON.
stage() {
  local name=$1 limit=$2 out=$3 t0 rc status budget_left
  shift 3
  limit=$((limit * SCALE))
  budget_left=$(($(left) - 10))
  if [ "$budget_left" -lt 20 ]; then say "$name: skipped, the time budget is spent"; record "$name" skipped 0 "" "time budget spent"; return 1; fi
  [ "$limit" -le "$budget_left" ] || limit=$budget_left
  say "$name: start (limit ${limit} s)"
  t0=$(date +%s)
  timeout -k 10 "$limit" "$@"
  rc=$?
  case $rc in 0) status=ok ;; 124 | 137) status=timeout ;; 3) status=software-adapter ;; *) status=failed ;; esac
  say "$name: $status (rc $rc) in $(($(date +%s) - t0)) s"
  record "$name" "$status" $(($(date +%s) - t0)) "$out" "exit code $rc"
  [ "$status" = software-adapter ] && EXIT=3
  [ "$status" = ok ] || { [ "$EXIT" = 0 ] && EXIT=1; }
  return $rc
}
skip() { say "$1: skipped: $2"; record "$1" skipped 0 "" "$2"; }

# ---------------------------------------------------------------- runtime: unpack what was carried
unxz_tar() { # ARCHIVE DEST
  mkdir -p "$2"
  if command -v xz >/dev/null; then tar -C "$2" -xJf "$1"
  else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$1" "$2"; fi
}
unxz_file() { # FILE.xz DEST
  if command -v xz >/dev/null; then xz -dc "$1" >"$2.tmp"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2.tmp"; fi
  chmod +x "$2.tmp" && mv "$2.tmp" "$2"
}
# Unpacks ARCHIVE once per content (stamp = size + mtime + name), so a warm machine's second call reuses it.
unpack() { # ARCHIVE DEST KIND(tar|file)
  local a=$1 stamp
  [ -f "$a" ] || return 0
  stamp="$(basename "$a") $(stat -c '%s %Y' "$a")"
  if grep -qxF "$stamp" "$RT/.unpacked" 2>/dev/null; then return 0; fi
  say "unpacking ${a#"$ROOT"/}"
  if [ "$3" = tar ]; then unxz_tar "$a" "$2"; else mkdir -p "$(dirname "$2")"; unxz_file "$a" "$2"; fi && echo "$stamp" >>"$RT/.unpacked"
}
mkdir -p "$RT"
unpack .gpubench-cli/node.xz "$RT/node/bin/node" file
unpack .gpubench-cli/app.tar.xz "$RT/app" tar
unpack .gpubench-cli/chromium-libs.tar.xz "$RT" tar
unpack .gpubench-browser/chromium-support.tar.xz "$RT" tar
unpack .gpubench-browser/chromium-headless-shell.xz "$RT/chromium/chromium-headless-shell" file
unpack .gpubench-browser/site.tar.xz "$RT" tar
[ -f "$RT/chromium/lib/libvulkan.so.1" ] && ln -sf lib/libvulkan.so.1 "$RT/chromium/libvulkan.so.1"

# node >= 20: the machine's own, else the carried one.
NODE=
NODES=("$(command -v node 2>/dev/null)" "$RT/node/bin/node")
[ "${GPU_BENCH_PREFER_CARRIED:-0}" = 1 ] && NODES=("$RT/node/bin/node" "${NODES[0]}")
for n in "${NODES[@]}"; do
  if [ -n "$n" ] && [ -x "$n" ] && "$n" -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null; then NODE=$n; break; fi
done
CLI_MAIN=$RT/app/cli/main.mjs
WEBGPU_JS=$RT/app/node_modules/webgpu/index.js
# Chromium: $CHROMIUM_PATH, else the carried headless shell, else one installed on the machine.
CHROMIUM=${CHROMIUM_PATH:-}
if [ -z "$CHROMIUM" ]; then
  for c in "$RT/chromium/chromium-headless-shell" /usr/lib/chromium/chromium-headless-shell "$(command -v chromium 2>/dev/null)" \
    "$(command -v chromium-browser 2>/dev/null)" "$(command -v google-chrome 2>/dev/null)" "$(command -v chrome-headless-shell 2>/dev/null)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then CHROMIUM=$c; break; fi
  done
fi
SITE=
for s in "$RT/site" "$ROOT/dist"; do [ -f "$s/bench/index.html" ] && { SITE=$s; break; }; done

# Vulkan driver: NVIDIA's ICD on the GPU machine; Chromium's SwiftShader here.
ICD=
if [ "$MODE" = swiftshader ]; then
  ICD=/usr/lib/chromium/vk_swiftshader_icd.json
  # Chromium looks for SwiftShader beside its binary: borrow the system Chromium's.
  if [ "$CHROMIUM" = "$RT/chromium/chromium-headless-shell" ] && [ -f /usr/lib/chromium/libvk_swiftshader.so ]; then
    ln -sf /usr/lib/chromium/libvk_swiftshader.so /usr/lib/chromium/vk_swiftshader_icd.json "$RT/chromium/"
  fi
else
  for f in ${VK_DRIVER_FILES:-} /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
    /etc/vulkan/icd.d/nvidia_icd.json /usr/local/share/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$f" ] && { ICD=$f; break; }
  done
fi
if [ -n "$ICD" ]; then export VK_DRIVER_FILES=$ICD VK_ICD_FILENAMES=$ICD; fi
# The Vulkan loader complains without a private XDG_RUNTIME_DIR (harmless, but noisy).
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then mkdir -p -m 700 "$RT/xdg" && export XDG_RUNTIME_DIR=$RT/xdg; fi

# Libraries: the carried ones that the system lacks (all of them with GPU_BENCH_ALL_LIBS=1), for Chromium,
# Dawn and the ICD's library; found by asking ldd until nothing more resolves.
ACTIVE=$RT/libs-active
rm -rf "$ACTIVE" && mkdir -p "$ACTIVE"
icd_lib() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["ICD"]["library_path"])' "$1" 2>/dev/null; }
resolve_libs() {
  local bins=() name
  [ -n "$CHROMIUM" ] && bins+=("$CHROMIUM")
  [ -f "$RT/app/node_modules/webgpu/dist/linux-x64/dawn.node" ] && bins+=("$RT/app/node_modules/webgpu/dist/linux-x64/dawn.node")
  if [ -n "$ICD" ]; then
    local l; l=$(icd_lib "$ICD")
    case $l in /*) ;; ./*) l=$(dirname "$ICD")/${l#./} ;; *) l=$(ldconfig -p | awk -v n="$l" '$1 == n {print $NF; exit}') ;; esac
    [ -n "$l" ] && [ -f "$l" ] && bins+=("$l")
  fi
  if [ "${GPU_BENCH_PREFER_CARRIED:-0}" = 1 ] && [ -d "$RT/chromium/lib" ]; then ln -sf "$RT"/chromium/lib/* "$ACTIVE/"; fi
  if ! ldconfig -p | grep -q 'libvulkan.so.1 '; then [ -f "$RT/chromium/lib/libvulkan.so.1" ] && ln -sf "$RT/chromium/lib/libvulkan.so.1" "$ACTIVE/"; fi
  [ ${#bins[@]} -gt 0 ] || return 0
  for _ in 1 2 3 4 5; do
    local added=0
    for name in $(LD_LIBRARY_PATH=$ACTIVE ldd "${bins[@]}" 2>/dev/null | awk '/not found/ {print $1}' | sort -u); do
      if [ -f "$RT/chromium/lib/$name" ]; then ln -sf "$RT/chromium/lib/$name" "$ACTIVE/$name"; added=1; fi
    done
    [ $added = 1 ] || break
  done
  MISSING_LIBS=$(LD_LIBRARY_PATH=$ACTIVE ldd "${bins[@]}" 2>/dev/null | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
}
MISSING_LIBS=
resolve_libs
export LD_LIBRARY_PATH=$ACTIVE${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

# Config per mode: the default config on a GPU (modest step counts), a tiny one for SwiftShader tests.
if [ "${GPU_BENCH_TINY:-0}" = 1 ]; then
  SIZE="batchSize=8&imageSize=16&backboneWidth=8"; STEPS=2; WARMUP=1; CLI_STEPS=3
  CLI_SET="--set batchSize=8 --set imageSize=16 --set backboneWidth=8 --set numTrainImages=256 --set numTestImages=32"
else
  SIZE=""; STEPS=${GPU_BENCH_STEPS:-10}; WARMUP=2; CLI_STEPS=${GPU_BENCH_CLI_STEPS:-12}
  CLI_SET="--set numTrainImages=4096 --set numTestImages=256"
fi
STEP_Q="steps=$STEPS&warmup=$WARMUP&modes=off,hard,hard@2${SIZE:+&$SIZE}"
DISPATCH_Q="modes=off,hard,hard@2&warmup=1&enqueueSteps=3&steps=$STEPS${SIZE:+&$SIZE}"
[ "${GPU_BENCH_TINY:-0}" = 1 ] && DISPATCH_Q="modes=hard&warmup=1&enqueueSteps=1&steps=1&$SIZE"
EXPECT_GPU=--expect-gpu
[ "$MODE" = swiftshader ] && EXPECT_GPU=

BASE_FLAGS="--headless --no-sandbox --disable-gpu-sandbox --enable-unsafe-webgpu --ignore-gpu-blocklist --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"
if [ "$MODE" = swiftshader ]; then
  FLAG_SETS=("--enable-features=Vulkan --use-webgpu-adapter=swiftshader")
else
  # Headless Chromium on NVIDIA + Linux: Vulkan through ANGLE, no surface (no display); two fallbacks.
  FLAG_SETS=("--use-gl=angle --use-angle=vulkan --enable-features=Vulkan --disable-vulkan-surface"
    "--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan --use-angle=vulkan --disable-vulkan-surface"
    "--enable-features=Vulkan --use-vulkan=native --disable-vulkan-surface")
fi
CHROME_FLAGS=

# ---------------------------------------------------------------- stages
python3 - "$RESULT" "$MODE" "$STAMP" <<'EOF'
import json, sys
path, mode, stamp = sys.argv[1:4]
json.dump({'benchmark': 'bench/gpu/run.sh', 'mode': mode, 'stamp': stamp, 'tiny': None, 'stages': {}}, open(path, 'w'), indent=2)
EOF

if has_stage env; then
  t0=$(date +%s)
  {
    echo "{"
    printf '"tiny": %s,\n' "$([ "${GPU_BENCH_TINY:-0}" = 1 ] && echo true || echo false)"
    printf '"nvidiaSmi": %s,\n' "$(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().strip() or None))')"
    printf '"kernel": "%s", "cpus": %s,\n' "$(uname -r)" "$(nproc)"
    printf '"vulkanIcd": %s,\n' "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1] or None))' "$ICD")"
    printf '"node": %s,\n' "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1] or None))' "${NODE:+$NODE $("$NODE" --version)}")"
    printf '"chromium": %s,\n' "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1] or None))' "$CHROMIUM")"
    printf '"site": %s,\n' "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1] or None))' "$SITE")"
    printf '"carriedLibsUsed": %s,\n' "$(ls "$ACTIVE" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().split()))')"
    printf '"missingLibs": %s,\n' "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1].split()))' "$MISSING_LIBS")"
    printf '"config": {"stepQuery": "%s", "dispatchQuery": "%s", "cliSteps": %s, "cliSet": "%s"}\n' "$STEP_Q" "$DISPATCH_Q" "$CLI_STEPS" "$CLI_SET"
    echo "}"
  } >"$WORK/env.json"
  say "env: $(tr -d '\n' <"$WORK/env.json" | cut -c1-600)"
  record env ok $(($(date +%s) - t0)) "$WORK/env.json"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["tiny"]=json.load(open(sys.argv[2]))["tiny"]; json.dump(d,open(sys.argv[1],"w"),indent=2)' "$RESULT" "$WORK/env.json"
fi

# Dawn in Node: which adapter, and fail loudly on a software one in GPU mode.
if has_stage dawn; then
  if [ -z "$NODE" ] || [ ! -f "$WEBGPU_JS" ]; then skip dawn "no node >= 20 or no Dawn: carry .gpubench-cli (bench/gpu/prepare.sh)"
  else stage dawn 60 "$WORK/dawn.json" "$NODE" bench/gpu/dawnProbe.mjs "$WEBGPU_JS" "$WORK/dawn.json" ${EXPECT_GPU:+--expect-gpu}; fi
fi

# Chromium: probe the adapter with each flag set until one gives a usable (hardware, in GPU mode) adapter.
BROWSER_OK=0
BROWSER_WHY=
if [ -z "$CHROMIUM" ]; then BROWSER_WHY="no Chromium on this machine and none carried: carry .gpubench-browser (bench/gpu/prepare.sh)"
elif [ -n "$MISSING_LIBS" ] && ldd "$CHROMIUM" 2>/dev/null | grep -q 'not found'; then BROWSER_WHY="Chromium lacks libraries: $MISSING_LIBS— carry .gpubench-cli in an earlier call on the same warm machine (it has them all)"
elif [ -z "$SITE" ]; then BROWSER_WHY="no built bench pages: carry .gpubench-browser (site.tar.xz) or dist/"
fi
if has_stage browser; then
  if [ -n "$BROWSER_WHY" ]; then skip browser "$BROWSER_WHY"
  else
    exit_before=$EXIT
    n=0
    for flags in "${FLAG_SETS[@]}"; do
      name=browser${n/#0/}; n=$((n + 1)) # browser, browser1, browser2: every attempt stays in the JSON
      if stage "$name" 90 "$WORK/$name.json" python3 bench/gpu/browserBench.py --probe --site "$SITE" --chromium "$CHROMIUM" \
        --flags "$BASE_FLAGS $flags" --out "$WORK/$name.json" --log "$WORK/chromium-$name.log" $EXPECT_GPU; then
        CHROME_FLAGS="$BASE_FLAGS $flags"; BROWSER_OK=1; EXIT=$exit_before; break
      fi
      say "$name: no usable adapter with: $flags"
    done
    [ $BROWSER_OK = 1 ] || { say "browser: FAILED: no flag set gave $([ "$MODE" = gpu ] && echo 'a hardware' || echo 'a') WebGPU adapter; see run.log"; [ "$MODE" = gpu ] && EXIT=3; }
  fi
elif [ -z "$BROWSER_WHY" ]; then CHROME_FLAGS="$BASE_FLAGS ${FLAG_SETS[0]}"; BROWSER_OK=1
fi
[ $BROWSER_OK = 1 ] || [ -n "$BROWSER_WHY" ] || BROWSER_WHY="the browser probe found no usable adapter"

page() { # STAGE LIMIT PAGE QUERY   (the page's own limit is generous: `timeout`'s SIGTERM still gets a JSON written)
  stage "$1" "$2" "$WORK/$1.json" python3 bench/gpu/browserBench.py --site "$SITE" --chromium "$CHROMIUM" --flags "$CHROME_FLAGS" \
    --page "$3" --query "$4" --out "$WORK/$1.json" --log "$WORK/chromium-$1.log" --timeout 3600 $EXPECT_GPU
}
if has_stage step; then
  if [ $BROWSER_OK = 1 ]; then
    page step-stock 150 bench/index.html "kernels=stock&$STEP_Q"
    page step-ours 150 bench/index.html "kernels=ours&$STEP_Q"
  else skip step-stock "$BROWSER_WHY"; skip step-ours "$BROWSER_WHY"; fi
fi
if has_stage dispatch; then
  if [ $BROWSER_OK != 1 ]; then skip dispatch "$BROWSER_WHY"
  elif [ ! -f "$SITE/bench/dispatch/index.html" ]; then skip dispatch "page not built: bench/dispatch/index.html is not in $SITE"
  else page dispatch 150 bench/dispatch/index.html "$DISPATCH_Q"; fi
fi

# The CLI through Dawn: --json metrics on stdout, messages (the "Backend:" line) on stderr.
if has_stage cli; then
  if [ -z "$NODE" ] || [ ! -f "$CLI_MAIN" ]; then skip cli "no node >= 20 or no CLI bundle: carry .gpubench-cli (bench/gpu/prepare.sh)"
  else
    cli_run() {
      # shellcheck disable=SC2086 # CLI_SET is a list of options
      "$NODE" "$CLI_MAIN" train --backend webgpu --steps "$CLI_STEPS" $CLI_SET --set logEvery=1 --set knnEvery=0 --set probeEvery=100000 \
        --json --out "$WORK/cli.safetensors" --force >"$WORK/cli.jsonl" 2>"$WORK/cli.err"
      local rc=$?
      "$NODE" bench/cliStepTime.mjs <"$WORK/cli.jsonl" >"$WORK/cli.summary" 2>>"$WORK/cli.err"
      python3 - "$WORK" "$rc" <<'EOF'
import json, sys
work, rc = sys.argv[1], int(sys.argv[2])
err = open(f'{work}/cli.err').read()
backend = next((l for l in err.splitlines() if l.startswith('Backend:')), None)
try:
    summary = json.loads(open(f'{work}/cli.summary').read() or 'null')
except ValueError:
    summary = None
lines = [json.loads(l) for l in open(f'{work}/cli.jsonl') if l.startswith('{')]
steps = [{'step': l['step'], 'wallMsPerStep': l.get('wallMsPerStep'), 'loss': l.get('loss')} for l in lines if l.get('type') == 'metrics']
json.dump({'exitCode': rc, 'backend': backend, 'summary': summary, 'steps': steps,
           'stderrTail': err[-3000:] if rc else None}, open(f'{work}/cli.json', 'w'), indent=2)
EOF
      [ "$rc" = 0 ] || return "$rc"
      grep -q '^Backend: WebGPU' "$WORK/cli.err" || return 1
      if [ -n "$EXPECT_GPU" ] && grep -i '^Backend:' "$WORK/cli.err" | grep -qiE 'swiftshader|llvmpipe|lavapipe'; then return 3; fi
    }
    export -f cli_run
    export NODE CLI_MAIN CLI_STEPS CLI_SET WORK EXPECT_GPU
    stage cli 200 "$WORK/cli.json" bash -c cli_run
  fi
fi

# ---------------------------------------------------------------- summary
python3 - "$RESULT" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"\n== {sys.argv[1]} ==")
for name, s in d['stages'].items():
    r = s.get('result') or {}
    line = f"{name:12s} {s['status']:16s} {s['seconds']:6.0f} s"
    if name == 'dawn' or name.startswith('browser'):
        a = r.get('adapter') or r.get('browserAdapter') or {}
        line += f"  adapter: {a.get('vendor')} / {a.get('architecture')} / {a.get('description') or a.get('device') or ''}"
    for row in r.get('results', []) if isinstance(r.get('results'), list) else []:
        if 'variant' in row:  # dispatch page
            line += (f"\n    {row['variant']:9s} {row['mode']}@{row.get('hvpEvery', 1)}: {row.get('dispatches')} dispatches, "
                     f"enqueue {row.get('enqueueMs', 0):.1f} ms, {row.get('msPerStep') or 0:.1f} ms/step")
        elif 'msPerStep' in row and 'mode' in row:
            line += f"\n    {row.get('backbone', ''):9s} {row['mode']}@{row.get('hvpEvery', 1)}: {row['msPerStep']:.1f} ms/step  x{row.get('ratioToFirst', 1):.2f}"
    if name == 'cli' and r.get('summary'):
        line += f"  {r['backend']}  {r['summary']}"
    if s['status'] != 'ok' and s.get('note'):
        line += f"  ({s['note']})"
    if r.get('error'):
        line += f"\n    error: {str(r['error'])[:300]}"
    print(line)
EOF
say "done in $(($(date +%s) - T_START)) s, exit $EXIT; result: ${RESULT#"$ROOT"/}${OUT:+ (and \$OUT)}"
sleep 1 # let tee flush run.log
publish
exit $EXIT
