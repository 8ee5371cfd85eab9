#!/usr/bin/env python3
"""Runs one benchmark page of a built site in headless Chromium and writes its JSON results.

The GPU-machine counterpart of bench/runBench.mjs, with nothing but Python's standard library: the
GPU machine has python3 but neither node_modules nor Playwright. It serves the site (a `vite build`
output) on 127.0.0.1 with a threaded static server (COOP/COEP headers, as `vite preview` sends
after issue 12), starts Chromium with `--remote-debugging-pipe` (the DevTools protocol over fds 3
and 4, no port and no websocket library), asks the page's WebGPU adapter for its info first (so a
result cannot silently come from SwiftShader when a GPU was expected), then opens the bench page
and polls `window.__benchResults` until it is set or the time limit passes.

Usage: browserBench.py --site DIR --chromium PATH --page bench/index.html --query "steps=2" \
         --out FILE [--flags "..."] [--expect-gpu] [--timeout 240] [--log FILE] [--probe]
--probe opens no bench page: it records the adapter and Chromium's GPU info (SystemInfo.getInfo, what
chrome://gpu shows). --log sends Chromium's own stderr to FILE (its tail is printed on failure).
Exit codes: 0 ok; 1 the page reported an error or failed; 3 --expect-gpu but the adapter is a
software one (or there is none); 124 timed out (or SIGTERM, as `timeout` sends).
Must not import anything outside the standard library.
"""
import argparse
import http.server
import json
import os
import queue
import shlex
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

SOFTWARE_ADAPTERS = ('swiftshader', 'llvmpipe', 'lavapipe', 'softpipe', 'mock')
PROBE_PATH = '/__gpu_probe.html'
# Evaluated in a blank page of the served origin: the adapter the bench page will get
# (tfjs-backend-webgpu asks for 'high-performance' too) and Chromium's own view of it.
PROBE_JS = """(async () => {
  if (!navigator.gpu) return { error: 'navigator.gpu is undefined (WebGPU disabled or blocklisted)' };
  const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) return { error: 'requestAdapter() returned null' };
  const i = a.info || {};
  return { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
           isFallbackAdapter: a.isFallbackAdapter ?? i.isFallbackAdapter ?? null,
           features: [...a.features].sort(), maxBufferSize: a.limits.maxBufferSize,
           maxComputeInvocationsPerWorkgroup: a.limits.maxComputeInvocationsPerWorkgroup,
           userAgent: navigator.userAgent };
})()"""


def log(msg):
    print(f'[browserBench] {msg}', file=sys.stderr, flush=True)


def is_software(adapter):
    text = ' '.join(str(adapter.get(k) or '') for k in ('vendor', 'architecture', 'description')).lower()
    return any(s in text for s in SOFTWARE_ADAPTERS) or bool(adapter.get('isFallbackAdapter'))


def start_server(site):
    """Threaded static server for `site` on a free port; returns (server, port)."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
                          '.json': 'application/json', '.css': 'text/css', '.html': 'text/html'}

        def __init__(self, *a, **kw):
            super().__init__(*a, directory=site, **kw)

        def end_headers(self):
            self.send_header('Cross-Origin-Opener-Policy', 'same-origin')
            self.send_header('Cross-Origin-Embedder-Policy', 'require-corp')
            self.send_header('Cache-Control', 'no-store')
            super().end_headers()

        def do_GET(self):
            if self.path.split('?')[0] == PROBE_PATH:
                body = b'<!doctype html><title>gpu probe</title>'
                self.send_response(200)
                self.send_header('Content-Type', 'text/html')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


class Cdp:
    """The DevTools protocol over Chromium's --remote-debugging-pipe (NUL-separated JSON)."""

    def __init__(self, chromium, flags, log_path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # bash puts the pipe ends on fds 3 (commands in) and 4 (replies out), where Chromium expects them.
        wrapper = f'exec "$0" "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}'
        args = ['bash', '-c', wrapper, chromium, '--remote-debugging-pipe', *flags, 'about:blank']
        log('starting ' + ' '.join(shlex.quote(a) for a in [chromium, '--remote-debugging-pipe', *flags]))
        self.log = open(log_path, 'w') if log_path else None
        self.proc = subprocess.Popen(args, pass_fds=(to_chrome_r, from_chrome_w), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.log or sys.stderr, start_new_session=True)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next_id = 0
        self._replies = {}
        self._cond = threading.Condition()
        self.events = queue.Queue()
        self._closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b''
        while True:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                break
            buf += chunk
            while b'\0' in buf:
                raw, buf = buf.split(b'\0', 1)
                msg = json.loads(raw)
                if 'id' in msg:
                    with self._cond:
                        self._replies[msg['id']] = msg
                        self._cond.notify_all()
                else:
                    self.events.put(msg)
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def call(self, method, params=None, session=None, timeout=60):
        self._next_id += 1
        msg_id = self._next_id
        msg = {'id': msg_id, 'method': method, 'params': params or {}}
        if session:
            msg['sessionId'] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b'\0')
        deadline = time.monotonic() + timeout
        with self._cond:
            while msg_id not in self._replies:
                left = deadline - time.monotonic()
                if self._closed:
                    raise RuntimeError(f'Chromium closed the pipe during {method} (crashed? see its stderr above)')
                if left <= 0:
                    raise TimeoutError(f'no reply to {method} in {timeout} s')
                self._cond.wait(left)
            reply = self._replies.pop(msg_id)
        if 'error' in reply:
            raise RuntimeError(f'{method}: {reply["error"]}')
        return reply.get('result', {})

    def evaluate(self, session, expression, timeout=60):
        r = self.call('Runtime.evaluate', {'expression': expression, 'awaitPromise': True, 'returnByValue': True},
                      session=session, timeout=timeout)
        if 'exceptionDetails' in r:
            raise RuntimeError(f'page exception: {r["exceptionDetails"].get("exception", {}).get("description") or r["exceptionDetails"]}')
        return r.get('result', {}).get('value')

    def close(self):
        try:
            self.call('Browser.close', timeout=10)
        except Exception:  # noqa: BLE001 - already gone or stuck: killed below
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the whole group: GPU, renderer and utility processes
        except ProcessLookupError:
            pass


