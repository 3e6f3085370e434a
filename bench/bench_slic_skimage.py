#!/usr/bin/python3
# bench_slic_skimage.py: scikit-image's slic on IMAGE with NSEG segments and COMPACTNESS (its
# defaults otherwise: Lab, 10 iterations, connectivity enforced), one run; prints the seconds
# (the image decode not counted) and the count of superpixels on stderr.
import sys, time
import numpy as np
from skimage.io import imread
from skimage.segmentation import slic

img = imread(sys.argv[1])
t0 = time.perf_counter()
seg = slic(img, n_segments=int(sys.argv[2]), compactness=float(sys.argv[3]), start_label=1)
t = time.perf_counter() - t0
sys.stderr.write("skimage slic: %d superpixels\n" % len(np.unique(seg)))
print("%.3f" % t)
