#!/usr/bin/env python3
# mkbadtiff.py: writes the hostile TIFFs of tests/data/bad, tag by tag (no TIFF library would
# write them). Run from the repository: python3 tests/mkbadtiff.py tests/data/bad
# Each must give one clear error naming the file, never a crash or a huge allocation.
import os
import struct
import sys

SHORT, LONG = 3, 4
TYPE_SIZE = {SHORT: 2, LONG: 4}


def tiff(tags, tail=b"", data_at=None):
    """A little-endian classic TIFF: header, one IFD of tags (tag, type, values), then tail.
    Values that do not fit in 4 bytes go after the IFD; data_at, when given, is where the
    image data (tail) is said to start instead of where it really is."""
    tags = sorted(tags)
    ifd_off = 8
    ifd_len = 2 + 12 * len(tags) + 4
    extra = b""
    entries = b""
    for tag, typ, vals in tags:
        if isinstance(vals, int):
            vals = [vals]
        raw = b"".join(struct.pack("<H" if typ == SHORT else "<I", v) for v in vals)
        count = len(vals)
        if len(raw) <= 4:
            entries += struct.pack("<HHI", tag, typ, count) + raw.ljust(4, b"\0")
        else:
            off = ifd_off + ifd_len + len(extra)
            entries += struct.pack("<HHII", tag, typ, count, off)
            extra += raw
    ifd = struct.pack("<H", len(tags)) + entries + struct.pack("<I", 0)
    return b"II*\0" + struct.pack("<I", ifd_off) + ifd + extra + tail


def data_offset(ntags, extra_len=0):
    return 8 + 2 + 12 * ntags + 4 + extra_len


def rgb_strip_tags(w, h, offset, count, rps=None):
    return [
        (256, LONG, w), (257, LONG, h), (258, SHORT, [8, 8, 8]), (259, SHORT, 1),
        (262, SHORT, 2), (273, LONG, offset), (277, SHORT, 3),
        (278, LONG, rps if rps is not None else h), (279, LONG, count),
    ]


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/bad"
    # 8 + IFD of 9 tags + the 6 bytes of BitsPerSample: the pixels follow.
    px_off = data_offset(9, 6)

    # A side of 100000 pixels: refused by the limits before anything is allocated.
    write(out, "huge-dimensions.tif", tiff(rgb_strip_tags(100000, 100000, px_off, 3), b"\xff\0\0"))
    # 60000 x 60000 = 3.6 gigapixels, each side within 65535.
    write(out, "huge-pixels.tif", tiff(rgb_strip_tags(60000, 60000, px_off, 3), b"\xff\0\0"))
    # 16 x 16 RGB with half of its 768 bytes of pixels.
    write(out, "truncated.tif", tiff(rgb_strip_tags(16, 16, px_off, 768), bytes(range(256)) + bytes(128)))
    # The strip is said to be far beyond the end of the file.
    write(out, "bad-offsets.tif", tiff(rgb_strip_tags(16, 16, 1 << 30, 768), bytes(768)))

    def tiled(w, h, tw, th, tail=b"\0" * 16):
        return tiff([
            (256, LONG, w), (257, LONG, h), (258, SHORT, [8, 8, 8]), (259, SHORT, 1),
            (262, SHORT, 2), (277, SHORT, 3), (322, LONG, tw), (323, LONG, th),
            (324, LONG, data_offset(10, 6)), (325, LONG, len(tail)),
        ], tail)

    # Tiles of no size, of a size TIFF does not allow, and of 4 gigapixels for a 16 x 16 image.
    write(out, "zero-size-tiles.tif", tiled(16, 16, 0, 16))
    write(out, "tile-not-multiple-of-16.tif", tiled(40, 40, 17, 16))
    write(out, "huge-tiles.tif", tiled(16, 16, 65536, 65536))

    # A 1 x 1 image whose strip arrays claim 2^30 strips, their data far beyond the file.
    write(out, "huge-strip-count.tif", tiff([
        (256, LONG, 1), (257, LONG, 1), (258, SHORT, 8), (259, SHORT, 1), (262, SHORT, 1),
        (273, LONG, [0] * 2), (277, SHORT, 1), (278, LONG, 1), (279, LONG, [0] * 2),
    ]).replace(struct.pack("<HHII", 273, LONG, 2, data_offset(9)),
               struct.pack("<HHII", 273, LONG, 1 << 30, 1 << 30))
       .replace(struct.pack("<HHII", 279, LONG, 2, data_offset(9) + 8),
                struct.pack("<HHII", 279, LONG, 1 << 30, (1 << 30) + 8)))
    # 60000 rows, one a strip: 60000 strips whose offsets are not in the file.
    write(out, "many-strips-missing.tif", tiff([
        (256, LONG, 1), (257, LONG, 60000), (258, SHORT, 8), (259, SHORT, 1), (262, SHORT, 1),
        (273, LONG, [0] * 2), (277, SHORT, 1), (278, LONG, 1), (279, LONG, [0] * 2),
    ]).replace(struct.pack("<HHII", 273, LONG, 2, data_offset(9)),
               struct.pack("<HHII", 273, LONG, 60000, 4096))
       .replace(struct.pack("<HHII", 279, LONG, 2, data_offset(9) + 8),
                struct.pack("<HHII", 279, LONG, 60000, 4096 + 240000)))
    # 12-bit samples: a kind pxlabel does not read, said so.
    write(out, "bits12.tif", tiff([
        (256, LONG, 4), (257, LONG, 4), (258, SHORT, 12), (259, SHORT, 1), (262, SHORT, 1),
        (273, LONG, data_offset(9)), (277, SHORT, 1), (278, LONG, 4), (279, LONG, 24),
    ], bytes(24)))
    # Only the header.
    write(out, "header-only.tif", b"II*\0\x08\0\0\0")


if __name__ == "__main__":
    main()
