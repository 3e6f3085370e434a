#!/bin/sh
# cli_tiff.sh: every command on TIFF images made by other encoders (python3-tifffile, and
# libtiff-tools' tiffcp for codecs, tiles and planes): render prints what it prints for a PNG
# of the same pixels; mask, stats, export and import take TIFFs; a 16-bit TIFF shows its
# narrow band of values at once and is exported as it is.
. "${top_srcdir:-.}/tests/lib.sh"
px=${PXLABEL:-./src/pxlabel}
dump=${PNGDUMP:-./tests/pngdump}
py=/usr/bin/python3
command -v tiffcp >/dev/null 2>&1 || { echo "1..0 # SKIP tiffcp is not installed (libtiff-tools)"; exit 77; }
"$py" -c 'import tifffile, numpy' 2>/dev/null || { echo "1..0 # SKIP python3-tifffile is not installed"; exit 77; }
d=$tmpdir/img
mkdir -p "$d"

# The pictures, each as a TIFF and as a PNG of the same upright pixels (a PNG writer of a few
# lines: numpy and tifffile write no PNG).
"$py" - "$d" <<'PY' || exit 1
import struct, sys, zlib
import numpy as np, tifffile

d = sys.argv[1]

def png(path, a, palette=None):
    a = np.ascontiguousarray(a)
    depth = 16 if a.dtype == np.uint16 else 8
    if a.ndim == 2:
        ctype = 3 if palette is not None else 0
    else:
        ctype = {2: 4, 3: 2, 4: 6}[a.shape[2]]
    raw = a.astype('>u2').tobytes() if depth == 16 else a.tobytes()
    stride = len(raw) // a.shape[0]
    rows = b''.join(b'\0' + raw[i * stride:(i + 1) * stride] for i in range(a.shape[0]))
    def chunk(t, b):
        return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
    out = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', a.shape[1], a.shape[0], depth, ctype, 0, 0, 0))
    if palette is not None:
        out += chunk(b'PLTE', palette.astype(np.uint8).tobytes())
    out += chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')
    open(path, 'wb').write(out)

