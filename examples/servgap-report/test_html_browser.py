#!/usr/bin/env python3
"""test_html_browser.py -- servgap-report's HTML page in a real browser
(headless Chromium); run by meson test.

    python3 test_html_browser.py PROGRAM DATADIR

Renders the sample data's page in Chromium and checks what a reader
gets: a screenshot of each section ("#only-ID") of the expected size and
not blank; no JavaScript error (the page records window errors on its
<html> element, and marks it data-ready when its script finished); the
numbers the page shows once its script has run, the accounts table and
three drill-downs included, are the JSON report's (the page writes them
into <pre id="shown-numbers"> under "#check", html_check.py compares);
the accounts table sorts, filters and pages as a user drives it; with
JavaScript off the static sections are all there; hostile names stay
text in the live page; empty data raises no error; and a page of 3,000
accounts pages.

Skips (exit 77) only when no Chromium is installed, and says so. The
gate installs the Debian package chromium (scripts/test). Standard
library only.
"""

import base64
import html
import json
import math
import os
import pathlib
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import html_check  # noqa: E402
import test_html  # noqa: E402

SECTIONS = test_html.SECTIONS
# Chromium is slow to start on a loaded machine; the timeouts are generous.
TIMEOUT = 240
WIDTH, HEIGHT = 1280, 1000

