#!/usr/bin/env python3
# sam_click.py: an example model command for pxlabel's A key (doc/assist.md), with Meta's
# Segment Anything (https://github.com/facebookresearch/segment-anything).
#
# UNTESTED: the model's weights could not be fetched where pxlabel was built, so this script
# has never been run against a real checkpoint. It follows segment_anything's documented API
# (sam_model_registry, SamPredictor.set_image, SamPredictor.predict); check it before relying
# on it.
#
# Needs: torch, segment_anything, numpy, Pillow, and a checkpoint (sam_vit_b_01ec64.pth, ...).
# config.ini:
#   [assist]
#   command = /usr/bin/python3 /path/to/sam_click.py --checkpoint /data/sam_vit_b_01ec64.pth --model vit_b
#   timeout = 120
#
# The protocol: one JSON object on stdin
#   {"image": PATH, "width": W, "height": H, "points": [[x, y, 1 or 0], ...], "box": null,
#    "output": PATH}
# and a W x H PNG written to output (nonzero = object), exit 0. Errors go to stderr, whose last
# line pxlabel shows.
import argparse
import json
import sys

import numpy as np
from PIL import Image, ImageOps


def main():
    ap = argparse.ArgumentParser(description="pxlabel model command: Segment Anything")
    ap.add_argument("--checkpoint", required=True, help="the SAM checkpoint (.pth)")
    ap.add_argument("--model", default="vit_b", help="vit_b, vit_l or vit_h (as the checkpoint)")
    ap.add_argument("--device", default=None, help="cuda or cpu (default: cuda when there is one)")
    args = ap.parse_args()

    req = json.load(sys.stdin)
    w, h = int(req["width"]), int(req["height"])

    # pxlabel's pixels are upright: the EXIF orientation applied, as here.
    img = ImageOps.exif_transpose(Image.open(req["image"])).convert("RGB")
    if img.size != (w, h):
        sys.exit("the image is %dx%d here, %dx%d in pxlabel" % (img.size[0], img.size[1], w, h))

    import torch
    from segment_anything import SamPredictor, sam_model_registry

    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    sam = sam_model_registry[args.model](checkpoint=args.checkpoint)
    sam.to(device=device)
    predictor = SamPredictor(sam)
    predictor.set_image(np.asarray(img))

    pts = req.get("points") or []
    if not pts:
        sys.exit("no points")
    # SAM takes pixel coordinates (x, y); pxlabel's are continuous, centres at .5: the same
    # pixel either way.
    coords = np.array([[p[0], p[1]] for p in pts], dtype=np.float32)
    labels = np.array([1 if p[2] else 0 for p in pts], dtype=np.int32)
    box = np.array(req["box"], dtype=np.float32) if req.get("box") else None
    masks, scores, _ = predictor.predict(point_coords=coords, point_labels=labels, box=box,
                                         multimask_output=len(pts) == 1)
    best = masks[int(np.argmax(scores))]
    Image.fromarray((best > 0).astype(np.uint8) * 255, mode="L").save(req["output"])


if __name__ == "__main__":
    main()