def drain_console(cdp):
    """Prints the page's console errors and uncaught exceptions (as runBench.mjs does)."""
    while True:
        try:
            ev = cdp.events.get_nowait()
        except queue.Empty:
            return
        p = ev.get('params', {})
        if ev.get('method') == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'warning'):
            text = ' '.join(str(a.get('value', a.get('description', ''))) for a in p.get('args', []))
            log(f'[page {p["type"]}] {text[:2000]}')
        elif ev.get('method') == 'Runtime.exceptionThrown':
            d = p.get('exceptionDetails', {})
            log(f'[page exception] {d.get("exception", {}).get("description") or d.get("text")}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--site', required=True)
    ap.add_argument('--chromium', required=True)
    ap.add_argument('--page', default='bench/index.html')
    ap.add_argument('--query', default='')
    ap.add_argument('--out', required=True)
    ap.add_argument('--flags', default='', help='Chromium flags, space-separated')
    ap.add_argument('--expect-gpu', action='store_true', help='exit 3 unless the adapter is a hardware one')
    ap.add_argument('--timeout', type=float, default=240, help='seconds for the whole page run')
    ap.add_argument('--log', default=None, help="Chromium's stderr goes here (default: our stderr)")
    ap.add_argument('--probe', action='store_true', help='adapter and GPU info only, no bench page')
    a = ap.parse_args()

    def on_term(signum, frame):
        raise TimeoutError(f'killed by signal {signum} (the stage time limit)')
    signal.signal(signal.SIGTERM, on_term)

    t_start = time.monotonic()
    server, port = start_server(os.path.abspath(a.site))
    cdp = Cdp(a.chromium, a.flags.split(), a.log)
    out = {'page': a.page, 'query': a.query, 'chromium': a.chromium, 'flags': a.flags.split(),
           'date': datetime.now(timezone.utc).isoformat(timespec='seconds')}
    code = 0
    try:
        out['browserVersion'] = cdp.call('Browser.getVersion').get('product')
        page = next(t for t in cdp.call('Target.getTargets')['targetInfos'] if t['type'] == 'page')
        session = cdp.call('Target.attachToTarget', {'targetId': page['targetId'], 'flatten': True})['sessionId']
        cdp.call('Runtime.enable', session=session)
        cdp.call('Page.enable', session=session)
        origin = f'http://127.0.0.1:{port}'

        cdp.call('Page.navigate', {'url': origin + PROBE_PATH}, session=session)
        time.sleep(0.5)
        adapter = cdp.evaluate(session, PROBE_JS, timeout=30) or {'error': 'probe returned nothing'}
        out['browserAdapter'] = adapter
        log(f'adapter: {json.dumps(adapter)[:400]}')
        if a.expect_gpu and ('error' in adapter or is_software(adapter)):
            out['error'] = f'a GPU was expected but the page sees {"no adapter" if "error" in adapter else "a software adapter"}: {adapter}'
            code = 3
            return
        if a.probe:
            info = cdp.call('SystemInfo.getInfo', timeout=30)
            gpu = info.get('gpu', {})
            out['gpuInfo'] = {'devices': gpu.get('devices'), 'driverBugWorkarounds': gpu.get('driverBugWorkarounds'),
                              'featureStatus': gpu.get('featureStatus'), 'auxAttributes': gpu.get('auxAttributes')}
            if 'error' in adapter:
                out['error'] = adapter['error']
                code = 1
            return

        t0 = time.monotonic()
        url = f'{origin}/{a.page.lstrip("/")}' + (f'?{a.query}' if a.query else '')
        log(f'opening {url}')
        cdp.call('Page.navigate', {'url': url}, session=session)
        results = None
        while True:
            drain_console(cdp)
            text = cdp.evaluate(session, 'window.__benchResults === undefined ? null : JSON.stringify(window.__benchResults)')
            if text is not None:
                results = json.loads(text)
                break
            if time.monotonic() - t_start > a.timeout:
                out['error'] = f'timed out after {a.timeout:.0f} s without window.__benchResults'
                code = 124
                return
            time.sleep(1)
        drain_console(cdp)
        out['wallSeconds'] = round(time.monotonic() - t0, 3)
        out.update(results)
        if 'error' in results:
            code = 1
    except TimeoutError as e:
        out['error'] = f'{type(e).__name__}: {e}'
        code = 124
    except Exception as e:  # noqa: BLE001 - reported in the JSON and the exit code
        out['error'] = f'{type(e).__name__}: {e}'
        code = 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cdp.close()
        server.shutdown()
        with open(a.out, 'w') as f:
            json.dump(out, f, indent=2)
        if 'error' in out:
            log(f'error: {str(out["error"])[:2000]}')
            if a.log and os.path.exists(a.log):
                noise = ('dbus', 'resource_bundle', 'Some features may not be available')
                tail = [l for l in open(a.log, errors='replace').read().splitlines() if not any(n in l for n in noise)][-25:]
                log('last lines of Chromium\'s log (' + a.log + '):\n' + '\n'.join(tail))
        sys.exit(code)


if __name__ == '__main__':
    main()