failures = []
check = test_html.check


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class DevTools:
    """One headless Chromium driven over the DevTools protocol on a pipe
    (--remote-debugging-pipe: commands on its fd 3, replies on its fd 4,
    each a JSON message ended by a NUL), so that one browser renders every
    page, and a page can be loaded with its scripts disabled
    (Emulation.setScriptExecutionDisabled) and still be read and captured."""

    def __init__(self, exe, tmp):
        cmd_r, self.cmd_w = os.pipe()
        self.res_r, res_w = os.pipe()
        args = [exe, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                "--disable-extensions", "--hide-scrollbars", "--remote-debugging-pipe",
                "--user-data-dir=" + os.path.join(tmp, "profile"), "about:blank"]
        # bash puts the pipe ends at fds 3 and 4 (dash takes only one-digit fds).
        self.p = subprocess.Popen(["bash", "-c", 'exec "$@" 3<&%d 4>&%d' % (cmd_r, res_w), "bash"]
                                  + args, pass_fds=(cmd_r, res_w), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, env=dict(os.environ, HOME=tmp))
        os.close(cmd_r)
        os.close(res_w)
        self.buf, self.next_id, self.events, self.session = b"", 0, [], None

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:  # noqa: BLE001 - it is going away either way
            pass
        os.close(self.cmd_w)
        os.close(self.res_r)
        try:
            self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()

    def receive(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.res_r], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.res_r, 1 << 20)
            if not chunk:
                raise EOFError("Chromium exited")
            self.buf += chunk
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self.receive(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, method):
        deadline = time.monotonic() + TIMEOUT
        while True:
            for k, m in enumerate(self.events):
                if m.get("method") == method:
                    del self.events[k]
                    return m
            self.events.append(self.receive(deadline))

    def open(self, url, js=True):
        """Load url in a new tab of WIDTH x HEIGHT, scripts on or off."""
        if self.session:
            self.call("Target.closeTarget", {"targetId": self.target}, session=False)
        self.target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": self.target, "flatten": True},
                                 session=False)["sessionId"]
        self.events = []
        for domain in ("Page", "Runtime", "Log"):
            self.call(domain + ".enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        self.call("Emulation.setScriptExecutionDisabled", {"value": not js})
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def errors(self):
        """What the page reported: uncaught exceptions, console errors and
        error log entries (a Content Security Policy refusal among them)."""
        out = []
        for m in self.events:
            p = m.get("params", {})
            if m.get("method") == "Runtime.exceptionThrown":
                out.append(p["exceptionDetails"].get("text", "") + " " +
                           p["exceptionDetails"].get("exception", {}).get("description", ""))
            elif m.get("method") == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out.append("console: " + repr(p.get("args")))
            elif m.get("method") == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append("log: " + p["entry"].get("text", ""))
        return out

    def dom(self):
        root = self.call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        return self.call("DOM.getOuterHTML", {"nodeId": root})["outerHTML"]

    def go(self, fragment):
        """Go to a fragment of the page loaded, as a click on a link would."""
        self.call("Page.navigate", {"url": self.url_of() + fragment})
        time.sleep(0.3)

    def url_of(self):
        hist = self.call("Page.getNavigationHistory")
        return hist["entries"][hist["currentIndex"]]["url"].split("#")[0]

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path


def png_pixels(path):
    """(width, height, rows of RGB tuples' bytes) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "unexpected PNG format"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line[k] for k in range(stride) if k % bpp < 3))
        prev = line
    return w, h, rows


def ink(path, skip_top):
    """(share of pixels below the page header that are neither of the
    page's two backgrounds, distinct colours) of a screenshot."""
    w, h, rows = png_pixels(path)
    grounds = {(0xF3, 0xF5, 0xF8), (0xFF, 0xFF, 0xFF)}
    inked, colours, total = 0, set(), 0
    for y in range(skip_top, h, 2):
        r = rows[y]
        for x in range(0, w * 3, 6):
            px = (r[x], r[x + 1], r[x + 2])
            total += 1
            colours.add(px)
            if px not in grounds:
                inked += 1
    return inked / max(total, 1), len(colours), (w, h)


def shown(dom):
    m = re.search(r'<pre id="shown-numbers" hidden="">(.*?)</pre>', dom, re.S)
    return json.loads(html.unescape(m.group(1))) if m else None


def test_live_numbers(b, url, report, tiers, what):
    t0 = time.monotonic()
    b.open(url + "#check")
    dom = b.dom()
    out = shown(dom)
    recorded = re.search(r'data-js-errors="([^"]*)"', dom)
    errors = b.errors() + ([recorded.group(1)] if recorded else [])
    check(not errors, "%s: the page raises no JavaScript error and logs none" % what,
          "\n".join(errors[:10]))
    if not check('data-ready="1"' in dom and out is not None,
                 "%s: the page's script ran to its end (%.1f s)" % (what, time.monotonic() - t0),
                 dom[:300]):
        return None, dom
    problems = html_check.compare(out["shown"], report, tiers)
    check(len(out["shown"]) > 100 and not problems,
          "%s: each of the %d numbers the live page shows is the JSON report's"
          % (what, len(out["shown"])), "\n".join(problems[:20]))
    drilled = [k for _, k, _ in out["shown"] if re.match(r"risk\.\d+\.findings$", k)]
    check(out["drills"] == min(3, len(report["risk"])) and len(drilled) >= 1,
          "%s: accounts drilled down, their numbers compared too" % what)
    return out, dom


def uri(path):
    return pathlib.Path(path).as_uri()


def money(s):
    return float(s.replace(",", "")) if s not in html_check.DASHES else None


def test_table(out, report, tiers, first_tier):
    st = out["steps"]
    risk = report["risk"]
    want = sorted(range(len(risk)), key=lambda i: (-risk[i]["risk"], -risk[i]["value"], i))
    check([r[0] for r in st["initial"]["rows"]] == [html_check.visible(risk[i]["account"])
                                                    for i in want[:50]],
          "table: first shown most at risk, then by value (as the static page)")
    v = [money(r[2]) for r in st["value_desc"]["rows"]]
    check(v == sorted(v, reverse=True), "table: a click on value sorts by value, largest first")
    v = [money(r[2]) for r in st["value_asc"]["rows"]]
    check(v == sorted(v), "table: a second click sorts smallest first")
    names = [r[0] for r in st["name_asc"]["rows"]]
    check(names == sorted(names, key=str.lower), "table: a click on account sorts by name")
    in_tier = [a for a, t in tiers.items() if t == first_tier]
    rows = st["tier0"]["rows"]
    check(rows and all(r[1] == first_tier for r in rows)
          and st["tier0"]["count"].startswith("%d of " % len(in_tier)),
          "table: the tier filter keeps that tier's %d accounts" % len(in_tier), st["tier0"]["count"])
    trig = {t["account"] for t in report["triggers"] if t["kind"] != "quarterly_review"}
    got = {r[0] for r in st["with_triggers"]["rows"]}
    check(got == {html_check.visible(a) for a in trig},
          "table: 'with triggers' keeps the accounts with a review trigger due", repr(sorted(got)))
    q = report["risk"][0]["account"][:4].lower()
    check(st["query"]["rows"] and all(q in r[0].lower() for r in st["query"]["rows"]),
          "table: the name filter keeps the names that hold it")


def test_sections(b, url, tmp):
    b.open(url)
    for s in SECTIONS:
        b.go("#only-" + s)
        png = b.screenshot(os.path.join(tmp, "shot-%s.png" % s))
        size = os.path.getsize(png)
        share, colours, dims = ink(png, 110)
        check(dims == (WIDTH, HEIGHT) and size > 20_000 and share > 0.01 and colours > 30,
              "screenshot of %s alone: %dx%d, %d bytes, %.1f%% ink, %d colours"
              % (s, dims[0], dims[1], size, share * 100, colours))
    errors = b.errors()
    check(not errors, "screenshots: no error while showing each section", "\n".join(errors[:5]))


def test_hover(b, url, page):
    """The pointer on a point lists every finding whose point lies under it."""
    circles = test_html.points(html_check.parse(page))
    if not circles:
        return
    def under(c):
        x, y = float(c["cx"]), float(c["cy"])
        return sorted(int(a["data-i"]) + 1 for a in circles
                      if math.hypot(float(a["cx"]) - x, float(a["cy"]) - y) <= float(a["r"]) + 2)
    # The centre of the point that most others overlap.
    c = max(circles, key=lambda a: (len(under(a)), -int(a["data-i"])))
    x, y, listed = float(c["cx"]), float(c["cy"]), under(c)
    b.open(url + "#only-matrix")
    pos = b.call("Runtime.evaluate", {"returnByValue": True, "expression":
                 "(function(){var s=document.getElementById('matrix-svg'),p=s.createSVGPoint();"
                 "p.x=%r;p.y=%r;p=p.matrixTransform(s.getScreenCTM());return [p.x,p.y];})()" % (x, y)})
    px, py = pos["result"]["value"]
    b.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": px, "y": py})
    time.sleep(0.3)
    tip = b.call("Runtime.evaluate", {"returnByValue": True, "expression":
                 "(function(){var t=document.getElementById('matrix-tip');return t.hidden?null:"
                 "[].map.call(t.children,function(d){return d.textContent;});})()"})["result"]["value"]
    ranks = sorted(int(re.match(r"#(\d+) ", line).group(1)) for line in tip or [] if line.startswith("#"))
    check(tip and len(listed) > 1 and ranks == listed[:12],
          "matrix: the pointer on finding #%d lists the %d findings under it"
          % (int(c["data-i"]) + 1, len(listed)), "listed %r, under the pointer %r" % (ranks, listed))


def test_no_js(b, url, tmp):
    b.open(url, js=False)
    dom = b.dom()
    check('data-ready' not in dom.split(">", 2)[1], "JavaScript off: the page's script did not run")
    for s in SECTIONS:
        m = re.search(r'<section id="%s".*?</section>' % s, dom, re.S)
        check(m is not None and len(re.sub(r"<[^>]+>", "", m.group(0))) > 200,
              "JavaScript off: section %s shows its content" % s)
    check(len(re.findall(r'<circle class="pt', dom)) > 0 and
          len(re.findall(r'<tr data-a=', dom)) > 0 and '<figure class="chainfig"' in dom,
          "JavaScript off: the matrix, the first accounts page and the gap chains are there")
    share, colours, _ = ink(b.screenshot(os.path.join(tmp, "nojs.png")), 110)
    check(share > 0.01 and colours > 30, "JavaScript off: the page renders (%.1f%% ink)" % (share * 100))


def test_hostile(b, prog, tmp):
    d = os.path.join(tmp, "hostile")
    os.makedirs(d)
    args = test_html.hostile_tables(d)
    page = os.path.join(d, "page.html")
    p = subprocess.run([prog] + args + ["--json", "--level", "full", "--html", page], capture_output=True, timeout=120)
    report = json.loads(p.stdout)
    tiers = {test_html.HOSTILE_ACCOUNT: test_html.HOSTILE_TIER, "plain": test_html.HOSTILE_TIER}
    out, dom = test_live_numbers(b, uri(page), report, tiers, "hostile names")
    scripts = re.findall(r"<script\b[^>]*>", dom)
    check(len(scripts) == 3 and "<img" not in dom, "hostile names: no name became a script or an "
          "element in the live page", repr(scripts))
    if out:
        names = [r[0] for r in out["steps"]["initial"]["rows"]]
        check(html_check.visible(test_html.HOSTILE_ACCOUNT) in names,
              "hostile names: the live table shows the name as text", repr(names))


def test_empty(b, prog, tmp):
    page, _ = test_html.empty_page(prog, tmp)
    b.open(uri(page) + "#check")
    dom = b.dom()
    recorded = re.search(r'data-js-errors="([^"]*)"', dom)
    errors = b.errors() + ([recorded.group(1)] if recorded else [])
    check('data-ready="1"' in dom and not errors, "empty data: the page's script runs without error",
          "\n".join(errors))


def test_many(b, prog, data, tmp):
    big = os.path.join(tmp, "many")
    g = subprocess.run([sys.executable, os.path.join(data, "enlarge.py"), "--accounts", "3000",
                        "--out", big], capture_output=True, timeout=600)
    page = os.path.join(big, "page.html")
    p = subprocess.run([prog, "--data", big, "--html", page], capture_output=True, timeout=600)
    if not check(g.returncode == 0 and p.returncode == 0, "3,000 accounts: the page is written"):
        return
    t0 = time.monotonic()
    b.open(uri(page) + "#check")
    dom = b.dom()
    out = shown(dom)
    recorded = re.search(r'data-js-errors="([^"]*)"', dom)
    if not check(out is not None and recorded is None and not b.errors(),
                 "3,000 accounts: the script runs without error (%.1f s)" % (time.monotonic() - t0)):
        return
    st = out["steps"]
    # The default (--by tier) is the summary level: the accounts with
    # something to act on only, counted in the section's note.
    with open(page, encoding="utf-8") as f:
        listed = re.search(r'<span data-c="accounts">(\d+)</span> of 3000 accounts have', f.read())
    n = int(listed.group(1)) if listed else 0
    pages = (n + 49) // 50
    check(0 < n < 3000, "3,000 accounts, summary level: the page lists only those with something "
          "to act on", str(n))
    check(st["initial"]["count"] == "%d of %d accounts" % (n, n),
          "3,000 accounts, summary level: the live table counts the listed accounts",
          st["initial"]["count"])
    check("page2" in st and st["page2"]["page"].startswith("page 2 of %d (rows 51" % pages)
          and len(st["page2"]["rows"]) == 50,
          "3,000 accounts: %d pages of 50, the next is page 2" % pages,
          st.get("page2", {}).get("page", ""))


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: test_html_browser.py PROGRAM DATADIR\n")
        return 2
    exe = chromium()
    if exe is None:
        print("SKIP: no Chromium: install the Debian package chromium (scripts/test does)")
        return 77
    prog, data = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    tiers = html_check.account_tiers(os.path.join(data, "accounts.csv"))
    first_tier = next(iter(tiers.values()))
    with tempfile.TemporaryDirectory() as tmp:
        page, report_text = test_html.page_and_report(prog, tmp, "--data", data)
        report = json.loads(report_text)
        url = uri(os.path.join(tmp, "page.html"))
        b = DevTools(exe, tmp)
        try:
            out, _ = test_live_numbers(b, url, report, tiers, "sample page")
            if out:
                test_table(out, report, tiers, first_tier)
            test_sections(b, url, tmp)
            test_hover(b, url, page)
            test_no_js(b, url, tmp)
            test_hostile(b, prog, tmp)
            test_empty(b, prog, tmp)
            test_many(b, prog, data, tmp)
        finally:
            b.close()
    failures.extend(test_html.failures)
    print("%d failure%s" % (len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
