import ai.onnxruntime.*;
import java.nio.FloatBuffer;
import java.util.*;

/**
 * ONNX Runtime Java on SAM ViT-B's ONNX export (encoder, and segment_anything's SamOnnxModel decoder with a mask
 * input): "bench" times load, encodes and clicks in one JVM; "whole" is one process doing one encode and one click.
 * Two intra-op threads, as CellPilot uses on this 2-core machine.
 */
public class OrtSam {
    public static void main(String[] a) throws Exception {
        String mode = a[0];
        int encodes = Integer.parseInt(a[1]);
        int clicks = Integer.parseInt(a[2]);
        long t0 = System.nanoTime();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(2);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtSession enc = env.createSession("encoder.onnx", o);
        OrtSession dec = env.createSession("decoder.onnx", o);
        long loaded = System.nanoTime();
        float[] img = new float[3 * 1024 * 1024];
        Random r = new Random(1);
        for (int i = 0; i < img.length; i++) img[i] = (float) r.nextGaussian();
        float[] emb = null;
        long[] encT = new long[encodes];
        for (int i = 0; i < encodes; i++) {
            long s = System.nanoTime();
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(img), new long[] {1, 3, 1024, 1024});
                 OrtSession.Result res = enc.run(Map.of("image", x))) {
                emb = flatten((float[][][][]) res.get(0).getValue());
            }
            encT[i] = System.nanoTime() - s;
        }
        float[] mask = new float[256 * 256];
        long[] clickT = new long[clicks];
        for (int i = 0; i < clicks; i++) {
            long s = System.nanoTime();
            Map<String, OnnxTensor> in = new LinkedHashMap<>();
            in.put("image_embeddings", OnnxTensor.createTensor(env, FloatBuffer.wrap(emb), new long[] {1, 256, 64, 64}));
            in.put("point_coords", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {500, 400, 620, 380, 0, 0}), new long[] {1, 3, 2}));
            in.put("point_labels", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 0, -1}), new long[] {1, 3}));
            in.put("mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), new long[] {1, 1, 256, 256}));
            in.put("has_mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1}), new long[] {1}));
            in.put("orig_im_size", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1024, 1024}), new long[] {2}));
            try (OrtSession.Result res = dec.run(in)) {
                mask = flatten((float[][][][]) res.get(2).getValue()); // the next click's mask input, as ours
                if (((float[][][][]) res.get(0).getValue())[0][0].length != 1024) {
                    throw new IllegalStateException("the decoder did not return 1024-row masks");
                }
            }
            in.values().forEach(OnnxTensor::close);
            clickT[i] = System.nanoTime() - s;
        }
        long end = System.nanoTime();
        if (mode.equals("bench")) {
            System.out.printf("load %.2f s; encoder %s s; click p50 %.1f ms p99 %.1f ms min %.1f%n", (loaded - t0) / 1e9, Arrays.toString(Arrays.stream(encT).mapToObj(x -> String.format("%.2f", x / 1e9)).toArray()),
                    pct(clickT, 0.5), pct(clickT, 0.99), pct(clickT, 0.0));
        } else {
            System.out.printf("in-JVM total %.2f s%n", (end - t0) / 1e9);
        }
    }

    static double pct(long[] t, double p) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(p * s.length))] / 1e6;
    }

    static float[] flatten(float[][][][] x) {
        int n = 0;
        for (float[][][] b : x) for (float[][] c : b) for (float[] d : c) n += d.length;
        float[] out = new float[n];
        int k = 0;
        for (float[][][] b : x) for (float[][] c : b) for (float[] d : c) { System.arraycopy(d, 0, out, k, d.length); k += d.length; }
        return out;
    }
}
