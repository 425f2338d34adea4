#!/usr/bin/env python3
"""tools/ansi2png.py - draw a terminal screen captured with its colours
(tmux capture-pane -p -e: text with SGR escapes) into a PNG, one cell per
character in DejaVu Sans Mono.  For tools/screenshot.sh.
Usage: ansi2png.py SCREEN.ansi OUT.png
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 15
BASE16 = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
          (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
          (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
          (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]
FG, BG = (220, 220, 220), (24, 24, 24)


def xterm(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


def sgr(params, st):
    it = iter(params or [0])
    for p in it:
        if p == 0:
            st.update(fg=None, bg=None, bold=False, rev=False)
        elif p == 1:
            st["bold"] = True
        elif p == 22:
            st["bold"] = False
        elif p == 7:
            st["rev"] = True
        elif p == 27:
            st["rev"] = False
        elif 30 <= p <= 37 or 90 <= p <= 97:
            st["fg"] = BASE16[p - 30 if p < 90 else p - 82]
        elif 40 <= p <= 47 or 100 <= p <= 107:
            st["bg"] = BASE16[p - 40 if p < 100 else p - 92]
        elif p in (39, 49):
            st["fg" if p == 39 else "bg"] = None
        elif p in (38, 48):
            kind = next(it, None)
            col = xterm(next(it, 0)) if kind == 5 else \
                (next(it, 0), next(it, 0), next(it, 0))
            st["fg" if p == 38 else "bg"] = col


def cells(text):
    rows = []
    st = dict(fg=None, bg=None, bold=False, rev=False)
    for line in text.split("\n"):
        row = []
        for m in re.finditer(r"\x1b\[([0-9;:]*)m|([^\x1b])", line):
            if m.group(2) is None:
                sgr([int(x) for x in re.split("[;:]", m.group(1)) if x],
                    st)
            else:
                row.append((m.group(2), dict(st)))
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def main(src, dst):
    rows = cells(open(src, encoding="utf-8", errors="replace").read())
    font = ImageFont.truetype(FONT, SIZE)
    bold = ImageFont.truetype(BOLD, SIZE)
    w = round(font.getlength("M"))
    h = SIZE + 4
    ncols = max(len(r) for r in rows)
    img = Image.new("RGB", (ncols * w + 16, len(rows) * h + 16), BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(rows):
        for x, (ch, st) in enumerate(row):
            fg, bg = st["fg"] or FG, st["bg"] or BG
            if st["rev"]:
                fg, bg = bg, fg
            px, py = 8 + x * w, 8 + y * h
            if bg != BG:
                d.rectangle([px, py, px + w - 1, py + h - 1], fill=bg)
            d.text((px, py + 1), ch, fill=fg,
                   font=bold if st["bold"] else font)
    img.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
