"""Reads a COCO file written by `cellpilot segment` with pycocotools, the consumer it is written for.

Usage: python3 check_coco.py OUT_DIR/NAME-coco.json OUT_DIR/NAME-labels.png
Needs numpy, pillow and pycocotools (pip). Not part of CI: the CI machines reach no Python package index.

Checks, and exits non-zero on the first that fails:
- pycocotools' COCO() indexes the file;
- every annotation's RLE decodes to the image's size, and pycocotools' own area and bounding box of it equal the
  file's `area` and `bbox`;
- the label image written by the same run agrees: the pixels labelled i + 1 lie inside annotation i's mask, and the
  masks together cover exactly the labelled pixels;
- the annotations loaded as a results file (loadRes) and evaluated against the file itself (COCOeval, segm) give an
  AP and AR of 1.
"""
import contextlib
import io
import sys

import numpy as np
from PIL import Image
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def fail(message):
    sys.exit("FAILED: " + message)


def main(coco_file, labels_file):
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(coco_file)
    image = gt.loadImgs(gt.getImgIds())[0]
    height, width = image["height"], image["width"]
    anns = gt.loadAnns(gt.getAnnIds())
    labels = np.array(Image.open(labels_file))
    if labels.shape != (height, width):
        fail(f"label image is {labels.shape}, the COCO image {height}x{width}")
    covered = np.zeros((height, width), bool)
    for i, ann in enumerate(anns):
        rle = ann["segmentation"]
        m = mask_utils.decode(rle).astype(bool)
        if m.shape != (height, width):
            fail(f"annotation {ann['id']} decodes to {m.shape}")
        area = int(mask_utils.area(rle))
        if area != ann["area"] or area != m.sum():
            fail(f"annotation {ann['id']}: area {ann['area']} in the file, {area} by pycocotools, {m.sum()} pixels")
        box = mask_utils.toBbox(rle).tolist()
        if not np.allclose(box, ann["bbox"]):
            fail(f"annotation {ann['id']}: bbox {ann['bbox']} in the file, {box} by pycocotools")
        own = labels == i + 1
        if (own & ~m).any():
            fail(f"annotation {ann['id']}: {int((own & ~m).sum())} pixels labelled {i + 1} lie outside its mask")
        covered |= m
    if (covered != (labels > 0)).any():
        fail(f"masks and labels disagree on {int((covered != (labels > 0)).sum())} pixels")

    with contextlib.redirect_stdout(io.StringIO()):
        dt = gt.loadRes(anns)
        ev = COCOeval(gt, dt, "segm")
        ev.params.maxDets = [1, 10, max(100, len(anns))]
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    # AP over IoU 0.50:0.95, all areas, the largest maxDets (summarize's first line is fixed at 100 detections).
    precision = ev.eval["precision"][:, :, :, 0, -1]
    recall = ev.eval["recall"][:, :, 0, -1]
    ap, ar = precision[precision > -1].mean(), recall[recall > -1].mean()
    if not (np.isclose(ap, 1) and np.isclose(ar, 1)):
        fail(f"the file evaluated against itself: AP {ap}, AR {ar}")
    overlapping = int(sum(mask_utils.area(a["segmentation"]) for a in anns) - covered.sum())
    print(f"{coco_file}: {len(anns)} annotations read by pycocotools; areas, boxes and the label image agree "
          f"({overlapping} pixels under more than one mask); self-evaluation AP {ap:.3f}, AR {ar:.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
