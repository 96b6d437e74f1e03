#!/usr/bin/env python3
"""html_picture.py -- the picture of an HTML page that docs/report-html.md
shows, taken in headless Chromium.

    python3 html_picture.py PAGE.html OUT.png [WIDTH HEIGHT]

Loads PAGE.html (its script on) in a viewport of WIDTH x HEIGHT CSS
pixels (default 1200 x 1640: the overview and the matrix) and writes a
screenshot of it, compressed as far as zlib goes, so that the picture
stays small in the repository. Uses the DevTools pipe of
test_html_browser.py. Standard library only.
"""

import os
import struct
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_html_browser as browser  # noqa: E402


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def recompress(path):
    """Rewrite the PNG at path as 8-bit RGB, each row Up-filtered, at zlib's
    best compression: the browser writes for speed, not size."""
    w, h, rows = browser.png_pixels(path)
    raw, prev = bytearray(), bytes(w * 3)
    for r in rows:
        raw.append(2)
        raw.extend((a - b) & 255 for a, b in zip(r, prev))
        prev = r
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)


def main(argv):
    if len(argv) not in (2, 4):
        sys.stderr.write("usage: html_picture.py PAGE.html OUT.png [WIDTH HEIGHT]\n")
        return 2
    if len(argv) == 4:
        browser.WIDTH, browser.HEIGHT = int(argv[2]), int(argv[3])
    else:
        browser.WIDTH, browser.HEIGHT = 1200, 1640
    exe = browser.chromium()
    if exe is None:
        sys.stderr.write("html_picture.py: no Chromium (the Debian package chromium)\n")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        b = browser.DevTools(exe, tmp)
        try:
            b.open(browser.uri(os.path.abspath(argv[0])))
            b.screenshot(argv[1])
        finally:
            b.close()
    recompress(argv[1])
    print("%s: %d bytes" % (argv[1], os.path.getsize(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