rng = np.random.default_rng(7)
h, w = 90, 140
y, x = np.mgrid[0:h, 0:w]
rgb = np.stack([(x * 255) // w, (y * 255) // h, ((x ^ y) * 3) % 256], -1).astype(np.uint8)
rgb = np.clip(rgb.astype(int) + rng.integers(-6, 7, rgb.shape), 0, 255).astype(np.uint8)
tifffile.imwrite(f'{d}/rgb8.tif', rgb, photometric='rgb')
png(f'{d}/rgb8.png', rgb)
# A microscope's 16 bits: the signal in 1200..1800 of 0..65535.
g16 = (1200 + (x * 3 + y * 2) % 600 + rng.integers(0, 8, (h, w))).astype(np.uint16)
tifffile.imwrite(f'{d}/g16.tif', g16, photometric='minisblack')
png(f'{d}/g16.png', g16)
rgb16 = (rgb.astype(np.uint16) * 40 + 3000).astype(np.uint16)
tifffile.imwrite(f'{d}/rgb16.tif', rgb16, photometric='rgb', byteorder='>')
# (tiled by tifffile: tiffcp 4.5 garbles separate planes of 16 bits when it tiles them)
tifffile.imwrite(f'{d}/rgb16-planar-tiled.tif', np.moveaxis(rgb16, 2, 0), photometric='rgb',
                 planarconfig='separate', tile=(32, 32), compression='zlib')
png(f'{d}/rgb16.png', rgb16)
rgba = np.dstack([rgb, ((x * 255) // w).astype(np.uint8)])
tifffile.imwrite(f'{d}/rgba8.tif', rgba, photometric='rgb', extrasamples=['unassalpha'])
png(f'{d}/rgba8.png', rgba)
pal = rng.integers(0, 256, (256, 3))
idx = ((x // 5 + y // 3) % 256).astype(np.uint8)
tifffile.imwrite(f'{d}/pal.tif', idx, photometric='palette', colormap=(pal.T * 257).astype(np.uint16))
png(f'{d}/pal.png', idx, palette=pal)
# Orientation 6 (the picture turned 90 degrees clockwise to view): stored as rgb turned back.
stored = np.rot90(rgb, 1)
tifffile.imwrite(f'{d}/orient6.tif', stored, photometric='rgb', extratags=[(274, 'H', 1, 6, True)])
png(f'{d}/orient6.png', rgb)
# Two pages: the second is another picture.
tifffile.imwrite(f'{d}/pages.tif', np.stack([rgb, 255 - rgb]), photometric='rgb')
PY

# Codecs, tiles and planes through tiffcp; each keeps the pixels of its PNG copy (JPEG close).
tiffcp -c lzw:2 "$d/rgb8.tif" "$d/rgb8-lzw.tif"
tiffcp -c zip "$d/rgb8.tif" "$d/rgb8-zip.tif"
tiffcp -c packbits "$d/rgb8.tif" "$d/rgb8-packbits.tif"
tiffcp -t -w 64 -l 32 -c zip "$d/rgb8.tif" "$d/rgb8-tiled.tif"
tiffcp -p separate -c lzw "$d/rgb8.tif" "$d/rgb8-planar.tif"
tiffcp -t -w 48 -l 48 -c lzw:2 "$d/g16.tif" "$d/g16-tiled.tif"
tiffcp -c jpeg:95 -r 16 "$d/rgb8.tif" "$d/rgb8-jpeg.tif"
tiffcp -t -w 64 -l 64 -c jpeg:95 "$d/rgb8.tif" "$d/rgb8-tiled-jpeg.tif"

same_render() { # TIFF PNG: both render to the same bytes, blocks and sixel
	"$px" render --size 60x20 --colors truecolor "$1" >"$tmpdir/a" 2>"$tmpdir/ae" &&
	    "$px" render --size 60x20 --colors truecolor "$2" >"$tmpdir/b" 2>&1 && cmp -s "$tmpdir/a" "$tmpdir/b" &&
	    "$px" render --format sixel --pixels 120x80 "$1" >"$tmpdir/a" 2>>"$tmpdir/ae" &&
	    "$px" render --format sixel --pixels 120x80 "$2" >"$tmpdir/b" 2>&1 && cmp -s "$tmpdir/a" "$tmpdir/b" &&
	    [ ! -s "$tmpdir/ae" ]
}
for t in rgb8 rgb8-lzw rgb8-zip rgb8-packbits rgb8-tiled rgb8-planar pages; do
	check "render of $t.tif is that of the PNG" same_render "$d/$t.tif" "$d/rgb8.png"
done
for t in g16 g16-tiled; do
	check "render of 16-bit $t.tif is that of the 16-bit PNG" same_render "$d/$t.tif" "$d/g16.png"
done
for t in rgb16 rgb16-planar-tiled; do
	check "render of 16-bit RGB $t.tif is that of the PNG" same_render "$d/$t.tif" "$d/rgb16.png"
done
check "render of an RGBA TIFF is that of the RGBA PNG" same_render "$d/rgba8.tif" "$d/rgba8.png"
check "render of a palette TIFF is that of the palette PNG" same_render "$d/pal.tif" "$d/pal.png"
check "render of a TIFF with orientation 6 is that of the upright PNG" same_render "$d/orient6.tif" "$d/orient6.png"
for t in rgb8-jpeg rgb8-tiled-jpeg; do
	run "$px" render --size 60x20 --colors truecolor "$d/$t.tif"
	check "render of JPEG-compressed $t.tif: 20 rows, nothing on stderr" \
	    sh -c "[ $status -eq 0 ] && [ \$(wc -l <'$tmpdir/out') -eq 20 ] && [ ! -s '$tmpdir/err' ]"
done

# 16 bits: the 1200..1800 band fills black to white at once (spread over 0..65535 it would be
# a few dark greys).
greys() { LC_ALL=C grep -o '38;2;[0-9]*;[0-9]*;[0-9]*' "$1" | sort -u | wc -l; }
run "$px" render --size 60x20 --colors truecolor "$d/g16.tif"
check "a narrow 16-bit band renders in many greys ($(greys "$tmpdir/out"))" test "$(greys "$tmpdir/out")" -gt 100
check "from black" grep -q '38;2;0;0;0m\|38;2;[0-9];[0-9];[0-9]m' "$tmpdir/out"
check "to white" grep -q '38;2;25[0-5];25[0-5];25[0-5]m' "$tmpdir/out"

# A data set of TIFFs: outlines -> masks, beside the same outlines on the PNG copies.
s=$tmpdir/set
p=$tmpdir/pngset
mkdir -p "$s" "$p"
cp "$d/rgb8-tiled.tif" "$s/a.tif"
cp "$d/g16.tif" "$s/b.tiff"
cp "$d/orient6.tif" "$s/c.tif"
cp "$d/rgb8.png" "$p/a.png"
cp "$d/g16.png" "$p/b.png"
cp "$d/orient6.png" "$p/c.png"
printf '[class cell]\nid = 1\ncolor = #ff0000\n\n[class debris]\nid = 2\ncolor = #00ff00\n' >"$s/pxlabel.ini"
cp "$s/pxlabel.ini" "$p/pxlabel.ini"
for stem in a b c; do
	for dir in "$s" "$p"; do
		f=$(cd "$dir" && ls $stem.*[fg])
		cat >"$dir/$stem.pxl.json" <<JSON
{"format": "pxlabel", "version": 1, "image": {"file": "$f", "width": 140, "height": 90},
 "instances": [
  {"id": 1, "class": 1, "shapes": [{"op": "add", "type": "polygon", "rings": [[[10.5,10],[80,12.25],[60,70.5],[5,60]]]}]},
  {"id": 2, "class": 2, "shapes": [{"op": "add", "type": "polygon", "rings": [[[70,5],[130,5],[130,80],[70,80]]]}]}
 ]}
JSON
	done
done
run "$px" mask "$s"
check "mask over a folder of TIFFs (.tif and .tiff) exits 0" sh -c "[ $status -eq 0 ] && grep -q 'masks written for 3 of 3 images' '$tmpdir/err'"
run "$px" mask --quiet "$p"
for stem in a b c; do
	check "$stem: the masks of the TIFF are those of the PNG copy" sh -c \
	    "cmp -s '$s/$stem.labels.png' '$p/$stem.labels.png' && cmp -s '$s/$stem.instances.png' '$p/$stem.instances.png'"
done
run "$dump" "$s/c.labels.png"
check "the rotated TIFF's masks are upright (140x90)" test "$(head -n 1 "$tmpdir/out")" = "140 90"
run "$px" stats "$s"
check "stats reads a folder of TIFFs" sh -c "[ $status -eq 0 ] && grep -q 'cell' '$tmpdir/out'"

# Exports: an 8-bit TIFF is linked; a 16-bit one is linked even with --jpeg (an 8-bit copy
# would lose its values); a rotated 8-bit one is written upright.
v=$tmpdir/voc
run "$px" export voc "$s" -o "$v"
check "export voc of TIFFs exits 0" test "$status" -eq 0
check "an 8-bit TIFF is linked as it is" test -L "$v/JPEGImages/a.tif"
check "a 16-bit TIFF is linked as it is" test -L "$v/JPEGImages/b.tiff"
check "a rotated TIFF is written upright (a PNG)" sh -c "[ -f '$v/JPEGImages/c.png' ] && [ ! -L '$v/JPEGImages/c.png' ]"
run "$px" render --size 60x20 --colors truecolor "$v/JPEGImages/c.png"
cp "$tmpdir/out" "$tmpdir/upright"
run "$px" render --size 60x20 --colors truecolor "$d/orient6.png"
check "and shows what the TIFF shows" cmp -s "$tmpdir/out" "$tmpdir/upright"
v=$tmpdir/vocj
run "$px" export voc --jpeg "$s" -o "$v"
check "export voc --jpeg: 8-bit TIFFs become NAME.jpg" sh -c "[ $status -eq 0 ] && [ -s '$v/JPEGImages/a.jpg' ] && [ -s '$v/JPEGImages/c.jpg' ]"
check "export voc --jpeg: the 16-bit TIFF stays as it is" test -L "$v/JPEGImages/b.tiff"
run "$px" export coco "$s" -o "$tmpdir/coco.json"
check "export coco names the TIFFs" sh -c "[ $status -eq 0 ] && grep -q '\"a.tif\"' '$tmpdir/coco.json' && grep -q '\"b.tiff\"' '$tmpdir/coco.json'"

# Imports: masks found for a TIFF by their stem; the COCO file back onto the TIFFs.
m=$tmpdir/m
mkdir -p "$m/pred"
cp "$s/a.tif" "$m/a.tif"
cp "$s/pxlabel.ini" "$m/"
cp "$s/a.labels.png" "$s/a.instances.png" "$m/pred/"
run "$px" import mask --images "$m" "$m/pred/a.labels.png"
check "import mask finds a.tif for a.labels.png" sh -c "[ $status -eq 0 ] && [ -s '$m/a.pxl.json' ]"
run "$px" mask --quiet "$m"
check "and its outlines give the same class mask" cmp -s "$m/a.labels.png" "$s/a.labels.png"
rm -f "$s"/*.pxl.json "$s"/*.labels.png "$s"/*.instances.png
run "$px" import coco --images "$s" "$tmpdir/coco.json"
check "import coco onto TIFFs exits 0" sh -c "[ $status -eq 0 ] && [ -s '$s/a.pxl.json' ] && [ -s '$s/b.pxl.json' ]"
run "$px" mask --quiet "$s"
check "the round trip gives the PNG copies' class masks" sh -c "cmp -s '$s/a.labels.png' '$p/a.labels.png' && cmp -s '$s/b.labels.png' '$p/b.labels.png'"

# Broken TIFFs: one line naming the file.
head -c 3000 "$d/rgb8-zip.tif" >"$tmpdir/cut.tif"
run "$px" render --size 20x10 "$tmpdir/cut.tif"
check "a truncated deflate TIFF: exit 1, one line naming it" sh -c \
    "[ $status -eq 1 ] && [ \$(wc -l <'$tmpdir/err') -eq 1 ] && grep -q 'cut.tif' '$tmpdir/err' && [ ! -s '$tmpdir/out' ]"
run "$px" render --max-pixels 10000 "$d/rgb8.tif"
check "--max-pixels holds for TIFFs" sh -c "[ $status -eq 1 ] && grep -q 'over the limit of 10000 pixels' '$tmpdir/err'"

done_testing
