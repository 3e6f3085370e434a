#!/bin/sh
# setup.sh: from a bare Debian 12 (or Ubuntu) machine to a built pxlabel in one command.
#   sh scripts/setup.sh demo    install what is missing, build, preview the bundled cat
#   sh scripts/setup.sh test    install what is missing, build, run the whole test suite
#   sh scripts/setup.sh bench   the same, plus the peers the benchmarks compare against
# Builds out of tree in _build/ (the program is _build/src/pxlabel). Uses sudo when not root.
set -eu
mode=${1:-demo}
case $mode in demo | test | bench | build) ;; *)
	echo "usage: sh scripts/setup.sh demo|test|bench|build" >&2
	exit 2
	;;
esac
cd "$(dirname "$0")/.."

pkgs="gcc make autoconf automake pkg-config libc6-dev
      libncurses-dev libsixel-dev libpng-dev zlib1g-dev libjpeg62-turbo-dev libinih-dev libjansson-dev libexif-dev
      libtiff-dev"
# The screen tests: tmux; a real sixel terminal (xterm under Xvfb, keys through xdotool,
# kitty for the kitty graphics protocol, with software OpenGL,
# screenshots through ImageMagick, the sent images decoded by libsixel-bin's sixel2png). The
# exports read by a training loader: torchvision's VOCSegmentation. TIFFs made by other
# encoders: python3-tifffile and libtiff-tools' tiffcp. agree against its numpy reference:
# python3-numpy and python3-pil. Shards as separate processes: GNU parallel (cli_parallel.sh).
[ "$mode" = test ] && pkgs="$pkgs tmux xterm kitty xvfb xfonts-base xdotool imagemagick libsixel-bin python3-torchvision
      python3-tifffile libtiff-tools python3-numpy python3-pil parallel"
[ "$mode" = bench ] && pkgs="$pkgs chafa timg libjpeg-turbo-progs hyperfine time python3-opencv python3-pil python3-numpy labelme
      libvips-tools libtiff-tools python3-skimage libvlfeat-dev"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing$missing" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
fi

[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] || autoreconf -fi
mkdir -p _build
cd _build
[ -f Makefile ] && [ Makefile -nt ../Makefile.am ] || ../configure ${CONFIGURE_FLAGS:-} >/dev/null
make -j"$(nproc)" >/dev/null

case $mode in
demo)
	if [ -t 0 ] && [ -t 1 ]; then
		# The annotator, on a copy so the repository stays clean.
		mkdir -p demo
		cp ../data/chelsea.png demo/
		[ -f demo/pxlabel.ini ] || printf '[class cat]\nid = 1\ncolor = #e6194b\nkey = 1\n\n[class background]\nid = 2\ncolor = #3cb44b\nkey = 2\n' >demo/pxlabel.ini
		echo "pxlabel on data/chelsea.png: Space places a vertex, Enter closes, ? lists the keys, q quits." >&2
		sleep 2
		./src/pxlabel demo/chelsea.png
		echo "Your outlines and masks are in _build/demo/. A preview without the annotator:" >&2
	fi
	./src/pxlabel render ../data/chelsea.png
	;;
test)
	status=0
	make -j"$(nproc)" check >check.out 2>&1 || status=$?
	grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS)' check.out | grep -v '^PASS' || true
	[ "$status" -eq 0 ] || { cat test-suite.log 2>/dev/null | tail -n 60; }
	pass=$(sed -n 's/^# PASS: *//p' check.out | tail -n 1)
	fail=$(sed -n 's/^# FAIL: *//p' check.out | tail -n 1)
	err=$(sed -n 's/^# ERROR: *//p' check.out | tail -n 1)
	skip=$(sed -n 's/^# SKIP: *//p' check.out | tail -n 1)
	echo "tests: ${pass:-0} passed, $(( ${fail:-0} + ${err:-0} )) failed, ${skip:-0} skipped"
	exit "$status"
	;;
bench)
	make bench
	;;
esac
