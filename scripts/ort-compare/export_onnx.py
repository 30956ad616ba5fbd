import sys, time, torch
from segment_anything import sam_model_registry
from segment_anything.utils.onnx import SamOnnxModel
ckpt = sys.argv[1]
sam = sam_model_registry["vit_b"](checkpoint=ckpt).eval()
with torch.no_grad():
    x = torch.randn(1, 3, 1024, 1024)
    torch.onnx.export(sam.image_encoder, (x,), "encoder.onnx", opset_version=17, input_names=["image"], output_names=["embedding"], dynamo=False)
    onnx_model = SamOnnxModel(sam, return_single_mask=True)
    emb = torch.randn(1, 256, 64, 64)
    dummy = {
        "image_embeddings": emb,
        "point_coords": torch.randint(0, 1024, (1, 3, 2), dtype=torch.float),
        "point_labels": torch.randint(0, 4, (1, 3), dtype=torch.float),
        "mask_input": torch.randn(1, 1, 256, 256),
        "has_mask_input": torch.tensor([1], dtype=torch.float),
        "orig_im_size": torch.tensor([1024, 1024], dtype=torch.float),
    }
    torch.onnx.export(onnx_model, tuple(dummy.values()), "decoder.onnx", opset_version=17, input_names=list(dummy.keys()),
                      output_names=["masks", "iou_predictions", "low_res_masks"],
                      dynamic_axes={"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"}}, dynamo=False)
print("exported")
