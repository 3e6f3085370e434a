#!/usr/bin/python3
"""bench_kitty_pan.py: the annotator on a large image in a pty at 160x48 (10x20-pixel cells), as
bench_session does, but telling a step's frame from the work the display does after it while
the user is idle (kitty: the tiles of the new view, then those around it). A step's bytes are
what came until the output paused for 150 ms (the annotator's idle tick is 250 ms); the idle
bytes what came after that until it paused for 2 s. Prints one line a step: name, bytes, idle
bytes. Usage: bench_kitty_pan.py PXLABEL IMAGE DISPLAY"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

px, image, display = sys.argv[1:4]
opts = ['--display', 'blocks', '--colors', 'truecolor'] if display == 'blocks' else \
    ['--display', display, '--cell', '10x20', '--query-timeout', '0']
pid, fd = pty.fork()
if pid == 0:
    os.environ['TERM'] = 'xterm-256color'
    os.environ['COLORTERM'] = 'truecolor'
    os.execv(px, [px] + opts + [image])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 48, 160, 0, 0))
t0 = time.time()
total = 0
last = t0


def pump(quiet):
    global total, last
    last = time.time()
    while time.time() - last < quiet:
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                d = os.read(fd, 1 << 20)
            except OSError:
                return
            total += len(d)
            last = time.time()


pump(0.5)
first = total
first_ms = (last - t0) * 1000
pump(2.0)
print('start %d %.0f %d' % (first, first_ms, total - first))
steps = [('zoom1', b'+'), ('zoom2', b'+'), ('zoom3', b'+')] + \
    [('pan%d' % i, k) for i, k in enumerate([b'\x1b[1;5C'] * 4 + [b'\x1b[1;5B'] * 2 + [b'\x1b[1;5D'] * 2, 1)]
for name, keys in steps:
    b = total
    os.write(fd, keys)
    pump(0.15)
    step = total - b
    b = total
    pump(2.0)
    print('%s %d %d' % (name, step, total - b))
os.write(fd, b'q')
pump(1.0)
os.waitpid(pid, 0)
