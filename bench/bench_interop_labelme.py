"""bench_interop_labelme.py: the peer of `pxlabel export coco|voc`: the same data set as LabelMe
files, converted the way LabelMe's own examples (labelme2coco.py, labelme2voc.py) do it, with
labelme.utils.shape_to_mask / shapes_to_label and lblsave (Debian's labelme package). pycocotools
is not in Debian, so area and bbox come from numpy on the same masks (what pycocotools computes
from its RLE); the image size comes from the JSON instead of decoding the image.

Usage: bench_interop_labelme.py coco|voc LABELME_DIR OUT
"""
import collections
import glob
import json
import os
import sys
import uuid

import numpy as np
import labelme.utils


def load(path):
    with open(path) as f:
        return json.load(f)


def coco(files, out):
    data = {"info": {}, "licenses": [], "images": [], "annotations": [], "categories": []}
    names = {}
    for image_id, path in enumerate(files):
        lf = load(path)
        shape = (lf["imageHeight"], lf["imageWidth"])
        data["images"].append(dict(id=image_id, file_name=lf["imagePath"], height=shape[0], width=shape[1]))
        masks = {}
        segmentations = collections.defaultdict(list)
        for s in lf["shapes"]:
            mask = labelme.utils.shape_to_mask(shape, s["points"], s.get("shape_type"))
            group_id = s.get("group_id")
            if group_id is None:
                group_id = uuid.uuid1()
            instance = (s["label"], group_id)
            masks[instance] = masks[instance] | mask if instance in masks else mask
            segmentations[instance].append(np.asarray(s["points"]).flatten().tolist())
        for (label, _), mask in masks.items():
            ys, xs = np.nonzero(mask)
            bbox = [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)] if len(xs) else [0, 0, 0, 0]
            cid = names.setdefault(label, len(names) + 1)
            data["annotations"].append(dict(id=len(data["annotations"]), image_id=image_id, category_id=cid,
                                            segmentation=segmentations[(label, _)], area=float(mask.sum()),
                                            bbox=bbox, iscrowd=0))
    data["categories"] = [dict(id=i, name=n, supercategory=None) for n, i in names.items()]
    with open(out, "w") as f:
        json.dump(data, f)


def voc(files, out):
    for sub in ("JPEGImages", "SegmentationClass", "SegmentationObject", "ImageSets/Segmentation"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    names = {"_background_": 0}
    stems = []
    for path in files:
        lf = load(path)
        for s in lf["shapes"]:
            names.setdefault(s["label"], len(names))
        stem = os.path.splitext(os.path.basename(path))[0]
        stems.append(stem)
        image = os.path.normpath(os.path.join(os.path.dirname(path), lf["imagePath"]))
        link = os.path.join(out, "JPEGImages", stem + os.path.splitext(image)[1])
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(image), link)
        cls, ins = labelme.utils.shapes_to_label((lf["imageHeight"], lf["imageWidth"]), lf["shapes"], names)
        ins[cls == -1] = 0
        labelme.utils.lblsave(os.path.join(out, "SegmentationClass", stem + ".png"), cls)
        labelme.utils.lblsave(os.path.join(out, "SegmentationObject", stem + ".png"), ins)
    with open(os.path.join(out, "class_names.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    with open(os.path.join(out, "ImageSets/Segmentation/trainval.txt"), "w") as f:
        f.write("\n".join(stems) + "\n")


def main():
    mode, src, out = sys.argv[1:4]
    files = sorted(glob.glob(os.path.join(src, "*.json")))
    (coco if mode == "coco" else voc)(files, out)


if __name__ == "__main__":
    main()
