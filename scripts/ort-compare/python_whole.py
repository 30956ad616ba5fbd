import sys, numpy as np, torch
from PIL import Image
from segment_anything import sam_model_registry, SamPredictor
torch.set_num_threads(2)
sam = sam_model_registry["vit_b"](checkpoint=sys.argv[1]).eval()
p = SamPredictor(sam)
p.set_image(np.asarray(Image.open(sys.argv[2]).convert("RGB")))
masks, iou, low = p.predict(point_coords=np.array([[300.0, 200.0], [360.0, 240.0]]), point_labels=np.array([1, 0]), multimask_output=False)
print(masks.shape, float(iou[0]))
